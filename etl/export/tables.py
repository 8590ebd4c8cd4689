"""Reading the analytics views, and writing each one to a CSV or Parquet file."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from sqlalchemy import Connection, Engine, select, table, text

import queries

VIEWS_SQL = text(
    "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE n.nspname = 'analytics' AND c.relkind IN ('v', 'm') ORDER BY c.relname"
)


def analytics_views(conn: Connection) -> list[str]:
    """Names of the views in schema analytics."""
    return list(conn.execute(VIEWS_SQL).scalars())


def read_view(conn: Connection, name: str) -> pd.DataFrame:
    """All rows of ``analytics.<name>`` (a name from analytics_views, quoted as an identifier)."""
    stmt = select(text("*")).select_from(table(name, schema="analytics"))
    result = conn.execute(stmt)
    return queries.frame(list(result.keys()), [tuple(r) for r in result])


def export_tables(engine: Engine, out_dir: Path, fmt: str) -> list[Path]:
    """Write one ``<view>.csv`` or ``<view>.parquet`` per analytics view; return the paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    with engine.connect() as conn:
        for name in analytics_views(conn):
            frame = read_view(conn, name)
            path = out_dir / f"{name}.{fmt}"
            if fmt == "csv":
                frame.to_csv(path, index=False)
            else:
                frame.to_parquet(path, index=False)
            paths.append(path)
    return paths
