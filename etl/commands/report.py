"""`armsledger report`: the database as one self-contained HTML page of charts and evidence."""

from __future__ import annotations

from pathlib import Path

import typer

OUTPUT = typer.Option(Path("report.html"), "--output", "-o", help="HTML file to write.")


def report(output: Path = OUTPUT) -> None:
    """Write an HTML report (charts of aid, deals, suppliers; discrepancies; links to the evidence)
    that opens in any browser with no network.

    Example: armsledger report --output report.html
    """
    try:
        from etl.report.build import write_report
    except ImportError:
        typer.echo("error: the report needs the report extra: .venv/bin/pip install -e '.[report]'", err=True)
        raise typer.Exit(2) from None
    from etl.database import get_engine

    path = write_report(get_engine(), output)
    typer.echo(f"Wrote {path} ({path.stat().st_size // 1024} KB); open it in a browser.")
