"""Upserting facts by natural key, with their evidence spans.

A fact reported by several articles is one row (same ``fact_key``) with one evidence row per
article span; the first non-null value of each attribute is kept."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, and_, bindparam, delete, exists, func
from sqlalchemy.dialects.postgresql import Insert, insert
from sqlalchemy.dialects.postgresql.psycopg import dialect as psycopg_dialect

from etl.load.staging import copy_upsert
from etl.records import Span
from models import Agreement, AidAllocation, Deal, DealEvent, Event, Evidence, Position, Quote
from models.base import Base

FACT_MODELS: dict[str, type[Base]] = {
    "deal": Deal,
    "deal_event": DealEvent,
    "aid_allocation": AidAllocation,
    "position": Position,
    "agreement": Agreement,
    "event": Event,
    "quote": Quote,
}
EVIDENCE_COLUMNS = ("fact_type", "fact_id", "article_id", "char_start", "char_end", "excerpt", "stated_value")


@lru_cache(maxsize=256)
def _upsert_statement(fact_type: str, columns: tuple[str, ...], key_column: str) -> Insert:
    """INSERT ... ON CONFLICT for one fact table and column set, built once (values are bound)."""
    table = FACT_MODELS[fact_type].__table__
    stmt = insert(table).values({name: bindparam(name, type_=table.c[name].type) for name in columns})
    merged = {
        name: func.coalesce(table.c[name], stmt.excluded[name])
        for name in columns
        if name not in (key_column, "status")
    }
    if "status" in columns:
        merged["status"] = func.coalesce(func.nullif(table.c.status, "unknown"), stmt.excluded.status)
    return stmt.on_conflict_do_update(index_elements=[key_column], set_=merged).returning(table.c.id)


@lru_cache(maxsize=256)
def _upsert_sql(fact_type: str, columns: tuple[str, ...], key_column: str) -> tuple[str, dict[str, Any]]:
    """The upsert as driver SQL, and the constants it binds besides the row's values."""
    compiled = _upsert_statement(fact_type, columns, key_column).compile(dialect=psycopg_dialect())
    return str(compiled), {k: v for k, v in compiled.params.items() if k not in columns}


def upsert_facts(
    conn: Connection, fact_type: str, rows: Sequence[Mapping[str, Any]], key_column: str = "fact_key"
) -> list[int]:
    """:func:`upsert_fact` for many rows (all with the same columns) in one round trip: the
    statements run one after the other in pipeline mode, so each sees the ones before it."""
    if not rows:
        return []
    sql, constants = _upsert_sql(fact_type, tuple(rows[0]), key_column)
    with conn.connection.driver_connection.cursor() as cur:
        cur.executemany(sql, [{**constants, **row} for row in rows], returning=True)
        ids = []
        while True:
            ids.append(cur.fetchone()[0])  # type: ignore[index]
            if not cur.nextset():
                return ids


def execute_many(conn: Connection, sql: str, rows: Sequence[Mapping[str, Any]]) -> None:
    """One parameterised statement over many rows, pipelined (no round trip per row)."""
    if rows:
        with conn.connection.driver_connection.cursor() as cur:
            cur.executemany(sql, rows)


def upsert_fact(conn: Connection, fact_type: str, values: Mapping[str, Any], key_column: str = "fact_key") -> int:
    """Insert a fact or merge it into the existing one with the same key; return its id."""
    stmt = _upsert_statement(fact_type, tuple(values), key_column)
    return conn.execute(stmt, dict(values)).scalar_one()


def evidence_rows(
    fact_type: str,
    fact_id: int,
    article_id: int,
    body: str,
    spans: Iterable[Span],
    stated: str | None = None,
) -> list[tuple]:
    """Evidence rows linking a fact to each span; ``stated`` is the value this article gives it."""
    return [
        (fact_type, fact_id, article_id, s.start, s.end, body[s.start : s.end], stated)
        for s in spans
        if s.end > s.start
    ]


def write_evidence(conn: Connection, rows: list[tuple]) -> None:
    """All of an article's evidence rows in one COPY."""
    copy_upsert(conn, "evidence", EVIDENCE_COLUMNS, rows, ("fact_type", "fact_id", "article_id", "char_start"))


def delete_orphan_facts(conn: Connection) -> None:
    """Drop automatic facts that no article supports any more (after an article was replaced)."""
    for fact_type, model in FACT_MODELS.items():
        table = model.__table__
        supported = exists().where(and_(Evidence.fact_type == fact_type, Evidence.fact_id == table.c.id))
        condition = ~supported
        if "review_status" in table.c:
            condition = and_(condition, table.c.review_status == "automatic")
        conn.execute(delete(table).where(condition))
