"""Named SQL queries (one ``queries/*.sql`` file each) and a runner returning pandas DataFrames.

    >>> import queries
    >>> queries.run("aid_by_year", recipient="Peru")
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from queries.catalog import Column, Param, Query, QueryError, catalog, get

if TYPE_CHECKING:  # imported where used: `armsledger query list` must start fast
    import pandas as pd
    import psycopg
    from sqlalchemy import Connection, Engine

__all__ = ["Column", "Param", "Query", "QueryError", "catalog", "frame", "get", "run"]


def frame(columns: list[str], rows: list[tuple]) -> pd.DataFrame:
    """A DataFrame that keeps integers as integers (nullable) and exact decimals as Decimal."""
    import pandas as pd

    data = pd.DataFrame.from_records(rows, columns=columns, coerce_float=False)
    return data.astype(object).convert_dtypes() if len(data) else data


def run(query: str, /, engine_or_conn: Engine | Connection | psycopg.Connection | None = None,
        **params: Any) -> pd.DataFrame:
    """Run the named query with ``params`` (defaults filled) on ``engine_or_conn`` (default: the
    configured database). Raises QueryError for an unknown query or a bad parameter."""
    import psycopg
    from sqlalchemy import Engine

    sql, values = get(query).bind(params)
    if isinstance(engine_or_conn, psycopg.Connection):
        with engine_or_conn.cursor() as cur:
            cur.execute(sql, values)
            return frame([d.name for d in cur.description or ()], cur.fetchall())
    if engine_or_conn is None:
        from etl.database import get_engine

        engine_or_conn = get_engine()
    if isinstance(engine_or_conn, Engine):
        with engine_or_conn.connect() as conn:
            return _run(conn, sql, values)
    return _run(engine_or_conn, sql, values)


def _run(conn: Connection, sql: str, values: dict[str, Any]) -> pd.DataFrame:
    result = conn.exec_driver_sql(sql, values)
    return frame(list(result.keys()), [tuple(r) for r in result])
