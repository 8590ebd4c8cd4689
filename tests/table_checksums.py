"""Per-table row counts and content checksums, to prove two databases hold the same data."""

from __future__ import annotations

import psycopg
from psycopg import sql

from etl.settings import libpq_url


def checksums(url: str, schemas: tuple[str, ...] = ("public", "analytics")) -> dict[str, tuple[int, str]]:
    """{schema.relation: (rows, md5 of the rows' text in a fixed order)} for every table and view."""
    out: dict[str, tuple[int, str]] = {}
    with psycopg.connect(libpq_url(url)) as conn:
        relations = conn.execute(
            "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = ANY(%s) AND c.relkind IN ('r', 'v', 'm') ORDER BY 1, 2",
            (list(schemas),),
        ).fetchall()
        for schema, name in relations:
            query = sql.SQL(
                "SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM {}.{} t"
            ).format(sql.Identifier(schema), sql.Identifier(name))
            out[f"{schema}.{name}"] = tuple(conn.execute(query).fetchone())
    return out
