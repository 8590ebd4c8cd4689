"""Summary tables the ETL maintains (etl/load/summaries.py) so catalogue queries and analytics
views read pre-aggregated rows instead of aggregating every mention or evidence row per call.

Three ledger tables record what the summaries counted for each article (they have no foreign key
to ``articles``, so a deleted or replaced article's share can still be taken back out); the other
four hold the aggregates the analytics views read. The supplier market (etl/load/deal_summaries.py)
has two ledgers per deal and two aggregates."""

import datetime as dt
from decimal import Decimal

from sqlalchemy import BigInteger, CheckConstraint, Date, Index, Integer, Numeric, Text, func, text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base

# The per-entity summary rows have no foreign key to ``entities`` (a check per inserted row, on rows
# derived from mentions whose keys were checked); a statement trigger on ``entities`` (revision 0018)
# deletes an entity's rows with it.
FOLLOWS = " Deleted with the entity (trigger on entities; no foreign key)."


class SummaryArticle(Base):
    __tablename__ = "summary_articles"
    __table_args__ = ({"comment": "Ledger: each article the summary tables count, with its source when counted."},)

    article_id: Mapped[int] = mapped_column(
        BigInteger, primary_key=True, autoincrement=False, comment="The article (no foreign key: kept until recounted)."
    )
    source_id: Mapped[int] = mapped_column(
        BigInteger, index=True, comment="Its independent source when counted: the original of a copy, else itself."
    )


class SummaryArticleSurface(Base):
    __tablename__ = "summary_article_surfaces"
    __table_args__ = ({"comment": "Ledger: mentions counted per article, entity and written form."},)

    article_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, comment="The article.")
    entity_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, index=True, comment=f"The entity.{FOLLOWS}")
    surface: Mapped[str] = mapped_column(Text, primary_key=True, comment="Text as it appears in the article.")
    mentions: Mapped[int] = mapped_column(Integer, comment="Mentions of the entity in that form in the article.")


class SummaryArticleFact(Base):
    __tablename__ = "summary_article_facts"
    __table_args__ = ({"comment": "Ledger: facts and quotes each counted article gives evidence for."},)

    article_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, comment="The article.")
    fact_type: Mapped[str] = mapped_column(Text, primary_key=True, comment="Type of the fact (as in evidence).")
    fact_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, comment="Id in the fact's table.")


class EntityStats(Base):
    __tablename__ = "entity_stats"
    __table_args__ = ({"comment": "Per entity: mentions, articles and independent sources (summary)."},)

    entity_id: Mapped[int] = mapped_column(
        BigInteger, primary_key=True, autoincrement=False, comment=f"The entity.{FOLLOWS}"
    )
    mentions: Mapped[int] = mapped_column(BigInteger, comment="Times it is mentioned.")
    articles: Mapped[int] = mapped_column(BigInteger, comment="Distinct articles that mention it.")
    sources: Mapped[int] = mapped_column(BigInteger, comment="Independent sources that mention it.")


class EntitySurface(Base):
    __tablename__ = "entity_surfaces"
    __table_args__ = (
        Index("ix_entity_surfaces_surface_lower", text("lower(surface)")),
        {"comment": "Per entity and written form: how often articles write it so (summary)."},
    )

    entity_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, comment=f"The entity.{FOLLOWS}")
    surface: Mapped[str] = mapped_column(Text, primary_key=True, comment="Text as it appears in articles.")
    mentions: Mapped[int] = mapped_column(BigInteger, comment="Mentions written this way.")


class EntityPair(Base):
    __tablename__ = "entity_pairs"
    __table_args__ = (
        CheckConstraint("entity_a_id < entity_b_id", name="ordered"),
        {"comment": "Per pair of entities mentioned in the same articles: how many (summary)."},
    )

    entity_a_id: Mapped[int] = mapped_column(
        BigInteger, primary_key=True, comment=f"Entity with the lower id.{FOLLOWS}"
    )
    entity_b_id: Mapped[int] = mapped_column(
        BigInteger, primary_key=True, index=True, comment=f"Entity with the higher id.{FOLLOWS}"
    )
    articles: Mapped[int] = mapped_column(BigInteger, index=True, comment="Distinct articles that mention both.")
    sources: Mapped[int] = mapped_column(BigInteger, comment="Independent sources that mention both.")


class FactSupport(Base):
    __tablename__ = "fact_support"
    __table_args__ = (
        Index("ix_fact_support_sources", "sources", "articles"),
        {"comment": "Per fact or quote: the articles, sources and publishers that state it (summary)."},
    )

    fact_type: Mapped[str] = mapped_column(
        Text, primary_key=True, comment="deal, deal_event, aid_allocation, position, agreement, event or quote."
    )
    fact_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, comment="Id in the fact's table.")
    articles: Mapped[int] = mapped_column(BigInteger, comment="Distinct articles that state it.")
    sources: Mapped[int] = mapped_column(BigInteger, comment="Independent sources that state it.")
    publishers: Mapped[str | None] = mapped_column(Text, comment="Publishers of those articles, comma-separated.")
    source_files: Mapped[str | None] = mapped_column(Text, comment="Files of those articles, comma-separated.")
    first_published_on: Mapped[dt.date | None] = mapped_column(
        Date, comment="Earliest publication date among those articles."
    )
    last_published_on: Mapped[dt.date | None] = mapped_column(
        Date, comment="Latest publication date among those articles."
    )


class SummaryDeal(Base):
    __tablename__ = "summary_deals"
    __table_args__ = ({"comment": "Ledger: each current deal the supplier-market summary counts, as counted."},)

    deal_id: Mapped[int] = mapped_column(
        BigInteger, primary_key=True, autoincrement=False, comment="The deal (no foreign key: kept until recounted)."
    )
    buyer_id: Mapped[int] = mapped_column(BigInteger, comment="Entity id of its buyer when counted; 0 for none.")
    status: Mapped[str] = mapped_column(Text, comment="Its status when counted.")
    value_usd: Mapped[Decimal | None] = mapped_column(Numeric(20, 2), comment="Its value in USD when counted.")


class SummaryDealSupplier(Base):
    __tablename__ = "summary_deal_suppliers"
    __table_args__ = ({"comment": "Ledger: suppliers and their countries counted per deal."},)

    deal_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, comment="The deal.")
    country_code: Mapped[str] = mapped_column(
        Text, primary_key=True, comment="The supplier's country code for the deal; empty when unknown."
    )
    party_id: Mapped[int] = mapped_column(
        BigInteger, primary_key=True, comment="Entity id of the supplier or consortium member."
    )


class SupplierMarket(Base):
    __tablename__ = "supplier_markets"
    __table_args__ = ({"comment": "Per buyer, supplier country and deal status: deals and their value (summary)."},)

    buyer_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, comment="Entity id of the buyer; 0 for none.")
    country_code: Mapped[str] = mapped_column(
        Text, primary_key=True, comment="Country code of suppliers of the deals; empty when unknown."
    )
    status: Mapped[str] = mapped_column(Text, primary_key=True, comment="Status of the deals.")
    deals: Mapped[int] = mapped_column(BigInteger, comment="Deals with at least one supplier from that country.")
    valued: Mapped[int] = mapped_column(BigInteger, comment="Those of them with a value in USD.")
    value_usd: Mapped[Decimal | None] = mapped_column(
        Numeric, comment="Total value in USD of those deals; NULL when none has a value."
    )


class SupplierMarketParty(Base):
    __tablename__ = "supplier_market_parties"
    __table_args__ = ({"comment": "Per buyer, supplier country and supplier: the deals it supplies (summary)."},)

    buyer_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, comment="Entity id of the buyer; 0 for none.")
    country_code: Mapped[str] = mapped_column(
        Text, primary_key=True, comment="The supplier's country code for those deals; empty when unknown."
    )
    party_id: Mapped[int] = mapped_column(
        BigInteger, primary_key=True, comment="Entity id of the supplier or consortium member."
    )
    deals: Mapped[int] = mapped_column(BigInteger, comment="Deals of the buyer it supplies from that country.")


class AidGroup(Base):
    __tablename__ = "aid_groups"
    __table_args__ = (
        # the groups in aid_by_year's order: fiscal year (none last), donor name, recipient name (revision 0014)
        Index("ix_aid_groups_listing", func.nullif(text("fiscal_year"), 0), "donor_name", "recipient_name"),
        {
            "comment": "Each fiscal year, donor and recipient that current aid allocations have (summary): aid "
            "listings can page through them in name order. May keep a group whose allocations have gone.",
        },
    )

    fiscal_year: Mapped[int] = mapped_column(Integer, primary_key=True, comment="Fiscal year; 0 for none.")
    donor_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, comment="Entity id of the donor; 0 for none.")
    recipient_id: Mapped[int] = mapped_column(
        BigInteger, primary_key=True, comment="Entity id of the recipient; 0 for none."
    )
    donor_name: Mapped[str | None] = mapped_column(Text, comment="The donor's name; NULL for none.")
    recipient_name: Mapped[str | None] = mapped_column(Text, comment="The recipient's name; NULL for none.")
