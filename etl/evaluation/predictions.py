"""What the ETL extracted from each article, in the neutral shape the scorer compares with gold.

Two sources give the same shape: the database after a load (what `armsledger eval` scores: the
facts as analysts see them, superseded ones hidden) and an in-memory :class:`Extraction`
(for rule development without a database; no cross-article merging).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import Connection, text

from etl.records import Extraction

# Deal statuses as stored (Open Contracting based) -> the gold's vocabulary.
DEAL_STATUS = {
    "planning": "announced",
    "tender": "tendered",
    "awarded": "awarded",
    "active": "signed",
    "complete": "delivered",
    "cancelled": "cancelled",
    "unsuccessful": "never_materialized",
    "unknown": "unknown",
}
ENTITY_TYPE = {"government_body": "organization"}
SCORED_ENTITY_TYPES = {"person", "organization", "country", "armed_group", "weapon_system"}


@dataclass
class PMoney:
    raw: str
    amount: float
    currency: str
    kind: str
    year: int | None
    amount_max: float | None = None


@dataclass
class PEntity:
    name: str
    type: str
    surfaces: set[str] = field(default_factory=set)

    @property
    def forms(self) -> set[str]:
        return {self.name, *self.surfaces}


@dataclass
class PDeal:
    title: str
    buyer: set[str]  # the buyer's canonical name and its surface forms in the article
    suppliers: list[str]
    item: str
    value: float | None
    currency: str | None
    value_usd: float | None
    status: str


@dataclass
class PAid:
    donor: str | None
    recipient: set[str]
    amount: float
    currency: str
    amount_usd: float | None
    year: int | None
    stage: str


@dataclass
class PQuote:
    text: str
    speaker: str | None


@dataclass
class ArticlePrediction:
    money: list[PMoney] = field(default_factory=list)
    entities: list[PEntity] = field(default_factory=list)
    deals: list[PDeal] = field(default_factory=list)
    aid: list[PAid] = field(default_factory=list)
    quotes: list[PQuote] = field(default_factory=list)


def _f(x: object) -> float | None:
    return None if x is None else float(x)  # type: ignore[arg-type]


def from_extraction(ex: Extraction) -> ArticlePrediction:
    """The prediction for one article straight from the transform stage."""
    surfaces: dict[tuple[str, str], set[str]] = defaultdict(set)
    for m in ex.mentions:
        surfaces[(m.entity.name, m.entity.entity_type)].add(m.surface)
    ents = [
        PEntity(name, ENTITY_TYPE.get(t, t), s)
        for (name, t), s in surfaces.items()
        if ENTITY_TYPE.get(t, t) in SCORED_ENTITY_TYPES
    ]

    def forms(name: str | None) -> set[str]:
        if name is None:
            return set()
        return {name} | {s for (n, _), ss in surfaces.items() if n == name for s in ss}

    deals = []
    for d in ex.deals:
        status = DEAL_STATUS.get(d.status, d.status)
        if status == "awarded" and any(e.event_type == "protested" for e in d.events):
            status = "protested"
        item = " ".join(x for x in (d.item_text, d.item.name if d.item else None) if x)
        suppliers = [p.entity.name for p in d.parties if p.role in ("supplier", "consortium_member", "bidder")]
        deals.append(
            PDeal(d.title, forms(d.buyer.name if d.buyer else None), suppliers, item,
                  _f(d.value), d.currency, _f(d.value_usd), status)
        )
    return ArticlePrediction(
        money=[PMoney(m.raw, float(m.amount), m.currency, m.kind, m.year, _f(m.amount_max)) for m in ex.money],
        entities=ents,
        deals=deals,
        aid=[
            PAid(a.donor.name, forms(a.recipient.name), float(a.amount), a.currency, _f(a.amount_usd),
                 a.fiscal_year, a.stage)
            for a in ex.aid
        ],
        quotes=[PQuote(q.text, q.speaker.name if q.speaker else None) for q in ex.quotes],
    )


def _by_file(rows, make) -> dict[str, list]:
    out: dict[str, list] = defaultdict(list)
    for r in rows:
        out[r.source_file].append(make(r))
    return out


def from_database(conn: Connection) -> dict[str, ArticlePrediction]:
    """Predictions per article file name, read from a loaded ArmsLedger database."""
    preds: dict[str, ArticlePrediction] = defaultdict(ArticlePrediction)
    for r in conn.execute(
        text(
            """SELECT a.source_file, m.raw_text, m.amount, m.amount_max, m.currency, m.kind, m.year
               FROM money_mentions m JOIN articles a ON a.id = m.article_id ORDER BY a.id, m.char_start"""
        )
    ):
        preds[r.source_file].money.append(PMoney(r.raw_text, float(r.amount), r.currency, r.kind, r.year,
                                                 _f(r.amount_max)))
    surfaces: dict[tuple[str, int], set[str]] = defaultdict(set)
    for r in conn.execute(
        text(
            """SELECT a.source_file, e.id, e.name, e.entity_type, m.surface
               FROM mentions m JOIN articles a ON a.id = m.article_id JOIN entities e ON e.id = m.entity_id
               ORDER BY a.id, m.char_start"""
        )
    ):
        key = (r.source_file, r.id)
        if key not in surfaces:
            t = ENTITY_TYPE.get(r.entity_type, r.entity_type)
            if t in SCORED_ENTITY_TYPES:
                preds[r.source_file].entities.append(PEntity(r.name, t, surfaces[key]))
        surfaces[key].add(r.surface)

    def forms(file: str, entity_id: int | None, name: str | None) -> set[str]:
        return set() if name is None else {name} | surfaces.get((file, entity_id), set())

    for r in conn.execute(
        text(
            """SELECT DISTINCT ON (a.source_file, d.id)
                      a.source_file, d.id, d.title, d.buyer_entity_id, b.name AS buyer, d.item_text, i.name AS item,
                      d.value, d.currency, d.value_usd,
                      coalesce(ev.stated_value, d.status) AS status,
                      EXISTS (SELECT 1 FROM deal_events x WHERE x.deal_id = d.id AND x.event_type = 'protested'
                              AND x.superseded_by_id IS NULL) AS protested,
                      (SELECT string_agg(s.name, '; ' ORDER BY s.name) FROM deal_parties p
                        JOIN entities s ON s.id = p.entity_id
                       WHERE p.deal_id = d.id AND p.role IN ('supplier', 'consortium_member', 'bidder')) AS suppliers
               FROM evidence ev JOIN articles a ON a.id = ev.article_id JOIN deals d ON d.id = ev.fact_id
               LEFT JOIN entities b ON b.id = d.buyer_entity_id LEFT JOIN entities i ON i.id = d.item_entity_id
               WHERE ev.fact_type = 'deal' AND d.superseded_by_id IS NULL
               ORDER BY a.source_file, d.id, ev.char_start"""
        )
    ):
        status = DEAL_STATUS.get(r.status, r.status)
        if status == "awarded" and r.protested:
            status = "protested"
        suppliers = r.suppliers.split("; ") if r.suppliers else []
        item = " ".join(x for x in (r.item_text, r.item) if x)
        buyer = forms(r.source_file, r.buyer_entity_id, r.buyer)
        preds[r.source_file].deals.append(
            PDeal(r.title, buyer, suppliers, item, _f(r.value), r.currency, _f(r.value_usd), status)
        )
    for r in conn.execute(
        text(
            """SELECT DISTINCT a.source_file, g.id, g.recipient_entity_id, d.name AS donor, rc.name AS recipient,
                      g.amount, g.currency, g.amount_usd, g.fiscal_year, g.stage
               FROM evidence ev JOIN articles a ON a.id = ev.article_id
               JOIN aid_allocations g ON g.id = ev.fact_id
               LEFT JOIN entities d ON d.id = g.donor_entity_id LEFT JOIN entities rc ON rc.id = g.recipient_entity_id
               WHERE ev.fact_type = 'aid_allocation' AND g.superseded_by_id IS NULL
               ORDER BY a.source_file, g.id"""
        )
    ):
        preds[r.source_file].aid.append(
            PAid(r.donor, forms(r.source_file, r.recipient_entity_id, r.recipient), float(r.amount), r.currency,
                 _f(r.amount_usd), r.fiscal_year, r.stage)
        )
    for r in conn.execute(
        text(
            """SELECT a.source_file, ev.excerpt, s.name AS speaker
               FROM evidence ev JOIN articles a ON a.id = ev.article_id JOIN quotes q ON q.id = ev.fact_id
               LEFT JOIN entities s ON s.id = q.speaker_entity_id
               WHERE ev.fact_type = 'quote' ORDER BY a.source_file, ev.char_start"""
        )
    ):
        preds[r.source_file].quotes.append(PQuote(r.excerpt, r.speaker))
    return dict(preds)
