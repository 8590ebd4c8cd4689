"""`armsledger db ...` driven through typer's CliRunner against a real database."""

import pytest
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from etl.cli import app
from etl.settings import libpq_url

runner = CliRunner()


@pytest.fixture
def env(db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("DATABASE_URL", libpq_url(db_url))
    return db_url


def test_db_url_prints_one_psql_line(env: str) -> None:
    result = runner.invoke(app, ["db", "url"])
    assert result.exit_code == 0
    assert result.output.strip() == libpq_url(env)
    assert result.output.count("\n") == 1


def test_db_status_names_revision(env: str) -> None:
    from alembic.script import ScriptDirectory

    from etl.commands.db import alembic_config

    head = ScriptDirectory.from_config(alembic_config(env)).get_current_head()
    result = runner.invoke(app, ["db", "status"])
    assert result.exit_code == 0, result.output
    assert "PostgreSQL" in result.output and f"schema revision: {head}" in result.output


def test_reset_asks_first_and_keeps_data_when_refused(env: str, engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO publishers (name) VALUES ('Reuters')"))
    refused = runner.invoke(app, ["db", "reset"], input="n\n")
    assert refused.exit_code != 0
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM publishers")).scalar_one() == 1
    done = runner.invoke(app, ["db", "reset", "--yes"])
    assert done.exit_code == 0, done.output
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM publishers")).scalar_one() == 0


def test_every_command_has_help_with_an_example() -> None:
    for args in (
        ["db", "start"],
        ["db", "stop"],
        ["db", "status"],
        ["db", "url"],
        ["db", "migrate"],
        ["db", "reset"],
        ["db", "backup"],
        ["db", "restore"],
        ["etl", "run"],
        ["demo"],
    ):
        result = runner.invoke(app, [*args, "--help"])
        assert result.exit_code == 0
        assert "Example:" in result.output, args


def test_db_url_leaves_a_password_out_unless_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://analyst:s3cret@db.example:5432/armsledger")
    hidden = runner.invoke(app, ["db", "url"])
    assert hidden.exit_code == 0
    assert "s3cret" not in hidden.output
    assert "postgresql://analyst@db.example:5432/armsledger" in hidden.output
    shown = runner.invoke(app, ["db", "url", "--with-password"])
    assert shown.output.strip() == "postgresql://analyst:s3cret@db.example:5432/armsledger"


def test_blank_database_url_means_the_embedded_default(monkeypatch: pytest.MonkeyPatch) -> None:
    from etl.settings import get_settings

    monkeypatch.setenv("DATABASE_URL", "  ")
    assert get_settings().database_url is None


def test_etl_run_on_an_unmigrated_database_says_what_to_do(
    postgresql_empty, monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    info = postgresql_empty.info
    monkeypatch.setenv("DATABASE_URL", f"postgresql://{info.user}@{info.host}:{info.port}/{info.dbname}")
    (tmp_path / "a.txt").write_text("Peru buys tanks\n\nLIMA (AP) - Peru bought tanks.\n")
    result = runner.invoke(app, ["etl", "run", str(tmp_path), "--no-progress"])
    assert result.exit_code == 2
    assert "armsledger db migrate` first" in result.output
