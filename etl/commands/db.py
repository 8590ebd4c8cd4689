"""`armsledger db ...`: the embedded cluster and migrations."""

from __future__ import annotations

import typer
from alembic.config import Config
from sqlalchemy import Connection, make_url, text

from alembic import command
from etl.database import database_url, embedded_cluster, get_engine
from etl.output import console, err_console
from etl.settings import REPO_ROOT, get_settings, libpq_url

app = typer.Typer(help="Manage the database: the embedded cluster and its schema.", no_args_is_help=True)


def alembic_config(url: str | None = None) -> Config:
    """Alembic config for this repository, bound to ``url`` (default: the configured database)."""
    config = Config(str(REPO_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(REPO_ROOT / "alembic"))
    config.set_main_option("sqlalchemy.url", (url or database_url()).replace("%", "%%"))
    config.attributes["configure_logger"] = False
    return config


def migrate(url: str | None = None) -> None:
    """Upgrade the schema to the newest revision."""
    command.upgrade(alembic_config(url), "head")


def schema_revision(conn: Connection) -> str | None:
    """The Alembic revision the database is at; None before the first migration."""
    if not conn.execute(text("SELECT to_regclass('public.alembic_version') IS NOT NULL")).scalar_one():
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _embedded_only(action: str) -> None:
    if get_settings().database_url is not None:
        console.print(f"DATABASE_URL is set: nothing to {action} (the embedded cluster is not used).")
        raise typer.Exit(0)


@app.command()
def start() -> None:
    """Create (once) and start the embedded cluster under $ARMSLEDGER_HOME.

    Example: armsledger db start
    """
    _embedded_only("start")
    cluster = embedded_cluster()
    started = cluster.start()
    state = "started" if started else "already running"
    console.print(f"Embedded Postgres {state} on 127.0.0.1:{cluster.port} (data in {cluster.data_dir}).")


@app.command()
def stop() -> None:
    """Stop the embedded cluster.

    Example: armsledger db stop
    """
    _embedded_only("stop")
    stopped = embedded_cluster().stop()
    console.print("Embedded Postgres stopped." if stopped else "Embedded Postgres was not running.")


@app.command()
def status() -> None:
    """Say which database is used, whether it answers, and its schema revision.

    Example: armsledger db status
    """
    settings = get_settings()
    if settings.database_url is None:
        cluster = embedded_cluster(settings)
        running = cluster.is_running()
        console.print(f"database: embedded cluster in {cluster.data_dir} ({'running' if running else 'stopped'})")
        if not running:
            raise typer.Exit(1)
    else:
        console.print("database: DATABASE_URL")
    with get_engine(database_url(start=False)).connect() as conn:
        version = conn.execute(text("SHOW server_version")).scalar_one()
        revision = schema_revision(conn)
    console.print(f"server: PostgreSQL {version}")
    console.print(f"schema revision: {revision or 'none (run `armsledger db migrate`)'}")


@app.command()
def url(
    with_password: bool = typer.Option(
        False, "--with-password", help="Include the password of DATABASE_URL (it is left out by default)."
    ),
) -> None:
    """Print the database URL as one line that psql accepts. A password in DATABASE_URL is left
    out unless asked for, so it does not end up in terminals and logs; psql then reads it from
    PGPASSWORD or ~/.pgpass.

    Example: psql "$(armsledger db url)" -c 'select count(*) from articles'
    """
    parsed = make_url(database_url())
    if parsed.password and not with_password:
        err_console.print("note: password left out (use --with-password, or PGPASSWORD / ~/.pgpass for psql)")
        parsed = parsed._replace(password=None)  # URL.set() ignores None
    typer.echo(libpq_url(parsed.render_as_string(hide_password=False)))


@app.command("migrate")
def migrate_command() -> None:
    """Run the Alembic migrations up to the newest revision (alembic upgrade head).

    Example: armsledger db migrate
    """
    migrate()
    console.print("Schema is at the newest revision.")


@app.command()
def reset(yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation.")) -> None:
    """Drop every table and view, then migrate again from scratch.

    Example: armsledger db reset --yes
    """
    if not yes:
        typer.confirm("This deletes all data in the database. Continue?", abort=True)
    config = alembic_config()
    command.downgrade(config, "base")
    command.upgrade(config, "head")
    console.print("Database reset to an empty, migrated schema.")
