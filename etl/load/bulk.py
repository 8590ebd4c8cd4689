"""Set-based writing of a batch of extracted articles inside the caller's transaction.

Instead of some sixty statements per article, a batch is written with a few statements per table:
the rows of all its articles are gathered in load order, copied (``COPY``) into the tables, or
into staging tables followed by ``INSERT ... SELECT ... ON CONFLICT``, and ids come back with
``RETURNING`` (article ids are drawn from their sequence first). The outcome is the one of
writing the articles one after the other: an article whose content is stored under the same
rules is "unchanged" (also when an earlier article of the batch has the same content), a new
version of a stored article replaces it, an earlier article of the batch can be the original of
a later one, and the same fact reported by several articles is one fact with their evidence.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, text

from etl.load import fingerprints
from etl.load.articles import MENTION_COLUMNS, MONEY_COLUMNS
from etl.load.bulk_facts import FactBatch
from etl.load.entities import EntityRow, entity_ids
from etl.load.facts import delete_orphan_facts
from etl.load.faults import checkpoint
from etl.load.prepare import Prepared, prepare
from etl.load.refresh_state import mark_pending
from etl.load.runs import record_rejection
from etl.load.staging import copy_rows, insert_staged
from etl.records import EntityRef, Rejection

ARTICLE_COLUMNS = (
    "id",
    "source_path",
    "source_line",
    "source_file",
    "url",
    "publisher_id",
    "wire_service",
    "title",
    "byline",
    "dateline_place",
    "published_on",
    "date_precision",
    "body",
    "content_hash",
    "word_count",
    "original_article_id",
    "raw_digest",
    "extractor_version",
    "etl_run_id",
)


@dataclass
class _New:
    """An article of the batch to write."""

    item: object  # etl.load.batch.Extracted
    raw_digest: str | None
    prep: Prepared
    article_id: int = 0
    original: int | None = None


def write_batch(conn: Connection, items: list, ctx) -> list[str | Rejection]:
    """Write ``items`` (``Extracted`` or ``Rejection``, recorded); return each one's outcome:
    "loaded", "unchanged" or its Rejection."""
    outcomes: list[str | Rejection] = []
    articles = [item for item in items if not isinstance(item, Rejection)]
    stored = _stored(conn, [item.article.content_hash for item in articles])
    new: dict[str, _New] = {}  # by content hash, in load order
    digests: dict[int, str] = {}  # raw digests to remember on unchanged stored articles
    for item in items:
        if isinstance(item, Rejection):
            record_rejection(conn, ctx.run_id, item)
            outcomes.append(item)
            continue
        content = item.article.content_hash
        known = stored.get(content)
        if content in new:  # the same content earlier in this batch
            new[content].raw_digest = new[content].raw_digest or item.raw_digest
            outcomes.append("unchanged")
        elif known and known[1] == ctx.version:
            if item.raw_digest and known[2] is None and known[0] not in digests:
                digests[known[0]] = item.raw_digest
            outcomes.append("unchanged")
        else:
            prep = item.prepared or prepare(item.article, item.extraction, ctx.extractor.keys)
            new[content] = _New(item, item.raw_digest, prep)
            outcomes.append("loaded")
    if digests:
        conn.execute(
            text(
                "UPDATE articles a SET raw_digest = u.d "
                "FROM unnest(CAST(:i AS bigint[]), CAST(:d AS text[])) AS u(i, d) "
                "WHERE a.id = u.i AND a.raw_digest IS NULL"
            ),
            {"i": list(digests), "d": list(digests.values())},
        )
    if new:
        _write_new(conn, list(new.values()), stored, ctx)
        mark_pending(conn)  # discrepancies and deal statuses must be recomputed at the run's end
    return outcomes


def _stored(conn: Connection, hashes: list[str]) -> dict[str, tuple[int, str, str | None]]:
    """Stored articles by content hash: (id, extractor version, raw digest)."""
    if not hashes:
        return {}
    rows = conn.execute(
        text(
            "SELECT content_hash, id, extractor_version, raw_digest FROM articles "
            "WHERE content_hash = ANY(CAST(:h AS text[]))"
        ),
        {"h": hashes},
    )
    return {r[0]: (r[1], r[2], r[3]) for r in rows}


def _replace_old(conn: Connection, batch: list[_New], stored: dict) -> bool:
    """Delete the stored versions of the batch's articles (same content, or same source)."""
    replaced = 0
    older = [stored[n.item.article.content_hash][0] for n in batch if n.item.article.content_hash in stored]
    if older:
        replaced += conn.execute(
            text("DELETE FROM articles WHERE id = ANY(CAST(:i AS bigint[]))"), {"i": older}
        ).rowcount
    replaced += conn.execute(
        text(
            "DELETE FROM articles a USING unnest(CAST(:p AS text[]), CAST(:l AS integer[])) AS u(p, l) "
            "WHERE a.source_path = u.p AND a.source_line = u.l"
        ),
        {"p": [n.item.article.source_path for n in batch], "l": [n.item.article.source_line or 0 for n in batch]},
    ).rowcount
    return replaced > 0


def _publishers(conn: Connection, batch: list[_New], is_wire) -> dict[str, int]:
    names = list(dict.fromkeys(n.item.article.publisher for n in batch if n.item.article.publisher))
    if not names:
        return {}
    conn.execute(
        text(
            "INSERT INTO publishers (name, is_wire) SELECT n, w FROM unnest(CAST(:n AS text[]), CAST(:w AS boolean[])) "
            "WITH ORDINALITY AS u(n, w, o) ORDER BY o ON CONFLICT (name) DO NOTHING"
        ),
        {"n": names, "w": [bool(is_wire(n)) for n in names]},
    )
    rows = conn.execute(text("SELECT name, id FROM publishers WHERE name = ANY(CAST(:n AS text[]))"), {"n": names})
    return dict(rows.all())


def _write_new(conn: Connection, batch: list[_New], stored: dict, ctx) -> None:
    replaced = _replace_old(conn, batch, stored)
    ids = conn.execute(
        text("SELECT nextval(pg_get_serial_sequence('articles', 'id')) FROM generate_series(1, :n)"), {"n": len(batch)}
    ).scalars()
    for n, article_id in zip(batch, sorted(ids), strict=True):
        n.article_id = article_id
    began = time.perf_counter()
    originals = fingerprints.find_originals(
        conn, [(n.article_id, n.item.article, n.prep.hashes, n.prep.shingles) for n in batch]
    )
    ctx.seconds["syndication"] = ctx.seconds.get("syndication", 0.0) + time.perf_counter() - began
    for n, original in zip(batch, originals, strict=True):
        n.original = original
    publishers = _publishers(conn, batch, ctx.extractor.is_wire)
    copy_rows(conn, "articles", ARTICLE_COLUMNS, [_article_row(n, publishers, ctx) for n in batch])
    copy_rows(
        conn,
        "article_provenance",
        ("article_id", "field", "method"),
        [(n.article_id, f, m) for n in batch for f, m in n.prep.provenance],
    )
    fingerprints.store_many(
        conn,
        [
            (n.article_id, n.prep.hashes, n.prep.shingles, n.item.article.published_on)
            for n in batch
            if n.original is None
        ],
    )
    entities = _entity_ids(conn, batch)
    _write_mentions(conn, batch, entities)
    copy_rows(conn, "money_mentions", MONEY_COLUMNS, [(n.article_id, *row) for n in batch for row in n.prep.money])
    facts = FactBatch(ctx.extractor.keys, ctx.version)
    quotes = [(q, entities.get(q.speaker) if q.speaker else None) for n in batch for q in n.item.extraction.quotes]
    if quotes:
        facts.load_quotes(conn, quotes)
    for n in batch:
        art = n.item.article
        facts.add(n.article_id, art.body, n.item.extraction, entities, art.published_on, n.prep.fact_keys)
    facts.write(conn)
    if replaced:
        delete_orphan_facts(conn)  # facts only the old versions supported
    for _ in batch:
        checkpoint("article")


def _article_row(n: _New, publishers: dict[str, int], ctx) -> tuple:
    art = n.item.article
    return (
        n.article_id,
        art.source_path,
        art.source_line or 0,
        Path(art.source_path).name,
        art.url,
        publishers.get(art.publisher) if art.publisher else None,
        art.wire_service,
        art.title,
        art.byline,
        art.dateline_place,
        art.published_on,
        art.date_precision,
        art.body,
        art.content_hash,
        n.prep.word_count,
        n.original,
        n.raw_digest,
        ctx.version,
        ctx.run_id,
    )


def _entity_ids(conn: Connection, batch: list[_New]) -> dict[EntityRef, int]:
    """Ids of every entity the batch names; a new entity gets the details of its first article."""
    rows: dict[EntityRef, EntityRow] = {}
    for n in batch:
        for row in n.prep.entities:
            rows.setdefault(EntityRef(row.name, row.entity_type), row)  # type: ignore[arg-type]
    return entity_ids(conn, rows.values())


def _write_mentions(conn: Connection, batch: list[_New], ids: dict[EntityRef, int]) -> None:
    copy_rows(
        conn,
        "mentions",
        MENTION_COLUMNS,
        [
            (n.article_id, ids[ref], start, end, surface, method)
            for n in batch
            for ref, start, end, surface, method in n.prep.mentions
            if ref in ids
        ],
    )
    insert_staged(
        conn,
        "entity_aliases",
        ("entity_id", "alias", "kind", "source_article_id"),
        [(ids[ref], alias, kind, n.article_id) for n in batch for ref, alias, kind in n.prep.aliases if ref in ids],
        ("entity_id", "alias"),
    )
