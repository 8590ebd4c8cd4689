"""Alembic environment: URL from the app's settings, timeouts, an advisory lock, one transaction
per migration."""

from logging.config import fileConfig

from sqlalchemy import Connection, Engine, create_engine, pool, text

from alembic import context
from etl.database import database_url
from models import Base

config = context.config
if config.config_file_name and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = Base.metadata
MIGRATION_LOCK = 7_242_011  # pg_advisory_lock key: one migrator at a time


def _include_object(obj, name, type_, reflected, compare_to) -> bool:
    # Views live in the `analytics` schema and are managed by hand-written revisions.
    return not (type_ == "table" and getattr(obj, "schema", None) == "analytics")


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        compare_type=True,
        compare_server_default=True,
        transaction_per_migration=True,
        include_object=_include_object,
    )


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url") or database_url(start=False),
        target_metadata=target_metadata,
        literal_binds=True,
        transaction_per_migration=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _run_locked(engine: Engine) -> None:
    with engine.connect() as connection:
        connection.execute(text("SET lock_timeout = '10s'"))
        connection.execute(text("SELECT pg_advisory_lock(:k)"), {"k": MIGRATION_LOCK})
        connection.commit()
        try:
            _configure(connection)
            with context.begin_transaction():
                context.run_migrations()
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": MIGRATION_LOCK})
            connection.commit()


def run_migrations_online() -> None:
    given = config.attributes.get("connection")  # pytest-alembic hands over an Engine or Connection
    if isinstance(given, Engine):
        _run_locked(given)
    elif given is not None:  # a Connection, or pytest-alembic's wrapper around one
        _configure(given)
        with context.begin_transaction():
            context.run_migrations()
    else:
        url = config.get_main_option("sqlalchemy.url") or database_url()
        _run_locked(create_engine(url, poolclass=pool.NullPool))


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
