"""The gold annotation file: one entry per article with its entities, money, deals, aid and quotes.

The format is documented in docs/eval.md; it is validated on load so that a typo in a hand-made
file fails with the article and the field instead of scoring silently wrong.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError


class _Row(BaseModel):
    model_config = ConfigDict(extra="allow")


class GoldEntity(_Row):
    name: str
    type: str
    aliases_in_text: list[str] = Field(default_factory=list)


class GoldMoney(_Row):
    text: str = ""
    amount: float
    amount_max: float | None = None
    currency: str
    kind: str = "other"
    year: int | None = None


class GoldDeal(_Row):
    buyer: str | None = None
    suppliers: list[str] = Field(default_factory=list)
    item: str = ""
    value_usd: float | None = None
    value: float | None = None
    currency: str | None = None
    status: str = "unknown"
    date: str | int | None = None


class GoldAid(_Row):
    donor: str | None = None
    recipient: str
    amount_usd: float | None = None
    amount: float | None = None
    currency: str | None = None
    year: int | None = None
    purpose: str | None = None
    stage: str | None = None


class GoldQuote(_Row):
    speaker: str
    starts_with: str
    optional: bool = False


class GoldArticle(_Row):
    file: str
    entities: list[GoldEntity] = Field(default_factory=list)
    other_mentions: list[str] = Field(default_factory=list)
    money: list[GoldMoney] = Field(default_factory=list)
    deals: list[GoldDeal] = Field(default_factory=list)
    aid: list[GoldAid] = Field(default_factory=list)
    quotes: list[GoldQuote] = Field(default_factory=list)

    def forms_of(self, name: str) -> list[str]:
        """The name and every alias of the article's entity called ``name`` (just ``name`` if none)."""
        for e in self.entities:
            if e.name == name:
                return [e.name, *e.aliases_in_text]
        return [name]


class GoldError(ValueError):
    """A gold file that cannot be read or does not follow the format."""


def load_gold(path: Path) -> list[GoldArticle]:
    """Read and validate a gold YAML file (a list of articles)."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise GoldError(f"{path}: cannot read gold file: {str(exc).splitlines()[0]}") from exc
    if not isinstance(raw, list):
        raise GoldError(f"{path}: expected a list of articles, one per entry")
    articles = []
    for i, entry in enumerate(raw, 1):
        try:
            articles.append(GoldArticle.model_validate(entry))
        except ValidationError as exc:
            err = exc.errors()[0]
            where = ".".join(str(p) for p in err["loc"])
            name = entry.get("file", f"entry {i}") if isinstance(entry, dict) else f"entry {i}"
            raise GoldError(f"{path}: {name}: {where}: {err['msg']}") from exc
    return articles
