"""Running the query layer's commands (typer CliRunner) and query files (psql) in tests."""

from __future__ import annotations

import csv
import datetime as dt
import glob
import io
import shutil
import subprocess
from pathlib import Path

import typer
from typer.testing import CliRunner, Result

from etl.commands import query
from etl.commands.export import export
from etl.commands.reader import grant_reader
from etl.settings import libpq_url
from queries.catalog import QUERY_DIR

runner = CliRunner()


def root_app() -> typer.Typer:
    """The commands as etl/cli.py registers them: `query ...`, `db grant-reader`, `export`."""
    app = typer.Typer(pretty_exceptions_enable=False)
    app.add_typer(query.app, name="query")
    db = typer.Typer()
    db.command("grant-reader")(grant_reader)
    app.add_typer(db, name="db")
    app.command("export")(export)
    return app


def cli(url: str, *args: str, env: dict[str, str] | None = None, input: str | None = None) -> Result:
    """Run `armsledger ARGS` against the database at ``url`` (DATABASE_URL is read on each call)."""
    return runner.invoke(
        root_app(), list(args), env={"DATABASE_URL": libpq_url(url), **(env or {})}, input=input
    )


def psql_binary() -> str:
    found = shutil.which("psql") or next(iter(sorted(glob.glob("/usr/lib/postgresql/*/bin/psql"))), None)
    assert found, "psql not found"
    return found


def psql(url: str, name: str, /, **params: str) -> subprocess.CompletedProcess[str]:
    """``psql -v k=v ... -f queries/NAME.sql`` with CSV output."""
    variables = [arg for key, value in params.items() for arg in ("-v", f"{key}={value}")]
    return subprocess.run(
        [
            psql_binary(),
            "-X",
            "-q",
            "--csv",
            "-v",
            "ON_ERROR_STOP=1",
            *variables,
            "-d",
            libpq_url(url),
            "-f",
            str(Path(QUERY_DIR) / f"{name}.sql"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )


def _cell(value: str) -> str:
    """One spelling for values that psql and pandas print differently (booleans, timestamps)."""
    if value in ("t", "True"):
        return "true"
    if value in ("f", "False"):
        return "false"
    if len(value) >= 19 and value[4] == "-" and value[10] in " T" and value[13] == ":":
        try:
            return dt.datetime.fromisoformat(value).isoformat()
        except ValueError:
            return value
    return value


def rows(text: str) -> list[list[str]]:
    """CSV text as rows of normalized cells, header first."""
    return [[_cell(c) for c in row] for row in csv.reader(io.StringIO(text))]
