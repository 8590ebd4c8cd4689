"""Quote attribution word lists (``data/reference/quote_attribution.yaml``), validated with pydantic."""

from __future__ import annotations

from functools import cache, cached_property
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, model_validator

from etl.reference.gazetteer import REFERENCE_DIR

DEFAULT_PATH = REFERENCE_DIR / "quote_attribution.yaml"
Gender = Literal["male", "female"]
_TYPES = frozenset({"person", "organization", "government_body", "armed_group", "country"})


class QuoteLexicon(BaseModel):
    """Verbs, nouns and pronouns of quote attribution; every word list is lower case."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    attribution_verbs: list[str]
    characterizing_verbs: list[str]
    attribution_participles: list[str]
    quoting_verbs: list[str]
    voice_nouns: list[str]
    body_nouns: dict[str, list[str]]
    class_nouns: dict[str, list[str]]
    plural_subjects: list[str]
    pronouns: dict[str, Gender]
    gender_words: dict[Gender, list[str]]
    title_small_words: list[str]
    phrase_followers: list[str]
    media_nouns: list[str]

    @model_validator(mode="after")
    def _check(self) -> QuoteLexicon:
        unknown = {t for types in self.class_nouns.values() for t in types} - _TYPES
        if unknown:
            raise ValueError(f"class_nouns: unknown entity types {sorted(unknown)}")
        return self

    @cached_property
    def verbs(self) -> frozenset[str]:
        return frozenset(self.attribution_verbs) | self.characterizing

    @cached_property
    def characterizing(self) -> frozenset[str]:
        return frozenset(self.characterizing_verbs)

    @cached_property
    def participles(self) -> frozenset[str]:
        return frozenset(self.attribution_participles)

    @cached_property
    def quoting(self) -> frozenset[str]:
        return frozenset(self.quoting_verbs)

    @cached_property
    def voices(self) -> frozenset[str]:
        return frozenset(self.voice_nouns)

    @cached_property
    def plurals(self) -> frozenset[str]:
        return frozenset(self.plural_subjects)

    @cached_property
    def media(self) -> frozenset[str]:
        return frozenset(self.media_nouns)

    @cached_property
    def followers(self) -> frozenset[str]:
        return frozenset(self.phrase_followers)

    @cached_property
    def small_words(self) -> frozenset[str]:
        return frozenset(self.title_small_words)

    @cached_property
    def gender_of_word(self) -> dict[str, Gender]:
        return {w: g for g, words in self.gender_words.items() for w in words}


def load_quote_lexicon(path: Path | str | None = None) -> QuoteLexicon:
    """Load and validate the quote attribution YAML (default in ``data/reference/``); cached."""
    return _load(Path(path) if path else DEFAULT_PATH)


@cache
def _load(path: Path) -> QuoteLexicon:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return QuoteLexicon.model_validate(yaml.load(path.read_text(encoding="utf-8"), Loader=loader))
