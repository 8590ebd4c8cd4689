"""Reference gazetteer (``data/reference/entities.yaml``): entities, aliases and their validation."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Literal

import pycountry
import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from etl.records import EntityRef, EntityType
from etl.reference.yaml_lines import at, locator, yaml_problem

REFERENCE_DIR = Path(__file__).resolve().parents[2] / "data" / "reference"
DEFAULT_PATH = REFERENCE_DIR / "entities.yaml"
AliasKind = Literal["alias", "acronym", "demonym", "former_name", "native_name"]
# Countries whose personal names are written family name first (Guo Boxiong -> "Guo").
FAMILY_NAME_FIRST = frozenset({"CN", "TW", "HK", "MO", "KR", "KP", "VN"})
# Particles inside compound family names ("Fernández de Kirchner", "Lula da Silva").
SURNAME_PARTICLES = frozenset({"de", "da", "del", "dos", "das", "do", "la", "las", "los", "y", "e", "van", "von",
                               "der", "den", "di", "du", "le", "bin", "al", "el"})  # fmt: skip
_WIKIDATA = re.compile(r"^Q\d+$")
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: ~8x faster


class GazetteerError(ValueError):
    """The gazetteer is invalid; the message names every offending entry."""


@lru_cache(maxsize=65536)
def name_key(text: str) -> str:
    """Comparison key for names: accents stripped, case-folded, curly apostrophes and spaces unified."""
    text = unicodedata.normalize("NFKD", text.replace("’", "'"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.casefold().split())


def _valid_country(code: str) -> bool:
    return bool(pycountry.countries.get(alpha_2=code) or pycountry.historic_countries.get(alpha_2=code))


class Alias(BaseModel):
    """Another name of an entity; ``demonym`` aliases link adjectives ("Peruvian") to countries."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    name: str = Field(min_length=1)
    kind: AliasKind = "alias"


class Entity(BaseModel):
    """One curated entity."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1)
    type: EntityType
    aliases: list[Alias] = Field(default_factory=list)
    country: str | None = None
    wikidata: str | None = None
    surname: str | None = None
    description: str | None = None  # about the entity, shown to analysts
    note: str | None = None  # the curator's reasoning; stays in the YAML, never loaded as the description

    @field_validator("aliases", mode="before")
    @classmethod
    def _strings_are_aliases(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [{"name": v} if isinstance(v, str) else v for v in value]
        return value

    @field_validator("country")
    @classmethod
    def _iso_country(cls, value: str | None) -> str | None:
        if value is not None and not _valid_country(value):
            raise ValueError(f"country {value!r} is not an ISO 3166-1 alpha-2 code")
        return value

    @field_validator("wikidata")
    @classmethod
    def _wikidata_id(cls, value: str | None) -> str | None:
        if value is not None and not _WIKIDATA.match(value):
            raise ValueError(f"wikidata id {value!r} does not match ^Q\\d+$")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Entity:
        if self.type == "country" and not self.country:
            raise ValueError("a country needs its ISO code in 'country'")
        if self.type != "country" and any(a.kind == "demonym" for a in self.aliases):
            raise ValueError("only countries may have demonym aliases")
        if self.surname is not None:
            if self.type != "person":
                raise ValueError("'surname' is only for persons")
            if name_key(self.surname) not in name_key(self.name):
                raise ValueError(f"surname {self.surname!r} is not part of the name")
        return self

    @property
    def ref(self) -> EntityRef:
        return EntityRef(self.name, self.type)

    @property
    def family_name(self) -> str:
        """Family name used for in-article surname resolution (persons)."""
        if self.surname:
            return self.surname
        words = self.name.split()
        return words[0] if self.country in FAMILY_NAME_FIRST and len(words) > 1 else words[-1]

    @property
    def family_keys(self) -> list[str]:
        """Keys of the bare family names that refer to this person: the family name and, for a compound
        one, its first and last words ("Fernandez de Kirchner" -> also "fernandez", "kirchner")."""
        family = name_key(self.family_name)
        words = [w for w in family.split() if w not in SURNAME_PARTICLES]
        keys = [family] + (words[:1] + words[-1:] if len(words) > 1 else [])
        return list(dict.fromkeys(keys))


class Gazetteer(BaseModel):
    """All curated entities, with lookups by name and type."""

    entities: list[Entity]
    # The lookups below read these from ``__pydantic_private__`` (where pydantic keeps them): the
    # attribute syntax goes through ``BaseModel.__getattr__``, 1.5% of extraction's CPU in a profile.
    _by_key: dict[tuple[str, str], Entity] = PrivateAttr(default_factory=dict)
    _by_type: dict[str, list[Entity]] = PrivateAttr(default_factory=dict)
    _by_family: dict[str, list[Entity]] = PrivateAttr(default_factory=dict)
    _cache: dict[str, Any] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _unique(self) -> Gazetteer:
        errors: list[str] = []
        owner: dict[tuple[str, str], str] = {}
        for entity in self.entities:
            key = (entity.type, name_key(entity.name))
            if key in owner:
                errors.append(f"{entity.name!r} ({entity.type}): duplicate name of {owner[key]!r}")
            owner[key] = entity.name
        for entity in self.entities:
            for alias in entity.aliases:
                key = (entity.type, name_key(alias.name))
                if owner.setdefault(key, entity.name) != entity.name:
                    errors.append(
                        f"{entity.name!r} ({entity.type}): alias {alias.name!r} already names {owner[key]!r}"
                    )
        if errors:
            raise ValueError("; ".join(errors))
        return self

    def model_post_init(self, context: Any) -> None:
        by_type: dict[str, list[Entity]] = defaultdict(list)
        by_family: dict[str, list[Entity]] = defaultdict(list)
        for entity in self.entities:
            self._by_key[(entity.type, name_key(entity.name))] = entity
            by_type[entity.type].append(entity)
            if entity.type == "person":
                for key in entity.family_keys:
                    by_family[key].append(entity)
        self._by_type = dict(by_type)
        self._by_family = dict(by_family)

    @classmethod
    def from_entries(cls, entries: list[dict[str, Any]]) -> Gazetteer:
        """Validate raw entries; raise :class:`GazetteerError` naming each bad entry."""
        problems = entry_problems(entries)
        if not problems:
            entities = [Entity.model_validate(raw) for raw in entries]
            try:
                return cls(entities=entities)
            except ValidationError as exc:
                problems = [(None, str(err["msg"]).removeprefix("Value error, ")) for err in exc.errors()]
        raise GazetteerError("invalid gazetteer:\n  " + "\n  ".join(message for _, message in problems))

    def get(self, name: str, entity_type: str) -> Entity | None:
        """The entity with this canonical name and type."""
        return self.__pydantic_private__["_by_key"].get((entity_type, name_key(name)))  # type: ignore[index]

    def of_type(self, entity_type: str) -> list[Entity]:
        return self.__pydantic_private__["_by_type"].get(entity_type, [])  # type: ignore[index]

    def persons_with_family_name(self, family: str, parts: bool = True) -> list[Entity]:
        """Persons whose family name, or (``parts``) a part of a compound family name, is ``family``."""
        found = self.__pydantic_private__["_by_family"].get(name_key(family), [])  # type: ignore[index]
        return found if parts else [e for e in found if name_key(e.family_name) == name_key(family)]

    def cached(self, key: str, build: Any) -> Any:
        """Per-gazetteer memo for derived indexes (matchers, fuzzy choices)."""
        cache = self.__pydantic_private__["_cache"]  # type: ignore[index]
        if key not in cache:
            cache[key] = build()
        return cache[key]


def entry_problems(entries: list[Any]) -> list[tuple[tuple[Any, ...] | None, str]]:
    """(path in the file, message) of every field error of every entry."""
    problems: list[tuple[tuple[Any, ...] | None, str]] = []
    for i, raw in enumerate(entries):
        label = f"entry #{i} {raw.get('name')!r}" if isinstance(raw, dict) else f"entry #{i}"
        try:
            Entity.model_validate(raw)
        except ValidationError as exc:
            for err in exc.errors():
                where = ".".join(str(p) for p in err["loc"]) or "entry"
                problems.append((("entities", i, *err["loc"]), f"{label}: {where}: {err['msg']}"))
    return problems


def _with_lines(path: Path, text: str, entries: list[Any]) -> GazetteerError:
    """The error for an invalid gazetteer, each problem as ``file:line: reason``."""
    line = locator(text, _YAML_LOADER)
    problems = entry_problems(entries)
    if not problems:
        try:
            Gazetteer(entities=[Entity.model_validate(raw) for raw in entries])
        except ValidationError as exc:
            for err in exc.errors():
                for message in str(err["msg"]).removeprefix("Value error, ").split("; "):
                    problems.append((_named(entries, message), message))
    return GazetteerError("; ".join(f"{at(str(path), line(loc) if loc else None)}: {msg}" for loc, msg in problems))


def _named(entries: list[Any], message: str) -> tuple[Any, ...] | None:
    """The path of the last entry whose name a uniqueness message quotes first (the duplicate)."""
    for i in range(len(entries) - 1, -1, -1):
        raw = entries[i]
        if isinstance(raw, dict) and message.startswith(repr(raw.get("name"))):
            return ("entities", i, "name")
    return None


def load_gazetteer(path: Path | str | None = None) -> Gazetteer:
    """Load and validate the gazetteer YAML (default ``data/reference/entities.yaml``)."""
    return _load(Path(path) if path else DEFAULT_PATH)


@cache
def _load(path: Path) -> Gazetteer:
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.load(text, Loader=_YAML_LOADER) or {}
    except yaml.YAMLError as exc:
        raise GazetteerError(yaml_problem(exc, str(path))) from None
    entries = data.get("entities") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise GazetteerError(f"{path}: expected a mapping with an 'entities' list")
    try:
        return Gazetteer.from_entries(entries)
    except GazetteerError:
        raise _with_lines(path, text, entries) from None
