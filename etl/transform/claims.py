"""Ranking claims about a country or organization ("Peru ... the world's No. 1 coca producer"),
kept per article so that sources which rank the same subject differently can be compared.

A claim is: subject (the first country or organization mentioned in the sentence outside the
comparison), attribute ("world rank as coca/cocaine producer") and value ("No. 1, ahead of
Colombia" / "No. 1, tied with Colombia"). Rank words, commodity synonyms and roles are data
(``data/reference/claims.yaml``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from etl.records import ClaimRec, MentionRec, Span
from etl.settings import REPO_ROOT
from etl.transform._sentences import split_sentences
from etl.transform.regex_prefilter import compile_scanner

CLAIMS_FILE = REPO_ROOT / "data" / "reference" / "claims.yaml"
SUBJECT_TYPES = {"country", "organization", "government_body"}


@dataclass(frozen=True)
class ClaimLexicon:
    ranks: dict[str, int]
    commodities: dict[str, str]
    pattern: re.Pattern[str]


@lru_cache(maxsize=2)
def load_lexicon(path: Path = CLAIMS_FILE) -> ClaimLexicon:
    data = yaml.safe_load(path.read_text())
    ranks = {k.lower(): int(v) for k, v in data["ranks"].items()}
    commodities = {k.lower(): v for k, v in data["commodities"].items()}

    def alternation(words: list[str]) -> str:
        return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))

    pattern = compile_scanner(
        rf"\bworld(?:'s|’s)\s+(?P<rank>{alternation(list(ranks))})\s+"
        rf"(?:(?P<commodity>{alternation(list(commodities))})\s+)?(?P<role>{alternation(data['roles'])})s?\b"
        rf"(?:\s+of\s+(?P<commodity_after>{alternation(list(commodities))}))?",
        re.IGNORECASE,
    )
    return ClaimLexicon(ranks, commodities, pattern)


# The comparison word stands right before the compared entity.
_TIED = compile_scanner(r"\btied\s+with\s*$", re.IGNORECASE)
_AHEAD = compile_scanner(r"\bahead\s+of\s*$", re.IGNORECASE)
_BEHIND = compile_scanner(r"\bbehind\s*$", re.IGNORECASE)


def _relation(sentence: str, other_start: int) -> str | None:
    before = sentence[max(0, other_start - 25) : other_start]
    for pattern, word in ((_TIED, "tied with"), (_AHEAD, "ahead of"), (_BEHIND, "behind")):
        if pattern.search(before):
            return word
    return None


def extract_claims(
    body: str, mentions: list[MentionRec], lexicon: ClaimLexicon | None = None
) -> list[ClaimRec]:
    """Ranking claims in ``body``; ``mentions`` supply the subject and the compared entities."""
    lexicon = lexicon or load_lexicon()
    claims: list[ClaimRec] = []
    for sent in split_sentences(body):
        text = body[sent.start : sent.end]
        match = lexicon.pattern.search(text)
        if not match:
            continue
        inside = [
            m
            for m in mentions
            if sent.start <= m.span.start < sent.end and m.entity.entity_type in SUBJECT_TYPES
        ]
        compared = [(m, _relation(text, m.span.start - sent.start)) for m in inside]
        others = [(m, rel) for m, rel in compared if rel]
        subjects = [m for m, rel in compared if not rel and m.entity not in {o.entity for o, _ in others}]
        if not subjects:
            continue
        commodity_word = (match.group("commodity") or match.group("commodity_after") or "").lower()
        commodity = lexicon.commodities.get(commodity_word, commodity_word)
        rank = lexicon.ranks[match.group("rank").lower()]
        value = f"No. {rank}" + "".join(f", {rel} {m.entity.name}" for m, rel in others)
        attribute = f"world rank as {commodity + ' ' if commodity else ''}{match.group('role').lower()}"
        claims.append(ClaimRec(Span(sent.start, sent.end), subjects[0].entity, attribute, value))
    return claims
