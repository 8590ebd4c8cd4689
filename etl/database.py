"""Which database to use: ``DATABASE_URL`` if set, else the embedded cluster."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import Engine, create_engine

from etl.embedded import Cluster, find_bindir
from etl.settings import Settings, get_settings, sqlalchemy_url


def embedded_cluster(settings: Settings | None = None) -> Cluster:
    settings = settings or get_settings()
    return Cluster(settings.armsledger_home, find_bindir(settings.pg_bindir))


def database_url(settings: Settings | None = None, start: bool = True) -> str:
    """SQLAlchemy URL of the database; starts the embedded cluster when it is the one used."""
    settings = settings or get_settings()
    if settings.database_url is not None:
        return sqlalchemy_url(settings.database_url.get_secret_value())
    cluster = embedded_cluster(settings)
    if start:
        cluster.start()
    return cluster.url()


@lru_cache(maxsize=4)
def _engine(url: str) -> Engine:
    return create_engine(url, pool_pre_ping=True)


def get_engine(url: str | None = None) -> Engine:
    """A cached engine for ``url`` (default: the configured database)."""
    return _engine(url or database_url())
