"""The output options every command that prints rows shares: -f/--format, -o/--output,
-c/--columns and -w/--wide, and one ``emit`` that applies them."""

from __future__ import annotations

from pathlib import Path
from typing import Any, NoReturn

import typer

from etl.output import OutputFormat, parse_columns, render

FORMAT = typer.Option(OutputFormat.table, "--format", "-f", help="table, csv, json or parquet.")
OUTPUT = typer.Option(None, "--output", "-o", help="Write to this file instead of standard output.")
COLUMNS = typer.Option(None, "--columns", "-c", help="Only these columns, comma-separated, e.g. deal,buyer,value.")
WIDE = typer.Option(False, "--wide", "-w", help="Print tables at full width, however wide the terminal is.")


def fail(message: str, status: int = 2) -> NoReturn:
    """Print one error line and exit (2: usage error)."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(status)


def emit(
    data: Any,
    fmt: OutputFormat,
    output: Path | None,
    columns: str | None = None,
    wide: bool = False,
    title: str | None = None,
) -> None:
    """Print or write rows with the shared options; a bad option value exits 2 with one line."""
    if fmt is OutputFormat.parquet and output is None:
        fail("--format parquet needs --output FILE")
    try:
        render(data, fmt, output, title=title, columns=parse_columns(columns), wide=wide, options_hint=True)
    except ValueError as exc:
        fail(str(exc))
