"""`armsledger export`: the analytics views as CSV or Parquet files, FtM entities or an OCDS package."""

from __future__ import annotations

import enum
from pathlib import Path

import typer

from etl import output as out
from etl.database import get_engine
from etl.revision import require_current_schema


class ExportFormat(enum.StrEnum):
    csv = "csv"
    parquet = "parquet"
    ftm = "ftm"
    ocds = "ocds"


FORMAT = typer.Option(..., "--format", "-f", help="csv, parquet, ftm or ocds.")
OUTPUT = typer.Option(..., "--output", "-o", help="Folder to write into (created if missing).")


def export(fmt: ExportFormat = FORMAT, output: Path = OUTPUT) -> None:
    """Export the database: one CSV or Parquet file per analytics view, FollowTheMoney entities
    (armsledger.ftm.json, JSON lines; armsledger.statements.json: each value with its article, needs the
    ftm extra) or an OCDS 1.1 release package of the deals (release-package.json, validated against the
    official schema in data/schemas/ocds).

    Example: armsledger export --format parquet --output out/
    """
    if output.exists() and not output.is_dir():
        typer.echo(f"error: --output must be a folder, not the file {output}", err=True)
        raise typer.Exit(2)
    engine = get_engine()
    require_current_schema(engine)
    if fmt in (ExportFormat.csv, ExportFormat.parquet):
        from etl.export.tables import export_tables

        paths = export_tables(engine, output, fmt.value)
    elif fmt is ExportFormat.ftm:
        try:
            from etl.export.ftm import export_ftm
        except ImportError:
            typer.echo("error: the FollowTheMoney export needs the ftm extra: .venv/bin/pip install -e '.[ftm]'",
                       err=True)
            raise typer.Exit(2) from None
        paths = [export_ftm(engine, output)]
    else:
        from etl.export.ocds import export_ocds

        paths = [export_ocds(engine, output)]
    out.console.print(f"Wrote {len(paths)} file(s) to {output}.", highlight=False)
