"""Set-based writing of the facts of a batch of articles, with their evidence.

The rows of every article of the batch are gathered in load order; rows of one fact type with the
same key are merged in Python the way successive upserts would merge them (the first non-null
value of each attribute, a known deal status over ``unknown``), then each fact table gets one
COPY into a staging table and one ``INSERT ... SELECT ... ON CONFLICT DO UPDATE ... RETURNING``.
The result is what :func:`etl.load.fact_writer.write_facts` gives article by article.
"""

from __future__ import annotations

import datetime as dt
from bisect import insort
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from psycopg import sql
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
from etl.load.facts import EVIDENCE_COLUMNS, FACT_MODELS
from etl.load.keys import FactKeys
from etl.load.prepare import first as _first
from etl.load.staging import copy_rows, insert_staged, stage_rows
from etl.records import EntityRef, Extraction, QuoteRec, Span

Key = tuple[str, str]  # (fact type, key)


def _merge(stored: dict[str, Any], new: dict[str, Any]) -> None:
    """Fold ``new`` into ``stored`` as ``ON CONFLICT DO UPDATE SET c = coalesce(old, new)`` does."""
    for name, value in new.items():
        if name == "status":
            if stored[name] in (None, "unknown"):
                stored[name] = value
        elif stored[name] is None:
            stored[name] = value


@dataclass
class FactBatch:
    """The facts, links and evidence of a batch's articles, to be written by :meth:`write`."""

    keys: FactKeys
    version: str
    facts: dict[str, dict[str, dict[str, Any]]] = field(default_factory=lambda: {t: {} for t in FACT_MODELS})
    deal_parties: list[tuple[str, int, str, str | None]] = field(default_factory=list)
    agreement_parties: list[tuple[str, int]] = field(default_factory=list)
    event_participants: list[tuple[str, int]] = field(default_factory=list)
    claims: list[tuple] = field(default_factory=list)
    evidence: list[tuple[Key, int, int, int, str, str | None]] = field(default_factory=list)
    quotes: dict[str, list] = field(default_factory=dict)  # key -> [order, text, speaker]
    speakers: dict[int | None, list[str]] = field(default_factory=dict)  # speaker -> quote keys, by order

    def _fact(self, fact_type: str, row: dict[str, Any], key_column: str = "fact_key") -> str:
        key = row[key_column]
        rows = self.facts[fact_type]
        if key in rows:
            _merge(rows[key], row)
        else:
            rows[key] = dict(row)
        return key

    def _evidence(
        self, fact_type: str, key: str, article_id: int, body: str, spans: Sequence[Span], stated: str | None = None
    ) -> None:
        self.evidence += [
            ((fact_type, key), article_id, s.start, s.end, body[s.start : s.end], stated)
            for s in spans
            if s.end > s.start
        ]

    def load_quotes(self, conn: Connection, quotes: list[tuple[QuoteRec, int | None]]) -> None:
        """The stored quotes a quote of the batch may merge into: those of its speakers (the
        variants it is compared with) and those with its own key, by id."""
        speakers = {speaker for _, speaker in quotes}
        rows = conn.execute(
            text(
                "SELECT quote_key, text, speaker_entity_id FROM quotes "
                "WHERE speaker_entity_id = ANY(CAST(:s AS bigint[])) OR quote_key = ANY(CAST(:k AS text[])) "
                "OR (:unattributed AND speaker_entity_id IS NULL) ORDER BY id"
            ),
            {
                "s": [s for s in speakers if s is not None],
                "k": sorted({self.keys.quote(q) for q, _ in quotes}),
                "unattributed": None in speakers,
            },
        )
        self.quotes = {}
        self.speakers = {}
        for key, stored, speaker in rows:
            self._new_quote(key, stored, speaker)

    def _new_quote(self, key: str, stored: str, speaker: int | None) -> None:
        self.quotes[key] = [len(self.quotes), stored, speaker]
        self.speakers.setdefault(speaker, []).append(key)

    def _quote_key(self, q: QuoteRec, speaker: int | None) -> str:
        """As :func:`etl.load.fact_writer._quote_key` followed by the upsert, over the stored
        quotes and this batch's: the first variant by this speaker, else the quote's own key
        (a quote stored without a speaker takes this one's)."""
        for key in self.speakers.get(speaker, ()):
            if self.keys.same_quote(self.quotes[key][1], q.text):
                return key
        key = self.keys.quote(q)
        row = self.quotes.get(key)
        if row is None:
            self._new_quote(key, q.text, speaker)
        elif row[2] is None and speaker is not None:
            row[2] = speaker
            self.speakers[None].remove(key)
            insort(self.speakers.setdefault(speaker, []), key, key=lambda k: self.quotes[k][0])
        return key

    def add(
        self,
        article_id: int,
        body: str,
        ex: Extraction,
        ids: dict[EntityRef, int],
        published: dt.date | None,
        fact_keys: dict[str, list[str]] | None = None,
    ) -> None:
        """Gather one article's facts (in the order write_facts upserts them); ``fact_keys``
        are their natural keys when already computed (etl/load/prepare.py)."""
        keys = self.keys
        given = fact_keys or {
            "position": [keys.position(p) for p in ex.positions],
            "aid": [keys.aid(a) for a in ex.aid],
            "deal": [keys.deal(d) for d in ex.deals],
            "agreement": [keys.agreement(g) for g in ex.agreements],
            "event": [keys.event(e) for e in ex.events],
        }
        common = {"extractor_version": self.version, "review_status": "automatic"}

        for q in ex.quotes:
            speaker = ref_id(ids, q.speaker)
            key = self._fact(
                "quote",
                {"quote_key": self._quote_key(q, speaker), "text": q.text, "speaker_entity_id": speaker},
                "quote_key",
            )
            self._evidence("quote", key, article_id, body, [q.span])
        for p, fact_key in zip(ex.positions, given["position"], strict=True):
            if p.person not in ids:
                continue
            key = self._fact(
                "position",
                {**common, "fact_key": fact_key, **position_row(p, ids, published)},
            )
            self._evidence("position", key, article_id, body, [p.span])
        for a, fact_key in zip(ex.aid, given["aid"], strict=True):
            key = self._fact(
                "aid_allocation",
                {**common, "fact_key": fact_key, **aid_row(a, ids)},
            )
            self._evidence("aid_allocation", key, article_id, body, [a.span])
        for d, fact_key in zip(ex.deals, given["deal"], strict=True):
            deal_key = self._fact(
                "deal",
                {**common, "fact_key": fact_key, **deal_row(d, ids)},
            )
            self.deal_parties += [
                (deal_key, ids[p.entity], p.role, p.country_code) for p in d.parties if p.entity in ids
            ]
            self._evidence(
                "deal", deal_key, article_id, body, d.spans, stated=None if d.status == "unknown" else d.status
            )
            for ev in d.events:
                key = self._fact(
                    "deal_event",
                    {
                        **common,
                        "fact_key": deal_event_key(deal_key, ev),
                        "deal_id": deal_key,  # resolved to the deal's id when the deals are written
                        **deal_event_row(ev, ids),
                    },
                )
                self._evidence(
                    "deal_event", key, article_id, body, [ev.span], stated=stated_date(ev.date, ev.precision)
                )
        for g, fact_key in zip(ex.agreements, given["agreement"], strict=True):
            key = self._fact(
                "agreement",
                {**common, "fact_key": fact_key, **agreement_row(g)},
            )
            self._evidence("agreement", key, article_id, body, g.spans, stated=stated_date(g.date, g.precision))
            self.agreement_parties += [(key, ids[ref]) for ref in g.parties if ref in ids]
        for e, fact_key in zip(ex.events, given["event"], strict=True):
            key = self._fact(
                "event",
                {**common, "fact_key": fact_key, **event_row(e)},
            )
            self._evidence("event", key, article_id, body, e.spans, stated=stated_date(e.date, e.precision))
            self.event_participants += [(key, ids[ref]) for ref in e.participants if ref in ids]
        self.claims += [
            (article_id, ids[c.subject], c.attribute, c.value, c.span.start, c.span.end)
            for c in ex.claims
            if c.subject in ids
        ]

    def write(self, conn: Connection) -> None:
        """Upsert every fact, then the links, claims and evidence (a few statements per table)."""
        fact_ids: dict[Key, int] = {}
        for fact_type in ("quote", "position", "aid_allocation", "deal", "deal_event", "agreement", "event"):
            rows = list(self.facts[fact_type].values())
            if fact_type == "deal_event":
                for row in rows:
                    row["deal_id"] = fact_ids["deal", row["deal_id"]]
            key_column = "quote_key" if fact_type == "quote" else "fact_key"
            for key, fact_id in _upsert(conn, fact_type, rows, key_column):
                fact_ids[fact_type, key] = fact_id
        insert_staged(
            conn,
            "deal_parties",
            ("deal_id", "entity_id", "role", "country_code"),
            [(fact_ids["deal", k], e, r, c) for k, e, r, c in self.deal_parties],
            ("deal_id", "entity_id", "role"),
        )
        insert_staged(
            conn,
            "agreement_parties",
            ("agreement_id", "entity_id"),
            [(fact_ids["agreement", k], e) for k, e in self.agreement_parties],
            ("agreement_id", "entity_id"),
        )
        insert_staged(
            conn,
            "event_participants",
            ("event_id", "entity_id"),
            [(fact_ids["event", k], e) for k, e in self.event_participants],
            ("event_id", "entity_id"),
        )
        copy_rows(  # an article's own rows: the first of equal rows wins, as ON CONFLICT DO NOTHING did
            conn,
            "claims",
            ("article_id", "subject_entity_id", "attribute", "value", "char_start", "char_end"),
            _first(self.claims, lambda c: (c[0], c[4], c[2])),
        )
        evidence = [(t, fact_ids[t, k], *rest) for (t, k), *rest in self.evidence]
        copy_rows(conn, "evidence", EVIDENCE_COLUMNS, _first(evidence, lambda e: e[:4]))


def _upsert(conn: Connection, fact_type: str, rows: list[dict[str, Any]], key_column: str) -> list[tuple[str, int]]:
    """Insert or merge ``rows`` (distinct keys) into the fact table; return (key, id) pairs."""
    if not rows:
        return []
    table = FACT_MODELS[fact_type].__table__.name
    columns = list(rows[0])
    stage = stage_rows(conn, table, columns, [[row[c] for c in columns] for row in rows])
    merged = [
        sql.SQL("{c} = coalesce({t}.{c}, EXCLUDED.{c})").format(c=sql.Identifier(c), t=sql.Identifier(table))
        for c in columns
        if c not in (key_column, "status")
    ]
    if "status" in columns:
        merged.append(
            sql.SQL("status = coalesce(nullif({t}.status, 'unknown'), EXCLUDED.status)").format(t=sql.Identifier(table))
        )
    cols = sql.SQL(", ").join(map(sql.Identifier, columns))
    statement = sql.SQL(
        "INSERT INTO {t} ({cols}) SELECT {cols} FROM {stage} ORDER BY ord "
        "ON CONFLICT ({key}) DO UPDATE SET {merged} RETURNING {key}, id"
    ).format(
        t=sql.Identifier(table),
        cols=cols,
        stage=stage,
        key=sql.Identifier(key_column),
        merged=sql.SQL(", ").join(merged),
    )
    with conn.connection.driver_connection.cursor() as cur:
        cur.execute(statement)
        return cur.fetchall()
