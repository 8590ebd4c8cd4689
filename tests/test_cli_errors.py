"""Every failure a user can cause prints one line naming the cause and the next step, with no
traceback and no password, and exits 2 (usage) or 1 (runtime); only `db start`, `db migrate` and
`demo` may create or start the embedded cluster."""

from __future__ import annotations

import errno
import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from etl.cli import app
from etl.errors import describe
from etl.settings import REPO_ROOT, libpq_url

runner = CliRunner()
SECRET = "hunter2-secret"
DB_COMMANDS = [
    ["db", "status"],
    ["db", "url"],
    ["db", "migrate"],
    ["db", "reset", "--yes"],
    ["db", "backup", "out.dump"],
    ["etl", "run", "."],
    ["query", "run", "arms_deals"],
    ["entities", "list"],
    ["export", "-f", "csv", "-o", "out"],
    ["demo"],
]


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def one_error_line(result, status: int) -> str:
    assert result.exit_code == status, result.output
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.output and SECRET not in result.output
    return lines[0]


@pytest.mark.parametrize("args", DB_COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_unreachable_server(args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    url = f"postgresql://analyst:{SECRET}@127.0.0.1:{closed_port()}/ledger"
    result = runner.invoke(app, args, env={"DATABASE_URL": url})
    if args == ["db", "url"]:  # prints the URL without touching the server, and without the password
        assert result.exit_code == 0 and SECRET not in result.output
        return
    line = one_error_line(result, 1)
    assert "cannot reach the database server at analyst@127.0.0.1" in line and "check DATABASE_URL" in line


@pytest.mark.parametrize("args", DB_COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_unparsable_url_is_a_usage_error(args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, args, env={"DATABASE_URL": "notaurl"})
    assert "DATABASE_URL is not a PostgreSQL URL" in one_error_line(result, 2)


def test_wrong_password_and_unknown_database(db_url: str) -> None:
    url = make_url(db_url)
    role = f"analyst_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(libpq_url(db_url), autocommit=True) as admin:
        admin.execute(f"CREATE ROLE {role} LOGIN PASSWORD 'right-one'")
    try:
        wrong = f"postgresql://{role}:{SECRET}@{url.host}:{url.port}/{url.database}"
        line = one_error_line(runner.invoke(app, ["query", "run", "arms_deals"], env={"DATABASE_URL": wrong}), 1)
        assert line.startswith(f"error: authentication failed for {role}@{url.host}")
    finally:
        with psycopg.connect(libpq_url(db_url), autocommit=True) as admin:
            admin.execute(f"DROP ROLE {role}")
    missing = f"postgresql://{url.username}@{url.host}:{url.port}/no_such_db"
    line = one_error_line(runner.invoke(app, ["entities", "list"], env={"DATABASE_URL": missing}), 1)
    assert "database 'no_such_db' does not exist" in line and "createdb no_such_db" in line


@pytest.mark.parametrize(
    "args", [["query", "run", "arms_deals"], ["entities", "list"], ["export", "-f", "csv", "-o", "OUT"]]
)
def test_unmigrated_database_says_to_migrate(args: list[str], postgresql_empty, tmp_path: Path) -> None:
    info = postgresql_empty.info
    env = {"DATABASE_URL": f"postgresql://{info.user}@{info.host}:{info.port}/{info.dbname}"}
    args = [str(tmp_path / "out") if a == "OUT" else a for a in args]
    result = runner.invoke(app, args, env=env)
    line = one_error_line(result, 2)
    assert "no schema yet" in line and "armsledger db migrate` first" in line
    assert "Wrote" not in result.output and not (tmp_path / "out").exists()


def test_schema_behind_names_both_revisions(db_url: str) -> None:
    with psycopg.connect(libpq_url(db_url), autocommit=True) as admin:
        admin.execute("UPDATE alembic_version SET version_num = '0001'")
    result = runner.invoke(app, ["query", "run", "arms_deals"], env={"DATABASE_URL": libpq_url(db_url)})
    line = one_error_line(result, 2)
    assert "at revision 0001" in line and "db migrate" in line
    status = runner.invoke(app, ["db", "status"], env={"DATABASE_URL": libpq_url(db_url)})
    assert "0001, behind" in status.output


def test_output_problems(db_url: str, tmp_path: Path) -> None:
    env = {"DATABASE_URL": libpq_url(db_url)}
    missing = runner.invoke(app, ["query", "run", "arms_deals", "-o", "/missing/dir/x.csv", "-f", "csv"], env=env)
    assert "folder /missing/dir does not exist" in one_error_line(missing, 2)
    folder = runner.invoke(app, ["query", "run", "arms_deals", "-f", "csv", "-o", str(tmp_path)], env=env)
    assert "is a folder" in one_error_line(folder, 2)
    if Path("/dev/full").exists():
        full = runner.invoke(app, ["query", "list", "-f", "csv", "-o", "/dev/full"], env=env)
        assert "disk full" in one_error_line(full, 1)


def test_os_errors_map_to_one_line() -> None:
    denied = describe(PermissionError(errno.EACCES, "Permission denied", "/srv/x.csv"))
    assert denied == ("permission denied: /srv/x.csv: choose a path you can write to or fix its permissions", 1)
    full = describe(OSError(errno.ENOSPC, "No space left on device", "/data/out.csv"))
    assert full == ("disk full while writing /data/out.csv: free some space and run again", 1)
    assert describe(ValueError("a bug")) is None  # unexpected errors are not dressed up as known ones


@pytest.mark.parametrize(
    "args",
    [["db", "status"], ["db", "url"], ["query", "run", "arms_deals"], ["entities", "list"], ["etl", "run", "."],
     ["export", "-f", "csv", "-o", "out"], ["db", "grant-reader", "bi"], ["db", "backup", "x.dump"]],
    ids=lambda a: " ".join(a[:2]),
)
def test_no_cluster_is_started_implicitly(args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    home = tmp_path / "home"
    result = runner.invoke(app, args, env={"ARMSLEDGER_HOME": str(home)}, input="pw\npw\n")
    assert result.exit_code == 1, result.output
    assert "armsledger db start`" in result.output and "Traceback" not in result.output
    assert not (home / "pgdata").exists() and not (home / "pgdata.location").exists()


def test_real_entry_point_one_line_and_debug_traceback(tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": f"postgresql://a:{SECRET}@127.0.0.1:{closed_port()}/x"}
    env.pop("ARMSLEDGER_DEBUG", None)
    cmd = [sys.executable, "-c", "from etl.cli import main; main()", "query", "run", "arms_deals"]
    plain = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=REPO_ROOT, check=False)
    assert plain.returncode == 1 and plain.stderr.count("\n") == 1 and SECRET not in plain.stderr
    debug = subprocess.run(
        [*cmd[:3], "--debug", *cmd[3:]], capture_output=True, text=True, env=env, cwd=REPO_ROOT, check=False
    )
    assert debug.returncode != 0 and "Traceback" in debug.stderr
