"""`armsledger query ...`: list, show and run the named queries in queries/*.sql."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from etl.commands.options import COLUMNS, FORMAT, OUTPUT, WIDE, emit, fail
from etl.output import OutputFormat
from queries.catalog import LIMIT, Query, QueryError, catalog, get

if TYPE_CHECKING:
    import pandas as pd

app = typer.Typer(help="Run the named SQL queries of queries/*.sql.", no_args_is_help=True)

PARAMS = typer.Option(None, "--param", "-p", help="A parameter as key=value; repeat for more.")

__all__ = ["app", "fail", "parse_params"]


def _get(name: str) -> Query:
    try:
        return get(name)
    except QueryError as exc:
        fail(str(exc))


def parse_params(pairs: list[str]) -> dict[str, str]:
    """``["key=value", ...]`` as a dict; exit 2 on a pair without ``=``."""
    params: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            fail(f"-p takes key=value, not {pair!r}")
        params[key.strip()] = value
    return params


def _plain(value: object) -> object:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.date):  # dates and timestamps as ISO text, not epoch-based timestamps
        return value.isoformat()
    return value


def _for_json(frame: pd.DataFrame) -> pd.DataFrame:
    """Exact decimals as JSON numbers and dates as ISO text."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object:
            out[column] = out[column].map(_plain)
    return out


@app.command("list")
def list_queries(
    fmt: OutputFormat = FORMAT, output: Path | None = OUTPUT, columns: str | None = COLUMNS, wide: bool = WIDE
) -> None:
    """List the named queries with their grain and parameters.

    Example: armsledger query list
    """
    rows = [
        {
            "query": q.name,
            "parameters": ", ".join(f"{p.name}={p.default or '(required)'}" for p in q.params),
            "description": q.description,
        }
        for q in catalog().values()
    ]
    emit(rows, fmt, output, columns, wide, title="Named queries")


@app.command()
def show(name: str = typer.Argument(..., help="Query name, see `armsledger query list`.")) -> None:
    """Show a query's description, parameters, columns and SQL.

    Example: armsledger query show aid_by_year
    """
    query = _get(name)
    lines = [f"{query.name}: {query.description}"]
    for p in query.params:
        default = "required" if p.required else f"default {p.default}"
        lines.append(f"  -p {p.name}=<{p.type}>  ({default})  {p.description}")
    lines += [f"columns: {', '.join(c.name for c in query.columns)}", f"file: {query.path}", ""]
    typer.echo("\n".join(lines))
    typer.echo(query.source)


@app.command()
def run(
    name: str = typer.Argument(..., help="Query name, see `armsledger query list`."),
    param: list[str] | None = PARAMS,
    fmt: OutputFormat = FORMAT,
    output: Path | None = OUTPUT,
    columns: str | None = COLUMNS,
    wide: bool = WIDE,
) -> None:
    """Run a named query and print its rows (or write them to --output).

    Missing or unknown parameters and unknown queries exit with status 2. Queries that list one
    row per mention, article or fact return their first 1000 rows unless given -p limit=N or
    -p limit=all (also with -o: an export of every row needs -p limit=all).

    In a narrow terminal long values are cut with an ellipsis (or one record per block is
    shown); --wide, --columns or --format csv show everything.

    Example: armsledger query run arms_deals -p buyer=Peru --format csv
    """
    import queries
    from etl.revision import require_current_schema

    query = _get(name)
    params = parse_params(param or [])
    require_current_schema(queries_engine())
    try:
        frame = queries.run(name, **params)
    except QueryError as exc:
        fail(str(exc))
    emit(_for_json(frame) if fmt is OutputFormat.json else frame, fmt, output, columns, wide, title=name)
    _paging_hint(query, params, len(frame))


def _paging_hint(query: Query, params: dict[str, str], rows: int) -> None:
    """Say on stderr when a page of the default size came back full: there may be more rows."""
    page = query.param(LIMIT)
    default = page.default if page else None
    if default and default.isdigit() and LIMIT not in params and rows == int(default):
        typer.echo(f"first {rows} rows; -p {LIMIT}=all for every row", err=True)


def queries_engine():
    """The configured database's engine (the one queries.run uses by default)."""
    from etl.database import get_engine

    return get_engine()
