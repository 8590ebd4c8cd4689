"""Stored syndication fingerprints: a new article is compared with the few originals that share
one of its shingle hashes, found through an index, instead of with every body of the month."""

import datetime as dt

from sqlalchemy import BigInteger, Date, ForeignKey, Index, Integer, PrimaryKeyConstraint, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class ArticleFingerprint(Base):
    __tablename__ = "article_fingerprints"
    __table_args__ = ({"comment": "One row per original article whose narrative shingles are indexed."},)

    article_id: Mapped[int] = mapped_column(
        BigInteger,
        ForeignKey("articles.id", ondelete="CASCADE"),
        primary_key=True,
        comment="The article (an original, not a syndicated copy).",
    )
    shingle_count: Mapped[int] = mapped_column(Integer, comment="Distinct narrative shingles in its body.")
    shingles: Mapped[str] = mapped_column(
        Text,
        comment="Every narrative shingle hash of its body (sorted, 8 bytes each, little-endian, in base64), so a "
        "new article is judged against it without re-reading the body.",
    )


class ArticleShingle(Base):
    __tablename__ = "article_shingles"
    __table_args__ = (
        PrimaryKeyConstraint("article_id", "shingle"),
        # A lookup reads the postings of its hashes from this index alone: the date window is
        # checked on the included date, with no join to articles.
        Index("ix_article_shingles_shingle", "shingle", postgresql_include=["published_on", "article_id"]),
        {"comment": "Winnowed hashes of an original article's narrative shingles (the syndication index)."},
    )

    article_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("articles.id", ondelete="CASCADE"), comment="The article."
    )
    shingle: Mapped[int] = mapped_column(
        BigInteger, comment="64-bit hash of one 8-word narrative shingle chosen by winnowing."
    )
    published_on: Mapped[dt.date | None] = mapped_column(
        Date,
        comment="The article's publication date (a copy of articles.published_on), so a lookup needs no join.",
    )
