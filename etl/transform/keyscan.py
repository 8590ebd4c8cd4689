"""Fast scans for keyword alternations ("(?<![\\w-])(?:aid|grant*|loan)...") over long lexicons.

Python's regex engine tries every alternative at every position, so a lexicon of a hundred words
costs a hundred tries per character. A :class:`KeywordScanner` first finds, with one Aho-Corasick
pass over the case-folded text (cached per text), the positions where one of the pattern's
literal openings starts, and runs the regex only there. The matches are exactly those of the regex
alone: every match of the pattern starts with one of its literals, the case folding is the regex
engine's own (simple lower case plus its extra equivalences such as "ſ" ~ "s"), and scanning
resumes after each match as ``finditer`` does.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator

import ahocorasick

try:  # the regex engine's extra case-insensitive equivalences (Python 3.11+)
    from re._casefix import _EXTRA_CASES
except ImportError:  # pragma: no cover
    _EXTRA_CASES = {}

# Map each lower-case code point with extra equivalents to the smallest of its class.
_FOLD = {c: min((c, *others)) for c, others in _EXTRA_CASES.items() if min((c, *others)) != c}


def _lower_char(c: str) -> str:
    low = c.lower()
    return low if len(low) == 1 else ("i" if c == "\u0130" else c)


def fold_case(text: str) -> str:
    """``text`` case-folded as the regex engine compares characters under IGNORECASE, with the
    same length (so positions carry over)."""
    if text.isascii():
        return text.lower()
    low = text.lower()
    if len(low) != len(text):
        low = "".join(_lower_char(c) for c in text)
    return low.translate(_FOLD) if _FOLD else low


class _Literals:
    """Every scanner's literals in one Aho-Corasick automaton: one pass per text finds where each
    literal starts (cached for the last text, i.e. the article being extracted)."""

    def __init__(self) -> None:
        self._known: set[str] = set()
        self._automaton: ahocorasick.Automaton | None = None
        self._memo: tuple[str | None, dict[str, list[int]]] = (None, {})

    def add(self, literals: set[str]) -> None:
        if not literals <= self._known:
            self._known |= literals
            self._automaton = None
            self._memo = (None, {})

    def starts(self, text: str) -> dict[str, list[int]]:
        memo = self._memo
        if memo[0] is text:
            return memo[1]
        automaton = self._automaton
        if automaton is None:
            automaton = ahocorasick.Automaton()
            for lit in self._known:
                automaton.add_word(lit, lit)
            automaton.make_automaton()
            self._automaton = automaton
        found: dict[str, list[int]] = {}
        for end, lit in automaton.iter(fold_case(text)):
            found.setdefault(lit, []).append(end - len(lit) + 1)
        self._memo = (text, found)
        return found


_LITERALS = _Literals()


class KeywordScanner:
    """``pattern`` restricted to the positions where one of ``literals`` starts (case-insensitively).
    Every match of ``pattern`` must begin with one of ``literals``."""

    def __init__(self, pattern: re.Pattern[str], literals: Iterable[str]) -> None:
        self.pattern = pattern
        self._literals = tuple(sorted({fold_case(x) for x in literals}))
        if not all(self._literals):
            raise ValueError("a keyword scanner needs non-empty literals")
        _LITERALS.add(set(self._literals))
        self._memo: tuple[str | None, list[int]] = (None, [])

    def starts(self, text: str) -> list[int]:
        """Sorted positions where one of the literals starts in ``text`` (cached for the last text)."""
        memo = self._memo
        if memo[0] is not text:
            found = _LITERALS.starts(text)
            hits = [found[lit] for lit in self._literals if lit in found]
            starts = hits[0] if len(hits) == 1 else sorted({s for h in hits for s in h})
            memo = self._memo = (text, starts)
        return memo[1]
    def finditer(self, text: str, lo: int = 0, hi: int | None = None) -> Iterator[re.Match[str]]:
        """The matches of ``pattern.finditer(text, lo, hi)``."""
        hi = len(text) if hi is None else min(hi, len(text))
        starts = self.starts(text)
        pos = lo
        match = self.pattern.match
        for i in range(bisect_left(starts, lo), bisect_left(starts, hi)):
            s = starts[i]
            if s < pos:
                continue
            m = match(text, s, hi)
            if m is not None:
                yield m
                pos = max(m.end(), s + 1)

    def search(self, text: str, lo: int = 0, hi: int | None = None) -> re.Match[str] | None:
        """The match of ``pattern.search(text, lo, hi)``."""
        return next(self.finditer(text, lo, hi), None)
