"""Donor and recipient of an aid amount: country mentions of its sentence and the words around them
(aid_terms.yaml ``roles``), attribution of figures, datelines, the lead's parties."""

from __future__ import annotations

import re
from functools import lru_cache

import yaml

from etl.records import Span
from etl.transform.money import REF
from etl.transform.regex_prefilter import compile_scanner

_TOK = r"(?:[A-Z]\.){2,}|[A-Z][\w&'’-]*(?:\.[a-z]{2,4}\b)?"
_NAME = rf"(?:{_TOK})(?:\s+(?:(?:of|for|and|on|the|de|del)\s+)*(?:{_TOK}))*"


@lru_cache(maxsize=1)
def _terms() -> dict:
    return yaml.safe_load((REF / "aid_terms.yaml").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _capitals() -> dict[str, str]:
    return yaml.safe_load((REF / "capitals.yaml").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _capitals_pattern() -> re.Pattern[str]:
    caps = _capitals()
    return compile_scanner(rf"\b(?:{'|'.join(re.escape(c) for c in sorted(caps, key=len, reverse=True))})\b")


def _alt(words: list[str]) -> str:
    """Regex alternation for keyword lists where a trailing ``*`` allows any word ending."""
    return _alt_of(tuple(words))


@lru_cache(maxsize=64)
def _alt_of(words: tuple[str, ...]) -> str:
    parts = sorted(words, key=len, reverse=True)
    return "|".join(re.escape(w[:-1]) + r"\w*" if w.endswith("*") else re.escape(w) for w in parts)


def _attribution(body: str, sent: Span) -> tuple[str | None, Span | None]:
    nouns = _alt(_terms()["attribution_nouns"])
    text = body[sent.start : sent.end]
    patterns = (
        rf"\baccording\s+to\s+(?:(?:\w+\s+)?(?:{nouns})\s+(?:(?:compiled|released|published)\s+)?"
        rf"(?:by|from|of)\s+)?(?:the\s+)?(?P<src>{_NAME})",
        rf"\b(?:{nouns})\s+(?:(?:compiled|released|published)\s+)?(?:by|from|of)\s+(?:the\s+)?(?P<src>{_NAME})",
    )
    for p in patterns:
        m = re.search(p, text)
        if m:
            return m.group("src"), Span(sent.start + m.start(), sent.start + m.end())
    return None, None


# A dateline ("MEXICO CITY (Reuters) -", "LIMA, April 11 (Reuters) -", "WASHINGTON --") names where
# the story was filed, not an actor of its first sentence.
_DATELINE = compile_scanner(
    r"[A-Z][A-Z'’.-]+(?:\s+[A-Z][A-Z'’.-]+)*(?:,\s+[A-Z][\w.]*(?:\s+\d{1,2}|\s+[A-Z][\w.]*)?)*"
    r"\s*(?:\([^)\n]{1,40}\))?\s*(?:--|[-—–])\s+"
    # "Mexico City, June 25, 2009 –": a place in title case followed by a date
    r"|[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3},\s+(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]{2,8})"
    r"(?:,?\s+\d{4})?\s*(?:\([^)\n]{1,40}\))?\s*(?:--|[-—–:])\s+"
)
_AMBIGUOUS = "?"  # a role filled by one of several coordinated countries ("to Honduras, Guatemala and ...")


def _mentions(body: str, sent: Span, countries: list[tuple[Span, str]], skip: Span | None) -> list[tuple[Span, str]]:
    found = [(s, n) for s, n in countries if sent.start <= s.start and s.end <= sent.end]
    caps = _capitals()
    for m in _capitals_pattern().finditer(body[sent.start : sent.end]):
        span = Span(sent.start + m.start(), sent.start + m.end())
        if any(span.start < s.end and s.start < span.end for s, _ in found):
            continue
        if re.search(r"\b(?:in|at)\s+$", body[max(0, span.start - 4) : span.start]):
            continue
        found.append((span, caps[m.group(0)]))
    if skip is not None:
        found = [(s, n) for s, n in found if not (skip.start <= s.start and s.end <= skip.end)]
    if dl := _DATELINE.match(body, sent.start, sent.end):
        found = [(s, n) for s, n in found if s.start >= dl.end()]
    return sorted(found, key=lambda x: x[0].start)


def _coordinated(body: str, mentions: list[tuple[Span, str]]) -> set[int]:
    """Indexes of mentions listed together ("Honduras, Guatemala and El Salvador", "Peru and Chile")."""
    out: set[int] = set()
    for i in range(len(mentions) - 1):
        (a, na), (b, nb) = mentions[i], mentions[i + 1]
        if (
            na != nb
            and re.fullmatch(r"\s*(?:,\s*(?:and\s+|or\s+)?|(?:and|or)\s+)(?:the\s+)?", body[a.end : b.start])
            # "Russia, Venezuela's other big supplier, ..." is an apposition, not a list
            and not re.match(r"['’]s?\s", body[b.end : b.end + 3])
        ):
            out.update((i, i + 1))
    return out


def _explicit_roles(
    body: str, lo: int, hi: int, mentions: list[tuple[Span, str]], group: set[int]
) -> tuple[str | None, str | None]:
    """Donor and recipient marked by words around the country mentions in ``body[lo:hi]``:
    "aid from X", "funded by X", "to X", "gave X", "X receives", "X's aid". A role marked on one of
    several coordinated countries is ``_AMBIGUOUS``."""
    roles = _terms()["roles"]
    donor = recipient = None
    for i, (span, name) in enumerate(mentions):
        if not (lo <= span.start and span.end <= hi):
            continue
        who = _AMBIGUOUS if i in group else name
        before = body[max(lo, span.start - 50) : span.start]
        after = body[span.end : min(hi, span.end + 40)]
        if re.search(
            rf"\b(?:{_alt(roles['donor_from_cues'])}|{_alt(roles['aid_nouns'])})\b[^,;(]{{0,30}}?\bfrom\s+(?:the\s+)?$",
            before,
            re.I,
        ) or (
            re.search(rf"\b(?:\w+ed|{_alt(roles['donor_by_verbs'])})\s+(?:\w+\s+)?by\s+(?:the\s+)?$", before, re.I)
            and not re.search(rf"\b(?:{_alt(roles['user_by_verbs'])})\s+by\s+(?:the\s+)?$", before, re.I)
        ):
            donor = donor or who
        elif (
            re.search(rf"\b(?:{_alt(roles['recipient_before'])})\s+(?:the\s+)?$", before, re.I)
            or re.search(rf"\b(?:{_alt(roles['give_verbs'])})\s+(?:the\s+)?$", before, re.I)
            or re.match(
                rf"\s+(?:will\s+|would\s+|has\s+|have\s+|had\s+|also\s+)*(?:{_alt(roles['recipient_after_verbs'])})\b",
                after,
                re.I,
            )
            # "Lebanon is now the 5th largest recipient of ..."
            or re.match(
                rf"\s+(?:is|was|has\s+been|became|becomes|remains)\s+(?:[\w-]+\s+){{0,4}}?(?:{_alt(roles['recipient_nouns'])})\b",
                after,
                re.I,
            )
        ):
            recipient = recipient or who
        elif re.match(rf"(?:'s|’s)?\s+(?:[a-z-]+\s+){{0,2}}(?:{_alt(roles['aid_nouns'])})\b", after):
            donor = donor or who
    return donor, recipient


_THE_COUNTRY = compile_scanner(
    r"(?i)\b(?:to|for|into|toward|towards)\s+the\s+(?:country|nation|island\s+nation|kingdom|republic)\b"
)
# A country after a preposition ("funding for the Merida Initiative in Mexico") is no subject.
_PREP = compile_scanner(r"\b(?:in|for|to|at|with|from|on|into|against|toward|towards|by)\s+(?:the\s+)?$", re.I)


def _roles(body: str, sent: Span, mentions: list[tuple[Span, str]], first: Span) -> tuple[str | None, str | None]:
    group = _coordinated(body, mentions)
    donor, recipient = _explicit_roles(body, sent.start, sent.end, mentions, group)
    if donor is None:
        subjects = [
            n
            for i, (s, n) in enumerate(mentions)
            if s.start < first.start
            and n != recipient
            and i not in group
            and not _PREP.search(body, max(0, s.start - 12), s.start)
        ]
        donor = subjects[0] if subjects else None
    if recipient is None:  # another country of the sentence rather than one carried from before
        others = [n for i, (_, n) in enumerate(mentions) if n != donor and i not in group]
        recipient = others[0] if others else None
    return donor, recipient


def _lead_roles(
    body: str, sentences: list[Span], countries: list[tuple[Span, str]]
) -> tuple[str | None, str | None]:
    """Donor and recipient named by the first of the article's first four sentences that names both."""
    for sent in sentences[:4]:
        mentions = _mentions(body, sent, countries, None)
        if len({n for _, n in mentions}) >= 2:
            donor, recipient = _roles(body, sent, mentions, Span(sent.end, sent.end))
            if None not in (donor, recipient) and _AMBIGUOUS not in (donor, recipient) and donor != recipient:
                return donor, recipient
    return None, None


def _pronoun_donor(
    body: str, sentences: list[Span], si: int, countries: list[tuple[Span, str]], first: Span
) -> str | None:
    """ "China has made similar gifts. In 2011 it donated ...": a pronoun subject before the first
    amount refers to the country that opens the previous sentence."""
    sent = sentences[si]
    if si == 0 or not re.search(r"\b(?:it|It|they|They)\s+(?:\w+\s+)?\w+", body[sent.start : first.start]):
        return None
    prev = sentences[si - 1]
    opening = [n for s, n in countries if prev.start <= s.start < prev.start + 25]
    return opening[0] if opening else None
