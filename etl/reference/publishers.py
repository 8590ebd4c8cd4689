"""Publisher table: canonical names, aliases, site-name patterns and wire signatures.

Loaded from ``data/reference/publishers.yaml`` and validated with pydantic.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel, Field, PrivateAttr, field_validator, model_validator

from etl.reference import check_regexes

REFERENCE_DIR = Path(__file__).resolve().parents[2] / "data" / "reference"


class Publisher(BaseModel):
    """One publisher or news agency."""

    name: str = Field(min_length=1)
    wire: bool = False
    aliases: list[str] = Field(default_factory=list)
    domains: list[str] = Field(default_factory=list)
    site_patterns: list[str] = Field(default_factory=list)
    signatures: list[str] = Field(default_factory=list)

    @field_validator("site_patterns", "signatures")
    @classmethod
    def _compiles(cls, patterns: list[str]) -> list[str]:
        return check_regexes(patterns)


class PublisherTable(BaseModel):
    """All publishers, with case-insensitive lookups."""

    publishers: list[Publisher]
    _by_alias: dict[str, Publisher] = PrivateAttr(default_factory=dict)
    _sites: list[tuple[re.Pattern[str], Publisher]] = PrivateAttr(default_factory=list)

    def model_post_init(self, context: object) -> None:
        for pub in self.publishers:
            for alias in (pub.name, *pub.aliases):
                self._by_alias.setdefault(alias.casefold(), pub)
            if pub.site_patterns:
                joined = "|".join(f"(?:{p})" for p in pub.site_patterns)
                self._sites.append((re.compile(joined, re.IGNORECASE), pub))

    @model_validator(mode="after")
    def _unique(self) -> PublisherTable:
        seen: dict[str, str] = {}
        for pub in self.publishers:
            for alias in {pub.name.casefold(), *(a.casefold() for a in pub.aliases)}:
                if seen.setdefault(alias, pub.name) != pub.name:
                    raise ValueError(f"alias {alias!r} used by {seen[alias]} and {pub.name}")
        return self

    def lookup(self, alias: str) -> Publisher | None:
        """The publisher whose name or alias equals ``alias`` (case-insensitive), if any."""
        return self._by_alias.get(" ".join(alias.split()).casefold())

    def is_wire(self, name: str | None) -> bool:
        """True when ``name`` is a known wire service (for ``publishers.is_wire``)."""
        pub = self.lookup(name) if name else None
        return bool(pub and pub.wire)

    def by_url(self, url: str) -> Publisher | None:
        """The publisher owning the URL's host (suffix match on ``domains``), if any."""
        host = (urlsplit(url).hostname or "").casefold()
        for pub in self.publishers:
            if any(host == d or host.endswith("." + d) for d in pub.domains):
                return pub
        return None

    def site_hint(self, line: str) -> Publisher | None:
        """The publisher whose site pattern matches the whole (stripped) line, if any."""
        text = " ".join(line.split())
        return next((pub for pattern, pub in self._sites if pattern.fullmatch(text)), None)

    def signature(self, text: str) -> Publisher | None:
        """The first wire service whose signature occurs in ``text``, if any."""
        for pub in self.publishers:
            if any(re.search(p, text, re.IGNORECASE) for p in pub.signatures):
                return pub
        return None


@cache
def load_publishers(path: Path | None = None) -> PublisherTable:
    """Load and validate the publisher table (cached per path)."""
    path = path or REFERENCE_DIR / "publishers.yaml"
    return PublisherTable.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
