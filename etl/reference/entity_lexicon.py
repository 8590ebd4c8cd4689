"""Extraction word lists (``data/reference/entity_lexicon.yaml``): titles, suffixes, verbs and guards."""

from __future__ import annotations

import unicodedata
from functools import cache, cached_property, lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

from etl.reference.gazetteer import REFERENCE_DIR

DEFAULT_PATH = REFERENCE_DIR / "entity_lexicon.yaml"
_ORG_TYPES = ("organization", "government_body", "armed_group")


class Lexicon(BaseModel):
    """Word lists; lower-cased sets are exposed as cached properties for fast membership tests."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    honorifics: list[str]
    ranks: dict[str, str]
    title_heads: list[str]
    title_modifiers: list[str]
    former_markers: list[str]
    org_suffixes: dict[str, list[str]]
    org_prefixes: dict[str, list[str]]
    armed_group_markers: list[str]
    generic_org_words: list[str]
    cue_nouns: dict[str, list[str]]
    trailing_cue_nouns: list[str]
    speech_verbs: list[str]
    speech_participles: list[str] = Field(default_factory=list)
    name_stopwords: list[str]
    name_particles: list[str]
    weapon_nouns: list[str]
    weapon_stop_prefixes: list[str]
    wire_credits: list[str]
    non_entity_phrases: list[str] = Field(default_factory=list)
    dateline_heads: list[str] = Field(default_factory=list)
    dateline_places: dict[str, str] = Field(default_factory=dict)
    given_names: list[str] = Field(default_factory=list)
    person_like_names: list[str] = Field(default_factory=list)
    currency_nouns: list[str] = Field(default_factory=list)
    place_name_words: list[str] = Field(default_factory=list)
    ship_prefixes: list[str] = Field(default_factory=list)
    body_phrases: dict[str, list[str]] = Field(default_factory=dict)
    body_lowercase_keys: list[str] = Field(default_factory=list)
    body_default_country: dict[str, str] = Field(default_factory=dict)
    country_adjectives: dict[str, str] = Field(default_factory=dict)

    def model_post_init(self, context: object) -> None:
        for kind in (self.org_suffixes, self.org_prefixes, self.cue_nouns):
            unknown = set(kind) - set(_ORG_TYPES)
            if unknown:
                raise ValueError(f"lexicon: unknown entity types {sorted(unknown)}")

    @cached_property
    def heads(self) -> frozenset[str]:
        return frozenset(w.lower() for w in self.title_heads)

    @cached_property
    def head_words(self) -> frozenset[str]:
        """Last words of title heads ("minister" for "prime minister")."""
        return frozenset(w.lower().split()[-1] for w in self.title_heads)

    @cached_property
    def modifiers(self) -> frozenset[str]:
        return frozenset(w.lower() for w in self.title_modifiers) | {w.split()[0] for w in self.heads}

    @cached_property
    def formers(self) -> frozenset[str]:
        return frozenset(w.lower() for w in self.former_markers)

    @cached_property
    def verbs(self) -> frozenset[str]:
        return frozenset(w.lower() for w in self.speech_verbs)

    @cached_property
    def participles(self) -> frozenset[str]:
        """Participles of saying ("warning", "saying"): their speaker is the sentence's subject."""
        return frozenset(w.lower() for w in self.speech_participles)

    @cached_property
    def place_countries(self) -> dict[str, str]:
        """Dateline place (accent-folded, lower case) -> ISO country code."""
        return {_fold_lower(k): v for k, v in self.dateline_places.items()}

    def place_country(self, place: str) -> str | None:
        """ISO code of a dateline place ("BOGOTA", "Mexico City"), if listed."""
        return self.place_countries.get(_fold_lower(place))

    @cached_property
    def stopwords(self) -> frozenset[str]:
        return frozenset(w.rstrip(".") for w in self.name_stopwords)

    @cached_property
    def particles(self) -> frozenset[str]:
        return frozenset(w for p in self.name_particles for w in p.split())

    @cached_property
    def given(self) -> frozenset[str]:
        """Given names, accent-folded and lower-cased."""
        return frozenset(_fold_lower(w) for w in self.given_names)

    def is_given_name(self, word: str) -> bool:
        return word.lower() in self.given or (not word.isascii() and _fold_lower(word) in self.given)

    @cached_property
    def currencies(self) -> frozenset[str]:
        return frozenset(w.lower() for w in self.currency_nouns)

    @cached_property
    def place_words(self) -> frozenset[str]:
        return frozenset(self.place_name_words)

    @cached_property
    def body_keys(self) -> dict[str, str]:
        """Lower-case body phrase ("defense ministry") -> canonical head ("Ministry of Defence")."""
        return {p.lower(): key for key, phrases in self.body_phrases.items() for p in phrases}

    @cached_property
    def generic(self) -> frozenset[str]:
        return frozenset(w.lower() for w in self.generic_org_words)

    @cached_property
    def suffix_type(self) -> dict[str, str]:
        """Org suffix (exact case) -> entity type; multi-word suffixes keyed by their full text."""
        return {s: t for t, words in self.org_suffixes.items() for s in words}

    @cached_property
    def prefix_type(self) -> dict[str, str]:
        return {s: t for t, words in self.org_prefixes.items() for s in words}

    @cached_property
    def cue_type(self) -> dict[str, str]:
        return {c.lower(): t for t, words in self.cue_nouns.items() for c in words}


@lru_cache(maxsize=1 << 16)
def _fold_lower(text: str) -> str:
    text = unicodedata.normalize("NFKD", " ".join(text.split()))
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def load_lexicon(path: Path | str | None = None) -> Lexicon:
    """Load and validate the lexicon YAML (default ``data/reference/entity_lexicon.yaml``); cached."""
    return _load(Path(path) if path else DEFAULT_PATH)


@cache
def _load(path: Path) -> Lexicon:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return Lexicon.model_validate(yaml.load(path.read_text(encoding="utf-8"), Loader=loader))
