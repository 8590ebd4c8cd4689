"""Purpose and stage of an aid amount, and whether it states a change ("cut by $10 million")."""

from __future__ import annotations

import re

from etl.records import MoneyRec, Span
from etl.transform._sentences import clause_of
from etl.transform.aid.roles import _alt, _terms
from etl.transform.money import keyword_hits
from etl.transform.regex_prefilter import compile_scanner


def _purposes(body: str, lo: int, hi: int) -> str | None:
    terms = _terms()
    found = [p for p, kws in terms["purposes"].items() if keyword_hits(body, kws, lo, hi)]
    if not found:
        return None
    if len(found) == 1:
        return terms["alone"].get(found[0], found[0])
    return "_and_".join(found)


def _change_sign(body: str, m: MoneyRec) -> int:
    """-1/+1 when the amount is a change ("reduced by at least $10 million"), else 0."""
    ch = _terms()["change"]
    before = body[max(0, m.span.start - 60) : m.span.start]
    after = body[m.span.end : m.span.end + 25]
    for sign, verbs, nouns in ((-1, "decrease", "nouns_decrease"), (1, "increase", "nouns_increase")):
        # "reduced by at least $10 million", "cut its aid to Bolivia by $5 million"
        if re.search(rf"\b(?:{_alt(ch[verbs])})\b[^.;$]{{0,40}}?\bby\s+(?:[a-z]+\s+){{0,2}}$", before, re.I):
            return sign
        if re.match(rf"\s+(?:[a-z]+\s+)?(?:{_alt(ch[nouns])})\b", after, re.I) and re.search(
            r"\b(?:a|an|the)\s+$", before, re.I
        ):
            return sign
        # "a cut of $31.5 million", "an increase of about $20 million"
        if re.search(
            rf"\b(?:a|an|the)\s+(?:[a-z]+\s+)?(?:{_alt(ch[nouns])})s?\s+of\s+(?:[a-z]+\s+){{0,2}}$",
            before,
            re.I,
        ):
            return sign
    # "$84 million, up $10 million from a year earlier"; "down $5 million on 2011"
    if m_ := re.search(
        r"(?:^|[,(;]\s*|\band\s+)(up|down)\s+(?:(?:by|about|some|nearly|almost|more\s+than)\s+)*$",
        before,
        re.I,
    ):
        return 1 if m_.group(1).lower() == "up" else -1
    return 0


_BASELINE = compile_scanner(
    r"\b(?:down|up)\s+from\s+|\bcompared\s+(?:with|to)\s+|\bfrom\s+$|\bversus\s+|\bvs\.?\s+", re.I
)


def _stage(body: str, m: MoneyRec, sent: Span, published_year: int | None) -> str:
    """Stage from the nearest stage word of the clause, then sentence; else projected for a later
    year, else actual (``_NO_CUE``, which the caller may refine from another mention)."""
    clause = clause_of(body, sent, m.span.start)
    for window in (clause, sent):
        best: tuple[int, str] | None = None
        for stage, kws in _terms()["stages"].items():
            for s, e in keyword_hits(body, kws, window.start, window.end):
                if m.span.start <= s < m.span.end:
                    continue
                d = max(0, s - m.span.end, m.span.start - e)
                if best is None or d < best[0]:
                    best = (d, stage)
        if best is None:
            continue
        if (
            window is sent
            and best[1] in ("requested", "projected")
            and m.year is not None
            and published_year is not None
            and m.year <= published_year
            and (m.year < published_year or _BASELINE.search(body, clause.start, m.span.start))
        ):
            # "requested $41.5 million for fiscal 2014, compared with $48.2 million in fiscal 2012":
            # the request is the other figure; a past level or a baseline is what was received.
            return "actual"
        return best[1]
    if m.year is not None and published_year is not None and m.year > published_year:
        return "projected"
    return _NO_CUE


_NO_CUE = "actual"  # the stage of a figure with no stage word: a later mention of it may say more


_PURPOSE_STOP = compile_scanner(
    r"\b(?:after|because|until|unless|when|if|since|before|amid|despite|over\s+concerns?|as\s+part\s+of)\b",
    re.I,
)


def _has_stage_word(body: str, m: MoneyRec, sent: Span) -> bool:
    return any(
        not (m.span.start <= s < m.span.end)
        for kws in _terms()["stages"].values()
        for s, _ in keyword_hits(body, kws, sent.start, sent.end)
    )
