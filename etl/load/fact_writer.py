"""Writing an article's facts (quotes, posts, aid, deals, agreements, events, claims) with their
evidence, inside the caller's transaction."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, text

from etl.load.fact_rows import (
    agreement_row,
    aid_row,
    deal_event_key,
    deal_event_row,
    deal_row,
    event_row,
    position_row,
    ref_id,
    stated_date,
)
from etl.load.facts import evidence_rows, execute_many, upsert_fact, upsert_facts, write_evidence
from etl.load.keys import FactKeys
from etl.records import EntityRef, Extraction, QuoteRec


def _quote_key(conn: Connection, q: QuoteRec, ids: dict[EntityRef, int], keys: FactKeys) -> str:
    """The key of an already stored variant of this quote (same speaker), else its own key."""
    speaker = ref_id(ids, q.speaker)
    if speaker is None:
        candidates = conn.execute(
            text("SELECT quote_key, text FROM quotes WHERE speaker_entity_id IS NULL ORDER BY id")
        )
    else:  # (IS NOT DISTINCT FROM would not use the index)
        candidates = conn.execute(
            text("SELECT quote_key, text FROM quotes WHERE speaker_entity_id = :s ORDER BY id"), {"s": speaker}
        )
    for key, stored in candidates:
        if keys.same_quote(stored, q.text):
            return key
    return keys.quote(q)


DEAL_PARTY = (
    "INSERT INTO deal_parties (deal_id, entity_id, role, country_code) "
    "VALUES (%(d)s, %(e)s, %(r)s, %(c)s) ON CONFLICT (deal_id, entity_id, role) DO NOTHING"
)
AGREEMENT_PARTY = "INSERT INTO agreement_parties (agreement_id, entity_id) VALUES (%(a)s, %(e)s) ON CONFLICT DO NOTHING"
EVENT_PARTICIPANT = "INSERT INTO event_participants (event_id, entity_id) VALUES (%(v)s, %(e)s) ON CONFLICT DO NOTHING"
CLAIM = (
    "INSERT INTO claims (article_id, subject_entity_id, attribute, value, char_start, char_end) "
    "VALUES (%(a)s, %(s)s, %(t)s, %(v)s, %(b)s, %(e)s) ON CONFLICT DO NOTHING"
)


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
    """Upsert every fact of ``ex`` with its evidence in the article ``article_id``.

    Each fact type is upserted in one pipelined round trip (statements still run in order, so a
    fact repeated within the article merges exactly as it would one statement at a time)."""
    common = {"extractor_version": version, "review_status": review_status}
    evidence: list[tuple] = []
    for q in ex.quotes:  # one at a time: a quote's key depends on the variants stored before it
        qid = upsert_fact(
            conn,
            "quote",
            {
                "quote_key": _quote_key(conn, q, ids, keys),
                "text": q.text,
                "speaker_entity_id": ref_id(ids, q.speaker),
            },
            key_column="quote_key",
        )
        evidence += evidence_rows("quote", qid, article_id, body, [q.span])
    positions = [p for p in ex.positions if p.person in ids]
    position_ids = upsert_facts(
        conn,
        "position",
        [{**common, "fact_key": keys.position(p), **position_row(p, ids, published)} for p in positions],
    )
    for p, pid in zip(positions, position_ids, strict=True):
        evidence += evidence_rows("position", pid, article_id, body, [p.span])
    aid_ids = upsert_facts(
        conn,
        "aid_allocation",
        [{**common, "fact_key": keys.aid(a), **aid_row(a, ids)} for a in ex.aid],
    )
    for a, aid_id in zip(ex.aid, aid_ids, strict=True):
        evidence += evidence_rows("aid_allocation", aid_id, article_id, body, [a.span])
    deal_keys = [keys.deal(d) for d in ex.deals]
    deal_ids = upsert_facts(
        conn,
        "deal",
        [{**common, "fact_key": deal_key, **deal_row(d, ids)} for d, deal_key in zip(ex.deals, deal_keys, strict=True)],
    )
    deal_events = [
        (ev, deal_id, deal_key)
        for d, deal_id, deal_key in zip(ex.deals, deal_ids, deal_keys, strict=True)
        for ev in d.events
    ]
    execute_many(
        conn,
        DEAL_PARTY,
        [
            {"d": deal_id, "e": ids[p.entity], "r": p.role, "c": p.country_code}
            for d, deal_id in zip(ex.deals, deal_ids, strict=True)
            for p in d.parties
            if p.entity in ids
        ],
    )
    event_ids = iter(
        upsert_facts(
            conn,
            "deal_event",
            [
                {**common, "fact_key": deal_event_key(deal_key, ev), "deal_id": deal_id, **deal_event_row(ev, ids)}
                for ev, deal_id, deal_key in deal_events
            ],
        )
    )
    for d, deal_id in zip(ex.deals, deal_ids, strict=True):
        evidence += evidence_rows(
            "deal", deal_id, article_id, body, d.spans, stated=None if d.status == "unknown" else d.status
        )
        for ev in d.events:
            evidence += evidence_rows(
                "deal_event", next(event_ids), article_id, body, [ev.span], stated=stated_date(ev.date, ev.precision)
            )
    agreement_ids = upsert_facts(
        conn,
        "agreement",
        [{**common, "fact_key": keys.agreement(g), **agreement_row(g)} for g in ex.agreements],
    )
    for g, gid in zip(ex.agreements, agreement_ids, strict=True):
        evidence += evidence_rows("agreement", gid, article_id, body, g.spans, stated=stated_date(g.date, g.precision))
    execute_many(
        conn,
        AGREEMENT_PARTY,
        [
            {"a": gid, "e": ids[ref]}
            for g, gid in zip(ex.agreements, agreement_ids, strict=True)
            for ref in g.parties
            if ref in ids
        ],
    )
    event_fact_ids = upsert_facts(
        conn,
        "event",
        [{**common, "fact_key": keys.event(e), **event_row(e)} for e in ex.events],
    )
    for e, eid in zip(ex.events, event_fact_ids, strict=True):
        evidence += evidence_rows("event", eid, article_id, body, e.spans, stated=stated_date(e.date, e.precision))
    execute_many(
        conn,
        EVENT_PARTICIPANT,
        [
            {"v": eid, "e": ids[ref]}
            for e, eid in zip(ex.events, event_fact_ids, strict=True)
            for ref in e.participants
            if ref in ids
        ],
    )
    execute_many(
        conn,
        CLAIM,
        [
            {"a": article_id, "s": ids[c.subject], "t": c.attribute, "v": c.value, "b": c.span.start, "e": c.span.end}
            for c in ex.claims
            if c.subject in ids
        ],
    )
    write_evidence(conn, evidence)
