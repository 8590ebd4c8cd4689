"""Plain records that flow between the ETL stages (extract -> transform -> load).

Every extracted fact carries character spans into the article's clean body, so the loader can
write evidence rows. Entities are referred to by (name, entity_type); the loader resolves them
to database ids. Nothing here touches I/O or the database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

DatePrecision = Literal["day", "month", "year"]
EntityType = Literal[
    "person", "organization", "government_body", "country", "armed_group", "weapon_system", "program"
]


@dataclass(frozen=True, slots=True)
class Span:
    """Half-open character range [start, end) in an article's clean body."""

    start: int
    end: int

    def __reduce__(self) -> tuple:
        # Spans cross from the workers to the writer by the thousand per article: a frozen slotted
        # dataclass's own pickling calls dataclasses.fields() per object, 3x slower both ways
        return (Span, (self.start, self.end))


@dataclass(slots=True)
class RawDocument:
    """One article as read from disk, before cleaning. ``meta`` holds values given by the
    source itself (JSON line fields) or by a manifest row: title, url, publisher, published, byline."""

    source_path: str
    source_line: int | None
    kind: Literal["txt", "html", "jsonl"]
    text: str | None = None
    html: str | None = None
    meta: dict[str, str] = field(default_factory=dict)
    meta_origin: dict[str, str] = field(default_factory=dict)  # field -> "manifest" | "jsonl"


@dataclass(frozen=True, slots=True)
class Rejection:
    """An input that could not be loaded, and why."""

    source_path: str
    reason: str
    source_line: int | None = None

    def __reduce__(self) -> tuple:
        return (Rejection, (self.source_path, self.reason, self.source_line))  # as Span.__reduce__


@dataclass(slots=True)
class CleanArticle:
    """A cleaned article with inferred metadata. ``provenance`` maps a field name to how its value
    was found (e.g. ``manifest``, ``dateline``, ``stamp``, ``wire-credit``, ``first-line``)."""

    source_path: str
    source_line: int | None
    body: str
    content_hash: str
    title: str | None = None
    publisher: str | None = None
    byline: str | None = None
    dateline_place: str | None = None
    published_on: dt.date | None = None
    date_precision: DatePrecision | None = None
    url: str | None = None
    wire_service: str | None = None
    provenance: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class EntityRef:
    """A reference to an entity by its canonical name and type."""

    name: str
    entity_type: EntityType

    def __reduce__(self) -> tuple:
        return (EntityRef, (self.name, self.entity_type))  # as Span.__reduce__


@dataclass(slots=True)
class MentionRec:
    """An entity mentioned at a span. ``method``: gazetteer, alias, surname, acronym, demonym,
    discovered, fuzzy."""

    span: Span
    surface: str
    entity: EntityRef
    method: str
    origin: Literal["curated", "discovered"] = "curated"
    country_code: str | None = None


@dataclass(slots=True)
class QuoteRec:
    """A direct quote and its speaker (None when unattributed)."""

    span: Span
    text: str
    speaker: EntityRef | None


@dataclass(slots=True)
class PositionRec:
    """A person holding a title, optionally at an organization or for a country."""

    span: Span
    person: EntityRef
    title: str
    organization: EntityRef | None = None
    country_code: str | None = None
    is_former: bool = False


@dataclass(slots=True)
class DateRec:
    """A (possibly relative) date expression resolved against the publication date."""

    span: Span
    raw: str
    value: dt.date
    precision: DatePrecision


@dataclass(slots=True)
class MoneyRec:
    """A money amount. ``amount`` is in whole units; ``amount_max`` is set for ranges."""

    span: Span
    raw: str
    amount: Decimal
    currency: str
    amount_max: Decimal | None = None
    qualifier: str | None = None
    kind: str = "other"
    year: int | None = None
    year_precision: str | None = None
    amount_usd: Decimal | None = None
    fx_rate: Decimal | None = None
    fx_rate_date: dt.date | None = None
    fx_source: str | None = None


@dataclass(slots=True)
class AidRec:
    """An aid allocation stated in a sentence."""

    span: Span
    donor: EntityRef
    recipient: EntityRef
    fiscal_year: int | None
    amount: Decimal
    currency: str
    amount_usd: Decimal | None
    purpose: str
    stage: str
    attributed_to: str | None = None
    qualifier: str | None = None  # "at least", "top", "about" ... as on the MoneyRec


@dataclass(slots=True)
class PartyRec:
    entity: EntityRef
    role: str  # buyer, supplier, consortium_member, bidder, protester
    country_code: str | None = None
    named: bool = True  # False for a descriptive party ("a consortium of Chinese defense manufacturers")


@dataclass(slots=True)
class DealEventRec:
    event_type: str  # tendered, bid, awarded, protested, cancelled, signed, delivered, never_materialized
    span: Span
    date: dt.date | None = None
    precision: DatePrecision | None = None
    party: EntityRef | None = None


@dataclass(slots=True)
class DealRec:
    """An arms deal, tender or sale with its parties and lifecycle events."""

    title: str
    spans: list[Span]
    buyer: EntityRef | None = None
    item: EntityRef | None = None
    item_text: str | None = None
    quantity: int | None = None
    value: Decimal | None = None
    currency: str | None = None
    value_usd: Decimal | None = None
    status: str = "unknown"
    year: int | None = None
    parties: list[PartyRec] = field(default_factory=list)
    events: list[DealEventRec] = field(default_factory=list)
    buyer_country: str | None = None  # ISO alpha-2 of the buying state
    kind: str | None = None  # contract, sale, purchase, tender, delivery
    replaces: str | None = None  # system the deal is meant to replace ("T55 Soviet-built tanks")
    quantity_max: int | None = None  # upper bound of a stated range ("six to eight"); quantity is the lower


@dataclass(slots=True)
class AgreementRec:
    """A treaty, accord, memorandum of understanding or trade agreement."""

    title: str
    agreement_type: str  # defense_cooperation, mou, free_trade, other
    spans: list[Span]
    date: dt.date | None = None
    precision: DatePrecision | None = None
    parties: list[EntityRef] = field(default_factory=list)
    place: str | None = None
    action: str | None = None  # what the article reports: update, signed, entered_into_force, agreed
    action_date: dt.date | None = None
    action_precision: DatePrecision | None = None
    signatories: list[EntityRef] = field(default_factory=list)


@dataclass(slots=True)
class EventRec:
    """A meeting, attack, resignation, capture or similar event."""

    event_type: str  # meeting, attack, resignation, capture, other
    description: str
    spans: list[Span]
    date: dt.date | None = None
    precision: DatePrecision | None = None
    place: str | None = None
    fatalities: int | None = None
    participants: list[EntityRef] = field(default_factory=list)


@dataclass(slots=True)
class ClaimRec:
    """A comparable claim about a subject, e.g. a world ranking."""

    span: Span
    subject: EntityRef
    attribute: str
    value: str


@dataclass(slots=True)
class Extraction:
    """Everything the transform stage found in one article."""

    mentions: list[MentionRec] = field(default_factory=list)
    quotes: list[QuoteRec] = field(default_factory=list)
    positions: list[PositionRec] = field(default_factory=list)
    dates: list[DateRec] = field(default_factory=list)
    money: list[MoneyRec] = field(default_factory=list)
    aid: list[AidRec] = field(default_factory=list)
    deals: list[DealRec] = field(default_factory=list)
    agreements: list[AgreementRec] = field(default_factory=list)
    events: list[EventRec] = field(default_factory=list)
    claims: list[ClaimRec] = field(default_factory=list)
