"""What people say (quotes) and the posts they hold (positions)."""

import datetime as dt

from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import REVIEW_STATUSES, Base, in_list, intpk


class Quote(Base):
    __tablename__ = "quotes"
    __table_args__ = (
        Index("ix_quotes_speaker_entity_id_id", "speaker_entity_id", "id"),
        {"comment": "A direct quote; the same quote in several articles is one row with several evidence rows."},
    )

    id: Mapped[intpk]
    quote_key: Mapped[str] = mapped_column(
        Text, unique=True, comment="Normalized text that groups variants of one quote."
    )
    speaker_entity_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("entities.id", ondelete="SET NULL"), comment="Who said it."
    )
    text: Mapped[str] = mapped_column(
        Text, comment="Quote text as first seen; every occurrence is an evidence row (fact_type quote)."
    )


class Position(Base):
    __tablename__ = "positions"
    __table_args__ = (
        CheckConstraint(in_list("review_status", REVIEW_STATUSES), name="review_status"),
        Index("ix_positions_person_entity_id_id", "person_entity_id", "id"),
        Index("ix_positions_organization_entity_id_id", "organization_entity_id", "id"),
        {"comment": "A person holding a title at an organization or for a country."},
    )

    id: Mapped[intpk]
    fact_key: Mapped[str] = mapped_column(Text, unique=True, comment="Natural key that merges repeats.")
    person_entity_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("entities.id", ondelete="CASCADE"), comment="The person."
    )
    title: Mapped[str] = mapped_column(Text, comment="Title as written, e.g. Defense Minister.")
    organization_entity_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("entities.id", ondelete="SET NULL"), comment="Organization, when named."
    )
    country_code: Mapped[str | None] = mapped_column(Text, index=True, comment="Country of the post (ISO alpha-2).")
    valid_from: Mapped[dt.date | None] = mapped_column(Date, comment="Earliest date the post is attested.")
    valid_to: Mapped[dt.date | None] = mapped_column(
        Date, comment="Date it is known to have ended (former posts); NULL if current or unknown."
    )
    review_status: Mapped[str] = mapped_column(Text, server_default="automatic", comment="automatic or reviewed.")
    extractor_version: Mapped[str] = mapped_column(Text, comment="Rules (or review) that produced it.")
