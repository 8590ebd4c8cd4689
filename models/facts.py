"""Source-linked facts: money mentions, deals, aid, agreements, events, evidence, discrepancies."""

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from models.base import DATE_PRECISIONS, REVIEW_STATUSES, Base, in_list, intpk

MONEY_KINDS = ("military_aid", "economic_aid", "contract_value", "sale_value", "budget", "other")
DEAL_STATUSES = (
    "planning",
    "tender",
    "awarded",
    "active",
    "complete",
    "cancelled",
    "unsuccessful",
    "unknown",
)
PARTY_ROLES = ("buyer", "supplier", "consortium_member", "bidder", "protester", "intermediary")
DEAL_EVENTS = (
    "tendered",
    "bid",
    "awarded",
    "protested",
    "cancelled",
    "signed",
    "delivered",
    "never_materialized",
)
# Position of a deal event's type in a deal's life (analytics.deal_events.event_order).
EVENT_ORDER = "array_position(ARRAY[" + ", ".join(f"'{e}'" for e in DEAL_EVENTS) + "], event_type)"
AID_STAGES = (
    "requested",
    "appropriated",
    "estimated",
    "actual",
    "projected",
    "change",
    "pledged",
    "delivered",
    "withheld",
    "cancelled",
)
AGREEMENT_TYPES = ("defense_cooperation", "mou", "free_trade", "other")
EVENT_TYPES = ("meeting", "attack", "resignation", "capture", "kidnapping", "protest", "other")
FACT_TYPES = ("deal", "deal_event", "aid_allocation", "position", "agreement", "event", "quote")


def _entity_fk(comment: str, nullable: bool = True, index: bool = True) -> Mapped[int | None]:
    """A reference to an entity; ``index=False`` where a composite index in the table's arguments
    starts with it (an entity's facts newest first, for entity_profile)."""
    return mapped_column(
        BigInteger,
        ForeignKey("entities.id", ondelete="SET NULL" if nullable else "CASCADE"),
        index=index,
        nullable=nullable,
        comment=comment,
    )


class ReviewedFact:
    """Columns shared by facts that analysts can review: natural key, review status, supersession."""

    fact_key: Mapped[str] = mapped_column(Text, unique=True, comment="Natural key that merges repeats.")
    review_status: Mapped[str] = mapped_column(
        Text,
        server_default="automatic",
        comment="automatic (extracted) or reviewed (data/reference/facts.yaml).",
    )
    extractor_version: Mapped[str] = mapped_column(Text, comment="Rules or review file that produced it.")

    @declared_attr
    def superseded_by_id(cls) -> Mapped[int | None]:
        return mapped_column(
            BigInteger,
            ForeignKey(f"{cls.__tablename__}.id", ondelete="SET NULL"),
            comment="Reviewed fact that corrects this one; NULL when current.",
        )

    @declared_attr.directive
    def __table_args__(cls) -> tuple:
        return (CheckConstraint(in_list("review_status", REVIEW_STATUSES), name="review_status"),)


class MoneyMention(Base):
    __tablename__ = "money_mentions"
    __table_args__ = (
        CheckConstraint(in_list("kind", MONEY_KINDS), name="kind"),
        UniqueConstraint("article_id", "char_start"),
        {"comment": "A money amount stated in an article, normalized and converted to USD."},
    )

    id: Mapped[intpk]
    article_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("articles.id", ondelete="CASCADE"), comment="The article."
    )
    char_start: Mapped[int] = mapped_column(Integer, comment="Start offset in the body.")
    char_end: Mapped[int] = mapped_column(Integer, comment="End offset in the body.")
    raw_text: Mapped[str] = mapped_column(Text, comment="Amount as written.")
    amount: Mapped[Decimal] = mapped_column(Numeric(20, 2), comment="Amount in whole currency units.")
    amount_max: Mapped[Decimal | None] = mapped_column(Numeric(20, 2), comment="Upper bound of a range.")
    currency: Mapped[str] = mapped_column(Text, comment="ISO 4217 currency code.")
    amount_usd: Mapped[Decimal | None] = mapped_column(Numeric(20, 2), comment="Amount in nominal USD.")
    fx_rate: Mapped[Decimal | None] = mapped_column(Numeric(20, 10), comment="USD per unit used.")
    fx_rate_date: Mapped[dt.date | None] = mapped_column(Date, comment="Date of the rate used.")
    fx_source: Mapped[str | None] = mapped_column(Text, comment="Source of the exchange rate.")
    qualifier: Mapped[str | None] = mapped_column(Text, comment="at least, about, more than, up to...")
    kind: Mapped[str] = mapped_column(
        Text, comment="military_aid, economic_aid, contract_value, sale_value, budget or other."
    )
    year: Mapped[int | None] = mapped_column(Integer, comment="Year the amount applies to.")
    year_basis: Mapped[str | None] = mapped_column(
        Text,
        comment="How the year was found: explicit, relative, fiscal, publication, or context (an undated"
        " article's latest dated event before the amount).",
    )


class Deal(ReviewedFact, Base):
    __tablename__ = "deals"
    __table_args__ = (
        CheckConstraint(in_list("status", DEAL_STATUSES), name="status"),
        *ReviewedFact.__table_args__,
        # current deals in the order of the arms_deals query
        Index("ix_deals_listing", "year", "title", "id", postgresql_where=text("superseded_by_id IS NULL")),
        Index("ix_deals_buyer_entity_id_id", "buyer_entity_id", "id"),
        {"comment": "An arms deal, tender or sale. Status follows OCDS code lists where they fit."},
    )

    id: Mapped[intpk]
    title: Mapped[str] = mapped_column(Text, comment="Short human title of the deal.")
    buyer_entity_id: Mapped[int | None] = _entity_fk("Buying government, ministry or force.", index=False)
    item_entity_id: Mapped[int | None] = _entity_fk("Weapon system bought, when identified.")
    item_text: Mapped[str | None] = mapped_column(Text, comment="Item as described in the article.")
    replaces: Mapped[str | None] = mapped_column(Text, comment="What the item is meant to replace, when stated.")
    quantity: Mapped[int | None] = mapped_column(Integer, comment="Number of units, when stated.")
    value: Mapped[Decimal | None] = mapped_column(Numeric(20, 2), comment="Value in its currency.")
    currency: Mapped[str | None] = mapped_column(Text, comment="ISO 4217 code of the value.")
    value_usd: Mapped[Decimal | None] = mapped_column(Numeric(20, 2), comment="Value in nominal USD.")
    status: Mapped[str] = mapped_column(
        Text, comment="planning, tender, awarded, active, complete, cancelled, unsuccessful, unknown."
    )
    year: Mapped[int | None] = mapped_column(Integer, comment="Year of the deal, when known.")


class DealParty(Base):
    __tablename__ = "deal_parties"
    __table_args__ = (
        CheckConstraint(in_list("role", PARTY_ROLES), name="role"),
        UniqueConstraint("deal_id", "entity_id", "role"),
        # an entity's buyer rows, and its other roles, each newest first by index (entity_profile)
        Index("ix_deal_parties_entity_id_role_deal_id", "entity_id", "role", "deal_id"),
        Index("ix_deal_parties_other_roles", "entity_id", "deal_id", postgresql_where=text("role <> 'buyer'")),
        {"comment": "An organization or country taking part in a deal, with its role."},
    )

    id: Mapped[intpk]
    deal_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("deals.id", ondelete="CASCADE"), comment="The deal."
    )
    entity_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("entities.id", ondelete="CASCADE"), comment="The party."
    )
    role: Mapped[str] = mapped_column(
        Text, comment="buyer, supplier, consortium_member, bidder, protester or intermediary."
    )
    country_code: Mapped[str | None] = mapped_column(Text, index=True, comment="Party's country (ISO alpha-2).")


class DealEvent(ReviewedFact, Base):
    __tablename__ = "deal_events"
    __table_args__ = (
        CheckConstraint(in_list("event_type", DEAL_EVENTS), name="event_type"),
        CheckConstraint(in_list("date_precision", DATE_PRECISIONS), name="date_precision"),
        *ReviewedFact.__table_args__,
        # current events in the order of the contract_timeline query
        Index(
            "ix_deal_events_timeline",
            "deal_id",
            "event_date",
            text(f"({EVENT_ORDER})"),
            "id",
            postgresql_where=text("superseded_by_id IS NULL"),
        ),
        {"comment": "A step in a deal's life: tendered, bid, awarded, protested, cancelled, signed..."},
    )

    id: Mapped[intpk]
    deal_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("deals.id", ondelete="CASCADE"), index=True, comment="The deal."
    )
    event_type: Mapped[str] = mapped_column(
        Text, comment="tendered, bid, awarded, protested, cancelled, signed, delivered, never_materialized."
    )
    event_date: Mapped[dt.date | None] = mapped_column(Date, comment="When, truncated to its precision.")
    date_precision: Mapped[str | None] = mapped_column(Text, comment="day, month or year.")
    party_entity_id: Mapped[int | None] = _entity_fk("Party that acted (bidder, protester...).")


class AidAllocation(ReviewedFact, Base):
    __tablename__ = "aid_allocations"
    __table_args__ = (
        CheckConstraint(in_list("stage", AID_STAGES), name="stage"),
        *ReviewedFact.__table_args__,
        Index("ix_aid_allocations_donor_entity_id_id", "donor_entity_id", "id"),
        Index("ix_aid_allocations_recipient_entity_id_id", "recipient_entity_id", "id"),
        Index(  # the allocations of one aid_groups row (revision 0013)
            "ix_aid_allocations_group",
            func.coalesce(text("fiscal_year"), 0),
            func.coalesce(text("donor_entity_id"), 0),
            func.coalesce(text("recipient_entity_id"), 0),
            postgresql_where=text("superseded_by_id IS NULL"),
        ),
        {"comment": "Aid from a donor to a recipient for a fiscal year and purpose."},
    )

    id: Mapped[intpk]
    donor_entity_id: Mapped[int | None] = _entity_fk("Donor country or body.", index=False)
    recipient_entity_id: Mapped[int | None] = _entity_fk("Recipient country or body.", index=False)
    fiscal_year: Mapped[int | None] = mapped_column(Integer, comment="Fiscal year the amount is for.")
    amount: Mapped[Decimal] = mapped_column(Numeric(20, 2), comment="Amount; negative for reductions.")
    currency: Mapped[str] = mapped_column(Text, comment="ISO 4217 code.")
    amount_usd: Mapped[Decimal | None] = mapped_column(Numeric(20, 2), comment="Amount in nominal USD.")
    qualifier: Mapped[str | None] = mapped_column(Text, comment="at least, about, top...")
    purpose: Mapped[str] = mapped_column(Text, comment="total, counternarcotics, counterterrorism...")
    stage: Mapped[str] = mapped_column(
        Text,
        comment="requested, pledged, appropriated, delivered, withheld, cancelled, estimated, actual, projected"
        " or change.",
    )
    attributed_to: Mapped[str | None] = mapped_column(Text, comment="Who the figure is attributed to.")


class Agreement(ReviewedFact, Base):
    __tablename__ = "agreements"
    __table_args__ = (
        CheckConstraint(in_list("agreement_type", AGREEMENT_TYPES), name="agreement_type"),
        CheckConstraint(in_list("date_precision", DATE_PRECISIONS), name="date_precision"),
        *ReviewedFact.__table_args__,
        {"comment": "A treaty, accord, memorandum of understanding or trade agreement."},
    )

    id: Mapped[intpk]
    title: Mapped[str] = mapped_column(Text, comment="Short human title.")
    agreement_type: Mapped[str] = mapped_column(Text, comment="defense_cooperation, mou, free_trade or other.")
    signed_on: Mapped[dt.date | None] = mapped_column(Date, comment="Date signed or in force.")
    date_precision: Mapped[str | None] = mapped_column(Text, comment="day, month or year.")
    place: Mapped[str | None] = mapped_column(Text, comment="Where it was signed, when stated.")


class AgreementParty(Base):
    __tablename__ = "agreement_parties"
    __table_args__ = (
        UniqueConstraint("agreement_id", "entity_id"),
        Index("ix_agreement_parties_entity_id_agreement_id", "entity_id", "agreement_id"),
        {"comment": "A party to an agreement."},
    )

    id: Mapped[intpk]
    agreement_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("agreements.id", ondelete="CASCADE"), comment="The agreement."
    )
    entity_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("entities.id", ondelete="CASCADE"), comment="The party."
    )


class Event(ReviewedFact, Base):
    __tablename__ = "events"
    __table_args__ = (
        CheckConstraint(in_list("event_type", EVENT_TYPES), name="event_type"),
        CheckConstraint(in_list("date_precision", DATE_PRECISIONS), name="date_precision"),
        *ReviewedFact.__table_args__,
        {"comment": "A meeting, attack, resignation, capture or other event."},
    )

    id: Mapped[intpk]
    event_type: Mapped[str] = mapped_column(
        Text, comment="meeting, attack, resignation, capture, kidnapping, protest or other."
    )
    description: Mapped[str] = mapped_column(Text, comment="One-line description.")
    event_date: Mapped[dt.date | None] = mapped_column(Date, comment="When, truncated to its precision.")
    date_precision: Mapped[str | None] = mapped_column(Text, comment="day, month or year.")
    place: Mapped[str | None] = mapped_column(Text, comment="Where, when stated.")
    fatalities: Mapped[int | None] = mapped_column(Integer, comment="People killed, when stated.")


class EventParticipant(Base):
    __tablename__ = "event_participants"
    __table_args__ = (
        UniqueConstraint("event_id", "entity_id"),
        Index("ix_event_participants_entity_id_event_id", "entity_id", "event_id"),
        {"comment": "An entity taking part in an event."},
    )

    id: Mapped[intpk]
    event_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("events.id", ondelete="CASCADE"), comment="The event."
    )
    entity_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("entities.id", ondelete="CASCADE"), comment="The participant."
    )


class Evidence(Base):
    __tablename__ = "evidence"
    __table_args__ = (
        CheckConstraint(in_list("fact_type", FACT_TYPES), name="fact_type"),
        CheckConstraint("char_end > char_start", name="span"),
        UniqueConstraint("fact_type", "fact_id", "article_id", "char_start"),
        {"comment": "Links a fact or quote to the article characters that state it."},
    )

    id: Mapped[intpk]
    fact_type: Mapped[str] = mapped_column(
        Text, comment="deal, deal_event, aid_allocation, position, agreement, event or quote."
    )
    fact_id: Mapped[int] = mapped_column(BigInteger, index=True, comment="Id in the fact's table.")
    article_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("articles.id", ondelete="CASCADE"), index=True, comment="The article."
    )
    char_start: Mapped[int] = mapped_column(Integer, comment="Start offset in the body.")
    char_end: Mapped[int] = mapped_column(Integer, comment="End offset in the body.")
    excerpt: Mapped[str] = mapped_column(Text, comment="The evidence text, verbatim.")
    stated_value: Mapped[str | None] = mapped_column(
        Text, comment="What this article states for the fact's main attribute (deal status, date), to compare sources."
    )


class Claim(Base):
    __tablename__ = "claims"
    __table_args__ = (
        UniqueConstraint("article_id", "char_start", "attribute"),
        {"comment": "A claim an article makes about a subject (e.g. a world ranking), compared across sources."},
    )

    id: Mapped[intpk]
    article_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("articles.id", ondelete="CASCADE"), comment="The article."
    )
    subject_entity_id: Mapped[int] = mapped_column(
        BigInteger,
        ForeignKey("entities.id", ondelete="CASCADE"),
        index=True,
        comment="Who the claim is about.",
    )
    attribute: Mapped[str] = mapped_column(Text, comment="What is claimed, e.g. world rank as coca producer.")
    value: Mapped[str] = mapped_column(Text, comment="The claimed value, e.g. No. 1, ahead of Colombia.")
    char_start: Mapped[int] = mapped_column(Integer, comment="Start offset of the claim in the body.")
    char_end: Mapped[int] = mapped_column(Integer, comment="End offset of the claim in the body.")


class Discrepancy(Base):
    __tablename__ = "discrepancies"
    __table_args__ = (
        UniqueConstraint("subject", "attribute", "value_a", "value_b", "article_a_id", "article_b_id"),
        {"comment": "Sources that disagree on the same subject and attribute, with both sides' evidence."},
    )

    id: Mapped[intpk]
    kind: Mapped[str] = mapped_column(Text, comment="figure, date, status, spelling, wording or claim.")
    subject: Mapped[str] = mapped_column(Text, comment="What the sources talk about.")
    attribute: Mapped[str] = mapped_column(Text, comment="Which attribute they disagree on.")
    value_a: Mapped[str] = mapped_column(Text, comment="First side's value.")
    article_a_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("articles.id", ondelete="CASCADE"), index=True, comment="First side's article."
    )
    start_a: Mapped[int] = mapped_column(Integer, comment="First side's evidence start offset.")
    end_a: Mapped[int] = mapped_column(Integer, comment="First side's evidence end offset.")
    value_b: Mapped[str] = mapped_column(Text, comment="Second side's value.")
    article_b_id: Mapped[int] = mapped_column(
        BigInteger,
        ForeignKey("articles.id", ondelete="CASCADE"),
        index=True,
        comment="Second side's article.",
    )
    start_b: Mapped[int] = mapped_column(Integer, comment="Second side's evidence start offset.")
    end_b: Mapped[int] = mapped_column(Integer, comment="Second side's evidence end offset.")
