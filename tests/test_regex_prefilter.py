"""The first-character prefilter finds exactly what the plain pattern finds, and stays off where
it cannot be sure or cannot help."""

from __future__ import annotations

import functools
import random
import re

import pytest

from etl.transform.regex_prefilter import _header_class, _with_header, compile_scanner

TEXT = (
    "Ruritania signed a contract for six patrol boats on March 3, 2019, and the Navy will BUY two more. "
    "In late 2021 the deal was cancelled; a DEAL to lease jets fell through. "
    "Officials said the 1,200-tonne vessels cost $45 million each (about 3.9 billion kroner). "
    "mid-2020, Early 2018 and the end of 2017 were named; 12 de marzo de 2015 too. Next year - or "
    "LATER THIS MONTH – more. "
    "ſale, \u212aroner and \u0130stanbul test case folding; \u00e9t\u00e9 and caf\u00e9 are not English."
)

# (pattern, flags) pairs that get a prefilter: word alternations behind \b, case-insensitive
# literals, inline case groups, lookbehinds, optional openings, classes with categories
PREFILTERED = [
    (r"\b(?:contract|(?<!\bto\s)deal|arms package)\b(?![-\w])", re.IGNORECASE),
    (r"\b(?:buy|buys|buying)\b", re.IGNORECASE),
    (r"\b(?:(?i:early|mid|late|the\s+end\s+of)[\s-]+)?(?:19|20)\d\d\b", 0),
    (r"(?<![\w.])(?:six|two|\d{1,3}(?:,\d{3})*)\s+(?-i:[a-z]+)", re.IGNORECASE),
    (r"\b(?:[12]\d|3[01]|0?[1-9])\s+de\s+(?:marzo|abril)\b", re.IGNORECASE),
    (r"(?:(?:earlier|later)\s+)?(?:this|last|next)\s+(?:year|month)\b", re.IGNORECASE),
    (r"\b(?:sale|kroner|istanbul)\b", re.IGNORECASE),
    (r"\s+(?:-|–)\s+", 0),
    (r"(?i)\b(?:deal|sale)\b", 0),  # global inline flags: the lookahead goes after them
    (r"(?m)\b(?:In|Next)\s+\w+$|\bofficials\b", re.IGNORECASE),
]

# patterns the prefilter must leave alone
UNCHANGED = [
    (r"x*", 0),  # can match the empty string
    (r".ontract", 0),  # any character first
    (r"[^a-z]+deal", 0),  # a negated class first
    (r"Ruritania|Navy", 0),  # literals first: re skips ahead by itself
    (r"[A-Z][a-z]+", 0),  # a case-sensitive class first: likewise
    (r"^By\s+\S", re.IGNORECASE),  # anchored at the start of the search
    (r"\bdeal  # a comment\n", re.VERBOSE),  # verbose: a comment could swallow the wrapper
    (r"(?a:\W)deal", 0),  # another inline flag group than (?i:)
]


def _spans(rx: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [m.span() for m in rx.finditer(text)]


@pytest.mark.parametrize(("pattern", "flags"), PREFILTERED)
def test_prefiltered_pattern_finds_the_same_matches(pattern: str, flags: int) -> None:
    plain, fast = re.compile(pattern, flags), compile_scanner(pattern, flags)
    assert re.match(r"(?:\(\?[a-z]+\))*\(\?=", fast.pattern), fast.pattern  # after any global flags
    assert _spans(fast, TEXT) == _spans(plain, TEXT)
    assert _spans(plain, TEXT), "the test text should exercise the pattern"
    assert fast.groupindex == plain.groupindex and fast.groups == plain.groups
    for start in range(0, len(TEXT), 37):  # searches that start and stop inside the text
        end = min(len(TEXT), start + 120)
        window = [m.span() for m in plain.finditer(TEXT, start, end)]
        assert [m.span() for m in fast.finditer(TEXT, start, end)] == window


@pytest.mark.parametrize(("pattern", "flags"), PREFILTERED)
def test_prefiltered_pattern_on_random_text(pattern: str, flags: int) -> None:
    alphabet = "abdeilmnorstuyABDEILMNORSTUY0129 -,.\n\u212aſ\u0130\u0131é"
    words = ["deal", "contract", "buys", "late", "2019", "mid", "marzo", "de", "12", "this", "year", "kroner"]
    rng = random.Random(7)
    plain, fast = re.compile(pattern, flags), compile_scanner(pattern, flags)
    for _ in range(300):
        parts = [rng.choice(words) if rng.random() < 0.4 else rng.choice(alphabet) for _ in range(40)]
        text = "".join(p.upper() if rng.random() < 0.2 else p for p in parts)
        assert _spans(fast, text) == _spans(plain, text), text


@pytest.mark.parametrize(("pattern", "flags"), UNCHANGED)
def test_prefilter_stays_off_where_unsure_or_useless(pattern: str, flags: int) -> None:
    assert compile_scanner(pattern, flags).pattern == pattern


def test_case_folding_matches_like_the_plain_pattern() -> None:
    """The lookahead's class folds case as the pattern's literal does (Kelvin sign, long s)."""
    for pattern in (r"\bkroner\b", r"\bsale\b", r"\b(?i:kroner)\b"):
        flags = 0 if "(?i:" in pattern else re.IGNORECASE
        plain, fast = re.compile(pattern, flags), compile_scanner(pattern, flags)
        assert _spans(fast, TEXT) == _spans(plain, TEXT) != []


# member sets whose folding has surprises (the Kelvin sign, the long s, dotted and dotless i, the
# angstrom and ohm signs, Greek theta forms, a titlecase digraph, sharp s, the micro sign), and
# categories, under the flags a lookahead can have
CLASSES = [
    ("ks", re.IGNORECASE), ("iI", re.IGNORECASE), ("a-z", re.IGNORECASE), ("a-z", re.IGNORECASE | re.ASCII),
    ("\u00e5\u03c9\u03b8", re.IGNORECASE), ("\u01c4\u00df\u00b5", re.IGNORECASE), ("\u0130", re.IGNORECASE),
    ("0-9,.\\-", 0), ("\\d", 0), ("\\w\\-", re.IGNORECASE), ("\\s", re.ASCII), ("A-Z\u00c0-\u00d6", 0),
]  # fmt: skip


@functools.cache
def _every_character() -> str:
    return "".join(map(chr, range(0x110000)))


@pytest.mark.parametrize(("members", "flags"), CLASSES)
def test_search_header_holds_every_character_the_lookahead_class_matches(members: str, flags: int) -> None:
    every = _every_character()
    matched = {m.start() for m in re.finditer(f"[{members}]", every, flags)}  # as re reads the lookahead
    header = {m.start() for m in re.finditer(f"[{_header_class(members, flags)}]", every)}  # no folding
    assert header & set(range(0x10000)) == {c for c in matched if c < 0x10000}  # exactly, in the BMP
    assert header >= matched and header >= set(range(0x10000, 0x110000))  # past it: everything


@pytest.mark.parametrize(("pattern", "flags"), PREFILTERED)
def test_search_header_is_written_for_every_prefiltered_pattern(pattern: str, flags: int) -> None:
    fast = compile_scanner(pattern, flags)
    members = re.match(r"(?:\(\?[a-z]+\))*\(\?=(?:\(\?i:)?\[(.*?)\]\)", fast.pattern).group(1)
    header = _with_header(fast.pattern, flags, members, "(?=(?i:" in fast.pattern)
    assert header is not None and header.pattern == fast.pattern and header.flags == fast.flags
    assert _spans(header, TEXT) == _spans(re.compile(pattern, flags), TEXT)
