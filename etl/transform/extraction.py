"""The transform stage over one clean article: entities, quotes, positions, dates, money, aid,
deals, agreements, events and claims. Pure: reference data is loaded once, no I/O per article."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection

from etl.load.entities import EntityRow, sync_gazetteer
from etl.load.keys import FactKeys, position_key
from etl.records import CleanArticle, EntityRef, Extraction, MentionRec, Span
from etl.reference.gazetteer import Gazetteer, load_gazetteer
from etl.reference.publishers import PublisherTable, load_publishers
from etl.transform.agreements import agreement_key, extract_agreements
from etl.transform.aid import aid_key, extract_aid
from etl.transform.claims import extract_claims
from etl.transform.dates import find_dates
from etl.transform.deals import deal_key, extract_deals
from etl.transform.entities import extract_mentions
from etl.transform.events import event_key, extract_events
from etl.transform.money import find_money
from etl.transform.positions import extract_positions
from etl.transform.quotes import extract_quotes, quote_key, same_quote


def _quote_key(q) -> str:
    return quote_key(q.text)


KEYS = FactKeys(
    quote=_quote_key,
    same_quote=same_quote,
    position=position_key,
    aid=aid_key,
    deal=deal_key,
    agreement=agreement_key,
    event=event_key,
)


@dataclass
class Extractor:
    """Reference data plus the rules that turn an article into an :class:`Extraction`."""

    gazetteer: Gazetteer
    publishers: PublisherTable
    keys: FactKeys = KEYS
    _countries: dict[str, str] | None = None

    @classmethod
    def from_reference(cls, reference_dir: Path) -> Extractor:
        return cls(
            load_gazetteer(reference_dir / "entities.yaml"),
            load_publishers(reference_dir / "publishers.yaml"),
        )

    def is_wire(self, publisher: str | None) -> bool:
        return bool(publisher) and self.publishers.is_wire(publisher)

    def sync_reference(self, conn: Connection) -> bool:
        """Write the gazetteer's curated entities and aliases (a no-op when unchanged); returns
        whether anything changed."""
        rows = [
            EntityRow(e.name, e.type, "curated", e.country, e.wikidata, e.description) for e in self.gazetteer.entities
        ]
        aliases = [(EntityRef(e.name, e.type), a.name, a.kind) for e in self.gazetteer.entities for a in e.aliases]
        return sync_gazetteer(conn, rows, aliases)

    def _country_mentions(self, mentions: list[MentionRec]) -> list[tuple[Span, str]]:
        """Countries named in the text, directly or through one of their government bodies
        ("the Venezuelan air force" stands for Venezuela as an aid recipient)."""
        names = self._country_names()
        found = []
        for m in mentions:
            if m.entity.entity_type == "country":
                found.append((m.span, m.entity.name))
            elif m.entity.entity_type == "government_body" and m.country_code in names:
                found.append((m.span, names[m.country_code]))
        return found

    def _country_names(self) -> dict[str, str]:
        if self._countries is None:
            self._countries = {e.country: e.name for e in self.gazetteer.entities if e.type == "country" and e.country}
        return self._countries

    def extract(self, article: CleanArticle) -> Extraction:
        """Run every extractor. One that fails leaves its list empty and records the error in the
        article's provenance (``extraction_error:<stage>``), so the article and the rest still load."""
        body, published = article.body, article.published_on

        def stage(name: str, fn: Callable[..., list], *args: object) -> list:
            try:
                return fn(*args)
            except Exception as exc:  # a rule bug must not cost the whole article: record it
                article.provenance[f"extraction_error:{name}"] = f"{type(exc).__name__}: {exc}"[:500]
                return []

        # Relative dates ("on Tuesday", "last month") need a day-precise publication date.
        day = published if article.date_precision in (None, "day") else None
        mentions = stage("mentions", extract_mentions, body, self.gazetteer)
        dates = stage("dates", find_dates, body, day)
        money = stage("money", find_money, body, published)
        countries = self._country_mentions(mentions)
        return Extraction(
            mentions=mentions,
            quotes=stage("quotes", extract_quotes, body, mentions),
            positions=stage("positions", extract_positions, body, mentions),
            dates=dates,
            money=money,
            aid=stage("aid", extract_aid, body, published, money, countries),
            deals=stage("deals", extract_deals, body, published, mentions, money, dates),
            agreements=stage("agreements", extract_agreements, body, published, mentions, dates),
            events=stage("events", extract_events, body, published, mentions, dates),
            claims=stage("claims", extract_claims, body, mentions),
        )
