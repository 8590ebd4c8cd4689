"""Near-duplicate detection for syndicated copies of one wire story.

Quoted speech is removed first: different stories about one press conference share quotes, so
quotes never count. The rest (narrative text) is split at quote gaps and sentence ends and cut
into word ``SHINGLE``-grams after case and punctuation folding. Two bodies are copies of one
story when they share at least ``MIN_SHARED`` narrative shingles (a verbatim narrative passage
of 15+ words, or several shorter ones) or at least ``MIN_CONTAINMENT`` of the smaller body's
narrative shingles.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import lru_cache

from etl.records import CleanArticle
from etl.transform.regex_prefilter import compile_scanner

SHINGLE = 8
MIN_SHARED = 8
MIN_CONTAINMENT = 0.5

_QUOTE = compile_scanner(r"“[^”\n]*(?:”|$)|\"[^\"\n]*(?:\"|$)", re.MULTILINE)
_SENTENCE_END = compile_scanner(r"(?<=[.!?])\s+(?=[A-Z“\"(])")


@dataclass(frozen=True, slots=True)
class Overlap:
    """Narrative shingles two bodies share, and that count over the smaller body's shingles."""

    shared: int
    containment: float

    @property
    def syndicated(self) -> bool:
        """True when the two bodies are copies of one story under the thresholds above."""
        return self.shared >= MIN_SHARED or (self.shared > 0 and self.containment >= MIN_CONTAINMENT)


def narrative_segments(body: str) -> list[list[str]]:
    """Folded word lists of the body's non-quote passages (split at quotes and sentence ends)."""
    text = unicodedata.normalize("NFKC", body).replace("’", "'").replace("'", "")
    segments: list[list[str]] = []
    for chunk in _QUOTE.split(text):
        for sentence in _SENTENCE_END.split(chunk):
            tokens = re.findall(r"[a-z0-9]+", sentence.casefold())
            if len(tokens) >= SHINGLE:
                segments.append(tokens)
    return segments


@lru_cache(maxsize=256)
def fingerprint(body: str) -> frozenset[tuple[str, ...]]:
    """The body's narrative shingles; cached, since every new article is compared with the
    originals of the same weeks."""
    return frozenset(
        tuple(tokens[i : i + SHINGLE]) for tokens in narrative_segments(body) for i in range(len(tokens) - SHINGLE + 1)
    )


def overlap(a: str | frozenset, b: str | Collection) -> Overlap:
    """How much narrative text two bodies (or their fingerprints: shingles or shingle hashes) share;
    ``b``'s fingerprint may be any collection of distinct items (a compact array of hashes)."""
    fa = fingerprint(a) if isinstance(a, str) else a
    fb = fingerprint(b) if isinstance(b, str) else b
    shared = len(fa.intersection(fb))
    return Overlap(shared, shared / (min(len(fa), len(fb)) or 1))


def find_syndicated(new: CleanArticle, existing: Iterable[tuple[int, str]]) -> int | None:
    """The id of the existing body (``(id, body)`` pairs) that ``new`` is a syndicated copy of,
    preferring the largest overlap; None when there is none."""
    mine = fingerprint(new.body)
    best: tuple[int, int] | None = None
    for article_id, body in existing:
        found = overlap(mine, body)
        if found.syndicated and (best is None or found.shared > best[1]):
            best = (article_id, found.shared)
    return best[0] if best else None
