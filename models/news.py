"""Publishers, articles and how their metadata was found."""

import datetime as dt

from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, Index, Integer, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import DATE_PRECISIONS, Base, created_at, in_list, intpk


class Publisher(Base):
    __tablename__ = "publishers"
    __table_args__ = ({"comment": "A news outlet or wire service."},)

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(Text, unique=True, comment="Canonical publisher name.")
    is_wire: Mapped[bool] = mapped_column(
        server_default="false", comment="True for wire services (Reuters, AP, AFP, UPI...)."
    )


class Article(Base):
    __tablename__ = "articles"
    __table_args__ = (
        CheckConstraint(in_list("date_precision", DATE_PRECISIONS), name="date_precision"),
        UniqueConstraint("source_path", "source_line"),
        # Serve the ORDER BY of the paged queries (article_entities, money_mentions, articles).
        Index("ix_articles_source_file_lower", text("lower(source_file)"), "id"),
        Index("ix_articles_published_on", "published_on", "source_file", "id"),
        {"comment": "A cleaned news article; every fact's character offsets point into its body."},
    )

    id: Mapped[intpk]
    source_path: Mapped[str] = mapped_column(Text, comment="File the article was read from, as given.")
    source_line: Mapped[int] = mapped_column(
        Integer, server_default="0", comment="Line within a JSON-lines file; 0 for whole files."
    )
    source_file: Mapped[str] = mapped_column(Text, index=True, comment="File name without directories.")
    url: Mapped[str | None] = mapped_column(Text, comment="Original URL, when known.")
    publisher_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("publishers.id"), index=True, comment="Publisher."
    )
    wire_service: Mapped[str | None] = mapped_column(
        Text, comment="Wire service the story comes from, when it is a wire story."
    )
    title: Mapped[str | None] = mapped_column(Text, comment="Headline.")
    byline: Mapped[str | None] = mapped_column(Text, comment="Author(s).")
    dateline_place: Mapped[str | None] = mapped_column(Text, comment="Place in the dateline (e.g. LIMA).")
    published_on: Mapped[dt.date | None] = mapped_column(Date, comment="Publication date, truncated to its precision.")
    date_precision: Mapped[str | None] = mapped_column(Text, comment="day, month or year.")
    body: Mapped[str] = mapped_column(Text, comment="Clean body text; all spans index into it.")
    content_hash: Mapped[str] = mapped_column(Text, unique=True, comment="SHA-256 of the clean body.")
    word_count: Mapped[int] = mapped_column(Integer, comment="Words in the body.")
    raw_digest: Mapped[str | None] = mapped_column(
        Text,
        index=True,
        comment="SHA-256 of the raw document, its metadata and the extraction rules: an unchanged input is "
        "skipped on a re-run without cleaning it.",
    )
    original_article_id: Mapped[int | None] = mapped_column(
        BigInteger,
        ForeignKey("articles.id", ondelete="SET NULL"),
        index=True,
        comment="Earlier article this one is a syndicated copy of (same wire story); NULL if original.",
    )
    extractor_version: Mapped[str] = mapped_column(Text, comment="Extraction rules that produced its facts.")
    ingested_at: Mapped[created_at]
    etl_run_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("etl_runs.id", ondelete="SET NULL"), comment="Run that loaded it."
    )


class ArticleProvenance(Base):
    __tablename__ = "article_provenance"
    __table_args__ = (
        UniqueConstraint("article_id", "field"),
        {"comment": "How each article metadata value was found (manifest, dateline, stamp...)."},
    )

    id: Mapped[intpk]
    article_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("articles.id", ondelete="CASCADE"), comment="The article."
    )
    field: Mapped[str] = mapped_column(Text, comment="Metadata field, e.g. published_on.")
    method: Mapped[str] = mapped_column(Text, comment="How the value was found or why one was rejected.")
