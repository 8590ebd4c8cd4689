"""Date expressions in article text, resolved against the publication date.

``find_dates`` locates candidate expressions with regular expressions; ``resolve_date`` turns one
expression into ``(date, precision)``. Absolute dates and most relative ones are parsed by dateparser
(RELATIVE_BASE = publication date, PREFER_DATES_FROM = past, or future when the sentence is in the
future tense) keeping the period it reports. Own rules cover the cases where dateparser is wrong or
returns nothing (each marked "dateparser:" below).

Conventions: month precision is the first of the month, year precision is January 1. A bare month,
month-day or weekday ("in February", "Nov. 6", "on Saturday") is the most recent one on or before
publication, or the next one on or after it when it is in the future tense ("will", "is expected
to"...): the tense of the verb governing it, i.e. past after a past verb with no future marker in
between ("the request the White House sent to Congress on Wednesday"), else of its clause. Anaphoric
periods ("the previous year", "a year earlier", "the following month") count from the latest date of
their sentence or the one before, else (looking back only) from publication.
Decades ("the 1990s"), weeks ("last week") and "today" are not returned (no matching precision, or
too often generic). Year-less expressions need a publication date.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import replace
from functools import lru_cache

from dateparser.date import DateDataParser

from etl.records import DatePrecision, DateRec, Span
from etl.transform._sentences import clause_of, sentence_of, split_sentences
from etl.transform.regex_prefilter import compile_scanner

_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
_MONTHS["sept"] = 9
_WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}

_MON = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept\.?|Sep\.?|Oct\.?|Nov\.?|Dec\.?)"
)
# Year-less month names stand alone only in full or with their period ("in Sept."): "Mar del Plata",
# "Jan Smith" are not months.
_MON_BARE = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept\.|Sep\.|Oct\.|Nov\.|Dec\.)"
)
_MES = (
    r"(?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre)"
)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d\d"
_WD = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_MOD = r"(?i:early|mid|late|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of)"
_PREP = (
    r"(?:[Ii]n|[Ff]or|[Ss]ince|[Bb]y|[Uu]ntil|[Tt]ill|[Tt]hrough|[Dd]uring|[Ff]rom|[Oo]f|[Bb]efore|[Aa]fter|"
    r"[Tt]o|[Bb]etween|and|[Ee]arly|[Ll]ate|[Mm]id-?|[Ss]tarting|[Cc]irca|[Aa]round|[Ee]nd\s+of|[Dd]ating\s+(?:back\s+)?to)"
)
_NUMWORD = r"(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})"

# Ordered most specific first; a later pattern never overlaps an earlier match.
_PATTERNS: list[re.Pattern[str]] = [
    compile_scanner(rf"\b(?:{_MON}\s+{_DAY},?\s+{_YEAR}|{_DAY}\s+{_MON},?\s+{_YEAR})\b"),
    compile_scanner(rf"\b{_DAY}\s+de\s+{_MES}\s+de(?:l)?\s+{_YEAR}\b", re.I),
    compile_scanner(rf"\b{_YEAR}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])\b"),
    compile_scanner(rf"\b(?:{_MOD}[\s-]+)?{_MON}\s+(?:of\s+)?{_YEAR}\b"),
    compile_scanner(rf"\b{_MON}\s+{_DAY}\b(?![,.]?\d|:)"),
    compile_scanner(
        r"\b(?:(?:earlier|later)\s+)?(?:this|last|next|the\s+previous|the\s+coming)\s+(?:year|month)\b", re.I
    ),
    compile_scanner(rf"\b{_NUMWORD}\s+(?:years?|months?)\s+ago\b", re.I),
    compile_scanner(r"\b(?:yesterday|tomorrow)\b", re.I),
    compile_scanner(rf"\b(?:[Ll]ast|[Nn]ext|[Tt]his|[Ee]arly|[Ll]ate|[Mm]id)(?:\s+|-){_MON_BARE}(?![\w-])"),
    compile_scanner(rf"\b{_PREP}\s+(?P<d>{_MON_BARE})(?![\w-])"),
    compile_scanner(rf"\b(?:(?:[Ll]ast|[Nn]ext|[Tt]his)\s+)?{_WD}\b(?!s)"),
    compile_scanner(rf"\b(?:{_MOD}[\s-]+)?{_YEAR}\b(?!s|\d|-\d|%|,\d|\.\d)"),
]
# Anaphoric periods: counted from the date the sentence (or the one before) just gave ("In 2011 aid
# fell to $40 million from $55 million the previous year" -> 2010), else from publication when they
# look back ("the previous year"); a forward one ("the following year") needs such a date.
_ANAPHORA = compile_scanner(
    r"\b(?:(?:a|the)\s+(?P<u1>year|month)\s+(?P<d1>earlier|before|later|after)"
    r"|the\s+(?P<d2>previous|prior|preceding|following|next)\s+(?P<u2>year|month))\b",
    re.I,
)
_YEAR_CONTEXT = compile_scanner(rf"(?:\b{_PREP}|\b(?i:the|a|its|their|his|her|our|fiscal)|[,(])\s+$|^\s*$")
_FUTURE = compile_scanner(
    r"\b(?:will|shall|'ll|upcoming|(?:is|are|was|were)\s+(?:expected|scheduled|set|due|slated|poised|planning)\s+to"
    r"|plans?\s+to|intends?\s+to)\b",
    re.I,
)
_PAST_BEFORE = compile_scanner(
    r"\b(?:said|told|met|held|gave|took|made|began|came|went|won|paid|sent|sold|bought|signed|\w{2,}(?<!ne|ce|pe|fe|se)ed)"
    r"\s+(?:on\s+|in\s+|last\s+|earlier\s+)?$",
    re.I,
)
# Common past-tense verbs of news reports and past auxiliaries (not after "be"/"will"/"to"): a date
# after one of these, with no future marker in between, is in the past ("the budget request the
# White House sent to Congress on Wednesday" in a sentence that "will shrink").
_PAST_VERB = compile_scanner(
    r"(?<!\bbe )(?<!\bbeen )(?<!\bbeing )(?<!\bwill )(?<!\bwould )(?<!\bto )"
    r"\b(?:said|told|sent|signed|announced|approved|unveiled|released|submitted|presented|published"
    r"|issued|reported|agreed|decided|launched|met|held|gave|made|took|began|won|paid|sold|bought"
    r"|awarded|visited|arrived|left|ordered|introduced|passed|voted|rejected|delivered|received"
    r"|confirmed|revealed|disclosed|completed|ended|started|was|were|had)\b"
)
_DURATION_BEFORE = compile_scanner(r"\b(?:the|over|past|for|in)\s+$", re.I)


def _first(d: dt.date, precision: DatePrecision) -> dt.date:
    if precision == "year":
        return dt.date(d.year, 1, 1)
    if precision == "month":
        return dt.date(d.year, d.month, 1)
    return d


def _month_shift(year: int, month: int, delta: int) -> dt.date:
    idx = year * 12 + month - 1 + delta
    return dt.date(idx // 12, idx % 12 + 1, 1)


@lru_cache(maxsize=256)
def _parser(base: dt.date | None, future: bool) -> DateDataParser:
    settings: dict[str, object] = {
        "PREFER_DATES_FROM": "future" if future else "past",
        "PREFER_DAY_OF_MONTH": "first",
    }
    if base is not None:
        settings["RELATIVE_BASE"] = dt.datetime(base.year, base.month, base.day)
    return DateDataParser(languages=["en", "es"], settings=settings)


def _own_rules(expr: str, base: dt.date, future: bool) -> tuple[dt.date, DatePrecision] | None:
    """Expressions dateparser gets wrong (or cannot parse) with a publication date as base."""
    low = expr.lower()
    # dateparser: "earlier this year" / "later this month" -> None; the modifier keeps the period.
    m = re.fullmatch(r"(?:(?:earlier|later)\s+)?(this|last|next|the previous|the coming)\s+(year|month)", low)
    if m:
        step = {"this": 0, "last": -1, "the previous": -1, "next": 1, "the coming": 1}[m.group(1)]
        if m.group(2) == "year":
            return dt.date(base.year + step, 1, 1), "year"
        return _month_shift(base.year, base.month, step), "month"
    # dateparser: "last June" / "next June" / "this June" -> None; a bare month with PREFER_DATES_FROM
    # future skips the current month. Months are resolved here on the month index instead.
    m = re.fullmatch(r"(?:(last|next|this|early|late|mid)\s*-?\s*)?([a-z]+)\.?", low)
    if m and m.group(2) in _MONTHS:
        month, mod = _MONTHS[m.group(2)], m.group(1)
        if mod == "this":
            return dt.date(base.year, month, 1), "month"
        if mod == "last" or (mod != "next" and not future):
            year = (
                base.year if month < base.month or (month == base.month and mod != "last") else base.year - 1
            )
        else:
            year = (
                base.year if month > base.month or (month == base.month and mod != "next") else base.year + 1
            )
        return dt.date(year, month, 1), "month"
    # dateparser: a year-less month-day ("Nov. 6") preferred in the future skips the publication day
    # itself; the publication day is both the latest past and the earliest future occurrence.
    m = re.fullmatch(r"([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?", low)
    if m and m.group(1) in _MONTHS:
        month, day = _MONTHS[m.group(1)], int(m.group(2))
        year = base.year
        if future and (month, day) < (base.month, base.day):
            year += 1
        elif not future and (month, day) > (base.month, base.day):
            year -= 1
        try:
            return dt.date(year, month, day), "day"
        except ValueError:
            return None
    # dateparser: "on Saturday" in an article of Saturday gives the previous Saturday.
    m = re.fullmatch(r"(?:(last|next|this)\s+)?([a-z]+)", low)
    if m and m.group(2) in _WEEKDAYS:
        back = (base.weekday() - _WEEKDAYS[m.group(2)]) % 7
        ahead = (_WEEKDAYS[m.group(2)] - base.weekday()) % 7
        if m.group(1) == "last":
            return base - dt.timedelta(days=back or 7), "day"
        if m.group(1) == "next":
            return base + dt.timedelta(days=ahead or 7), "day"
        return (base + dt.timedelta(days=ahead) if future else base - dt.timedelta(days=back)), "day"
    return None


def resolve_date(
    expr: str, published: dt.date | None, *, future: bool = False
) -> tuple[dt.date, DatePrecision] | None:
    """Resolve one date expression against the publication date; None when it cannot be resolved.

    ``future`` makes year-less months, weekdays and month-days resolve forward from publication.
    Without a publication date only expressions with an explicit year resolve.
    """
    text = re.sub(r"\s+", " ", expr).strip().strip(",.")
    text = re.sub(rf"^{_PREP}\s+(?=\S)", "", text).strip()
    text = re.sub(r"^(?:on|the)\s+", "", text, flags=re.I)
    if not text or re.search(r"\d0s\b", text):  # decades are not a supported precision
        return None
    # dateparser: "early 2012" / "mid-2012" / "late May 2011" -> None; the modifier is dropped.
    text = re.sub(rf"^{_MOD}(?:\s+|-)(?=\S)", "", text, flags=re.I).strip()
    has_year = re.search(rf"\b{_YEAR}\b", text) is not None
    if published is None and not has_year:
        return None
    if published is not None and not has_year:
        own = _own_rules(text, published, future)
        if own:
            return own
    if re.fullmatch(_YEAR, text):
        return dt.date(int(text), 1, 1), "year"
    return _plain(text) or _parsed(text, published, future and not has_year)


# "March 5, 2012", "5 March 2012", "March 2012", "2012-03-05": most dates in a feed. A plain
# reading gives what dateparser gives for them (benchmarks/extraction_check.py compare: identical
# output) at a fraction of its cost, which is ~3 ms a call and misses its cache whenever the
# publication day differs.
_PLAIN = compile_scanner(
    rf"(?:(?P<m1>[A-Za-z]+)\.?\s+(?:(?P<d1>\d{{1,2}}),?\s+)?|(?P<d2>\d{{1,2}})\s+(?P<m2>[A-Za-z]+)\.?,?\s+)"
    rf"(?P<y>{_YEAR})|(?P<iy>{_YEAR})-(?P<im>\d\d)-(?P<id>\d\d)"
)


def _plain(text: str) -> tuple[dt.date, DatePrecision] | None:
    """A full English date or month-and-year, read without dateparser; None for anything else."""
    m = _PLAIN.fullmatch(text)
    if m is None:
        return None
    try:
        if m["iy"]:
            return dt.date(int(m["iy"]), int(m["im"]), int(m["id"])), "day"
        month = _MONTHS.get((m["m1"] or m["m2"]).lower())
        day = m["d1"] or m["d2"]
        if month is None:
            return None
        if day is None:
            return dt.date(int(m["y"]), month, 1), "month"
        return dt.date(int(m["y"]), month, int(day)), "day"
    except ValueError:  # "February 30, 2012": dateparser decides
        return None


@lru_cache(maxsize=8192)
def _parsed(text: str, published: dt.date | None, forward: bool) -> tuple[dt.date, DatePrecision] | None:
    """dateparser's reading of ``text`` (cached: it compiles patterns on every call, and a feed repeats
    the same expressions against the same publication day)."""
    data = _parser(published, forward).get_date_data(text)
    if data.date_obj is None or data.period not in ("day", "month", "year", "time"):
        return None
    precision: DatePrecision = "day" if data.period == "time" else data.period  # type: ignore[assignment]
    return _first(data.date_obj.date(), precision), precision


def is_future(sentence: str) -> bool:
    """True when a sentence is in the future tense (will, is expected to, plans to ...)."""
    return _FUTURE.search(sentence) is not None


def _future_at(body: str, sent: Span, span: Span) -> bool:
    """Tense for the date at ``span``: past right after a past-tense verb ("said Tuesday"), else the
    tense of its clause, or of the whole sentence for a fronted phrase ("In March, Peru will ...")."""
    if _PAST_BEFORE.search(body[max(sent.start, span.start - 30) : span.start]):
        return False
    clause = clause_of(body, sent, span.start)
    before = body[clause.start : span.start]
    futures = list(_FUTURE.finditer(before))
    pasts = list(_PAST_VERB.finditer(before))
    if pasts and (not futures or pasts[-1].start() >= futures[-1].end()):
        # The verb governing the date is past: "... will shrink under the request the White House
        # sent on Wednesday"; "The aircraft was handed over ... on April 24 and is due to fly ...".
        return False
    if clause.start == sent.start:
        return is_future(body[sent.start : sent.end])
    return is_future(body[clause.start : clause.end])


def find_dates(body: str, published: dt.date | None) -> list[DateRec]:
    """Every resolvable date expression in ``body``, in text order."""
    return [replace(d) for d in _find_dates(body, published)]


@lru_cache(maxsize=32)
def _find_dates(body: str, published: dt.date | None) -> tuple[DateRec, ...]:
    # Cached (callers get copies): the extractor and find_money both date the same article body.
    sentences = split_sentences(body)
    taken: list[Span] = []
    out: list[DateRec] = []
    for i, pattern in enumerate(_PATTERNS):
        for m in pattern.finditer(body):
            group = "d" if "d" in pattern.groupindex else 0
            span = Span(m.start(group), m.end(group))
            if any(span.start < t.end and t.start < span.end for t in taken):
                continue
            raw = m.group(group)
            before = body[max(0, span.start - 25) : span.start]
            if i == len(_PATTERNS) - 1 and not raw[0].isalpha() and not _YEAR_CONTEXT.search(before):
                continue  # a bare four-digit number is a year only after a preposition/determiner
            if re.match(r"(?i)last\s+(?:year|month)$", raw) and _DURATION_BEFORE.search(before):
                continue  # "over the last year" is a duration, not a date
            sent = sentences[sentence_of(sentences, span.start)] if sentences else Span(0, len(body))
            resolved = resolve_date(raw, published, future=_future_at(body, sent, span))
            if resolved is None:
                continue
            taken.append(span)
            out.append(DateRec(span=span, raw=raw, value=resolved[0], precision=resolved[1]))
    out.sort(key=lambda r: r.span.start)
    _add_anaphora(body, sentences, published, out)
    return tuple(out)


def _add_anaphora(body: str, sentences: list[Span], published: dt.date | None, out: list[DateRec]) -> None:
    """Resolve "the previous year", "a year earlier", "the following month" ... in place (see _ANAPHORA)."""
    for m in _ANAPHORA.finditer(body):
        span = Span(m.start(), m.end())
        unit = (m.group("u1") or m.group("u2")).lower()
        direction = (m.group("d1") or m.group("d2")).lower()
        step = -1 if direction in ("earlier", "before", "previous", "prior", "preceding") else 1
        if direction == "next" and re.search(
            r"\b(?:in|over|within|during|for)\s+$", body[max(0, m.start() - 8) : m.start()]
        ):
            continue  # "in the next year": a period from now, not a date
        si = sentence_of(sentences, span.start) if sentences else 0
        lo = sentences[max(0, si - 1)].start if sentences else 0
        anchors = [
            d
            for d in out
            if lo <= d.span.start and d.span.end <= span.start and (unit == "year" or d.precision != "year")
        ]
        existing = [d for d in out if d.span.start < span.end and span.start < d.span.end]
        if anchors:
            base = anchors[-1].value
        elif step < 0 and published is not None and not existing:
            base = published
        else:
            continue
        if unit == "year":
            value, precision = dt.date(base.year + step, 1, 1), "year"
        else:
            value, precision = _month_shift(base.year, base.month, step), "month"
        for d in existing:
            out.remove(d)
        out.append(DateRec(span=span, raw=m.group(0), value=value, precision=precision))  # type: ignore[arg-type]
    out.sort(key=lambda r: r.span.start)
