"""`armsledger db ...`: the embedded cluster and migrations."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from etl import output as out
from etl.database import database_url, embedded_cluster
from etl.hints import command as hint
from etl.revision import head_revision, schema_revision
from etl.settings import REPO_ROOT, get_settings, libpq_url

if TYPE_CHECKING:
    from alembic.config import Config

app = typer.Typer(help="Manage the database: the embedded cluster and its schema.", no_args_is_help=True)
__all__ = ["alembic_config", "app", "migrate", "schema_revision"]


def alembic_config(url: str | None = None) -> Config:
    """Alembic config for this repository, bound to ``url`` (default: the configured database)."""
    from alembic.config import Config

    config = Config(str(REPO_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(REPO_ROOT / "alembic"))
    config.set_main_option("sqlalchemy.url", (url or database_url()).replace("%", "%%"))
    config.attributes["configure_logger"] = False
    return config


def migrate(url: str | None = None) -> None:
    """Upgrade the schema to the newest revision (starting the embedded cluster if it is used)."""
    from alembic import command

    command.upgrade(alembic_config(url or database_url(start=True)), "head")


def _embedded_only(action: str) -> None:
    if get_settings().database_url is not None:
        out.console.print(f"DATABASE_URL is set: nothing to {action} (the embedded cluster is not used).")
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
    out.console.print(
        f"Embedded Postgres {state} on 127.0.0.1:{cluster.port} (data in {cluster.data_dir}); "
        f"stop it with `{hint('db stop')}`.",
        highlight=False,
    )


@app.command()
def stop() -> None:
    """Stop the embedded cluster.

    Example: armsledger db stop
    """
    _embedded_only("stop")
    stopped = embedded_cluster().stop()
    out.console.print("Embedded Postgres stopped." if stopped else "Embedded Postgres was not running.")


@app.command()
def status() -> None:
    """Say which database is used, whether it answers, and its schema revision.

    Example: armsledger db status
    """
    settings = get_settings()
    if settings.database_url is None:
        cluster = embedded_cluster(settings)
        running = cluster.is_running()
        where = f"127.0.0.1:{cluster.port}, " if running else ""
        state = "running" if running else f"stopped: start it with `{hint('db start')}`"
        out.console.print(f"database: embedded cluster ({where}data in {cluster.data_dir}), {state}")
        if not running:
            raise typer.Exit(1)
    else:
        from etl.errors import target

        out.console.print(f"database: DATABASE_URL ({target()})", highlight=False)
    import psycopg  # not SQLAlchemy: `db status` must answer fast

    with psycopg.connect(libpq_url(database_url()), connect_timeout=10) as conn:
        version = conn.execute("SHOW server_version").fetchone()[0]
        has_table = conn.execute("SELECT to_regclass('public.alembic_version') IS NOT NULL").fetchone()[0]
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone() if has_table else None
        revision = row[0] if row else None
    out.console.print(f"server: PostgreSQL {version}", highlight=False)
    if revision is None:
        state = f"none (run `{hint('db migrate')}`)"
    elif revision != head_revision():
        state = f"{revision}, behind {head_revision()} (run `{hint('db migrate')}`)"
    else:
        state = f"{revision} (newest)"
    out.console.print(f"schema revision: {state}", highlight=False, markup=False)


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
    from sqlalchemy import make_url

    parsed = make_url(database_url())
    if parsed.password and not with_password:
        out.err_console.print("note: password left out (use --with-password, or PGPASSWORD / ~/.pgpass for psql)")
        parsed = parsed._replace(password=None)  # URL.set() ignores None
    typer.echo(libpq_url(parsed.render_as_string(hide_password=False)))


@app.command("migrate")
def migrate_command() -> None:
    """Run the Alembic migrations up to the newest revision (alembic upgrade head).

    Example: armsledger db migrate
    """
    migrate()
    out.console.print("Schema is at the newest revision.")


@app.command()
def reset(yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation.")) -> None:
    """Drop every table and view, then migrate again from scratch. Reader roles made by
    `db grant-reader` keep their passwords and are granted the new views again.

    Example: armsledger db reset --yes
    """
    from alembic import command
    from etl.commands.reader import known_readers, regrant_readers

    url = database_url()
    readers = known_readers(libpq_url(url))
    if readers:
        out.err_console.print(
            f"note: reader role(s) {', '.join(readers)} lose their access while the schema is rebuilt; "
            "they are granted it again afterwards.",
            highlight=False,
        )
    if not yes:
        typer.confirm("This deletes all data in the database. Continue?", abort=True)
    config = alembic_config(url)
    command.downgrade(config, "base")
    command.upgrade(config, "head")
    regranted = regrant_readers(libpq_url(url), readers)
    again = f" Reader role(s) granted again: {', '.join(regranted)}." if regranted else ""
    out.console.print(f"Database reset to an empty, migrated schema.{again}", highlight=False)
