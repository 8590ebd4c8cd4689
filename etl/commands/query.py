"""`armsledger query ...`: list, show and run the named queries in queries/*.sql."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import NoReturn

import pandas as pd
import typer

import queries
from etl.output import OutputFormat, render
from queries import QueryError

app = typer.Typer(help="Run the named SQL queries of queries/*.sql.", no_args_is_help=True)

FORMAT = typer.Option(OutputFormat.table, "--format", "-f", help="table, csv, json or parquet.")
PARAMS = typer.Option(None, "--param", "-p", help="A parameter as key=value; repeat for more.")
OUTPUT = typer.Option(None, "--output", "-o", help="Write to this file instead of standard output.")


def fail(message: str) -> NoReturn:
    """Print one error line and exit with the usage-error status 2."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


def _get(name: str) -> queries.Query:
    try:
        return queries.get(name)
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


def _emit(frame: pd.DataFrame, fmt: OutputFormat, output: Path | None, title: str | None = None) -> None:
    if fmt is OutputFormat.parquet and output is None:
        fail("--format parquet needs --output FILE")
    render(_for_json(frame) if fmt is OutputFormat.json else frame, fmt, output, title=title)


@app.command("list")
def list_queries(fmt: OutputFormat = FORMAT, output: Path | None = OUTPUT) -> None:
    """List the named queries with their grain and parameters.

    Example: armsledger query list
    """
    rows = [
        {
            "query": q.name,
            "parameters": ", ".join(f"{p.name}={p.default or '(required)'}" for p in q.params),
            "description": q.description,
        }
        for q in queries.catalog().values()
    ]
    _emit(pd.DataFrame(rows), fmt, output, title="Named queries")


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
) -> None:
    """Run a named query and print its rows (or write them to --output).

    Missing or unknown parameters and unknown queries exit with status 2.

    Example: armsledger query run arms_deals -p buyer=Peru --format csv
    """
    _get(name)
    try:
        frame = queries.run(name, **parse_params(param or []))
    except QueryError as exc:
        fail(str(exc))
    _emit(frame, fmt, output, title=name)
