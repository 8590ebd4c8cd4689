"""Settings shared by the CLI, the ETL and Alembic: read from the environment."""

from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[1]


class Settings(BaseSettings):
    """``DATABASE_URL`` wins; without it the embedded cluster under ``ARMSLEDGER_HOME`` is used."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore")

    database_url: SecretStr | None = Field(default=None, alias="DATABASE_URL")
    armsledger_home: Path = Field(default=Path(".armsledger"), alias="ARMSLEDGER_HOME")
    pg_bindir: Path | None = Field(default=None, alias="PG_BINDIR")

    @field_validator("database_url", "pg_bindir", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        # `DATABASE_URL=` (as compose and .env files often leave it) means "not set".
        return None if isinstance(value, str) and not value.strip() else value


def get_settings() -> Settings:
    """Settings as the environment says now."""
    return Settings()


def sqlalchemy_url(url: str) -> str:
    """Make a libpq-style URL use the psycopg 3 driver."""
    for prefix in ("postgresql+psycopg://", "postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def libpq_url(url: str) -> str:
    """Make a SQLAlchemy URL one that psql accepts."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)
