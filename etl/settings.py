"""Settings shared by the CLI, the ETL and Alembic: read from the environment at each call.

Three variables, read with the standard library so that every command starts fast:
``DATABASE_URL`` (wins when set and not blank), ``ARMSLEDGER_HOME`` (the embedded cluster's
folder, default ``.armsledger``) and ``PG_BINDIR`` (the Postgres binaries to use).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


class SecretStr:
    """A string that never shows in reprs, logs or tracebacks; ``get_secret_value()`` reveals it."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def get_secret_value(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "SecretStr('**********')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SecretStr) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


@dataclass(frozen=True)
class Settings:
    """``DATABASE_URL`` wins; without it the embedded cluster under ``ARMSLEDGER_HOME`` is used."""

    database_url: SecretStr | None = None
    armsledger_home: Path = Path(".armsledger")
    pg_bindir: Path | None = None


def _env(name: str) -> str | None:
    # `DATABASE_URL=` (as compose and .env files often leave it) means "not set".
    value = os.environ.get(name)
    return value if value is not None and value.strip() else None


def get_settings() -> Settings:
    """Settings as the environment says now."""
    url, home, bindir = _env("DATABASE_URL"), _env("ARMSLEDGER_HOME"), _env("PG_BINDIR")
    return Settings(
        database_url=SecretStr(url.strip()) if url else None,
        armsledger_home=Path(home) if home else Path(".armsledger"),
        pg_bindir=Path(bindir) if bindir else None,
    )


def sqlalchemy_url(url: str) -> str:
    """Make a libpq-style URL use the psycopg 3 driver."""
    for prefix in ("postgresql+psycopg://", "postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def libpq_url(url: str) -> str:
    """Make a SQLAlchemy URL one that psql accepts."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)
