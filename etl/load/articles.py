"""Writing one article and everything extracted from it, inside the caller's transaction."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import Connection, delete, insert, select, text

from etl.load.entities import EntityRow, add_alias, entity_ids
from etl.load.facts import delete_orphan_facts, evidence_rows, upsert_fact, write_evidence
from etl.load.keys import FactKeys
from etl.load.staging import copy_upsert
from etl.records import CleanArticle, EntityRef, Extraction, QuoteRec
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
    for m in ex.mentions:
        kind = ALIAS_METHODS.get(m.method)
        if kind and m.surface != m.entity.name:
            add_alias(conn, m.entity, m.surface, kind, article_id)


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


def _id(ids: dict[EntityRef, int], ref: EntityRef | None) -> int | None:
    return ids.get(ref) if ref is not None else None


def _quote_key(conn: Connection, q: QuoteRec, ids: dict[EntityRef, int], keys: FactKeys) -> str:
    """The key of an already stored variant of this quote (same speaker), else its own key."""
    speaker = _id(ids, q.speaker)
    candidates = conn.execute(
        text("SELECT quote_key, text FROM quotes WHERE speaker_entity_id IS NOT DISTINCT FROM :s ORDER BY id"),
        {"s": speaker},
    )
    for key, stored in candidates:
        if keys.same_quote(stored, q.text):
            return key
    return keys.quote(q)


def _stated_date(date: dt.date | None, precision: str | None) -> str | None:
    """A date as precise as the article gives it: 2012, 2012-04 or 2012-04-17."""
    if date is None:
        return None
    return {"year": date.strftime("%Y"), "month": date.strftime("%Y-%m")}.get(precision or "day", date.isoformat())


def write_facts(
    conn: Connection,
    article_id: int,
    body: str,
    ex: Extraction,
    ids: dict[EntityRef, int],
    version: str,
    keys: FactKeys,
    review_status: str = "automatic",
    published: dt.date | None = None,
) -> None:
    """Upsert every fact of ``ex`` with its evidence in the article ``article_id``."""
    common = {"extractor_version": version, "review_status": review_status}
    evidence: list[tuple] = []
    for q in ex.quotes:
        qid = upsert_fact(
            conn,
            "quote",
            {
                "quote_key": _quote_key(conn, q, ids, keys),
                "text": q.text,
                "speaker_entity_id": _id(ids, q.speaker),
            },
            key_column="quote_key",
        )
        evidence += evidence_rows("quote", qid, article_id, body, [q.span])
    for p in ex.positions:
        if p.person not in ids:
            continue
        pid = upsert_fact(
            conn,
            "position",
            {
                **common,
                "fact_key": keys.position(p),
                "person_entity_id": ids[p.person],
                "title": p.title,
                "organization_entity_id": _id(ids, p.organization),
                "country_code": p.country_code,
                "valid_from": None if p.is_former else published,
                "valid_to": published if p.is_former else None,
            },
        )
        evidence += evidence_rows("position", pid, article_id, body, [p.span])
    for a in ex.aid:
        aid_id = upsert_fact(
            conn,
            "aid_allocation",
            {
                **common,
                "fact_key": keys.aid(a),
                "donor_entity_id": _id(ids, a.donor),
                "recipient_entity_id": _id(ids, a.recipient),
                "fiscal_year": a.fiscal_year,
                "amount": a.amount,
                "currency": a.currency,
                "amount_usd": a.amount_usd,
                "purpose": a.purpose,
                "stage": a.stage,
                "attributed_to": a.attributed_to,
                "qualifier": getattr(a, "qualifier", None),
            },
        )
        evidence += evidence_rows("aid_allocation", aid_id, article_id, body, [a.span])
    for d in ex.deals:
        deal_key = keys.deal(d)
        deal_id = upsert_fact(
            conn,
            "deal",
            {
                **common,
                "fact_key": deal_key,
                "title": d.title,
                "buyer_entity_id": _id(ids, d.buyer),
                "item_entity_id": _id(ids, d.item),
                "item_text": d.item_text,
                "replaces": d.replaces,
                "quantity": d.quantity,
                "value": d.value,
                "currency": d.currency,
                "value_usd": d.value_usd,
                "status": d.status,
                "year": d.year,
            },
        )
        evidence += evidence_rows(
            "deal", deal_id, article_id, body, d.spans, stated=None if d.status == "unknown" else d.status
        )
        for p in d.parties:
            if p.entity in ids:
                conn.execute(
                    text(
                        "INSERT INTO deal_parties (deal_id, entity_id, role, country_code) "
                        "VALUES (:d, :e, :r, :c) ON CONFLICT (deal_id, entity_id, role) DO NOTHING"
                    ),
                    {"d": deal_id, "e": ids[p.entity], "r": p.role, "c": p.country_code},
                )
        for ev in d.events:
            ev_id = upsert_fact(
                conn,
                "deal_event",
                {
                    **common,
                    "fact_key": f"{deal_key}|{ev.event_type}|{ev.party.name if ev.party else ''}",
                    "deal_id": deal_id,
                    "event_type": ev.event_type,
                    "event_date": ev.date,
                    "date_precision": ev.precision,
                    "party_entity_id": _id(ids, ev.party),
                },
            )
            evidence += evidence_rows(
                "deal_event", ev_id, article_id, body, [ev.span], stated=_stated_date(ev.date, ev.precision)
            )
    for g in ex.agreements:
        gid = upsert_fact(
            conn,
            "agreement",
            {
                **common,
                "fact_key": keys.agreement(g),
                "title": g.title,
                "agreement_type": g.agreement_type,
                "signed_on": g.date,
                "date_precision": g.precision,
                "place": g.place,
            },
        )
        evidence += evidence_rows("agreement", gid, article_id, body, g.spans, stated=_stated_date(g.date, g.precision))
        for ref in g.parties:
            if ref in ids:
                conn.execute(
                    text(
                        "INSERT INTO agreement_parties (agreement_id, entity_id) VALUES (:a, :e) ON CONFLICT DO NOTHING"
                    ),
                    {"a": gid, "e": ids[ref]},
                )
    for e in ex.events:
        eid = upsert_fact(
            conn,
            "event",
            {
                **common,
                "fact_key": keys.event(e),
                "event_type": e.event_type,
                "description": e.description,
                "event_date": e.date,
                "date_precision": e.precision,
                "place": e.place,
                "fatalities": e.fatalities,
            },
        )
        evidence += evidence_rows("event", eid, article_id, body, e.spans, stated=_stated_date(e.date, e.precision))
        for ref in e.participants:
            if ref in ids:
                conn.execute(
                    text("INSERT INTO event_participants (event_id, entity_id) VALUES (:v, :e) ON CONFLICT DO NOTHING"),
                    {"v": eid, "e": ids[ref]},
                )
    for c in ex.claims:
        if c.subject in ids:
            conn.execute(
                text(
                    "INSERT INTO claims (article_id, subject_entity_id, attribute, value, char_start, char_end) "
                    "VALUES (:a, :s, :t, :v, :b, :e) ON CONFLICT DO NOTHING"
                ),
                {
                    "a": article_id,
                    "s": ids[c.subject],
                    "t": c.attribute,
                    "v": c.value,
                    "b": c.span.start,
                    "e": c.span.end,
                },
            )
    write_evidence(conn, evidence)
