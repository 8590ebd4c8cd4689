"""Printing rows for people (rich tables) or machines (CSV, JSON, Parquet)."""

from __future__ import annotations

import enum
import io
import json
import sys
from pathlib import Path

import pandas as pd
from rich.console import Console
from rich.table import Table

console = Console()
err_console = Console(stderr=True)


class OutputFormat(enum.StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    parquet = "parquet"


def _jsonable(frame: pd.DataFrame) -> list[dict]:
    return json.loads(frame.to_json(orient="records", date_format="iso", default_handler=str))


def render(
    frame: pd.DataFrame, fmt: OutputFormat, output: Path | None = None, title: str | None = None
) -> None:
    """Write ``frame`` in ``fmt`` to ``output`` (a file) or to standard output."""
    if fmt is OutputFormat.parquet:
        if output is None:
            raise ValueError("--format parquet needs --output FILE")
        frame.to_parquet(output, index=False)
        return
    if fmt is OutputFormat.csv:
        text = frame.to_csv(index=False)
    elif fmt is OutputFormat.json:
        text = json.dumps(_jsonable(frame), ensure_ascii=False, indent=2) + "\n"
    else:
        table = Table(title=title, show_lines=False)
        for column in frame.columns:
            table.add_column(str(column), overflow="fold")
        for row in frame.itertuples(index=False):
            table.add_row(*("" if pd.isna(v) else str(v) for v in row))
        if output is None:
            console.print(table)
            return
        buffer = io.StringIO()
        Console(file=buffer, width=200).print(table)
        text = buffer.getvalue()
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text)
