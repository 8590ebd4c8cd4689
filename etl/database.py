"""Which database to use: ``DATABASE_URL`` if set, else the embedded cluster.

Only the commands that may create or start the embedded cluster (``db start``, ``db migrate``,
``demo``) pass ``start=True``; every other command gets a one-line error saying how to start it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from etl.embedded import Cluster, find_bindir
from etl.errors import USAGE, UserError
from etl.settings import Settings, get_settings, sqlalchemy_url

if TYPE_CHECKING:
    from sqlalchemy import Engine

URL_SHAPE = re.compile(r"^postgres(?:ql)?(?:\+psycopg)?://[^\s]*$")
BAD_URL = "DATABASE_URL is not a PostgreSQL URL: use postgresql://USER:PASSWORD@HOST:5432/DBNAME (or unset it)"
NOT_RUNNING = "no embedded database is running in {home}: start it with `{cli} db start` (or set DATABASE_URL)"


def embedded_cluster(settings: Settings | None = None) -> Cluster:
    settings = settings or get_settings()
    return Cluster(settings.armsledger_home, find_bindir(settings.pg_bindir))


def database_url(settings: Settings | None = None, start: bool = False) -> str:
    """SQLAlchemy URL of the database. With the embedded cluster, ``start=True`` creates and starts
    it when needed; otherwise a cluster that is missing or stopped raises :class:`UserError`."""
    settings = settings or get_settings()
    if settings.database_url is not None:
        url = settings.database_url.get_secret_value()
        if not URL_SHAPE.match(url):
            raise UserError(BAD_URL, USAGE)
        return sqlalchemy_url(url)
    cluster = embedded_cluster(settings)
    if start:
        cluster.start()
    elif not cluster.is_running():
        from etl.hints import cli_name

        raise UserError(NOT_RUNNING.format(home=settings.armsledger_home, cli=cli_name()))
    return cluster.url()


@lru_cache(maxsize=4)
def _engine(url: str) -> Engine:
    from sqlalchemy import create_engine

    return create_engine(url, pool_pre_ping=True)


def get_engine(url: str | None = None) -> Engine:
    """A cached engine for ``url`` (default: the configured database, which must be running)."""
    return _engine(url or database_url())
