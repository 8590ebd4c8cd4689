"""Security: bound parameters (injection strings change nothing and leak no SQL), password
authentication in the embedded cluster, readers kept to their own database and kept across
`db reset`."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import psycopg
import pytest
from psycopg import sql
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from table_checksums import checksums
from typer.testing import CliRunner

import queries
from etl.cli import app
from etl.commands.reader import make_reader
from etl.settings import libpq_url

runner = CliRunner()
PASSWORD = "a-long-reader-secret"
INJECTIONS = [
    "zq' OR '1'='1",
    "zq'; DROP TABLE articles; --",
    "zq'); DELETE FROM deals; --",
    "zq\\'; SELECT pg_sleep(0); --",
    "zq%(buyer)s",
    "zq$1",
    "zq:'buyer'",
    "zq' UNION SELECT usename, passwd FROM pg_shadow --",
]
TEXT_PARAMS = [  # the paging limit is text in SQL but validated as a number or 'all' (tests below)
    (q.name, p.name) for q in queries.catalog().values() for p in q.params if p.type == "text" and p.name != "limit"
]
# `limit` is text (a number or "all") cast to bigint in SQL: anything else is refused, not run.
LIMIT_QUERIES = [q.name for q in queries.catalog().values() if q.param("limit")]


@pytest.fixture
def role(db_url: str) -> Iterator[str]:
    name = f"sec_{uuid.uuid4().hex[:8]}"
    yield name
    with psycopg.connect(libpq_url(db_url), autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone():
            conn.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(name)))
            conn.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(name)))


def connect_as(db_url: str, role: str, password: str | None, dbname: str | None = None) -> psycopg.Connection:
    url = make_url(db_url)
    return psycopg.connect(
        host=url.host, port=url.port, dbname=dbname or url.database, user=role, password=password, autocommit=True
    )


@pytest.mark.parametrize(("query", "param"), TEXT_PARAMS)
def test_injection_through_cli_and_python_api_adds_no_rows_and_changes_nothing(
    seeded_url: str, seeded_engine: Engine, query: str, param: str
) -> None:
    before = checksums(seeded_url)
    env = {"DATABASE_URL": libpq_url(seeded_url)}
    baseline = len(queries.run(query, seeded_engine, **{param: "zq"}))
    for injection in INJECTIONS:
        frame = queries.run(query, seeded_engine, **{param: injection})
        assert len(frame) == baseline, (query, injection)
        result = runner.invoke(app, ["query", "run", query, "-p", f"{param}={injection}", "-f", "csv"], env=env)
        assert result.exit_code == 0, result.output
        assert len(result.stdout.strip().splitlines()) == baseline + 1
        assert "pg_shadow" not in result.stdout
    assert checksums(seeded_url) == before


@pytest.mark.parametrize("query", LIMIT_QUERIES)
def test_injection_through_limit_is_refused_and_changes_nothing(
    seeded_url: str, seeded_engine: Engine, query: str
) -> None:
    before = checksums(seeded_url)
    env = {"DATABASE_URL": libpq_url(seeded_url)}
    required = {p.name: "Peru" for p in queries.get(query).params if p.default is None}  # entity_profile's name
    for injection in INJECTIONS:
        with pytest.raises(queries.QueryError, match="limit must be a positive integer or all"):
            queries.run(query, seeded_engine, limit=injection, **required)
        options = [arg for name, value in required.items() for arg in ("-p", f"{name}={value}")]
        result = runner.invoke(
            app, ["query", "run", query, *options, "-p", f"limit={injection}", "-f", "csv"], env=env
        )
        assert result.exit_code != 0
        assert "pg_shadow" not in result.stdout
    assert checksums(seeded_url) == before


@pytest.mark.parametrize("value", ["1 OR 1=1", "1; DROP TABLE articles", "1) UNION SELECT 1 --"])
def test_typed_parameters_refuse_injection_without_showing_sql(seeded_url: str, value: str) -> None:
    result = runner.invoke(
        app, ["query", "run", "co_mentions", "-p", f"min_articles={value}"], env={"DATABASE_URL": libpq_url(seeded_url)}
    )
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "min_articles must be int" in lines[0]
    own_words = lines[0].replace(value, "").lower()  # the message may quote the value, never the query
    assert not any(word in own_words for word in ("select ", " from ", "where ", "analytics.", "%("))
    with pytest.raises(queries.QueryError) as caught:
        queries.run("co_mentions", min_articles=value)
    assert "analytics." not in str(caught.value) and "select " not in str(caught.value).replace(value, "").lower()


def test_embedded_cluster_asks_every_role_but_the_owner_for_its_password(db_url: str, role: str) -> None:
    with psycopg.connect(libpq_url(db_url), autocommit=True) as admin:
        data_dir = admin.execute("SHOW data_directory").fetchone()[0]
        hba_file = admin.execute("SHOW hba_file").fetchone()[0]
        admin.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(sql.Identifier(role), sql.Literal(PASSWORD)))
        rules = admin.execute("SELECT user_name, auth_method FROM pg_hba_file_rules WHERE type = 'host'").fetchall()
    assert data_dir and hba_file.endswith("pg_hba.conf")
    assert rules == [(["armsledger"], "trust"), (["all"], "scram-sha-256")]
    with pytest.raises(psycopg.OperationalError, match="no password supplied"):
        connect_as(db_url, role, None)
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        connect_as(db_url, role, "wrong")
    with connect_as(db_url, role, PASSWORD) as conn:
        assert conn.execute("SELECT current_user").fetchone() == (role,)


def test_reader_cannot_connect_to_other_databases_of_the_embedded_cluster(db_url: str, role: str) -> None:
    assert make_reader(libpq_url(db_url), role, PASSWORD, lock_other_databases=True) > 0
    with connect_as(db_url, role, PASSWORD) as conn:
        assert conn.execute("SELECT count(*) FROM analytics.articles").fetchone() == (0,)
    for other in ("postgres", "template1"):
        with pytest.raises(psycopg.OperationalError, match=r"permission denied for database|CONNECT privilege"):
            connect_as(db_url, role, PASSWORD, dbname=other)


def test_reset_warns_about_and_regrants_reader_roles(db_url: str, role: str) -> None:
    env = {"DATABASE_URL": libpq_url(db_url), "ARMSLEDGER_READER_PASSWORD": PASSWORD}
    granted = runner.invoke(app, ["db", "grant-reader", role], env=env)
    assert granted.exit_code == 0, granted.output
    assert PASSWORD not in granted.output and f"user {role}" in granted.output
    reset = runner.invoke(app, ["db", "reset", "--yes"], env=env)
    assert reset.exit_code == 0, reset.output
    assert f"reader role(s) {role} lose their access" in reset.stderr
    assert f"granted again: {role}" in reset.stdout
    with connect_as(db_url, role, PASSWORD) as conn:
        assert conn.execute("SELECT count(*) FROM analytics.deals").fetchone() == (0,)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT * FROM public.articles")


@pytest.mark.parametrize("value", ["1 OR 1=1", "1; DROP TABLE articles", "all; --", "zq' UNION SELECT 1 --"])
def test_the_paging_limit_refuses_anything_but_digits_or_all(seeded_url: str, value: str) -> None:
    result = runner.invoke(
        app, ["query", "run", "articles", "-p", f"limit={value}"], env={"DATABASE_URL": libpq_url(seeded_url)}
    )
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "limit must be a positive integer or all" in lines[0]
