"""Catalog queries shared by the schema tests: what lacks a comment, what is not a plain type."""

from sqlalchemy import Engine, text

UNCOMMENTED = text(
    """
    SELECT c.relname || coalesce('.' || a.attname, '')
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = :schema
    LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    WHERE c.relkind = :relkind AND c.relname <> 'alembic_version'
      AND (obj_description(c.oid, 'pg_class') IS NULL
           OR (a.attname IS NOT NULL AND coalesce(col_description(c.oid, a.attnum), '') = ''))
    """
)
ODD_TYPES = text(
    """
    SELECT table_name || '.' || column_name || ' ' || data_type
    FROM information_schema.columns
    WHERE table_schema = :schema AND data_type IN ('ARRAY', 'jsonb', 'json', 'USER-DEFINED', 'xml', 'bytea')
    """
)


def uncommented(engine: Engine, schema: str, relkind: str) -> list[str]:
    """Relations of ``relkind`` ('r' tables, 'v' views) in ``schema`` or their columns without a comment."""
    with engine.connect() as conn:
        return list(conn.execute(UNCOMMENTED, {"schema": schema, "relkind": relkind}).scalars())


def odd_types(engine: Engine, schema: str) -> list[str]:
    """Columns of ``schema`` that BI tools cannot read as plain types."""
    with engine.connect() as conn:
        return list(conn.execute(ODD_TYPES, {"schema": schema}).scalars())
