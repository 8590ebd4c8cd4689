"""SQLAlchemy models of the ArmsLedger database, one module per domain."""

from models.base import Base
from models.entities import Entity, EntityAlias, Mention
from models.facts import (
    Agreement,
    AgreementParty,
    AidAllocation,
    Claim,
    Deal,
    DealEvent,
    DealParty,
    Discrepancy,
    Event,
    EventParticipant,
    Evidence,
    MoneyMention,
)
from models.fingerprints import ArticleFingerprint, ArticleShingle
from models.news import Article, ArticleProvenance, Publisher
from models.runs import EtlRun, RefreshState, RejectedInput
from models.statements import Position, Quote
from models.summaries import (
    EntityPair,
    EntityStats,
    EntitySurface,
    FactSupport,
    SummaryArticle,
    SummaryArticleFact,
    SummaryArticleSurface,
    SummaryDeal,
    SummaryDealSupplier,
    SupplierMarket,
    SupplierMarketParty,
)

__all__ = [
    "Agreement",
    "AgreementParty",
    "AidAllocation",
    "Article",
    "ArticleFingerprint",
    "ArticleProvenance",
    "ArticleShingle",
    "Base",
    "Claim",
    "Deal",
    "DealEvent",
    "DealParty",
    "Discrepancy",
    "Entity",
    "EntityAlias",
    "EntityPair",
    "EntityStats",
    "EntitySurface",
    "EtlRun",
    "Event",
    "EventParticipant",
    "Evidence",
    "FactSupport",
    "Mention",
    "MoneyMention",
    "Position",
    "Publisher",
    "Quote",
    "RefreshState",
    "RejectedInput",
    "SummaryArticle",
    "SummaryArticleFact",
    "SummaryArticleSurface",
    "SummaryDeal",
    "SummaryDealSupplier",
    "SupplierMarket",
    "SupplierMarketParty",
]
