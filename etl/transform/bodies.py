"""Government bodies named by a common phrase (``body_phrases`` in entity_lexicon.yaml).

* qualified: a country word before the phrase names that country's body, in any case ("Swiss air force",
  "Iraq's air force", "the US embassy", "Poland's defence ministry");
* bare: "the Defense Ministry", "Congress", "the air force" is the body with the same head named earlier
  in the article ("Polish Defense Ministry ... the Defense Ministry said"); without one, a capitalized or
  multi-word phrase is the body of the article's main country (the most mentioned one; ``Congress``
  prefers ``body_default_country``);
* possessive names ("South Korea's Finance Ministry") are named with the country's adjective ("South
  Korean Finance Ministry"), as analysts write them.

New bodies are named "<adjective> <Phrase>" and resolved to a curated body when the gazetteer knows one
("Indian Ministry of Defence" is the Ministry of Defence of India).
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from etl.records import EntityRef, MentionRec, Span
from etl.reference.entity_lexicon import Lexicon
from etl.reference.gazetteer import Gazetteer
from etl.transform.matching import fold
from etl.transform.resolution import resolve_name

_BODY_TYPES = ("government_body", "organization")
_GAP = re.compile(r"(?:'s|’s)?\s+(?:[a-z]+\s+)?")  # "Bulgaria's ailing air force"
_SMALL = frozenset({"of", "the", "and", "for"})


def _phrases(lex: Lexicon) -> re.Pattern[str]:
    return _pattern(tuple(sorted(lex.body_keys, key=len, reverse=True)))


@cache
def _pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    alts = "|".join(re.escape(p) for p in phrases)
    return re.compile(rf"(?<![\w-])(?:{alts})(?![\w-])", re.IGNORECASE)


def _title(phrase: str) -> str:
    words = phrase.split()
    return " ".join(w if (w in _SMALL and i) or w[:1].isupper() else w[:1].upper() + w[1:] for i, w in enumerate(words))


def body_key(surface: str, lex: Lexicon) -> str | None:
    """Canonical head of a body's name ("Iraqi Air Force" -> "Air Force"; "Armed Forces of Bangladesh" ->
    "Armed Forces"), or None."""
    low = " ".join(fold(surface).lower().replace("’", "'").split())
    for phrase, key in sorted(lex.body_keys.items(), key=lambda kv: -len(kv[0])):
        if low == phrase or low.endswith(" " + phrase) or low.startswith(phrase + " of "):
            return key
    return None


class _Bodies:
    def __init__(self, body: str, mentions: list[MentionRec], gaz: Gazetteer, lex: Lexicon) -> None:
        self.body, self.gaz, self.lex = body, gaz, lex
        self.ms = sorted(mentions, key=lambda m: m.span.start)
        self.countries = {
            e.country: e for e in gaz.of_type("country") if e.country is not None
        }

    def adjective(self, code: str) -> str | None:
        if code in self.lex.country_adjectives:
            return self.lex.country_adjectives[code]
        entity = self.countries.get(code)
        if entity is None:
            return None
        return next((a.name for a in entity.aliases if a.kind == "demonym"), entity.name)

    def home(self, key: str) -> str | None:
        codes = [m.country_code for m in self.ms if m.entity.entity_type == "country" and m.country_code]
        default = self.lex.body_default_country.get(key)
        if default and default in codes:
            return default
        if not codes:
            return None
        counts = Counter(codes)
        best = max(counts.values())
        return next(c for c in codes if counts[c] == best)

    def run(self) -> list[MentionRec]:
        self._rename_possessives()
        added: list[MentionRec] = []
        for occ in _phrases(self.lex).finditer(fold(self.body)):
            start, end = occ.start(), occ.end()
            if self._overlaps(start, end, added):
                continue
            rec = self._bind(start, end, occ.group(), added)
            if rec is not None:
                added.append(rec)
        return sorted(self.ms + added, key=lambda m: (m.span.start, m.span.end))

    def _overlaps(self, start: int, end: int, added: list[MentionRec]) -> bool:
        return any(m.span.start < end and start < m.span.end for m in (*self.ms, *added))

    def _qualifier(self, start: int) -> MentionRec | None:
        before = [m for m in self.ms if m.span.end <= start and m.span.end >= start - 30]
        if not before:
            return None
        q = before[-1]
        gap = self.body[q.span.end : start]
        if q.entity.entity_type != "country" or not _GAP.fullmatch(gap):
            return None
        if gap.strip() and not gap.startswith(("'s", "’s")) and q.method != "demonym":
            return None  # "Kenya ailing air force" is no phrase; "Kenya's ailing air force" is
        return q

    def _bind(self, start: int, end: int, phrase: str, added: list[MentionRec]) -> MentionRec | None:
        key = self.lex.body_keys[phrase.lower()]
        nxt = re.match(r"[ -]([A-Za-z]+)", self.body[end : end + 30])
        if nxt and nxt[1].lower() in self.lex.head_words:
            return None  # "Air Force Commander Juniti Saito", "Navy Secretary": part of a title
        surface = self.body[start:end]
        capitalized = surface[:1].isupper()
        single = " " not in phrase
        q = self._qualifier(start)
        if q is not None and q.country_code:
            code = q.country_code
            same = self._antecedent(key, start, added, code)
            if same is not None:
                return self._mention(start, end, same.entity, "alias", same.origin, code)
            if self._mentioned_elsewhere(q) and not q.surface.endswith(("'s", "’s")):
                self.ms.remove(q)  # "US embassy" as written, when the country is named elsewhere too
                return self._new(q.span.start, end, key, phrase, code)
            return self._new(start, end, key, phrase, code)
        if single and not self._definite(start, capitalized):
            return None
        same = self._antecedent(key, start, added, None)
        if same is not None:
            return self._mention(start, end, same.entity, "alias", same.origin, same.country_code)
        if single and not capitalized:
            return None
        code = self.home(key)
        return self._new(start, end, key, phrase, code) if code else None

    def _definite(self, start: int, capitalized: bool) -> bool:
        """A one-word phrase names a body after "the" ("the Navy") or, capitalized, mid-sentence ("to
        Congress")."""
        prev = re.search(r"(\S+)\s+$", self.body[max(0, start - 20) : start])
        word = prev[1] if prev else ""
        if word.lower() == "the":
            return True
        return capitalized and bool(word) and not word.endswith((".", "!", "?", ":", "\"", "”")) and word[:1].islower()

    def _mentioned_elsewhere(self, q: MentionRec) -> bool:
        return sum(m.entity == q.entity for m in self.ms) > 1

    def _antecedent(
        self, key: str, start: int, added: list[MentionRec], code: str | None
    ) -> MentionRec | None:
        found = [
            m
            for m in (*self.ms, *added)
            if m.span.start < start
            and m.entity.entity_type in _BODY_TYPES
            and (code is None or m.country_code == code)
            and body_key(m.entity.name, self.lex) == key
        ]
        return max(found, key=lambda m: m.span.start) if found else None

    def _new(self, start: int, end: int, key: str, phrase: str, code: str) -> MentionRec | None:
        adjective = self.adjective(code)
        if adjective is None:
            return None
        name = f"{adjective} {_title(self.body[end - len(phrase) : end])}"
        entity = resolve_name(name, "government_body", self.gaz)
        if entity is not None:
            return self._mention(start, end, entity.ref, "fuzzy", "curated", entity.country)
        return self._mention(start, end, EntityRef(name, "government_body"), "discovered", "discovered", code)

    def _mention(
        self, start: int, end: int, ref: EntityRef, method: str, origin: str, code: str | None
    ) -> MentionRec:
        return MentionRec(Span(start, end), self.body[start:end], ref, method, origin, code)  # type: ignore[arg-type]

    def _rename_possessives(self) -> None:
        """ "South Korea's Finance Ministry" (discovered) -> "South Korean Finance Ministry"."""
        renamed: dict[EntityRef, EntityRef] = {}
        for m in self.ms:
            if m.origin != "discovered" or m.entity.entity_type != "government_body" or not m.country_code:
                continue
            head = re.match(r"(.+?)(?:'s|’s) (\S.*)$", m.entity.name)
            adjective = self.adjective(m.country_code)
            if head and adjective and " " not in head[1].replace("South ", "").replace("North ", ""):
                renamed[m.entity] = EntityRef(f"{adjective} {head[2]}", m.entity.entity_type)
        if renamed:
            self.ms = [
                MentionRec(m.span, m.surface, renamed[m.entity], m.method, m.origin, m.country_code)
                if m.entity in renamed
                else m
                for m in self.ms
            ]


def bind_bodies(body: str, mentions: list[MentionRec], gaz: Gazetteer, lex: Lexicon) -> list[MentionRec]:
    """``mentions`` plus the government bodies named by common phrases (module docstring)."""
    return _Bodies(body, mentions, gaz, lex).run()
