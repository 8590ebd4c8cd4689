"""Entities (people, organizations, countries, weapon systems...), their aliases and mentions."""

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, Integer, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, in_list, intpk

ENTITY_TYPES = (
    "person",
    "organization",
    "government_body",
    "country",
    "armed_group",
    "weapon_system",
    "program",
)
ENTITY_ORIGINS = ("curated", "discovered")


class Entity(Base):
    __tablename__ = "entities"
    __table_args__ = (
        CheckConstraint(in_list("entity_type", ENTITY_TYPES), name="entity_type"),
        CheckConstraint(in_list("origin", ENTITY_ORIGINS), name="origin"),
        UniqueConstraint("entity_type", "name"),
        # exact lookups of a name as typed (analytics.find_entities)
        Index("ix_entities_name_lower", text("lower(name)")),
        Index(
            "ix_entities_surname_lower",
            text(r"lower(regexp_replace(name, '^.*\s', ''))"),
            postgresql_where=text(r"entity_type = 'person' AND name ~ '\s'"),
        ),
        # the first country entity of a code names the country (the analytics *_country columns)
        Index("ix_entities_country_names", "country_code", "id", postgresql_where=text("entity_type = 'country'")),
        # people in name order, one after another (the officials listing's first page)
        Index("ix_entities_name_id", "name", "id"),
        {"comment": "A resolved real-world entity: curated in the gazetteer or discovered in articles."},
    )

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(Text, comment="Canonical name.")
    entity_type: Mapped[str] = mapped_column(
        Text,
        comment="person, organization, government_body, country, armed_group, weapon_system or program.",
    )
    country_code: Mapped[str | None] = mapped_column(
        Text, index=True, comment="ISO 3166-1 alpha-2 code of the entity's country."
    )
    wikidata_id: Mapped[str | None] = mapped_column(Text, comment="Wikidata item id (Q...), when known.")
    description: Mapped[str | None] = mapped_column(Text, comment="Short description.")
    origin: Mapped[str] = mapped_column(
        Text, comment="curated (from the gazetteer) or discovered (found by the extraction rules)."
    )


class EntityAlias(Base):
    __tablename__ = "entity_aliases"
    __table_args__ = (
        UniqueConstraint("entity_id", "alias"),
        Index("ix_entity_aliases_alias_lower", text("lower(alias)")),
        {"comment": "Another name of an entity: acronym, demonym, spelling variant."},
    )

    id: Mapped[intpk]
    entity_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("entities.id", ondelete="CASCADE"), comment="The entity."
    )
    alias: Mapped[str] = mapped_column(Text, comment="The alternative name as written.")
    kind: Mapped[str] = mapped_column(
        Text, comment="name, acronym, demonym, variant or surname: what sort of alias it is."
    )
    source_article_id: Mapped[int | None] = mapped_column(
        BigInteger,
        ForeignKey("articles.id", ondelete="SET NULL"),
        comment="Article where the alias was first seen; NULL for gazetteer aliases.",
    )


class Mention(Base):
    __tablename__ = "mentions"
    __table_args__ = (
        UniqueConstraint("article_id", "char_start", "entity_id"),  # also serves lookups by article
        CheckConstraint("char_end > char_start", name="span"),
        # an entity's mentions article by article (entity_profile's latest articles first)
        Index("ix_mentions_entity_id_article_id", "entity_id", "article_id"),
        {"comment": "An entity mentioned at a character span of an article's body."},
    )

    id: Mapped[intpk]
    article_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("articles.id", ondelete="CASCADE"), comment="The article."
    )
    entity_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("entities.id", ondelete="CASCADE"), comment="The entity."
    )
    char_start: Mapped[int] = mapped_column(Integer, comment="Start offset in the body (inclusive).")
    char_end: Mapped[int] = mapped_column(Integer, comment="End offset in the body (exclusive).")
    surface: Mapped[str] = mapped_column(Text, comment="Text as it appears in the article.")
    method: Mapped[str] = mapped_column(
        Text, comment="How it was resolved: gazetteer, alias, surname, acronym, demonym, discovered, fuzzy."
    )
