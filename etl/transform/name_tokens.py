"""Word tokens with offsets, shared by discovery, positions and quotes."""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from typing import NamedTuple

from etl.reference.entity_lexicon import Lexicon
from etl.transform.regex_prefilter import compile_scanner

# A word: letters/digits with inner dots (U.S., S.A.), inner hyphens between alphanumerics
# (Mi-171Sh, Jean-Yves) and apostrophes (O'Brien, Israel's); a trailing dot is kept for abbreviations only.
# (Written as runs of word characters between the dots and hyphens: the same matches as one
# alternation per character, and 1.3x faster in the engine.)
_TOKEN = compile_scanner(r"[^\W_][\w&'’]*(?:[.-](?=[^\W_])[\w&'’]*)*\.?|&")
_NAME = compile_scanner(  # "al-Hashimi", "el-Sisi": an Arabic article glued to a capitalized name
    r"(?:(?:al|el|ad|an|ar|as|ash|at|az|ud|ul|bin|ibn|abu)[-'’](?=[A-Z]))?[A-ZÀ-ÖØ-Þ](?:\.|[a-zß-öø-ÿ]*(?:[A-Z][a-zß-öø-ÿ]+)?(?:[-'’][A-Za-zÀ-ÖØ-öø-ÿ][a-zß-öø-ÿ]+)*)"
)


def word_set(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text``."""
    return frozenset(text.split())


_ABBREVIATIONS = word_set(
    "Mr Mrs Ms Dr Sr Sra Jr St No Nos Corp Inc Co Ltd Gen Lt Col Maj Capt Sgt Adm Cmdr Sen Rep Gov Amb "
    "Gral Brig Vice Rear Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Mt Ft Bros vs etc Dept Univ"
)


class Tok(NamedTuple):
    """A word at [start, end); ``poss`` when a possessive 's (or the ' of a plural, "Helicopters'")
    followed it (not part of the token). A NamedTuple: an article has thousands, and building frozen
    dataclasses took a fifth of the tokenizer's time."""

    start: int
    end: int
    text: str
    poss: bool = False

    @property
    def cap(self) -> bool:
        return self.text[:1].isupper()


_POSSESSIVE_ENDS = frozenset("s'’")  # last characters of "Israel's", "Helicopters'"


def tokenize(body: str) -> list[Tok]:
    """Words of ``body``; sentence-final dots are dropped, abbreviation dots kept."""
    out: list[Tok] = []
    append = out.append
    for m in _TOKEN.finditer(body):
        start, end = m.span()
        text = body[start:end]
        if text[-1] == "." and not _keeps_dot(text[:-1]):
            end, text = end - 1, text[:-1]
        # most words end in no possessive: one test of the last character settles it
        if len(text) > 2 and text[-1] in _POSSESSIVE_ENDS:
            tail = text[-2:]
            if tail in ("'s", "’s"):
                append(Tok(start, end - 2, text[:-2], True))
                continue
            if tail in ("s'", "s’"):  # plural possessive: "Russian Helicopters' plant"
                append(Tok(start, end - 1, text[:-1], True))
                continue
        if text:
            append(Tok(start, end, text, False))
    return out


def _keeps_dot(stem: str) -> bool:
    return "." in stem or (len(stem) == 1 and stem.isupper()) or stem in _ABBREVIATIONS


def is_name_word(tok: Tok, lex: Lexicon) -> bool:
    """A capitalized word that can be part of a person's name."""
    text = tok.text
    if text.rstrip(".") in lex.stopwords or text.lower() in lex.head_words or text in lex.suffix_type:
        return False
    return bool(_NAME.fullmatch(text)) and (len(text) > 1)


@lru_cache(maxsize=8)
def token_index(body: str) -> TokenIndex:
    """The (shared, read-only) TokenIndex of ``body``: entities, positions and quotes tokenize the same
    article."""
    return TokenIndex(body)


class TokenIndex:
    """Tokens of a body with their gaps, and lookup from character offsets to token indices."""

    def __init__(self, body: str) -> None:
        self.body = body
        self.toks = tokenize(body)
        self.starts = [t.start for t in self.toks]

    def __len__(self) -> int:
        return len(self.toks)

    def glued(self, i: int, j: int) -> bool:
        """Tokens i < j are adjacent words separated only by spaces (no punctuation, no line break)."""
        if i < 0 or j >= len(self.toks):
            return False
        a, b = self.toks[i], self.toks[j]
        if a.poss:
            return False
        gap = self.body[a.end : b.start]
        return j == i + 1 and (gap == " " or (gap.strip(" \t") == "" and "\n" not in gap and gap != ""))

    def gap(self, i: int) -> str:
        """Text between token i and token i + 1 (possessive 's included)."""
        end = self.toks[i + 1].start if i + 1 < len(self.toks) else len(self.body)
        return self.body[self.toks[i].end : end]

    def at(self, offset: int) -> int:
        """Index of the first token starting at or after ``offset``."""
        return bisect_right(self.starts, offset - 1)

    def before(self, offset: int) -> int:
        """Index of the last token ending at or before ``offset`` (-1 when none)."""
        i = bisect_right(self.starts, offset) - 1
        while i >= 0 and self.toks[i].end > offset:
            i -= 1
        return i


_BYLINE_LINE = compile_scanner(r"(?:By|Written by|Posted by|Reported by|Por)\s", re.IGNORECASE)
_SMALL_WORDS = word_set("a an and as at but by for from in of on or the to vs via with de del la el y e")


def headline_and_byline_lines(body: str) -> list[tuple[int, int]]:
    """[start, end) of lines written in Title Case (4-25 words, 80%+ of the longer ones capitalized,
    no sentence end) and of byline lines."""
    out, offset = [], 0
    for line in body.split("\n"):
        words = line.split()
        if words and len(words) <= 15 and _BYLINE_LINE.match(line):
            out.append((offset, offset + len(line)))
        elif 4 <= len(words) <= 25 and not line.rstrip().endswith((".", "!", "?", '"', "”", ":")):
            long = [w for w in words if w.lower() not in _SMALL_WORDS and w[:1].isalpha()]
            if long and sum(w[0].isupper() for w in long) >= 0.8 * len(long):
                out.append((offset, offset + len(line)))
        offset += len(line) + 1
    return out
