"""`armsledger --help`, `query list` and `db status` start fast because the CLI's entry module
imports no heavy library; the commands import them where they are used."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from etl.settings import REPO_ROOT

HEAVY = ("pandas", "followthemoney", "alembic", "trafilatura", "dateparser", "sqlalchemy", "pyarrow",
         "rich.progress", "psycopg", "etl.pipeline", "etl.transform", "etl.export")  # fmt: skip
PROBE = """
import json, sys
from typer.testing import CliRunner
import etl.cli
after_import = sorted(sys.modules)
result = CliRunner().invoke(etl.cli.app, sys.argv[1:])
print(json.dumps({"import": after_import, "run": sorted(sys.modules), "code": result.exit_code}))
"""


def loaded(*args: str, env: dict[str, str] | None = None) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, cwd=REPO_ROOT, check=True, env=env
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def heavy(modules: list[str]) -> list[str]:
    return sorted({m for m in modules for h in HEAVY if m == h or m.startswith(h + ".")})


def test_importing_the_cli_loads_no_heavy_module() -> None:
    assert heavy(loaded("--help")["import"]) == []


@pytest.mark.parametrize("args", [["--help"], ["query", "list"], ["query", "list", "-f", "csv"], ["db", "--help"]])
def test_fast_commands_load_no_heavy_module(args: list[str]) -> None:
    seen = loaded(*args)
    assert seen["code"] == 0
    assert heavy(seen["run"]) == []


def test_db_status_needs_only_the_database_driver(tmp_path) -> None:
    import os

    env = {**os.environ, "ARMSLEDGER_HOME": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    seen = loaded("db", "status", env=env)
    assert seen["code"] == 1  # no cluster there: says how to start one
    assert heavy(seen["run"]) == []  # and with a cluster, only psycopg is added (not SQLAlchemy)
