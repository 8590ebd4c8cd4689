"""Text helpers shared by the deal, agreement and event extractors.

Sentences and clauses as spans, overlap-free mentions, number words, country codes and the
date nearest to a cue. Pure functions over the article body; no I/O.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import pairwise

import pycountry

from etl.records import DateRec, EntityRef, MentionRec, Span
from etl.transform._sentences import split_sentences
from etl.transform.regex_prefilter import compile_scanner

CLAUSE_BREAK = compile_scanner(
    r"\s*;\s*|:\s+(?=[“\"A-Z])"
    r"|,?\s+(?:after|because|but|although|though|whereas|when|while|until|unless)\s+"
    r"|,\s+(?:according\s+to|which|who|whom|where|in\s+which|making|leaving|saying|adding|bringing|raising|taking"
    r"|pushing|increasing|boosting)\b"
    # ", and now we have sold ...": a coordinated clause with a subject of its own
    r"|,\s+and\s+(?:now\s+|then\s+|later\s+|so\s+)?(?=(?:we|they|it|he|she)\s+(?:has|have|had|will|would|is|are|was|were|also|[a-z]+ed)\b)"
    r"|\b(?:said|says|say|show|shows|showed|noted|notes|reported|believe|believes|argued|added)"
    r"(?:\s+(?:on\s+)?(?:[A-Z][a-z]+day|today|yesterday|last\s+(?:week|month|year)|in\s+a\s+statement))?"
    r"\s+that\b,?\s*"
    r"|,\s+and\s+(?=(?:it|they|he|she|we)\s)"
    # a participial clause that comments on the sentence (", completing a modernization that began in 2007")
    r"|,\s+(?=(?:completing|marking|ending|capping|concluding|culminating|continuing|extending)\s)"
)
NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "dozen": 12,
    "decade": 10,
    "half-century": 50,
    "century": 100,
    "a": 1,
    "an": 1,
    "single": 1,
    "pair": 2,
    "couple": 2,
}
_COUNTRY_ALIASES = {
    "russia": "RU",
    "britain": "GB",
    "great britain": "GB",
    "england": "GB",
    "uk": "GB",
    "u.k.": "GB",
    "us": "US",
    "u.s.": "US",
    "usa": "US",
    "u.s.a.": "US",
    "america": "US",
    "united states of america": "US",
    "soviet union": "SU",
    "ussr": "SU",
    "south korea": "KR",
    "north korea": "KP",
    "korea": "KR",
    "taiwan": "TW",
    "iran": "IR",
    "syria": "SY",
    "venezuela": "VE",
    "bolivia": "BO",
    "vietnam": "VN",
    "laos": "LA",
    "czech republic": "CZ",
    "holland": "NL",
    "the netherlands": "NL",
    "turkey": "TR",
}
ACTOR_TYPES = {"organization", "government_body", "armed_group"}


def sentences(body: str) -> list[Span]:
    """Sentence spans (one splitter for every extractor: ``_sentences.split_sentences``)."""
    return split_sentences(body)


_DATELINE = compile_scanner(
    r"^[A-Z][A-Z.’'-]+(?:\s[A-Z][A-Z.’'-]+)*(?:,\s*[A-Z][\w.]*(?:\s+[\w.]+){0,2})*\s*"
    r"(?:\([A-Za-z .]{1,30}\)\s*)?(?:--|—|–|-)\s",
    re.MULTILINE,
)


def datelines(body: str) -> list[Span]:
    """Spans of the datelines that open paragraphs ("LIMA, Peru, Dec. 15 (UPI) -- ", "ROME — ")."""
    return [Span(m.start(), m.end()) for m in _DATELINE.finditer(body)]


def _add_trimmed(body: str, start: int, end: int, out: list[Span]) -> None:
    chunk = body[start:end]
    stripped = chunk.strip()
    if stripped:
        lead = len(chunk) - len(chunk.lstrip())
        out.append(Span(start + lead, start + lead + len(stripped)))


# a second verb phrase of the same subject ("Ecuador is also acquiring A-29s from Brazil and has
# received Mirage 50s from Venezuela"), or a gapped one (", and from Spain's Navantia, eight vessels")
_VP_AND = compile_scanner(
    r",?\s+and\s+(?=(?:has|have|had)\s+(?:also\s+|since\s+|now\s+|already\s+)?"
    r"(?:[a-z]+ed|bought|sold|won|received|taken|begun|signed)\b|will\s+(?:also\s+)?[a-z]+\b"
    r"|(?:is|are|was|were)\s+(?:also\s+|now\s+|still\s+)?[a-z]+ing\b)"
)
_GAPPED = compile_scanner(r",\s+and\s+(?=(?:from|to)\s+(?:the\s+)?[A-Z]|(?:its|their)\s)")
_FINITE = compile_scanner(
    r"\b(?:is|are|was|were|has|have|had|will|would|took|bought|sold|won|signed|ordered|received|acquired|"
    r"purchased|announced|awarded|agreed)\b",
    re.IGNORECASE,
)


def clauses(body: str, span: Span) -> list[Span]:
    """Split a sentence span at clause boundaries (``;``, ``after``, ``but``, ``, according to`` ...),
    never inside parentheses ("(Fuerza Aérea Ecuatoriana: FAE)"); "and has received ..." starts a
    clause only when the part before it has a finite verb of its own ("Brazil and Chile have ..."
    is one clause)."""
    return list(_clauses(body, span))


@lru_cache(maxsize=256)  # deals, agreements and events split the same sentences
def _clauses(body: str, span: Span) -> tuple[Span, ...]:
    out: list[Span] = []
    start = span.start
    breaks = [*CLAUSE_BREAK.finditer(body, span.start, span.end), *_GAPPED.finditer(body, span.start, span.end)]
    breaks += [m for m in _VP_AND.finditer(body, span.start, span.end) if _FINITE.search(body, span.start, m.start())]
    for m in sorted(breaks, key=lambda m: m.start()):
        if m.start() < start:
            continue
        if body.count("(", span.start, m.start()) > body.count(")", span.start, m.start()):
            continue  # inside a parenthesis
        _add_trimmed(body, start, m.start(), out)
        start = m.end()
    _add_trimmed(body, start, span.end, out)
    return tuple(out or [span])


def containing(spans: Sequence[Span], pos: int) -> Span | None:
    """The span of ``spans`` that contains character ``pos``."""
    for s in spans:
        if s.start <= pos < s.end:
            return s
    return None


def inside(span: Span, outer: Span) -> bool:
    return outer.start <= span.start and span.end <= outer.end


def country_code(m: MentionRec) -> str | None:
    """ISO alpha-2 code of a mention: its own ``country_code`` or, for a country, a lookup of its name."""
    if m.country_code:
        return m.country_code.upper()
    if m.entity.entity_type == "country":
        return code_for_name(m.entity.name) or code_for_name(m.surface)
    return None


def code_for_name(name: str) -> str | None:
    """ISO alpha-2 code for a country name ("Peru", "Russia", "U.S."), or None."""
    key = re.sub(r"[’']s$", "", name.strip()).lower()
    if key in _COUNTRY_ALIASES:
        return _COUNTRY_ALIASES[key]
    return _lookup_code(key)


@lru_cache(maxsize=8192)
def _lookup_code(key: str) -> str | None:
    try:
        return pycountry.countries.lookup(key).alpha_2
    except LookupError:
        return None


def country_name(code: str) -> str:
    """A readable name for an ISO alpha-2 code (common name when pycountry has one)."""
    if code == "SU":
        return "Soviet Union"
    c = pycountry.countries.get(alpha_2=code)
    if c is None:
        return code
    return getattr(c, "common_name", None) or c.name


def country_ref(code: str, mentions: Iterable[MentionRec]) -> EntityRef:
    """The article's own EntityRef for a country code, else one named from pycountry."""
    for m in mentions:
        if m.entity.entity_type == "country" and country_code(m) == code:
            return m.entity
    return EntityRef(country_name(code), "country")


def normalize_mentions(mentions: Iterable[MentionRec]) -> list[MentionRec]:
    """Sorted, overlap-free mentions; a container absorbs the country code of a nested country."""
    out: list[MentionRec] = []
    for m in sorted(mentions, key=lambda m: (m.span.start, -m.span.end)):
        if out and m.span.start < out[-1].span.end:
            top = out[-1]
            if m.span.end <= top.span.end:
                if (
                    m.entity.entity_type == "country"
                    and top.entity.entity_type != "country"
                    and not top.country_code
                ):
                    out[-1] = dataclasses.replace(top, country_code=country_code(m))
                continue
            if (m.span.end - m.span.start) <= (top.span.end - top.span.start):
                continue
            out[-1] = m
            continue
        out.append(m)
    return out


def start_index(mentions: Sequence[MentionRec]) -> list[int] | None:
    """The mentions' starts when they are in text order (for :func:`mentions_in`), else None."""
    starts = [m.span.start for m in mentions]
    return starts if all(a <= b for a, b in pairwise(starts)) else None


def mentions_in(
    mentions: Sequence[MentionRec], start: int, end: int, starts: list[int] | None = None
) -> list[MentionRec]:
    """The mentions inside [start, end), in list order; ``starts`` (from :func:`start_index`)
    narrows the scan by bisection to those starting there."""
    if starts is not None:
        mentions = mentions[bisect_left(starts, start) : bisect_right(starts, end)]
    return [m for m in mentions if start <= m.span.start and m.span.end <= end]


def country_counts(mentions: Iterable[MentionRec]) -> Counter[str]:
    """How often each country code is mentioned (countries and demonyms)."""
    return Counter(c for m in mentions if m.entity.entity_type == "country" and (c := country_code(m)))


def parse_number(token: str) -> int | None:
    """``"36"``, ``"1,200"``, ``"five"``, ``"twenty-four"``, ``"a dozen"`` -> int; else None."""
    t = token.strip().lower().replace(",", "")
    if t.isdigit():
        return int(t)
    t = re.sub(r"^(?:a|an)\s+(?=dozen|hundred|couple|pair)", "", t)
    if t in NUMBER_WORDS and t not in {"a", "an"}:
        return NUMBER_WORDS[t]
    parts = re.split(r"[-\s]+", t)
    if len(parts) == 2 and all(p in NUMBER_WORDS for p in parts) and NUMBER_WORDS[parts[0]] >= 20:
        return NUMBER_WORDS[parts[0]] + NUMBER_WORDS[parts[1]]
    return None


def nearest_date(
    dates: Sequence[DateRec], start: int, end: int, pos: int, exclude: Sequence[Span] = ()
) -> DateRec | None:
    """The date inside ``[start, end)`` closest to ``pos``, skipping spans in ``exclude``."""
    best: DateRec | None = None
    best_dist = 10**9
    for d in dates:
        if (
            d.span.start < start
            or d.span.end > end
            or any(x.start < d.span.end and d.span.start < x.end for x in exclude)
        ):
            continue
        dist = d.span.start - pos if d.span.start >= pos else pos - d.span.end
        if dist < best_dist:
            best, best_dist = d, dist
    return best


def singular(word: str) -> str:
    """Crude singular of an English noun ("helicopters" -> "helicopter", "boss" unchanged)."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def slug(text: str) -> str:
    """Lower-case ASCII key for natural keys ("Abimael Guzmán" -> "abimael-guzman")."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
