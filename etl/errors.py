"""Failures a user can cause or meet, as one line that names the cause and the next step.

``describe(exc)`` maps an exception (database unreachable, authentication, unknown database, bad
URL, missing schema, missing folder, permission, disk full...) to ``(message, exit status)``;
``etl.cli.main`` prints the message instead of a traceback (unless ``--debug`` or
``ARMSLEDGER_DEBUG=1``). Passwords are masked in every message. Heavy modules are imported only
when an error is being described.
"""

from __future__ import annotations

import errno
import os
import re

USAGE = 2
RUNTIME = 1
_URL_PASSWORD = re.compile(r"(://[^:/@\s]+:)(?!PASSWORD@)[^@\s]+@")


class UserError(Exception):
    """A failure with a message already fit for the user, and its exit status."""

    def __init__(self, message: str, status: int = RUNTIME) -> None:
        super().__init__(message)
        self.status = status


def debug_enabled(argv: list[str] | None = None) -> bool:
    """``--debug`` on the command line or ``ARMSLEDGER_DEBUG`` set to a true value."""
    if os.environ.get("ARMSLEDGER_DEBUG", "").strip().lower() in ("1", "true", "yes", "on"):
        return True
    return "--debug" in (argv or [])


def mask(text: str) -> str:
    """``text`` with the password of any URL in it, and of DATABASE_URL, replaced by ***."""
    text = _URL_PASSWORD.sub(r"\1***@", text)
    secret = _configured_password()
    return text.replace(secret, "***") if secret else text


def _configured_password() -> str | None:
    raw = os.environ.get("DATABASE_URL", "")
    match = re.search(r"://[^:/@\s]+:([^@\s]+)@", raw)
    return match.group(1) if match and len(match.group(1)) >= 3 else None


def target() -> str:
    """Where the configured database is, as ``user@host:port/db`` (no password)."""
    raw = os.environ.get("DATABASE_URL", "").strip()
    if not raw:
        return "the embedded database"
    try:
        from sqlalchemy.engine import make_url

        url = make_url(raw)
    except Exception:
        return "DATABASE_URL"
    return f"{url.username or ''}{'@' if url.username else ''}{url.host or 'localhost'}:{url.port or 5432}" + (
        f"/{url.database}" if url.database else ""
    )


def _first_line(exc: BaseException) -> str:
    lines = [ln.strip() for ln in str(exc).splitlines() if ln.strip()]
    return lines[0] if lines else type(exc).__name__


def _database(exc: BaseException) -> tuple[str, int] | None:
    """Connection-level failures of psycopg (raw or wrapped by SQLAlchemy)."""
    return connection_problem(str(exc))


def connection_problem(text: str) -> tuple[str, int] | None:
    """The one-line message for a libpq connection error text (psycopg, pg_dump...), if it is one."""
    where = target()
    from etl.hints import command

    configured = os.environ.get("DATABASE_URL", "").strip()
    fix_url = "check DATABASE_URL" if configured else f"run `{command('db start')}`"
    if "password authentication failed" in text or "no password supplied" in text:
        return f"authentication failed for {where}: check the user and password (DATABASE_URL or PGPASSWORD)", RUNTIME
    missing_db = re.search(r'database "([^"]+)" does not exist', text)
    if missing_db:
        name = missing_db.group(1)
        return (
            f"database {name!r} does not exist on {where}: create it (`createdb {name}`) or fix DATABASE_URL",
            RUNTIME,
        )
    role = re.search(r'role "([^"]+)" does not exist', text)
    if role:
        return f"role {role.group(1)!r} does not exist on {where}: fix the user in DATABASE_URL", RUNTIME
    if re.search(r"connection refused|could not connect|timeout expired|Connection timed out|No route", text, re.I):
        return f"cannot reach the database server at {where} (connection refused): {fix_url}", RUNTIME
    if re.search(r'invalid dsn|missing "=" after|invalid connection option|invalid integer value|invalid port', text):
        return "DATABASE_URL is not a valid PostgreSQL URL: use postgresql://USER:PASSWORD@HOST:5432/DBNAME", USAGE
    if re.search(r"could not translate host name|Name or service not known|nodename nor servname", text):
        return f"unknown database host in {where}: fix the host name in DATABASE_URL", RUNTIME
    return None


def _schema(exc: BaseException) -> tuple[str, int] | None:
    import psycopg

    from etl.hints import command

    orig = getattr(exc, "orig", exc)
    errors = psycopg.errors
    if isinstance(orig, errors.UndefinedTable | errors.UndefinedColumn | errors.InvalidSchemaName):
        return f"the database schema is missing or behind: run `{command('db migrate')}`", USAGE
    if isinstance(orig, psycopg.errors.InsufficientPrivilege):
        return f"permission denied on {target()}: connect as the database owner (check DATABASE_URL)", RUNTIME
    return None


def _os_error(exc: OSError) -> tuple[str, int]:
    name = exc.filename if exc.filename is not None else ""
    if exc.errno == errno.ENOSPC:
        return f"disk full while writing {name or 'output'}: free some space and run again", RUNTIME
    if isinstance(exc, FileNotFoundError):
        parent = os.path.dirname(str(name)) or "."
        if name and not os.path.isdir(parent):
            return f"folder {parent} does not exist: create it (`mkdir -p {parent}`) or choose another path", USAGE
        return f"no such file or folder: {name}", USAGE
    if isinstance(exc, PermissionError):
        return f"permission denied: {name}: choose a path you can write to or fix its permissions", RUNTIME
    if isinstance(exc, IsADirectoryError):
        return f"{name} is a folder: give a file name", USAGE
    if isinstance(exc, NotADirectoryError):
        return f"{name}: a part of this path is a file, not a folder", USAGE
    return f"{exc.strerror or _first_line(exc)}: {name}".rstrip(": "), RUNTIME


def describe(exc: BaseException) -> tuple[str, int] | None:
    """The one-line message and exit status for ``exc``, or None for an unexpected error."""
    from etl.embedded import EmbeddedError

    if isinstance(exc, UserError):
        return mask(str(exc)), exc.status
    if isinstance(exc, EmbeddedError):
        return mask(_first_line(exc)), RUNTIME
    if type(exc).__name__ in ("GazetteerError", "FactsFileError"):  # reference data: file, line, reason
        text = " ".join(line.strip() for line in str(exc).splitlines() if line.strip())
        return f"{text} (fix the file and run again; nothing was loaded)", RUNTIME
    if isinstance(exc, OSError) and not _is_db_error(exc):
        message, status = _os_error(exc)
        return mask(message), status
    if type(exc).__module__.startswith("sqlalchemy"):
        from sqlalchemy import exc as sa_exc

        if isinstance(exc, sa_exc.ArgumentError | sa_exc.NoSuchModuleError):
            return "DATABASE_URL is not a database URL: use postgresql://USER:PASSWORD@HOST:5432/DBNAME", USAGE
    if _is_db_error(exc):
        found = _database(exc) or _schema(exc)
        if found:
            return mask(found[0]), found[1]
        return mask(f"database error: {_first_line(getattr(exc, 'orig', None) or exc)}"), RUNTIME
    return None


def _is_db_error(exc: BaseException) -> bool:
    module = type(exc).__module__
    return module.startswith(("psycopg", "sqlalchemy"))
