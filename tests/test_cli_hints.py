"""Hints that work as printed: commands in "Next:" and error lines run in a fresh shell (the venv
not activated), and `demo` says where the server runs and how to stop it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from typer.testing import CliRunner

from etl.cli import app
from etl.commands.etl_run import _where_and_next
from etl.settings import REPO_ROOT, libpq_url

SCRIPT = Path(sys.executable).parent / "armsledger"
FRESH_PATH = "/usr/local/bin:/usr/bin:/bin"  # a new shell: the venv's bin folder is not on PATH


def fresh_shell(command: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "DATABASE_URL")}
    return subprocess.run(
        ["bash", "-c", command], cwd=cwd, capture_output=True, text=True, check=False,
        env={**clean, "PATH": FRESH_PATH, **env},
    )  # fmt: skip


@pytest.mark.skipif(not SCRIPT.exists(), reason="needs the installed `armsledger` script")
def test_a_printed_hint_runs_as_shown_in_a_fresh_shell(tmp_path: Path) -> None:
    home = tmp_path / "home"
    first = fresh_shell(f"{SCRIPT.relative_to(REPO_ROOT)} db status", REPO_ROOT, ARMSLEDGER_HOME=str(home))
    assert first.returncode == 1
    hinted = re.search(r"start it with `([^`]+)`", first.stdout + first.stderr)
    assert hinted, first.stdout + first.stderr
    command = hinted.group(1)
    assert command.endswith("armsledger db start") and command != "armsledger db start"
    runs = fresh_shell(command.replace("db start", "--help"), REPO_ROOT)
    assert runs.returncode == 0 and "Usage" in runs.stdout


def test_demo_next_lines_and_where_the_server_runs(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with psycopg.connect(libpq_url(db_url)) as conn:  # the test session's own embedded cluster
        data_dir = Path(conn.execute("SHOW data_directory").fetchone()[0])
        port = conn.info.port
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("ARMSLEDGER_HOME", str(data_dir.parent))
    where, *next_lines = _where_and_next()
    assert f"running on 127.0.0.1:{port}" in where and str(data_dir) in where
    assert where.endswith("db stop`.")
    commands = [line.strip() for line in next_lines[1:]]
    assert commands[0].endswith("armsledger query run arms_deals")
    assert commands[-1].startswith('psql "$(') and commands[-1].endswith('db url)"')


def test_demo_against_database_url_says_no_server_was_started(db_url: str) -> None:
    result = CliRunner().invoke(app, ["demo"], env={"DATABASE_URL": libpq_url(db_url), "COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    assert "Database: DATABASE_URL (no server was started)." in result.output
    assert "armsledger query run arms_deals" in result.output
