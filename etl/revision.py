"""Is the database's schema the one this code needs? Read without importing Alembic."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from etl.errors import USAGE, UserError
from etl.settings import REPO_ROOT

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

VERSIONS = REPO_ROOT / "alembic" / "versions"
_ASSIGN = re.compile(r"^(revision|down_revision)\b[^=]*=\s*(.+)$", re.M)


@lru_cache(maxsize=1)
def head_revision() -> str:
    """The newest revision in alembic/versions (the one no other revision builds on)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in VERSIONS.glob("*.py"):
        for key, value in _ASSIGN.findall(path.read_text(encoding="utf-8")):
            ids = re.findall(r"['\"]([^'\"]+)['\"]", value)
            (revisions if key == "revision" else parents).update(ids)
    heads = sorted(revisions - parents)
    return heads[-1] if heads else ""


def schema_revision(conn: Connection) -> str | None:
    """The Alembic revision the database is at; None before the first migration."""
    from sqlalchemy import text

    if not conn.execute(text("SELECT to_regclass('public.alembic_version') IS NOT NULL")).scalar_one():
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def require_current_schema(bind: Engine | Connection) -> None:
    """Raise :class:`UserError` unless the database is migrated to the newest revision."""
    from sqlalchemy import Engine

    from etl.hints import cli_name

    if isinstance(bind, Engine):
        with bind.connect() as conn:
            current = schema_revision(conn)
    else:
        current = schema_revision(bind)
    head = head_revision()
    migrate = f"run `{cli_name()} db migrate`"
    if current is None:
        raise UserError(f"the database has no schema yet: {migrate} first", USAGE)
    if current != head:
        raise UserError(f"the database schema is at revision {current}, this version needs {head}: {migrate}", USAGE)
