"""`armsledger db grant-reader ROLE`: a login role that can read the `analytics` views and nothing else.

The password comes from an environment variable or a hidden prompt, never from the command line.
It is hashed (SCRAM-SHA-256) on the client, so neither the password nor the statement that sets it
in clear text reaches the server's logs, and it is never printed.
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING

import typer

from etl import output as out
from etl.database import database_url
from etl.settings import get_settings, libpq_url

if TYPE_CHECKING:
    import psycopg
    from psycopg import sql

ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
MARKER = "ArmsLedger analytics reader"  # the role comment that `db reset` / `db restore` look for
RESERVED = {"public", "postgres", "none", "current_user", "session_user", "current_role"}
OTHER_SCHEMAS = (
    "SELECT nspname FROM pg_namespace "
    "WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'analytics') AND nspname !~ '^pg_'"
)


class ReaderError(ValueError):
    """The role cannot be made a reader (bad or privileged name, empty password)."""


def check_role_name(role: str) -> str:
    """``role`` if it is a plain lower-case identifier that names no built-in role."""
    if not ROLE_NAME.match(role) or role.startswith("pg_") or role in RESERVED:
        raise ReaderError(f"invalid role name {role!r}: use lower-case letters, digits and _ (not pg_*)")
    return role


def _statements(conn: psycopg.Connection, role: str, verifier: str, exists: bool) -> list[sql.Composable]:
    from psycopg import sql

    name = sql.Identifier(role)
    attributes = sql.SQL("LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT")
    return [
        sql.SQL("{} ROLE {} WITH {} PASSWORD {}").format(
            sql.SQL("ALTER" if exists else "CREATE"), name, attributes, sql.Literal(verifier)
        ),
        sql.SQL("COMMENT ON ROLE {} IS {}").format(name, sql.Literal(MARKER)),
        *_grants(conn, role),
    ]


def _grants(conn: psycopg.Connection, role: str) -> list[sql.Composable]:
    """What makes ``role`` a reader of this database's analytics schema, and of nothing else."""
    from psycopg import sql

    name = sql.Identifier(role)
    database = sql.Identifier(conn.info.dbname)
    statements: list[sql.Composable] = [
        sql.SQL("ALTER ROLE {} SET default_transaction_read_only = on").format(name),
        sql.SQL("ALTER ROLE {} SET timezone = {}").format(name, sql.Literal("UTC")),  # year grains on dates
        # The secure schema usage pattern: nobody but the owner uses or creates in public, and
        # nobody creates temporary tables, unless granted explicitly.
        sql.SQL("REVOKE ALL ON SCHEMA public FROM PUBLIC"),
        sql.SQL("REVOKE TEMPORARY ON DATABASE {} FROM PUBLIC").format(database),
        sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(database, name),
        sql.SQL("GRANT USAGE ON SCHEMA analytics TO {}").format(name),
        sql.SQL("REVOKE CREATE ON SCHEMA analytics FROM {}").format(name),
        sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA analytics TO {}").format(name),
        sql.SQL("ALTER DEFAULT PRIVILEGES IN SCHEMA analytics GRANT SELECT ON TABLES TO {}").format(name),
    ]
    for (membership,) in conn.execute(
        "SELECT r.rolname FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid "
        "JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = %s",
        (role,),
    ):
        statements.append(sql.SQL("REVOKE {} FROM {}").format(sql.Identifier(membership), name))
    for (schema,) in conn.execute(OTHER_SCHEMAS):
        target = sql.Identifier(schema)
        statements += [
            sql.SQL("REVOKE ALL ON SCHEMA {} FROM {}").format(target, name),
            sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA {} FROM {}").format(target, name),
            sql.SQL("REVOKE ALL ON ALL SEQUENCES IN SCHEMA {} FROM {}").format(target, name),
        ]
    return statements


def _lock_other_databases(conn: psycopg.Connection) -> None:
    """Take CONNECT from PUBLIC on every other database of the cluster, so a reader role (which
    gets CONNECT on this database only) cannot reach them. Only for the private embedded cluster."""
    from psycopg import sql

    others = conn.execute(
        "SELECT datname FROM pg_database WHERE datname <> current_database() AND datallowconn"
    ).fetchall()
    for (other,) in others:
        conn.execute(sql.SQL("REVOKE CONNECT ON DATABASE {} FROM PUBLIC").format(sql.Identifier(other)))


def reader_roles(conn: psycopg.Connection) -> list[str]:
    """Roles `grant-reader` made readers of this database (its marker comment and CONNECT here)."""
    rows = conn.execute(
        "SELECT r.rolname FROM pg_roles r "
        "JOIN pg_shdescription d ON d.objoid = r.oid AND d.classoid = 'pg_authid'::regclass "
        "WHERE d.description = %s AND EXISTS ("
        "  SELECT 1 FROM pg_database db, aclexplode(db.datacl) a "
        "  WHERE db.datname = current_database() AND a.grantee = r.oid AND a.privilege_type = 'CONNECT') "
        "ORDER BY r.rolname",
        (MARKER,),
    ).fetchall()
    return [name for (name,) in rows]


def regrant_readers(url: str, roles: list[str] | None = None) -> list[str]:
    """Grant the reader roles of the database at ``url`` (libpq URL) their analytics access again
    (after `db reset` or `db restore` dropped it); return their names. Passwords are unchanged."""
    import psycopg

    with psycopg.connect(url) as conn:
        roles = reader_roles(conn) if roles is None else roles
        if conn.execute("SELECT to_regnamespace('analytics') IS NULL").fetchone() == (True,):
            return []
        for role in roles:
            for statement in _grants(conn, role):
                conn.execute(statement)
    return roles


def known_readers(url: str) -> list[str]:
    """The reader roles of the database at ``url`` (libpq URL)."""
    import psycopg

    with psycopg.connect(url) as conn:
        return reader_roles(conn)


def make_reader(url: str, role: str, password: str, lock_other_databases: bool = False) -> int:
    """Create or update ``role`` as an analytics reader on the database at ``url`` (libpq URL);
    return the number of views it can read. ``lock_other_databases`` revokes CONNECT from PUBLIC
    on the cluster's other databases (done for the embedded cluster)."""
    import psycopg

    check_role_name(role)
    if not password:
        raise ReaderError("the password is empty")
    with psycopg.connect(url) as conn:
        if conn.execute("SELECT to_regnamespace('analytics') IS NULL").fetchone() == (True,):
            raise ReaderError("schema analytics is missing: run `armsledger db migrate` first")
        row = conn.execute(
            "SELECT rolsuper OR rolcreaterole OR rolcreatedb OR rolreplication OR rolbypassrls, "
            "rolname = current_user FROM pg_roles WHERE rolname = %s",
            (role,),
        ).fetchone()
        if row and any(row):
            raise ReaderError(f"role {role} is privileged or is the current user: choose another name")
        verifier = conn.pgconn.encrypt_password(password.encode(), role.encode(), b"scram-sha-256").decode()
        for statement in _statements(conn, role, verifier, exists=row is not None):
            conn.execute(statement)
        if lock_other_databases:
            _lock_other_databases(conn)
        return conn.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'analytics' AND c.relkind IN ('v', 'm', 'r') "
            "AND has_table_privilege(%s, c.oid, 'SELECT')",
            (role,),
        ).fetchone()[0]


def grant_reader(
    role: str = typer.Argument(..., help="Login role to create or update, e.g. metabase."),
    password_env: str = typer.Option(
        "ARMSLEDGER_READER_PASSWORD", "--password-env", help="Environment variable that holds the password."
    ),
) -> None:
    """Create (or update) a login role that can read the analytics views and change nothing.

    The password is read from $ARMSLEDGER_READER_PASSWORD (or the variable named by
    --password-env), else asked for without echo. It is never printed or logged.

    Example: ARMSLEDGER_READER_PASSWORD=... armsledger db grant-reader metabase
    """
    try:
        check_role_name(role)
    except ReaderError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    url = database_url()  # fails with one line before asking anything when there is no database
    password = os.environ.get(password_env) or typer.prompt(
        f"Password for {role}", hide_input=True, confirmation_prompt=True
    )
    from sqlalchemy import make_url

    embedded = get_settings().database_url is None
    try:
        views = make_reader(libpq_url(url), role, password, lock_other_databases=embedded)
    except ReaderError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    parsed = make_url(url)
    out.console.print(f"Role {role} can log in and read the {views} views of schema analytics (read-only).")
    out.console.print(
        f"Connect a BI tool with host {parsed.host}, port {parsed.port or 5432}, database {parsed.database}, "
        f"user {role} and the password you set (psql: PGPASSWORD=... psql -h {parsed.host} -p {parsed.port or 5432} "
        f"-U {role} {parsed.database}).",
        highlight=False,
        markup=False,
    )
