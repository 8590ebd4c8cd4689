"""`armsledger db backup FILE` / `db restore FILE`: pg_dump and pg_restore in custom format.

The tools come from the same Postgres binaries as the embedded cluster (PG_BINDIR, else the
newest installed). The password of DATABASE_URL is handed over in the PGPASSWORD environment
variable, never on the command line, so it shows in no process list and no output.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import typer

from etl import output as out
from etl.database import database_url
from etl.errors import USAGE, UserError
from etl.hints import command as hint


def _libpq_env(url: str) -> dict[str, str]:
    """The connection as libpq environment variables (password included, never in argv)."""
    from sqlalchemy import make_url

    parsed = make_url(url)
    env = {**os.environ, "PGHOST": parsed.host or "localhost", "PGPORT": str(parsed.port or 5432)}
    env["PGDATABASE"] = parsed.database or ""
    if parsed.username:
        env["PGUSER"] = parsed.username
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    for key, value in parsed.query.items():
        if key == "sslmode":
            env["PGSSLMODE"] = str(value)
    return env


def _tool(name: str) -> str:
    from etl.embedded import find_bindir
    from etl.settings import get_settings

    path = find_bindir(get_settings().pg_bindir) / name
    if not path.is_file():
        raise UserError(f"{name} not found next to initdb in {path.parent}: install postgresql-client")
    return str(path)


def _run(args: list[str], url: str) -> None:
    from etl.errors import connection_problem, mask

    done = subprocess.run(args, env=_libpq_env(url), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        lines = [ln for ln in (done.stderr or done.stdout).splitlines() if ln.strip()]
        reason = lines[0] if lines else f"exit status {done.returncode}"
        known = connection_problem(reason)
        raise UserError(mask(known[0]) if known else f"{Path(args[0]).name} failed: {mask(reason)}")


def dump(url: str, target: Path) -> None:
    """Write the database at ``url`` to ``target`` (pg_dump custom format)."""
    _run([_tool("pg_dump"), "--format=custom", "--no-password", f"--file={target}"], url)


def load(url: str, source: Path) -> None:
    """Replace the contents of the database at ``url`` with the dump ``source``, in one transaction."""
    args = [_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-acl", "--single-transaction"]
    _run([*args, "--exit-on-error", "--no-password", f"--dbname={_dbname(url)}", str(source)], url)


def _dbname(url: str) -> str:
    from sqlalchemy import make_url

    return make_url(url).database or ""


def backup(file: Path = typer.Argument(..., help="File to write (custom format, for `db restore`).")) -> None:
    """Back up the whole database to FILE with pg_dump (custom format).

    Example: armsledger db backup ledger-2026-12-04.dump
    """
    if file.is_dir():
        raise UserError(f"{file} is a folder: give a file name, e.g. {file / 'armsledger.dump'}", USAGE)
    if not file.parent.is_dir():
        raise UserError(f"folder {file.parent} does not exist: create it (`mkdir -p {file.parent}`) first", USAGE)
    dump(database_url(), file)
    size = file.stat().st_size
    out.console.print(
        f"Wrote a backup ({size / 1e6:.1f} MB) to {file}. Restore it with `{hint(f'db restore {file}')}`.",
        highlight=False,
        markup=False,
    )


def restore(
    file: Path = typer.Argument(..., help="A backup written by `armsledger db backup`."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation."),
) -> None:
    """Replace everything in the database with the backup FILE (pg_restore, one transaction).

    The analytics reader roles of this database are granted their views again afterwards.

    Example: armsledger db restore ledger-2026-12-04.dump --yes
    """
    from etl.commands.reader import regrant_readers
    from etl.settings import libpq_url

    if not file.is_file():
        raise UserError(f"no such backup file: {file}", USAGE)
    if not yes:
        typer.confirm("This replaces all data in the database with the backup. Continue?", abort=True)
    url = database_url()
    load(url, file)
    roles = regrant_readers(libpq_url(url))
    again = f"; reader roles granted again: {', '.join(roles)}" if roles else ""
    out.console.print(f"Restored {file}{again}.", highlight=False, markup=False)
