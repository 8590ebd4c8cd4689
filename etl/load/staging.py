"""Bulk writes: COPY rows into a temporary staging table, then ``INSERT ... ON CONFLICT``.

Table and column names come from this package's constants, never from input; values only travel
through COPY, so nothing is formatted into SQL.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from psycopg import sql
from sqlalchemy import Connection

from etl.load.faults import checkpoint


def copy_upsert(
    conn: Connection,
    table: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[object]],
    conflict: Sequence[str],
) -> int:
    """COPY ``rows`` into a staging copy of ``table`` and insert them, skipping rows that conflict
    on ``conflict``. Returns the number of rows inserted."""
    rows = list(rows)
    if not rows:
        return 0
    raw = conn.connection.driver_connection
    stage = sql.Identifier(f"stage_{table}")
    cols = sql.SQL(", ").join(map(sql.Identifier, columns))
    with raw.cursor() as cur:
        cur.execute(
            sql.SQL(
                "CREATE TEMP TABLE IF NOT EXISTS {stage} (LIKE {table} INCLUDING DEFAULTS) ON COMMIT DELETE ROWS"
            ).format(stage=stage, table=sql.Identifier(table))
        )
        cur.execute(sql.SQL("DELETE FROM {}").format(stage))  # TRUNCATE would rewrite the file each time
        with cur.copy(sql.SQL("COPY {} ({}) FROM STDIN").format(stage, cols)) as copy:
            for row in rows:
                copy.write_row(row)
            checkpoint("copy")
        cur.execute(
            sql.SQL(
                "INSERT INTO {table} ({cols}) SELECT {cols} FROM {stage} ON CONFLICT ({conflict}) DO NOTHING"
            ).format(
                table=sql.Identifier(table),
                cols=cols,
                stage=stage,
                conflict=sql.SQL(", ").join(map(sql.Identifier, conflict)),
            )
        )
        return cur.rowcount


def copy_rows(conn: Connection, table: str, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """COPY ``rows`` straight into ``table`` (rows that cannot conflict: new articles' own rows)."""
    rows = list(rows)
    if not rows:
        return
    cols = sql.SQL(", ").join(map(sql.Identifier, columns))
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(sql.Identifier(table), cols)
    with conn.connection.driver_connection.cursor() as cur, cur.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)
        checkpoint("copy")


def stage_rows(conn: Connection, table: str, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> sql.Composed:
    """COPY ``rows`` into ``bulk_<table>``, a temporary table with ``columns`` of ``table`` (same
    types, no constraints) plus ``ord``, each row's position in ``rows``. Returns the stage's name."""
    stage = sql.Identifier(f"bulk_{table}")
    cols = sql.SQL(", ").join(map(sql.Identifier, columns))
    with conn.connection.driver_connection.cursor() as cur:
        cur.execute(
            sql.SQL(
                "CREATE TEMP TABLE IF NOT EXISTS {stage} ON COMMIT DELETE ROWS AS "
                "SELECT {cols}, 0::bigint AS ord FROM {table} WITH NO DATA; DELETE FROM {stage}"
            ).format(stage=stage, cols=cols, table=sql.Identifier(table))
        )
        with cur.copy(sql.SQL("COPY {} ({}, ord) FROM STDIN").format(stage, cols)) as copy:
            for ord_, row in enumerate(rows):
                copy.write_row((*row, ord_))
            checkpoint("copy")
    return sql.Composed([stage])


def insert_staged(
    conn: Connection, table: str, columns: Sequence[str], rows: Iterable[Sequence[object]], conflict: Sequence[str]
) -> None:
    """Insert ``rows`` in their order, skipping those that conflict on ``conflict`` (the first
    of several equal rows wins, as one INSERT ... ON CONFLICT DO NOTHING per row would). Equal
    rows are staged too: each takes a value of the id sequence, as before, so ids stay the same."""
    rows = list(rows)
    if not rows:
        return
    stage = stage_rows(conn, table, columns, rows)
    cols = sql.SQL(", ").join(map(sql.Identifier, columns))
    with conn.connection.driver_connection.cursor() as cur:
        cur.execute(
            sql.SQL(
                "INSERT INTO {table} ({cols}) SELECT {cols} FROM {stage} ORDER BY ord "
                "ON CONFLICT ({conflict}) DO NOTHING"
            ).format(
                table=sql.Identifier(table),
                cols=cols,
                stage=stage,
                conflict=sql.SQL(", ").join(map(sql.Identifier, conflict)),
            )
        )
