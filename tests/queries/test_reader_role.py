"""`armsledger db grant-reader ROLE`: a login role that reads every analytics view and changes nothing."""

import uuid
from collections.abc import Iterator

import psycopg
import pytest
from cli_helpers import cli
from sample_facts import load_sample
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from etl.settings import libpq_url

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def role(db_url: str) -> Iterator[str]:
    """A fresh role name; the role (cluster-wide) is dropped afterwards."""
    name = f"reader_{uuid.uuid4().hex[:8]}"
    yield name
    with psycopg.connect(libpq_url(db_url), autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone():
            conn.execute(psycopg.sql.SQL("DROP OWNED BY {}").format(psycopg.sql.Identifier(name)))
            conn.execute(psycopg.sql.SQL("DROP ROLE {}").format(psycopg.sql.Identifier(name)))


def as_role(db_url: str, role: str, password: str = PASSWORD) -> psycopg.Connection:
    """Connect as ``role``; the embedded cluster asks every role but the owner for its password."""
    url = make_url(db_url)
    return psycopg.connect(
        host=url.host, port=url.port, dbname=url.database, user=role, password=password, autocommit=True
    )


def test_reader_can_read_every_view_and_change_nothing(engine: Engine, db_url: str, role: str) -> None:
    load_sample(engine)
    result = cli(db_url, "db", "grant-reader", role, env={"ARMSLEDGER_READER_PASSWORD": PASSWORD})
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output

    with psycopg.connect(libpq_url(db_url)) as admin:
        login, secret = admin.execute(
            "SELECT rolcanlogin, rolpassword FROM pg_authid WHERE rolname = %s", (role,)
        ).fetchone()
        views = [v for (v,) in admin.execute("SELECT viewname FROM pg_views WHERE schemaname = 'analytics'")]
    assert login is True
    assert secret.startswith("SCRAM-SHA-256$") and PASSWORD not in secret

    with as_role(db_url, role) as conn:
        assert len(views) >= 16
        for view in views:
            conn.execute(
                psycopg.sql.SQL("SELECT * FROM analytics.{}").format(psycopg.sql.Identifier(view))
            ).fetchall()
        assert conn.execute("SELECT count(*) FROM analytics.deals").fetchone() == (1,)
        forbidden = [
            "SELECT * FROM public.articles",
            "INSERT INTO public.articles (source_path, source_file, body, content_hash, word_count, "
            "extractor_version) VALUES ('x', 'x', 'x', 'x', 1, 'x')",
            "DELETE FROM public.deals",
            "CREATE TABLE public.sneaky (i int)",
            "CREATE TABLE analytics.sneaky (i int)",
            "CREATE VIEW analytics.sneaky AS SELECT 1",
            "INSERT INTO analytics.rejected_inputs (path, reason, run_id) VALUES ('x', 'x', 1)",
            "UPDATE analytics.articles SET title = 'x'",
            "CREATE TEMP TABLE sneaky (i int)",
            "CREATE SCHEMA sneaky",
        ]
        for statement in forbidden:
            for read_only in ("on", "off"):  # even after turning the read-only default off
                conn.execute(f"SET default_transaction_read_only = {read_only}")
                with pytest.raises(psycopg.errors.Error):
                    conn.execute(statement)
    with psycopg.connect(libpq_url(db_url)) as admin:
        assert admin.execute("SELECT count(*) FROM deals").fetchone() == (1,)


def test_views_created_later_are_readable_too(engine: Engine, db_url: str, role: str) -> None:
    assert (
        cli(db_url, "db", "grant-reader", role, env={"ARMSLEDGER_READER_PASSWORD": PASSWORD}).exit_code == 0
    )
    with psycopg.connect(libpq_url(db_url)) as admin:
        admin.execute("CREATE VIEW analytics.later AS SELECT 1 AS one")
    with as_role(db_url, role) as conn:
        assert conn.execute("SELECT one FROM analytics.later").fetchone() == (1,)
    with psycopg.connect(libpq_url(db_url)) as admin:
        admin.execute("DROP VIEW analytics.later")


def test_rerun_updates_the_role_and_password_comes_from_a_hidden_prompt(db_url: str, role: str) -> None:
    typed = "prompted-secret-1"
    first = cli(
        db_url, "db", "grant-reader", role, "--password-env", "NO_SUCH_VAR", input=f"{typed}\n{typed}\n"
    )
    assert first.exit_code == 0, first.output
    assert "Password for" in first.output and typed not in first.output
    with psycopg.connect(libpq_url(db_url)) as admin:
        before = admin.execute("SELECT rolpassword FROM pg_authid WHERE rolname = %s", (role,)).fetchone()
    second = cli(
        db_url, "db", "grant-reader", role, "--password-env", "MY_VAR", env={"MY_VAR": "another-secret-2"}
    )
    assert second.exit_code == 0, second.output
    with psycopg.connect(libpq_url(db_url)) as admin:
        after = admin.execute("SELECT rolpassword FROM pg_authid WHERE rolname = %s", (role,)).fetchone()
    assert before != after


@pytest.mark.parametrize("bad", ["Robert'); DROP TABLE articles;--", "pg_monitor", "public", "UPPER", "a b"])
def test_invalid_role_names_are_refused(db_url: str, bad: str) -> None:
    result = cli(db_url, "db", "grant-reader", bad, env={"ARMSLEDGER_READER_PASSWORD": PASSWORD})
    assert result.exit_code == 2
    assert result.stderr.startswith("error: invalid role name")


def test_privileged_roles_are_refused(db_url: str) -> None:
    owner = make_url(db_url).username
    result = cli(db_url, "db", "grant-reader", owner, env={"ARMSLEDGER_READER_PASSWORD": PASSWORD})
    assert result.exit_code == 2
    assert "privileged or is the current user" in result.stderr
    with psycopg.connect(libpq_url(db_url)) as admin:
        assert admin.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").fetchone() == (
            True,
        )
