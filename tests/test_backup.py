"""`db backup` / `db restore`: a restored database equals the original, table by table."""

from __future__ import annotations

from pathlib import Path

import psycopg
from table_checksums import checksums
from typer.testing import CliRunner

from etl.cli import app
from etl.settings import libpq_url

runner = CliRunner()


def empty_url(conn: psycopg.Connection) -> str:
    info = conn.info
    return f"postgresql://{info.user}@{info.host}:{info.port}/{info.dbname}"


def test_backup_restores_into_a_fresh_database_with_equal_checksums(
    seeded_url: str, postgresql_empty: psycopg.Connection, tmp_path: Path
) -> None:
    dump = tmp_path / "ledger.dump"
    made = runner.invoke(app, ["db", "backup", str(dump)], env={"DATABASE_URL": libpq_url(seeded_url)})
    assert made.exit_code == 0, made.output
    assert dump.read_bytes().startswith(b"PGDMP")  # pg_dump's custom format
    assert "db restore" in made.output
    original = checksums(seeded_url)
    assert original["public.articles"][0] == 5 and original["public.mentions"][0] > 0

    target = empty_url(postgresql_empty)
    restored = runner.invoke(app, ["db", "restore", str(dump), "--yes"], env={"DATABASE_URL": target})
    assert restored.exit_code == 0, restored.output
    assert checksums(target) == original

    with psycopg.connect(target, autocommit=True) as conn:  # restoring again over changed data
        conn.execute("TRUNCATE articles CASCADE")
    assert checksums(target) != original
    again = runner.invoke(app, ["db", "restore", str(dump), "--yes"], env={"DATABASE_URL": target})
    assert again.exit_code == 0, again.output
    assert checksums(target) == original


def test_restore_asks_first_and_bad_files_fail_in_one_line(db_url: str, tmp_path: Path) -> None:
    env = {"DATABASE_URL": libpq_url(db_url)}
    junk = tmp_path / "junk.dump"
    junk.write_text("not a dump")
    refused = runner.invoke(app, ["db", "restore", str(junk)], env=env, input="n\n")
    assert refused.exit_code != 0
    failed = runner.invoke(app, ["db", "restore", str(junk), "--yes"], env=env)
    assert failed.exit_code == 1 and failed.stderr.startswith("error: pg_restore failed")
    assert failed.stderr.count("\n") == 1
    missing = runner.invoke(app, ["db", "backup", str(tmp_path / "no" / "x.dump")], env=env)
    assert missing.exit_code == 2 and "does not exist" in missing.stderr


def test_password_goes_to_pg_dump_by_environment_not_argv(monkeypatch, tmp_path: Path) -> None:
    import subprocess

    from etl.commands import backup

    calls = []
    real_run = subprocess.run

    def run(args, **kwargs):
        if "env" not in kwargs:  # finding the binaries (pg_config)
            return real_run(args, **kwargs)
        calls.append((args, kwargs["env"]))
        return subprocess.CompletedProcess(args, 0)

    monkeypatch.setattr(backup.subprocess, "run", run)
    backup.dump("postgresql+psycopg://analyst:s3cret@db.example:6543/ledger", tmp_path / "x.dump")
    backup.load("postgresql+psycopg://analyst:s3cret@db.example:6543/ledger", tmp_path / "x.dump")
    assert len(calls) == 2
    for args, env in calls:
        assert "s3cret" not in " ".join(args)
        assert env["PGPASSWORD"] == "s3cret" and env["PGHOST"] == "db.example" and env["PGPORT"] == "6543"
        assert env["PGUSER"] == "analyst" and env["PGDATABASE"] == "ledger"
