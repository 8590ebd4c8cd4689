"""Sentence and clause spans for the dates/money/aid extractors (pure, rule-based).

Sentences end at ``.``, ``!`` or ``?`` (optionally followed by closing quotes) before whitespace and an
upper-case letter, digit, quote or currency sign, unless the word before the period is a known
abbreviation (``U.S.``, ``Oct.``, ``Gen.``, ``S/.`` ...). Line breaks always end a sentence.
"""

from __future__ import annotations

import re
from functools import lru_cache

from etl.records import Span
from etl.transform.regex_prefilter import compile_scanner

_ABBREV = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "gen",
    "lt",
    "col",
    "maj",
    "capt",
    "adm",
    "sgt",
    "cmdr",
    "gov",
    "sen",
    "rep",
    "pres",
    "sec",
    "st",
    "jr",
    "sr",
    "co",
    "corp",
    "inc",
    "ltd",
    "no",
    "nos",
    "vs",
    "approx",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "fig",
    "est",
    "dept",
    "mt",
    "ft",
    "univ",
    "s/",
}
_END = compile_scanner(r"[.!?][\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9$€£¥])")
_WORD_BEFORE = compile_scanner(r"([\w/.]+)$")
# Clause boundaries inside a sentence: semicolons, colons, dashes, parentheses, comma + space and
# contrastive conjunctions. Used to keep a year or keyword with the amount it belongs to.
_PAREN = compile_scanner(r"\([^()\n]*\)")
_CLAUSE = compile_scanner(
    r"\s*(?:[;:()]|\s(?:[-–—]|--)\s|,\s|\bbut\b|\bwhile\b|\bwhereas\b|\bthough\b|\balthough\b)\s*"
)


def _is_abbrev(text: str, dot: int) -> bool:
    """True when the period at ``dot`` closes an abbreviation such as ``U.S.`` or ``Gen.``."""
    if text[dot] != ".":
        return False
    m = _WORD_BEFORE.search(text, max(0, dot - 40), dot + 1)
    if not m:
        return False
    word = m.group(1).rstrip(".")
    if re.fullmatch(r"(?:[A-Za-z]\.)*[A-Za-z]", word):  # initials: U.S, U.N, D.C, single letters
        return True
    return word.lower() in _ABBREV


def split_sentences(text: str) -> list[Span]:
    """Spans of the sentences of ``text`` (leading/trailing whitespace excluded)."""
    return list(_split_sentences(text))


@lru_cache(maxsize=32)
def _split_sentences(text: str) -> tuple[Span, ...]:
    # Cached: the dates, money, aid and claims extractors all split the same article body.
    spans: list[Span] = []
    for line in re.finditer(r"[^\n]+", text):
        start = line.start()
        for m in _END.finditer(text, line.start(), line.end()):
            if _is_abbrev(text, m.start()):
                continue
            spans.append(Span(start, m.end()))
            start = m.end()
        spans.append(Span(start, line.end()))
    out = []
    for s in spans:
        chunk = text[s.start : s.end]
        lead = len(chunk) - len(chunk.lstrip())
        trail = len(chunk) - len(chunk.rstrip())
        if chunk.strip():
            out.append(Span(s.start + lead, s.end - trail))
    return tuple(out)


def sentence_of(sentences: list[Span], pos: int) -> int:
    """Index of the sentence containing character ``pos`` (nearest preceding one otherwise)."""
    best = 0
    for i, s in enumerate(sentences):
        if s.start <= pos:
            best = i
        else:
            break
    return best


@lru_cache(maxsize=512)  # money kinds, years and dates ask for the same clause of one article
def clause_of(text: str, sent: Span, pos: int) -> Span:
    """The clause of sentence ``sent`` that contains character ``pos``.

    A parenthetical is its own clause for a position inside it ("(about $3.2 million)"); for a
    position outside it, it is skipped rather than ending the clause, so "$41.5 million in
    International Narcotics Control and Law Enforcement (INCLE) funds for Peru for fiscal 2014"
    stays one clause.
    """
    parens = [
        Span(sent.start + m.start(), sent.start + m.end())
        for m in _PAREN.finditer(text[sent.start : sent.end])
    ]
    inside = next((p for p in parens if p.start < pos < p.end - 1), None)
    if inside is not None:
        lo, hi, skip = inside.start + 1, inside.end - 1, []
    else:
        lo, hi, skip = sent.start, sent.end, parens
    start, end = lo, hi
    for m in _CLAUSE.finditer(text, lo, hi):
        if any(p.start <= m.start() < p.end or p.start < m.end() <= p.end for p in skip):
            continue
        if m.end() <= pos:
            start = m.end()
        elif m.start() > pos:
            end = m.start()
            break
    return Span(start, end)
