"""Capitals named for their governments ("Washington has approved", "talks between Moscow and Kyiv",
"Doha's letter of intent"): mentions of the country (data/reference/capitals.yaml).

A capital is a place, not a metonym, after a place preposition or verb ("in Moscow", "visit to Beijing"),
before a capitalized word ("Washington Post", "Paris Air Show") or a comma and a capital ("Washington,
D.C."), written in capitals or opening a line (a dateline), or after a given name ("George Washington").
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml

from etl.records import MentionRec, Span
from etl.reference.entity_lexicon import Lexicon
from etl.reference.gazetteer import REFERENCE_DIR, Gazetteer
from etl.transform.regex_prefilter import compile_scanner

_PLACE_BEFORE = compile_scanner(
    r"(?:\b(?:in|at|from|to|into|near|outside|around|across|via|visit|visited|visits|visiting|toward|towards|"
    r"arrived|based|held|headquartered|embassy|mayor|city|of)\s+)$",
    re.IGNORECASE,
)
_PLACE_AFTER = compile_scanner(r"(?:\s+[A-Z][a-z]|,\s+[A-Z]|\s*\(|\s*[-–—]\s|-based)")


@cache
def _capitals(path: Path) -> dict[str, str]:
    table: dict[str, str] = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return dict(sorted(table.items(), key=lambda kv: -len(kv[0])))  # longest first: "Mexico City"


def _finds(body: str, name: str) -> list[int]:
    out, i = [], body.find(name)
    while i >= 0:
        out.append(i)
        i = body.find(name, i + 1)
    return out


def capital_mentions(
    body: str, mentions: list[MentionRec], gaz: Gazetteer, lex: Lexicon, path: Path | None = None
) -> list[MentionRec]:
    """``mentions`` plus the capitals that stand for their country's government."""
    table = _capitals(path or REFERENCE_DIR / "capitals.yaml")
    taken = sorted((m.span.start, m.span.end) for m in mentions)
    out = list(mentions)
    hits = [(i, name) for name in table for i in _finds(body, name)]
    for start, name in sorted(hits):
        end = start + len(name)
        if (start and (body[start - 1].isalnum() or body[start - 1] == "-")) or (
            end < len(body) and (body[end].isalnum() or body[end] == "-")
        ):
            continue
        if any(a < end and start < b for a, b in taken):
            continue
        line_start = body.rfind("\n", 0, start) + 1
        before = body[max(line_start, start - 40) : start]
        prev = re.search(r"(\S+)\s+$", before)
        if (
            start == line_start
            or _PLACE_BEFORE.search(before)
            or _PLACE_AFTER.match(body, end)
            or (prev is not None and _name_before(prev[1], lex))
        ):
            continue
        if any(a < end and start < b for a, b in taken):
            continue
        country = gaz.get(table[name], "country")
        if country is None:
            continue
        taken.append((start, end))
        out.append(MentionRec(Span(start, end), name, country.ref, "alias", "curated", country.country))
    return sorted(out, key=lambda m: (m.span.start, m.span.end))


def _name_before(word: str, lex: Lexicon) -> bool:
    """A given name or a capitalized word mid-sentence before the capital: part of another name."""
    return lex.is_given_name(word) or (word[:1].isupper() and not _sentence_end(word))


def _sentence_end(word: str) -> bool:
    return word.endswith((".", "!", "?", ":", ";", '"', "”"))
