"""Gazetteer matching with Aho-Corasick: whole words, longest match first, non-overlapping.

Text and keys are folded length-preservingly (accents stripped, curly quotes and dashes unified), so
match offsets are offsets into the original body. Acronym-like keys ("US", "CPMIEC", "U.S.", "MoDA")
match case-sensitively; other keys match case-insensitively but must start with a capital when the
key does ("china" is not China). A country followed by a possessive ("Israel’s") becomes a demonym.
Spelling variants are generated (hyphen/space, Corp./Corporation, Defense/Defence, plural demonyms).

Guards (word lists in entity_lexicon.yaml):
* currencies: a country word inside a currency ("US$120 million", "US $5 million", "$US", "US dollars",
  "Swedish crowns") is no mention of the country;
* person-like country names (``person_like_names``: Jordan, Chad, Israel ...) are no country after a given
  name, honorific or rank ("Michael Jordan", "Mr. Jordan") or before a capitalized name word ("Chad
  Smith", "Israel Katz"), except in Title Case headlines and before title or organization words
  ("Israel Defense Forces", "Chad President ...").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

import ahocorasick

from etl.reference.entity_lexicon import Lexicon, load_lexicon
from etl.reference.gazetteer import Entity, Gazetteer
from etl.transform.name_tokens import headline_and_byline_lines
from etl.transform.regex_prefilter import compile_scanner

_PUNCT = {"’": "'", "‘": "'", "ʼ": "'", "`": "'", "“": '"', "”": '"', "„": '"', "\u00a0": " ",
          "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-"}  # fmt: skip
_TYPE_PRIORITY = ("country", "government_body", "organization", "armed_group", "program", "weapon_system",
                  "person")  # fmt: skip
_CORP_VARIANTS = (("Corp.", "Corporation"), ("Corp.", "Corp"), ("Inc.", "Inc"), ("Co.", "Company"),
                  ("Ltd.", "Limited"), ("Ltd.", "Ltd"))  # fmt: skip
_DESIGNATION = compile_scanner(r"^([A-Za-z]{1,4})[- ]?(\d{1,4}\w*)$")
_COUNTRY_PREFIXES = (("U.S.", "US"), ("US", "U.S."), ("U.K.", "UK"), ("UK", "U.K."))
_SPELLINGS = (("Defense", "Defence"), ("Organization", "Organisation"), ("Program", "Programme"))
_NEXT_WORD = compile_scanner(r"[ -]([A-Za-z]+)")
_PREV_WORD = compile_scanner(r"([A-Za-z][\w.'-]*) $")
_NEXT_CAP = compile_scanner(r" ([A-Z][A-Za-z'-]+)")


@cache
def _fold_char(c: str) -> str:
    if c in _PUNCT:
        return _PUNCT[c]
    base = unicodedata.normalize("NFD", c)[0]
    return base if len(base) == 1 else c


@lru_cache(maxsize=16)
def fold(text: str) -> str:
    """Strip accents and unify quotes/dashes, keeping every character at its offset (the last bodies
    are memoized: the matcher, bodies and surnames fold the same article)."""
    return "".join(map(_fold_char, text))


def lower_same_length(text: str) -> str:
    low = text.lower()
    return low if len(low) == len(text) else "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def is_acronym(name: str) -> bool:
    """Acronym-like names match case-sensitively: "US", "U.S.", "CPMIEC", "MoDA", "T-55"."""
    if " " in name:
        return False
    if all(re.fullmatch(r"[A-Z][a-z]+", part) for part in name.split("-")):
        return False  # "Al-Shabaab", "Rolls-Royce": capitalized words, not an acronym
    return name.isupper() or sum(c.isupper() for c in name) >= 2


def is_word_char(c: str) -> bool:
    return c.isalnum()


@dataclass(frozen=True, slots=True)
class Target:
    """What a key denotes: an entity (or None for a blocking phrase) and how it was named."""

    entity: Entity | None
    method: str  # gazetteer | alias | demonym
    key: str  # folded, original case
    case_sensitive: bool
    plural: bool = False  # a generated plural ("Gripens"): the mention is the singular part


@dataclass(frozen=True, slots=True)
class Match:
    start: int
    end: int
    entity: Entity
    method: str


def name_variants(name: str, entity_type: str, kind: str) -> set[str]:
    """Spelling variants generated for a name: hyphen/space, corporate suffixes, plural demonyms."""
    out = {name}
    if "-" in name:
        out.add(name.replace("-", " "))
    for a, b in _SPELLINGS:  # American and British spellings
        for v in list(out):
            if re.search(rf"\b{a}\b", v):
                out.add(re.sub(rf"\b{a}\b", b, v))
            elif re.search(rf"\b{b}\b", v):
                out.add(re.sub(rf"\b{b}\b", a, v))
    for short, long in _CORP_VARIANTS:
        for v in list(out):
            if v.endswith(" " + short):
                out.add(v[: -len(short)] + long)
            elif v.endswith(" " + long):
                out.add(v[: -len(long)] + short)
    for a, b in _COUNTRY_PREFIXES:  # "U.S. Congress" / "US Congress"
        for v in list(out):
            if v.startswith(a + " "):
                out.add(b + v[len(a) :])
    if entity_type == "weapon_system":
        m = _DESIGNATION.match(name)
        if m:
            out |= {f"{m[1]}-{m[2]}", f"{m[1]} {m[2]}", f"{m[1]}{m[2]}"}
        # "Gripens", "F-16s", "Black Hawks"; not "Type 209 submarines" (its "Type 209" alias is found)
        if not name.split()[-1].islower():
            out |= {v + "s" for v in out if not v.endswith(("s", "S"))}
    if kind == "demonym" and not name.endswith(("ese", "s", "sh", "ch", "x", "z")):
        out.add(name + "s")  # "Peruvians", "Saudis", "Swedes", "Britons", "Kazakhs"
    return out


class Matcher:
    """Aho-Corasick automaton over every curated name, alias and generated variant."""

    def __init__(self, gazetteer: Gazetteer, lexicon: Lexicon) -> None:
        table: dict[str, list[Target]] = {}
        for entity in gazetteer.entities:
            names = [(entity.name, "name")] + [(a.name, a.kind) for a in entity.aliases]
            for name, kind in names:
                method = "gazetteer" if kind == "name" else "demonym" if kind == "demonym" else "alias"
                variants = name_variants(name, entity.type, kind)
                for variant in variants:
                    plural = entity.type == "weapon_system" and variant.endswith("s") and variant[:-1] in variants
                    self._add(table, variant, Target(entity, method, fold(variant), is_acronym(variant), plural))
        for phrase in lexicon.non_entity_phrases:
            self._add(table, phrase, Target(None, "block", fold(phrase), False))
        self.automaton = ahocorasick.Automaton()
        for low, targets in table.items():
            targets.sort(key=_target_rank)
            self.automaton.add_word(low, (len(low), targets))
        self.automaton.make_automaton()
        self.lex = lexicon
        self.person_like = frozenset(fold(n).lower() for n in lexicon.person_like_names)
        self.currencies = lexicon.currencies
        # words that may follow a person-like country name: titles, organization and function words
        self.not_names = (
            lexicon.stopwords
            | lexicon.head_words
            | lexicon.generic
            | lexicon.modifiers
            | {w.lower() for w in lexicon.stopwords}
            | {s.lower() for s in lexicon.suffix_type}
        )

    @staticmethod
    def _add(table: dict[str, list[Target]], name: str, target: Target) -> None:
        targets = table.setdefault(lower_same_length(fold(name)), [])
        if target not in targets:
            targets.append(target)

    def find(self, body: str) -> list[Match]:
        """All non-overlapping whole-word matches in ``body``, longest first, sorted by start."""
        folded = fold(body)
        lowered = lower_same_length(folded)
        candidates: list[tuple[int, int, Target]] = []
        for last, (length, targets) in self.automaton.iter(lowered):
            start, end = last - length + 1, last + 1
            if not _boundary(folded, start, end):
                continue
            negated = lowered[max(0, start - 5) : start].endswith(("anti-", "pro-"))
            for target in targets:
                if negated and target.entity is not None and target.entity.type != "country":
                    continue  # "anti-U.S. army leaders" is about the country, not the U.S. Army
                if _case_ok(folded, start, end, target):
                    candidates.append((start, end, target))
                    break
        candidates.sort(key=lambda c: (c[0] - c[1], c[0]))
        taken = bytearray(len(body) + 2)
        matches: list[Match] = []
        headlines: list[tuple[int, int]] | None = None
        for start, end, target in candidates:
            if any(taken[start:end]):
                continue
            entity = target.entity
            if entity is not None and entity.type == "country":
                if self._in_currency(folded, start, end, target):
                    continue
                if lowered[start:end] in self.person_like:
                    if headlines is None:
                        headlines = headline_and_byline_lines(body)
                    if self._person_context(folded, start, end, headlines):
                        continue
            taken[start:end] = b"\x01" * (end - start)
            if target.entity is None:
                continue
            method = target.method
            if target.plural:
                end -= 1
            if target.entity.type == "country" and _possessive_at(folded, end):
                end, method = end + 2, "demonym"
            matches.append(Match(start, end, target.entity, method))
        matches.sort(key=lambda m: m.start)
        return matches


    def _in_currency(self, folded: str, start: int, end: int, target: Target) -> bool:
        """ "US$120 million", "US $5 million", "$US 40", "US dollars", "Swedish crowns": a currency."""
        if folded[end : end + 1] == "$" or folded[start - 1 : start] == "$":
            return True
        if target.case_sensitive and "." not in target.key and re.match(r" \$ ?\d", folded[end : end + 4]):
            return True
        m = _NEXT_WORD.match(folded, end)
        if m is None:
            return False
        noun = m[1].lower()
        return noun in ("dollar", "dollars") or (target.method == "demonym" and noun in self.currencies)

    def _person_context(self, folded: str, start: int, end: int, headlines: list[tuple[int, int]]) -> bool:
        """A person-like country name used as a person's name ("Michael Jordan", "Chad Smith")."""
        before = _PREV_WORD.search(folded, max(0, start - 40), start)
        if before is not None:
            word = before[1]
            if self.lex.is_given_name(word) or word in self.lex.honorifics or word in self.lex.ranks:
                return True
        after = _NEXT_CAP.match(folded, end)
        if after is None or any(a <= start < b for a, b in headlines):
            return False
        word = after[1]
        return word.lower() not in self.not_names and word not in self.not_names


def _target_rank(t: Target) -> tuple[int, int]:
    entity_type = t.entity.type if t.entity else "country"
    return (t.method != "gazetteer", _TYPE_PRIORITY.index(entity_type))


def _boundary(text: str, start: int, end: int) -> bool:
    if start > 0 and is_word_char(text[start - 1]):
        return False
    if end < len(text) and is_word_char(text[end]):
        return False
    # "MiG" in "MiG-21": a name glued to a designation number is not the name.
    return not (text[end : end + 1] == "-" and text[end + 1 : end + 2].isdigit())


def _case_ok(folded: str, start: int, end: int, target: Target) -> bool:
    if target.case_sensitive:
        return folded[start:end] == target.key
    return not target.key[0].isupper() or folded[start].isupper()


def _possessive_at(folded: str, end: int) -> bool:
    return folded[end : end + 2] == "'s" and not (end + 2 < len(folded) and is_word_char(folded[end + 2]))


def matcher_for(gazetteer: Gazetteer, lexicon: Lexicon | None = None) -> Matcher:
    """The (cached) matcher of a gazetteer."""
    lex = lexicon or load_lexicon()
    return gazetteer.cached(f"matcher:{id(lex)}", lambda: Matcher(gazetteer, lex))
