"""Year an amount applies to: fiscal-year and date expressions tied to it in its sentence."""

from __future__ import annotations

import datetime as dt
import re

from etl.records import Span
from etl.transform._sentences import clause_of
from etl.transform.dates import find_dates
from etl.transform.regex_prefilter import compile_scanner

_FISCAL = compile_scanner(
    r"\b(?:(?:the\s+)?fiscal(?:\s+year)?\s+|FY\s?)(?P<y1>(?:19|20)\d\d|(?<=FY)\d\d|(?<=FY\s)\d\d)"
    r"(?:\s?[-/–]\s?(?P<y2>\d{2,4}))?\b"
    r"|\b(?P<y3>(?:19|20)\d\d)(?:[-/–](?P<y4>\d{2,4}))?\s+fiscal\s+year\b"
    r"|\b(?P<rel>this|next|last|the\s+current|the\s+next|the\s+coming)\s+fiscal\s+year\b",
    re.I,
)
# A year that bounds a period or names an older framework is not the year of an amount: "since 2000",
# "spread over the years until 2026", "under the 2014 cooperation agreement".
_NOT_OWN = compile_scanner(
    r"(?i)\b(?:since|until|till|through|thru|under\s+(?:the|a|an|its|their|his|her)|by\s+the\s+end\s+of)"
    r"\s+(?:the\s+)?(?:end\s+of\s+)?(?:fiscal\s+(?:year\s+)?|FY\s?)?$"
)
# "that year", "at that time", "the same year": the year of the latest date before it.
_ANAPHOR = compile_scanner(r"(?i)\b(?:(?:in\s+)?that\s+year|the\s+same\s+year|at\s+that\s+time|that\s+month)\b")
_REL_STEP = {"this": 0, "the current": 0, "next": 1, "the next": 1, "the coming": 1, "last": -1}


_NUMWORD = r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|several|many)"
# A period the amount spans: a multi-year total or a cumulative amount has no single year.
_SPAN = compile_scanner(
    rf"(?i)\b(?:over|in|during|for|across|within)\s+(?:the\s+)?(?:last|past|next|coming|following)?\s*{_NUMWORD}"
    r"[\s-]+years?\b(?!\s+(?:ago|old|earlier|later))"
    r"|\b(?:fiscal\s+years|FYs?\s?(?:19|20)\d\d\s?[-–]\s?(?:19|20)\d\d)"
    r"|\bbetween\s+(?:19|20)\d\d\s+and\s+(?:19|20)\d\d"
    r"|\bfrom\s+(?:19|20)\d\d\s+(?:to|through|until)\s+(?:19|20)\d\d"
    r"|\bsince\s+(?:(?:fiscal\s+(?:year\s+)?|FY\s?)?(?:19|20)\d\d|its\s+|the\s+start)"
    r"|\b(?:cumulative|cumulatively|to\s+date|so\s+far|in\s+all\s+since)\b"
    rf"|\b{_NUMWORD}[\s-]+years?[\s-]+(?:program|programme|plan|period|deal|agreement|memorandum|MoU|total)\b"
)


def spans_years(body: str, span: Span, clause: Span) -> bool:
    """True when the amount's clause, near it, says it spans several years ("$12 billion over eight
    years", "over $2 billion in the last 10 years", "for fiscal years 2021-2030", "since 2000")."""
    return _SPAN.search(body, max(clause.start, span.start - 60), min(clause.end, span.end + 60)) is not None


def _year_exprs(body: str, published: dt.date | None) -> list[tuple[Span, int, str]]:
    exprs: list[tuple[Span, int, str]] = []
    for m in _FISCAL.finditer(body):
        if _NOT_OWN.search(body, max(0, m.start() - 30), m.start()):
            continue
        if m.group("rel"):
            if published is None:
                continue
            year = published.year + _REL_STEP[re.sub(r"\s+", " ", m.group("rel").lower())]
        else:
            y1, y2 = (m.group("y1"), m.group("y2")) if m.group("y1") else (m.group("y3"), m.group("y4"))
            year = int(y1) if len(y1) == 4 else 2000 + int(y1)
            if y2:
                year = int(y2) if len(y2) == 4 else year // 100 * 100 + int(y2)
        exprs.append((Span(m.start(), m.end()), year, "fiscal"))
    for d in find_dates(body, published):
        if any(d.span.start < s.end and s.start < d.span.end for s, _, _ in exprs):
            continue
        if _NOT_OWN.search(body, max(0, d.span.start - 30), d.span.start):
            continue  # "since 2000" starts a period: the amount is a total to date, not of 2000
        label = "explicit" if re.search(r"(?:19|20)\d\d", d.raw) else "relative"
        exprs.append((d.span, d.value.year, label))
    exprs.sort(key=lambda e: e[0].start)
    out = list(exprs)
    k = 0
    for m in _ANAPHOR.finditer(body):
        while k < len(exprs) and exprs[k][0].end <= m.start():
            k += 1
        if k and m.start() - exprs[k - 1][0].end <= 600 and exprs[k - 1][2] != "relative":
            out.append((Span(m.start(), m.end()), exprs[k - 1][1], exprs[k - 1][2]))
    return sorted(out, key=lambda e: e[0].start)


_PARTICIPLE = compile_scanner(r"(?:\w+ed|made|sold|paid|won|given|bought|built|struck|set|sent)\b")
_CHANGE_NP = compile_scanner(
    r"(?:or\s+)?(?:(?:a|an)\s+(?:\w+\s+){0,2}?(?:cut|reduction|decrease|drop|decline|fall|increase|rise|boost"
    r"|hike|jump|gain|saving|shortfall)s?\b|(?:up|down)\s+(?:(?:by|about|some|nearly|almost)\s+)*(?=[^\s\d]*\d|[A-Z]))",
    re.I,
)


def _year_for(
    body: str,
    span: Span,
    sent: Span,
    exprs: list[tuple[Span, int, str]],
    published: dt.date | None,
    prev_end: int | None = None,
) -> tuple[int | None, str | None]:
    """Year of the amount at ``span`` (see the module docstring); None for a multi-year amount.
    ``prev_end``: end of the amount before it in its sentence, whose trailing date is not this one's."""
    clause = clause_of(body, sent, span.start)
    if spans_years(body, span, clause):
        return None, None
    inside = [e for e in exprs if clause.start <= e[0].start and e[0].end <= clause.end]
    if _CHANGE_NP.match(body, clause.start):
        # "..., up $10 million from a year earlier": the date after "from" is the base, not the year
        # of the change, which is that of the figure before it.
        inside = [e for e in inside if not re.search(r"\b(?:from|over|on)\s+$", body[clause.start : e[0].start])]
    if prev_end is not None and any(e[0].start >= span.end for e in inside):
        # "$5 million in 2016 and $7 million in 2017": a date right after the amount before is that one's
        inside = [e for e in inside if not (prev_end <= e[0].start and e[0].end <= span.start)]
    if inside:
        best = min(inside, key=lambda e: max(0, e[0].start - span.end, span.start - e[0].end))
        return best[1], best[2]
    comma = body.find(", ", sent.start, sent.end)
    if 0 <= comma < span.start and comma - sent.start <= 60:
        fronted = [e for e in exprs if sent.start <= e[0].start and e[0].end <= comma]
        if fronted:
            return fronted[-1][1], fronted[-1][2]
    if body[clause.start - 2 : clause.start] == ", " and body[clause.end : clause.end + 1] == ",":
        if _CHANGE_NP.match(body, clause.start):
            # "asked for $130 million for fiscal 2015, a cut of $31.5 million, or ...": the change is
            # of the figure before it.
            before = [e for e in exprs if sent.start <= e[0].start and e[0].end <= clause.start]
            if before:
                return before[-1][1], before[-1][2]
        # An appositive ("The deal, valued at €1.2bn, was signed in 2011") takes the main clause's year.
        rest = [e for e in exprs if clause.end <= e[0].start and e[0].end <= sent.end]
        if rest:
            return rest[0][1], rest[0][2]
        # else the noun it describes: "Last year's order for six corvettes, worth $2 billion, is ..."
        before = [e for e in exprs if sent.start <= e[0].start and e[0].end <= clause.start]
        if before:
            return before[-1][1], before[-1][2]
    elif _CHANGE_NP.match(body, clause.start) and body[clause.start - 2 : clause.start] == ", ":
        before = [e for e in exprs if sent.start <= e[0].start and e[0].end <= clause.start]
        if before:
            return before[-1][1], before[-1][2]
    if body[clause.end : clause.end + 2] == ", " and _PARTICIPLE.match(body, clause.end + 2):
        # A participle appositive after the amount dates it: "The first tranche of $400 million,
        # approved in June 2008, paid for ..."; "Brazil's €6.7 billion submarine deal, signed in 2008".
        nxt = clause_of(body, sent, clause.end + 2)
        after = [e for e in exprs if nxt.start <= e[0].start and e[0].end <= nxt.end]
        if after:
            return after[0][1], after[0][2]
    if body[clause.start - 1 : clause.start] == "(" and clause.start - 1 > sent.start:
        # "aid to Guatemala (about $60 million a year) was frozen in 2012": the sentence around it
        return _year_for(body, Span(clause.start - 2, clause.start - 1), sent, exprs, published)
    if published is not None:
        return published.year, "publication"
    return None, None
