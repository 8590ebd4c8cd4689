"""Printing rows for people (tables that fit the terminal) or machines (CSV, JSON, Parquet).

``render`` takes a pandas DataFrame or a list of dicts. A table of a few columns wider than the
terminal wraps long values; a wider one keeps every column but cuts long values with an ellipsis,
and when even that does not fit it prints one record per block (as psql's ``\\x auto`` does),
saying how to see the rest (``--wide``, ``--columns``, ``--format csv``). pandas and rich are
imported only when rows are printed.
"""

from __future__ import annotations

import csv
import enum
import io
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

MIN_CELL = 12  # narrowest a column is cut to before switching to one record per block
WRAP_COLUMNS = 4  # a table of this many columns or fewer wraps long values instead of cutting them
HINT = "see everything with --wide, --format csv, or pick columns with --columns {example}"


class OutputFormat(enum.StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    parquet = "parquet"


def __getattr__(name: str) -> Console:
    """``console`` and ``err_console``: rich Consoles made on first use (rich is slow to import).
    Commands use them as ``output.console`` so that importing a command module imports no rich."""
    if name in ("console", "err_console"):
        from rich.console import Console

        # soft_wrap: a long message stays one line (the terminal wraps it), so it can be copied.
        globals()["console"] = Console(soft_wrap=True)
        globals()["err_console"] = Console(stderr=True, soft_wrap=True)
        return globals()[name]
    raise AttributeError(name)


class Rows:
    """Columns and rows of plain Python values, from a DataFrame, a list of dicts or a
    ``(columns, rows)`` pair."""

    def __init__(self, data: Any) -> None:
        if isinstance(data, tuple):  # (columns, rows)
            self.columns = [str(c) for c in data[0]]
            self.rows = [list(r) for r in data[1]]
            self.frame = None
        elif isinstance(data, list):
            self.columns: list[str] = list(dict.fromkeys(k for row in data for k in row))
            self.rows: list[list[Any]] = [[row.get(c) for c in self.columns] for row in data]
            self.frame = None
        else:
            self.columns = [str(c) for c in data.columns]
            self.rows = [list(r) for r in data.itertuples(index=False)]
            self.frame = data

    def select(self, wanted: Sequence[str]) -> Rows:
        """Only the ``wanted`` columns, in that order; ValueError naming unknown ones."""
        unknown = [w for w in wanted if w not in self.columns]
        if unknown:
            raise ValueError(f"unknown column(s) {', '.join(unknown)}; the columns are: {', '.join(self.columns)}")
        index = [self.columns.index(w) for w in wanted]
        out = Rows([])
        out.columns = list(wanted)
        out.rows = [[row[i] for i in index] for row in self.rows]
        out.frame = self.frame[list(wanted)] if self.frame is not None else None
        return out

    def dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


def _missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN, NaT and pandas.NA (whose comparison raises)
    except (TypeError, ValueError):
        return True


def cell(value: Any) -> str:
    """A value as table text: missing values blank."""
    return "" if _missing(value) else str(value)


def _plain(value: Any) -> Any:
    import datetime as dt
    from decimal import Decimal

    if _missing(value):
        return None
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def parse_columns(spec: str | None) -> list[str]:
    """``"a,b , c"`` -> ``["a", "b", "c"]``; None or blank -> []."""
    return [c.strip() for c in (spec or "").split(",") if c.strip()]


def render(
    data: Any,
    fmt: OutputFormat,
    output: Path | None = None,
    title: str | None = None,
    columns: Sequence[str] | None = None,
    wide: bool = False,
    options_hint: bool = False,
) -> None:
    """Write ``data`` (DataFrame, list of dicts or ``(columns, rows)``) in ``fmt`` to ``output`` or standard output.

    ``options_hint``: a table cut to fit the terminal names the options that show the rest
    (for commands that have them). Raises ValueError for unknown ``columns`` or parquet without
    ``output``.
    """
    rows = Rows(data)
    if columns:
        rows = rows.select(columns)
    if fmt is OutputFormat.parquet:
        if output is None:
            raise ValueError("--format parquet needs --output FILE")
        _frame(rows).to_parquet(output, index=False)
        return
    if fmt is OutputFormat.csv and rows.frame is not None:
        text = rows.frame.to_csv(index=False)
    elif fmt is OutputFormat.json and rows.frame is not None:
        frame_json = rows.frame.to_json(orient="records", date_format="iso", default_handler=str)
        text = json.dumps(json.loads(frame_json), ensure_ascii=False, indent=2) + "\n"
    elif fmt is OutputFormat.csv:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(rows.columns)
        writer.writerows([cell(v) for v in row] for row in rows.rows)
        text = buffer.getvalue()
    elif fmt is OutputFormat.json:
        records = [{k: _plain(v) for k, v in r.items()} for r in rows.dicts()]
        text = json.dumps(records, ensure_ascii=False, indent=2, default=str) + "\n"
    else:
        if output is None:
            _print_table(rows, title, __getattr__("console"), wide, options_hint)
            return
        text = table_text(rows, title)
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")


def _frame(rows: Rows) -> Any:
    import pandas as pd

    return rows.frame if rows.frame is not None else pd.DataFrame(rows.rows, columns=rows.columns)


def _natural_widths(rows: Rows) -> list[int]:
    widths = [len(c) for c in rows.columns]
    for row in rows.rows:
        for i, value in enumerate(row):
            longest = max((len(part) for part in cell(value).splitlines()), default=0)
            widths[i] = max(widths[i], longest)
    return widths


def _table(rows: Rows, title: str | None, caps: list[int] | None) -> Any:
    from rich.table import Table

    table = Table(title=title, show_lines=False)
    for i, column in enumerate(rows.columns):
        if caps is None:
            table.add_column(column, overflow="fold")
        else:
            table.add_column(column, overflow="ellipsis", no_wrap=True, max_width=caps[i])
    for row in rows.rows:
        table.add_row(*(cell(v).replace("\n", " ") if caps else cell(v) for v in row))
    return table


def table_text(rows: Rows, title: str | None = None) -> str:
    """The whole table as text, as wide as it needs to be (for files)."""
    from rich.console import Console

    width = sum(_natural_widths(rows)) + 3 * len(rows.columns) + 4
    buffer = io.StringIO()
    Console(file=buffer, width=max(width, 40, len(title or "")), no_color=True).print(_table(rows, title, None))
    return buffer.getvalue()


def _fit(widths: list[int], available: int) -> list[int] | None:
    """Per-column caps (as large as possible, at least MIN_CELL) that fit ``available``; None if none do."""
    overhead = 3 * len(widths) + 1
    for cap in range(max(widths, default=0), MIN_CELL - 1, -1):
        if sum(min(w, cap) for w in widths) + overhead <= available:
            return [min(w, cap) for w in widths]
    return None


def _print_table(rows: Rows, title: str | None, console: Console, wide: bool, options_hint: bool = True) -> None:
    widths = _natural_widths(rows)
    natural = sum(widths) + 3 * len(widths) + 1
    few = len(widths) <= WRAP_COLUMNS and 3 * len(widths) + 1 + MIN_CELL * len(widths) <= console.width
    if wide or natural <= console.width or not rows.columns or few:  # few columns: wrap, nothing hidden
        if wide and natural > console.width:
            from rich.console import Console as _Console

            _Console(file=console.file, width=natural, no_color=console.no_color).print(_table(rows, title, None))
        else:
            console.print(_table(rows, title, None))
        return
    caps = _fit(widths, console.width)
    example = ",".join(rows.columns[:3])
    hint = HINT.format(example=example) if options_hint else "widen the terminal to see more"
    if caps is not None:
        console.print(_table(rows, title, caps))
        cut = sum(1 for w, c in zip(widths, caps, strict=True) if w > c)
        _note(console, f"{cut} column(s) cut to fit {console.width} characters: {hint}")
        return
    _print_records(rows, title, console)
    _note(console, f"one record per block to fit {console.width} characters: {hint}")


def _note(console: Console, text: str) -> None:
    console.print(f"[dim]{text}[/dim]", highlight=False, soft_wrap=True)


def _print_records(rows: Rows, title: str | None, console: Console) -> None:
    """psql's expanded display: one ``column | value`` block per row, values cut to fit."""
    label = max((len(c) for c in rows.columns), default=0)
    room = max(console.width - label - 3, 8)
    if title:
        console.print(title, style="bold", highlight=False)
    for n, row in enumerate(rows.rows, start=1):
        console.print(f"-[ record {n} ]" + "-" * max(console.width - 14 - len(str(n)), 0), highlight=False)
        for column, value in zip(rows.columns, row, strict=True):
            text = cell(value).replace("\n", " ")
            if len(text) > room:
                text = text[: room - 1] + "…"
            console.print(f"{column.ljust(label)} | {text}", highlight=False, markup=False, soft_wrap=True)
