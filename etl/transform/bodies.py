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
from etl.reference.gazetteer import Entity, Gazetteer
from etl.transform.matching import fold
from etl.transform.regex_prefilter import compile_scanner
from etl.transform.resolution import resolve_name

_BODY_TYPES = ("government_body", "organization")
_GAP = compile_scanner(r"(?:'s|’s)?\s+(?:[a-z]+\s+)?")  # "Bulgaria's ailing air force"
_REPUBLIC = compile_scanner(r"\b(?:Republic|Kingdom|State|Federation) of (?:the )?$")
_PROPER_BEFORE = compile_scanner(r"(?<![\w.-])(?:[A-Z][\w'’.-]* ){1,3}$")
_SMALL = frozenset({"of", "the", "and", "for"})


def _occurrences(low: str, phrases: tuple[str, ...]) -> list[tuple[int, int]]:
    """Whole-word spans of the phrases in the lower-cased text, longest first where they overlap
    (str.find per phrase: far faster than one big alternation over every position)."""
    found: list[tuple[int, int]] = []
    for phrase in phrases:
        i = low.find(phrase)
        while i >= 0:
            j = i + len(phrase)
            if (i == 0 or not (low[i - 1].isalnum() or low[i - 1] == "-")) and (
                j == len(low) or not (low[j].isalnum() or low[j] == "-")
            ):
                found.append((i, j))
            i = low.find(phrase, i + 1)
    found.sort(key=lambda s: (s[0], s[0] - s[1]))
    out: list[tuple[int, int]] = []
    for start, end in found:
        if not out or start >= out[-1][1]:
            out.append((start, end))
    return out


def _title(phrase: str) -> str:
    words = phrase.split()
    return " ".join(w if (w in _SMALL and i) or w[:1].isupper() else w[:1].upper() + w[1:] for i, w in enumerate(words))


@cache
def _by_length(items: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(items, key=lambda kv: -len(kv[0])))


@cache
def _key_of(surface: str, items: tuple[tuple[str, str], ...]) -> str | None:
    low = " ".join(fold(surface).lower().replace("’", "'").split())
    for phrase, key in _by_length(items):
        if low == phrase or low.endswith(" " + phrase) or low.startswith(phrase + " of "):
            return key
    return None


def body_key(surface: str, lex: Lexicon) -> str | None:
    """Canonical head of a body's name ("Iraqi Air Force" -> "Air Force"; "Armed Forces of Bangladesh" ->
    "Armed Forces"), or None."""
    return _key_of(surface, tuple(lex.body_keys.items()))


class _Bodies:
    def __init__(self, body: str, mentions: list[MentionRec], gaz: Gazetteer, lex: Lexicon) -> None:
        self.body, self.gaz, self.lex = body, gaz, lex
        self.ms = sorted(mentions, key=lambda m: m.span.start)
        self.countries: dict[str, Entity] = gaz.cached(
            "countries-by-code", lambda: {e.country: e for e in gaz.of_type("country") if e.country}
        )

    def adjective(self, code: str) -> str | None:
        if code in self.lex.country_adjectives:
            return self.lex.country_adjectives[code]
        entity = self.countries.get(code)
        if entity is None:
            return None
        return next((a.name for a in entity.aliases if a.kind == "demonym"), entity.name)

    def home(self, key: str) -> str | None:
        codes = [
            m.country_code for m in self.ms if m.entity.entity_type in ("country", "government_body") and m.country_code
        ]
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
        self._rebind_foreign()
        added: list[MentionRec] = []
        for start, end in _occurrences(fold(self.body).lower(), tuple(self.lex.body_keys)):
            if self._overlaps(start, end, added):
                continue
            rec = self._bind(start, end, self.body[start:end], added)
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
        capitalized = self.body[start].isupper()
        single = " " not in phrase
        q = self._qualifier(start)
        if q is not None and q.country_code:
            code = q.country_code
            same = self._antecedent(key, start, added, code)
            if same is not None:
                return self._mention(start, end, same.entity, "alias", same.origin, code)
            written = None
            if q.method != "demonym" and capitalized:  # "Kenya Defence Forces", "Republic of Fiji Military Forces"
                lead = _REPUBLIC.search(self.body, max(0, q.span.start - 20), q.span.start)
                written = self.body[lead.start() if lead else q.span.start : end]
            if self._mentioned_elsewhere(q) and not q.surface.endswith(("'s", "’s")):
                self.ms.remove(q)  # "US embassy" as written, when the country is named elsewhere too
                return self._new(q.span.start, end, key, phrase, code, written)
            return self._new(start, end, key, phrase, code, written)
        if capitalized:
            after = self._country_after(end)
            if after is not None:  # "Armed Forces of Bangladesh", "Ministry of Foreign Affairs of Japan"
                name = self.body[start : after.span.start] + after.surface.removesuffix("'s").removesuffix("’s")
                return self._new(start, end, key, phrase, after.country_code or "", name)
            lead = self._proper_before(start)
            if lead is not None:  # "PNG Defence Force": a name of its own
                return self._mention(
                    lead, end, EntityRef(self.body[lead:end], "government_body"), "discovered", "discovered", None
                )
        if single and not self._definite(start, capitalized):
            return None
        same = self._antecedent(key, start, added, None)
        if same is not None:
            return self._mention(start, end, same.entity, "alias", same.origin, same.country_code)
        if not capitalized and key not in self.lex.body_lowercase_keys:
            return None  # "modernize its armed forces" names no particular body
        code = self.home(key)
        return self._new(start, end, key, phrase, code) if code else None

    def _country_after(self, end: int) -> MentionRec | None:
        m = re.match(r" of (?:the )?", self.body[end : end + 10])
        if m is None:
            return None
        return next(
            (c for c in self.ms if c.span.start == end + m.end() and c.entity.entity_type == "country"), None
        )

    def _proper_before(self, start: int) -> int | None:
        """Start of 1-3 capitalized words glued before ``start`` that are no known entity or stopword."""
        m = _PROPER_BEFORE.search(self.body, max(0, start - 60), start)
        if m is None:
            return None
        words = m.group().split()
        while words and (words[0] in self.lex.stopwords or words[0].rstrip(".") in self.lex.stopwords):
            words.pop(0)
        if not words:
            return None
        lead = start - len(" ".join(words)) - 1
        if any(c.span.start < start and lead < c.span.end for c in self.ms):
            return None
        return lead

    def _definite(self, start: int, capitalized: bool) -> bool:
        """A one-word phrase names a body after "the" ("the Navy") or, capitalized, mid-sentence ("to
        Congress")."""
        prev = re.search(r"(\S+)[ \t]+$", self.body[max(0, start - 20) : start])
        word = prev[1] if prev else ""
        if capitalized and (start == 0 or self.body[start - 1] == "\n"):  # "Congress, which ..." opening a paragraph
            return bool(re.match(r",|\s+[a-z]", self.body[start + len(self.body[start:].split()[0].rstrip(",")) :]))
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
        if code is None and len({m.entity for m in found}) > 1:  # "the army": the main country's first
            home = self.home(key)
            found = [m for m in found if m.country_code == home] or found
        return max(found, key=lambda m: m.span.start) if found else None

    def _new(
        self, start: int, end: int, key: str, phrase: str, code: str, name: str | None = None
    ) -> MentionRec | None:
        adjective = self.adjective(code)
        if adjective is None:
            return None
        name = name or f"{adjective} {_title(self.body[end - len(phrase) : end])}"
        memo: dict[str, Entity | None] = self.gaz.cached("bodies:resolved", dict)
        if name not in memo:
            memo[name] = resolve_name(name, "government_body", self.gaz)
        entity = memo[name]
        if entity is not None:
            return self._mention(start, end, entity.ref, "fuzzy", "curated", entity.country)
        return self._mention(start, end, EntityRef(name, "government_body"), "discovered", "discovered", code)

    def _mention(
        self, start: int, end: int, ref: EntityRef, method: str, origin: str, code: str | None
    ) -> MentionRec:
        return MentionRec(Span(start, end), self.body[start:end], ref, method, origin, code)  # type: ignore[arg-type]

    def _rebind_foreign(self) -> None:
        """A curated body matched by its bare phrase after another country's word ("Australian Department
        of Defence" is not the U.S. one) is that country's body."""
        for i, m in enumerate(self.ms):
            if m.origin != "curated" or m.entity.entity_type != "government_body":
                continue
            phrase = " ".join(fold(m.surface).lower().split())
            q = self._qualifier(m.span.start) if phrase in self.lex.body_keys else None
            if q is not None and q.country_code and q.country_code != m.country_code:
                new = self._new(m.span.start, m.span.end, self.lex.body_keys[phrase], m.surface, q.country_code)
                if new is not None:
                    self.ms[i] = new

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
