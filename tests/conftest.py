"""Database fixtures: one throwaway Postgres cluster per test session (pytest-postgresql on top of
the same embedded-cluster code the CLI uses, so it works as root and as a normal user), a template
database built by running the Alembic migrations, and a fresh copy of it for each test."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from pytest_postgresql import factories
from pytest_postgresql.janitor import DatabaseJanitor
from sqlalchemy import Engine, create_engine, pool

from etl.commands.db import migrate
from etl.embedded import SUPERUSER, Cluster, find_bindir
from etl.settings import REPO_ROOT

SEEDS = REPO_ROOT / "data" / "seeds"
_cluster: Cluster | None = None


def pytest_configure(config: pytest.Config) -> None:
    """Start the session's throwaway cluster and point pytest-postgresql at it."""
    global _cluster
    if hasattr(config, "workerinput") or _cluster is not None:
        return
    home = Path(tempfile.mkdtemp(prefix="armsledger-test-"))
    if os.geteuid() == 0:
        home.chmod(0o755)
    _cluster = Cluster(home, find_bindir(os.environ.get("PG_BINDIR") and Path(os.environ["PG_BINDIR"])))
    _cluster.start()
    config.option.postgresql_host = "127.0.0.1"
    config.option.postgresql_port = _cluster.port
    config.option.postgresql_user = SUPERUSER
    config.option.postgresql_password = ""
    config.option.postgresql_dbname = "tests"


def pytest_unconfigure(config: pytest.Config) -> None:
    if _cluster is not None:
        _cluster.destroy()
        shutil.rmtree(_cluster.home, ignore_errors=True)  # the session's own temporary home


def url_for(dbname: str) -> str:
    assert _cluster is not None
    return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{_cluster.port}/{dbname}"


def load_migrations(
    host: str, port: int, user: str, dbname: str, password: str | None = None, **_: object
) -> None:
    """pytest-postgresql loader: build the template database by running the migrations."""
    migrate(url_for(dbname))


migrated_server = factories.postgresql_noproc(load=[load_migrations])
empty_server = factories.postgresql_noproc(dbname="empty")
postgresql = factories.postgresql("migrated_server")
postgresql_empty = factories.postgresql("empty_server")


@pytest.fixture
def db_url(postgresql: psycopg.Connection) -> str:
    """URL of a fresh, migrated database for this test."""
    return url_for(postgresql.info.dbname)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = create_engine(db_url, poolclass=pool.NullPool)
    yield eng
    eng.dispose()


@pytest.fixture
def alembic_engine(postgresql_empty: psycopg.Connection) -> Iterator[Engine]:
    """pytest-alembic runs its checks against an empty database."""
    eng = create_engine(url_for(postgresql_empty.info.dbname), poolclass=pool.NullPool)
    yield eng
    eng.dispose()


@pytest.fixture
def alembic_config() -> dict:
    return {"file": str(REPO_ROOT / "alembic.ini"), "script_location": str(REPO_ROOT / "alembic")}


@pytest.fixture(scope="session")
def seeded_url(migrated_server) -> Iterator[str]:
    """A migrated database with the seed corpus loaded once, shared read-only by many tests."""
    from etl.pipeline import run_pipeline

    janitor = DatabaseJanitor(
        user=migrated_server.user,
        host=migrated_server.host,
        port=migrated_server.port,
        dbname="seeded",
        template_dbname=migrated_server.template_dbname,
        password=migrated_server.password,
    )
    with janitor:
        url = url_for("seeded")
        eng = create_engine(url, poolclass=pool.NullPool)
        run_pipeline([SEEDS], manifest=SEEDS / "manifest.csv", engine=eng, progress=False)
        eng.dispose()
        yield url


@pytest.fixture(scope="session")
def seeded_engine(seeded_url: str) -> Iterator[Engine]:
    eng = create_engine(seeded_url, poolclass=pool.NullPool)
    yield eng
    eng.dispose()
