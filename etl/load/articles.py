"""What the loader writes of an article: its rows' columns and the entities it names.

The writing itself is set-based, a batch at a time (etl/load/bulk.py); reviewed facts are written
with :func:`write_facts` (etl/load/fact_writer.py)."""

from __future__ import annotations

from etl.load.entities import EntityRow
from etl.load.fact_writer import write_facts
from etl.records import EntityRef, Extraction

__all__ = ["ALIAS_METHODS", "MENTION_COLUMNS", "MONEY_COLUMNS", "entity_rows", "write_facts"]

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
