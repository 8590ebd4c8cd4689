"""What the writer needs of one article, computed where it is extracted (a worker process).

Pure and per article: shingle hashes for the syndication index and check, the entities it
names, its mention, alias, money and provenance rows (all but the ids the writer assigns), and
the natural keys of its facts. The batch writer then only assigns ids, copies and merges.
"""

from __future__ import annotations

from dataclasses import dataclass

from etl.load.articles import ALIAS_METHODS, entity_rows
from etl.load.entities import EntityRow
from etl.load.fingerprints import shingle_hashes
from etl.load.keys import FactKeys
from etl.records import CleanArticle, EntityRef, Extraction

MentionRow = tuple[EntityRef, int, int, str, str]  # entity, char_start, char_end, surface, method
AliasRow = tuple[EntityRef, str, str]  # entity, alias, kind


@dataclass(slots=True)
class Prepared:
    """One article's load-ready parts (see the module docstring)."""

    hashes: frozenset[int]  # winnowed shingle hashes: the stored index, candidate lookup
    shingles: frozenset[int]  # every narrative shingle hash: the overlap check
    entities: list[EntityRow]
    mentions: list[MentionRow]  # the first of each (char_start, entity), in order
    aliases: list[AliasRow]
    money: list[tuple]  # money_mentions columns after article_id, the first per char_start
    provenance: list[tuple[str, str]]
    word_count: int
    fact_keys: dict[str, list[str]]  # position, aid, deal, agreement, event: one key per record


def money_row(m) -> tuple:
    """A money mention's money_mentions columns after article_id."""
    return (
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


def first(rows: list, unique) -> list:
    """The first row of each value of ``unique(row)``, in order."""
    seen: set = set()
    out = []
    for row in rows:
        k = unique(row)
        if k not in seen:
            seen.add(k)
            out.append(row)
    return out


def prepare(article: CleanArticle, ex: Extraction, keys: FactKeys) -> Prepared:
    """Everything of ``article`` the batch writer needs that does not depend on the database."""
    hashes, every = shingle_hashes(article.body)
    mentions = [(m.entity, m.span.start, m.span.end, m.surface, m.method) for m in ex.mentions]
    return Prepared(
        hashes=frozenset(hashes),
        shingles=frozenset(every),
        entities=entity_rows(ex),
        mentions=first(mentions, lambda r: (r[1], r[0])),
        aliases=[
            (m.entity, m.surface, kind)
            for m in ex.mentions
            if (kind := ALIAS_METHODS.get(m.method)) and m.surface != m.entity.name
        ],
        money=first([money_row(m) for m in ex.money], lambda r: r[0]),
        provenance=sorted(article.provenance.items()),
        word_count=len(article.body.split()),
        fact_keys={
            "position": [keys.position(p) for p in ex.positions],
            "aid": [keys.aid(a) for a in ex.aid],
            "deal": [keys.deal(d) for d in ex.deals],
            "agreement": [keys.agreement(g) for g in ex.agreements],
            "event": [keys.event(e) for e in ex.events],
        },
    )
