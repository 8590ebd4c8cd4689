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
