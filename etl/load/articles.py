"""Writing one article and everything extracted from it, inside the caller's transaction."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, delete, insert, select, text

from etl.load.entities import EntityRow, entity_ids
from etl.load.fact_writer import write_facts
from etl.load.facts import (
    delete_orphan_facts,
    execute_many,
)
from etl.load.keys import FactKeys
from etl.load.staging import copy_upsert
from etl.records import CleanArticle, EntityRef, Extraction
from models import Article, ArticleProvenance

MENTION_COLUMNS = ("article_id", "entity_id", "char_start", "char_end", "surface", "method")
MONEY_COLUMNS = (
    "article_id",
    "char_start",
    "char_end",
    "raw_text",
    "amount",
    "amount_max",
    "currency",
    "amount_usd",
    "fx_rate",
    "fx_rate_date",
    "fx_source",
    "qualifier",
    "kind",
    "year",
    "year_basis",
)
ALIAS_METHODS = {"fuzzy": "variant", "acronym": "acronym"}
ADD_ALIAS_SQL = (  # etl.load.entities.ADD_ALIAS in driver parameter style, for pipelined execution
    "INSERT INTO entity_aliases (entity_id, alias, kind, source_article_id) "
    "SELECT id, %(alias)s, %(kind)s, %(article_id)s FROM entities "
    "WHERE entity_type = %(entity_type)s AND name = %(name)s "
    "ON CONFLICT (entity_id, alias) DO NOTHING"
)


def existing_version(conn: Connection, content_hash: str) -> tuple[int, str] | None:
    row = conn.execute(
        select(Article.id, Article.extractor_version).where(Article.content_hash == content_hash)
    ).first()
    return (row[0], row[1]) if row else None


def _publisher_id(conn: Connection, name: str | None, is_wire: bool) -> int | None:
    if not name:
        return None
    conn.execute(
        text("INSERT INTO publishers (name, is_wire) VALUES (:n, :w) ON CONFLICT (name) DO NOTHING"),
        {"n": name, "w": is_wire},
    )
    return conn.execute(text("SELECT id FROM publishers WHERE name = :n"), {"n": name}).scalar_one()


def entity_rows(ex: Extraction) -> list[EntityRow]:
    """Every entity the extraction refers to, with the most specific details known."""
    rows: dict[EntityRef, EntityRow] = {}

    def add(ref: EntityRef | None, country: str | None = None, origin: str = "discovered") -> None:
        if ref is not None and (ref not in rows or (country and not rows[ref].country_code)):
            rows[ref] = EntityRow(ref.name, ref.entity_type, origin, country)

    for m in ex.mentions:
        add(m.entity, m.country_code, m.origin)
    for q in ex.quotes:
        add(q.speaker)
    for p in ex.positions:
        add(p.person)
        add(p.organization)
    for a in ex.aid:
        add(a.donor)
        add(a.recipient)
    for d in ex.deals:
        add(d.buyer)
        add(d.item)
        for party in d.parties:
            add(party.entity, party.country_code)
        for ev in d.events:
            add(ev.party)
    for g in ex.agreements:
        for ref in g.parties:
            add(ref)
    for e in ex.events:
        for ref in e.participants:
            add(ref)
    for c in ex.claims:
        add(c.subject)
    return list(rows.values())


def replace_article(
    conn: Connection,
    art: CleanArticle,
    ex: Extraction,
    *,
    run_id: int,
    version: str,
    keys: FactKeys,
    publisher_is_wire: bool,
    original_article_id: int | None,
    raw_digest: str | None = None,
) -> int:
    """Delete any older version of this article (same content or same source), write the new one
    with all its rows, and drop facts no article supports any more. Returns the article id."""
    line = art.source_line or 0
    replaced = conn.execute(
        delete(Article).where(
            (Article.content_hash == art.content_hash)
            | ((Article.source_path == art.source_path) & (Article.source_line == line))
        )
    )
    article_id = conn.execute(
        insert(Article)
        .values(
            source_path=art.source_path,
            source_line=line,
            source_file=Path(art.source_path).name,
            url=art.url,
            publisher_id=_publisher_id(conn, art.publisher, publisher_is_wire),
            wire_service=art.wire_service,
            title=art.title,
            byline=art.byline,
            dateline_place=art.dateline_place,
            published_on=art.published_on,
            date_precision=art.date_precision,
            body=art.body,
            content_hash=art.content_hash,
            word_count=len(art.body.split()),
            original_article_id=original_article_id,
            raw_digest=raw_digest,
            extractor_version=version,
            etl_run_id=run_id,
        )
        .returning(Article.id)
    ).scalar_one()
    if art.provenance:
        conn.execute(
            insert(ArticleProvenance),
            [{"article_id": article_id, "field": f, "method": m} for f, m in sorted(art.provenance.items())],
        )
    ids = entity_ids(conn, entity_rows(ex))
    _write_mentions(conn, article_id, ex, ids)
    _write_money(conn, article_id, ex)
    write_facts(conn, article_id, art.body, ex, ids, version, keys, published=art.published_on)
    if replaced.rowcount:
        delete_orphan_facts(conn)  # facts only the old version supported
    return article_id


def _write_mentions(conn: Connection, article_id: int, ex: Extraction, ids: dict[EntityRef, int]) -> None:
    rows = [
        (article_id, ids[m.entity], m.span.start, m.span.end, m.surface, m.method)
        for m in ex.mentions
        if m.entity in ids
    ]
    copy_upsert(conn, "mentions", MENTION_COLUMNS, rows, ("article_id", "char_start", "entity_id"))
    execute_many(
        conn,
        ADD_ALIAS_SQL,
        [
            {
                "name": m.entity.name,
                "entity_type": m.entity.entity_type,
                "alias": m.surface,
                "kind": kind,
                "article_id": article_id,
            }
            for m in ex.mentions
            if (kind := ALIAS_METHODS.get(m.method)) and m.surface != m.entity.name
        ],
    )


def _write_money(conn: Connection, article_id: int, ex: Extraction) -> None:
    rows = [
        (
            article_id,
            m.span.start,
            m.span.end,
            m.raw,
            m.amount,
            m.amount_max,
            m.currency,
            m.amount_usd,
            m.fx_rate,
            m.fx_rate_date,
            m.fx_source,
            m.qualifier,
            m.kind,
            m.year,
            m.year_precision,
        )
        for m in ex.money
    ]
    copy_upsert(conn, "money_mentions", MONEY_COLUMNS, rows, ("article_id", "char_start"))


