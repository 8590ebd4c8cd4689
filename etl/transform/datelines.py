"""Date stamps, datelines, capture-date detection and dating evidence (URL paths, copyright
notices), parsed with dateparser."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePath

import dateparser

from etl.records import DatePrecision
from etl.transform.regex_prefilter import compile_scanner

MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\b\.?"
)
_WEEKDAY = r"(?:(?:Mon|Tue|Tues|Wed|Wednes|Thu|Thur|Thurs|Fri|Sat|Satur|Sun)(?:day)?\.?,?\s+)?"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_DATE_FORMS: list[tuple[str, DatePrecision]] = [
    (r"\b\d{4}-\d{2}-\d{2}(?=\b|T)", "day"),
    (rf"\b{MONTHS}\s*{_DAY},?\s+\d{{4}}\b", "day"),
    (rf"\b{_DAY}\s+{MONTHS},?\s+\d{{4}}\b", "day"),
    (rf"\b\d{{1,2}}-{MONTHS}-\d{{4}}\b", "day"),  # Jane's "02-Apr-2009"
    (r"\b\d{1,2}/\d{1,2}/\d{4}\b", "day"),
    (rf"\b{MONTHS},?\s+\d{{4}}\b", "month"),
]
_SETTINGS = {"PREFER_DAY_OF_MONTH": "first", "DATE_ORDER": "MDY", "RETURN_AS_TIMEZONE_AWARE": False}
_TIME = r"\d{1,2}(?:[:.]\d{2}){1,2}\s*(?:[ap]\.?m\.?)?(?:\s*[A-Z]{2,4}\b)?|\d{1,2}\s*[ap]\.?m\.?"
_FILLER = compile_scanner(rf"(?:{_TIME}|{_WEEKDAY}|on|at|[-–—|,/:()\s])*", re.IGNORECASE)
LABELS = r"Posted|Published|First published|Updated|Last updated|Last modified|Modified|Created|Date"
_LABELLED = compile_scanner(rf"\b(?P<label>{LABELS})\b\s*(?:on|at)?\s*:?\s*(?P<rest>.+)", re.IGNORECASE)
_YEAR = compile_scanner(r"(?<![\w$€£.,/-])(?<![A-Z]{2} )(1[89]\d\d|20\d\d)(?![\w%]|,\d|-\d)")

_UP = r"[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ.'’\-]*[A-ZÀ-ÖØ-Þ.]"
_REGION = r"[A-Z][A-Za-z.'’\-]+(?:\s+[A-Z][A-Za-z.'’\-]+){0,2}"
_DL_DATE = (
    rf"{_WEEKDAY}(?:(?P<month>{MONTHS})\s*(?P<day>\d{{1,2}})|(?P<day2>\d{{1,2}})\s+(?P<month2>{MONTHS}))"
    r"(?:,?\s+(?P<year>\d{4}))?"
)
_NUM_DATE = r"(?P<num>\d{1,2}/\d{1,2}/\d{4})"
_DASH = r"(?:--|[-–—]|:)"
# the dash is followed by a space, or glued to the text in Wall Street Journal style ("LIMA—The")
_DASH_END = rf"(?:{_DASH}\s+|—(?=[A-Z“\"]))"
_CREDIT = r"\((?P<credit>[A-Za-z][\w.&'/ -]{0,40})\)"
DATELINE = compile_scanner(
    rf"^(?:(?P<place>{_UP}(?:\s+{_UP}){{0,3}})(?:,\s+(?!{MONTHS})(?P<region>{_REGION}))?)?"
    rf"(?:,?\s*(?:{_DL_DATE}|{_NUM_DATE}))?\s*(?:{_CREDIT})?\s*{_DASH_END}"
)
# A place in title case ("Mexico City, 24/04/2014 (Infodefensa.com) –") is a dateline only with a
# date or a credit: "Mexico City –" alone could open any sentence.
_TITLE_WORD = r"[A-ZÀ-Þ][a-zà-ÿ'’\-]+"
TITLE_DATELINE = compile_scanner(
    rf"^(?P<place>{_TITLE_WORD}(?:\s+(?:{_TITLE_WORD}|de|del|da|do)){{0,3}})"
    rf"(?:,\s+(?!{MONTHS})(?P<region>{_REGION}))?"
    rf"(?:,?\s*(?:{_DL_DATE}|{_NUM_DATE}))?\s*(?:{_CREDIT})?\s*\.?{_DASH}\s+"  # EFE: "(EFE).- "
)
_URL_DATE = compile_scanner(
    r"/(?P<year>(?:19|20)\d\d)/(?:(?P<month>0?[1-9]|1[0-2])/(?:(?P<day>0?[1-9]|[12]\d|3[01])/)?)?"
)
# A date in a file name: "2009-06-18", "2009_06_18", "20090618", "2009-06", or a lone year
# ("..._2009.txt"), each delimited by non-alphanumerics so that "f16", "a400m" or "3200" never count.
_NAME_DATE = compile_scanner(
    r"(?<![0-9A-Za-z])(?P<year>19[5-9]\d|20[0-4]\d)"
    r"(?:(?P<sep>[-_.]?)(?P<month>0[1-9]|1[0-2])(?:(?P=sep)(?P<day>0[1-9]|[12]\d|3[01]))?)?(?![0-9A-Za-z])"
)
_COPYRIGHT = compile_scanner(r"^\s*(?:copyright\b|©|\(c\))", re.IGNORECASE)
_YEAR_RANGE = compile_scanner(r"\b(?:19|20)\d\d\s*[-–/]\s*(?:(?:19|20)\d\d|\d\d)\b")


@dataclass(frozen=True, slots=True)
class FoundDate:
    """A date found in text, with its precision and the exact text it came from."""

    value: dt.date
    precision: DatePrecision
    text: str


@dataclass(frozen=True, slots=True)
class Dateline:
    """A parsed dateline: place, optional month/day/year and wire credit; ``end`` is where the body
    text after the dash begins. ``ambiguous`` is set for a numeric date that reads both ways
    ("05/06/2014"), which is then not used."""

    place: str | None
    credit: str | None
    month_day: tuple[int, int] | None
    year: int | None
    end: int
    ambiguous: bool = False


@lru_cache(maxsize=4096)
def parse_date(text: str) -> FoundDate | None:
    """The first recognisable date in ``text`` (ISO, "Oct. 7, 2012", "8 October 2012", ...)."""
    best: tuple[int, str, DatePrecision] | None = None
    for pattern, precision in _DATE_FORMS:
        m = re.search(pattern, text, re.IGNORECASE)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), m.group(0), precision)
    if best is None:
        return None
    parsed = dateparser.parse(best[1], languages=["en"], settings=_SETTINGS)
    return FoundDate(parsed.date(), best[2], best[1]) if parsed else None


def parse_meta_date(value: str) -> FoundDate | None:
    """A date given by a manifest or JSON line: ISO ``YYYY[-MM[-DD]]`` or any dateparser string."""
    value = value.strip()
    if m := re.fullmatch(r"(\d{4})(?:-(\d{1,2}))?", value):
        month = int(m.group(2) or 1)
        if 1 <= month <= 12:
            return FoundDate(dt.date(int(m.group(1)), month, 1), "month" if m.group(2) else "year", value)
    if found := parse_date(value):
        return found
    parsed = dateparser.parse(value, languages=["en"], settings=_SETTINGS)
    return FoundDate(parsed.date(), "day", value) if parsed else None


def labelled_stamp(line: str) -> tuple[str, FoundDate] | None:
    """("Posted", date) for a short stamp line such as "Posted: Oct 06, 2012 2:38 PM"."""
    if len(line.split()) > 14:
        return None
    m = _LABELLED.search(line)
    if m and m.start() <= 3 and (found := parse_date(m.group("rest"))):
        return m.group("label").title(), found
    return None


def standalone_date(line: str) -> FoundDate | None:
    """The date of a line that holds nothing but a date (plus weekday, time and separators)."""
    found = parse_date(line)
    if found is None:
        return None
    rest = line.replace(found.text, " ", 1)
    return found if _FILLER.fullmatch(rest) else None


def has_time(line: str) -> bool:
    """True when the line carries a clock time ("01:46PM", "2:38 PM")."""
    return re.search(_TIME, line, re.IGNORECASE) is not None


@lru_cache(maxsize=1024)
def parse_dateline(line: str) -> Dateline | None:
    """The dateline at the start of a body paragraph: "LIMA, Oct. 8 (UPI) --", "LIMA, Peru —",
    "WASHINGTON—", "Mexico City, 24/04/2014 (Infodefensa.com) –"."""
    m = DATELINE.match(line)
    if not m or not (m.group("place") or m.group("credit")):
        m = TITLE_DATELINE.match(line)
        dated = m and (m.group("month") or m.group("month2") or m.group("num"))
        if not m or not (dated or m.group("credit")):
            return None
    month = m.group("month") or m.group("month2")
    month_day, year, ambiguous = None, int(m.group("year")) if m.group("year") else None, False
    if month:
        parsed = dateparser.parse(f"{month} 1 2000", languages=["en"], settings=_SETTINGS)
        month_day = (parsed.month, int(m.group("day") or m.group("day2"))) if parsed else None
    elif m.group("num"):
        month_day, year, ambiguous = _numeric_date(m.group("num"))
    place = m.group("place")
    if place and m.group("region"):
        place = f"{place}, {m.group('region')}"
    return Dateline(place, m.group("credit"), month_day, year, m.end(), ambiguous)


def _numeric_date(text: str) -> tuple[tuple[int, int] | None, int | None, bool]:
    """(month, day), year and ambiguity of "24/04/2014" (day first) or "04/24/2014" (month first)."""
    a, b, year = (int(x) for x in text.split("/"))
    if a > 12 and b <= 12:
        return (b, a), year, False
    if b > 12 and a <= 12:
        return (a, b), year, False
    if a == b and a <= 12:
        return (a, b), year, False
    return None, year, a <= 12 and b <= 12


def url_date(url: str | None) -> FoundDate | None:
    """The date in a URL path ("/2009/09/13/", "/2010/09/"), with its precision; year-only
    segments ("/2013/") give year precision."""
    m = _URL_DATE.search(url or "")
    if not m:
        return None
    year, month, day = int(m["year"]), int(m["month"] or 1), int(m["day"] or 1)
    precision: DatePrecision = "day" if m["day"] else "month" if m["month"] else "year"
    try:
        return FoundDate(dt.date(year, month, day), precision, m.group(0))
    except ValueError:
        return None


def name_date(path: str | None) -> FoundDate | None:
    """The date a file's name gives ("2009-06-18-story.txt", "story_20090618.html",
    "12_chile_frigates_2009.txt"), with its precision; None when the name gives none or more than
    one (a span such as "2014_2018" dates nothing)."""
    stem = PurePath(path or "").stem
    found = []
    for m in _NAME_DATE.finditer(stem):
        year, month, day = int(m["year"]), int(m["month"] or 1), int(m["day"] or 1)
        if m["month"] and not m["sep"] and not m["day"]:
            continue  # "200906" reads as too many things
        precision: DatePrecision = "day" if m["day"] else "month" if m["month"] else "year"
        try:
            found.append(FoundDate(dt.date(year, month, day), precision, m.group(0)))
        except ValueError:
            continue
    return found[0] if len(found) == 1 else None


def copyright_notices(lines: list[str]) -> list[tuple[str, int]]:
    """(holder, year) of short copyright lines naming one year: "Copyright 2009 The Associated
    Press. All rights reserved." -> ("The Associated Press", 2009). Year ranges ("©2008-2013") are a
    site's span, not a date, and are skipped."""
    out = []
    for line in lines:
        if not _COPYRIGHT.match(line) or len(line.split()) > 40 or _YEAR_RANGE.search(line):
            continue
        years = set(re.findall(r"\b(?:19|20)\d\d\b", line))
        if len(years) != 1:
            continue
        holder = re.sub(r"(?i)^\s*(?:copyright\b|©|\(c\))\s*(?:©\s*)?", "", line)
        holder = re.split(r"(?i)\.?\s*all rights reserved|\.\s|\s[-–|]\s", holder)[0]
        holder = re.sub(r"\b(?:19|20)\d\d\b|\([^)]*\)", " ", holder)
        holder = re.sub(r"(?i)[\s,]+(?:inc|ltd|llc|plc|corp|s\.a|gmbh)\.?\s*$", "", holder.strip(" ,.;:-–©"))
        out.append((" ".join(holder.split()), int(years.pop())))
    return out


def latest_year(text: str) -> int | None:
    """The latest plausible calendar year (1800-2099) the text mentions, ignoring model numbers
    ("MBT 2000"), money and hyphenated numbers."""
    years = [int(y) for y in _YEAR.findall(text)]
    return max(years) if years else None


def capture_date_reason(found: FoundDate, body: str, vouched: frozenset[int] = frozenset()) -> str | None:
    """Why an unlabelled page date is a capture/print date rather than the publication date: it
    is more than a year after the latest year the body refers to, and no article-level evidence
    (``vouched`` years: a wire agency's copyright notice on its story, the URL's date) names its
    year. None when it is plausible."""
    latest = latest_year(body)
    if found.value.year in vouched:
        return None
    if latest is not None and found.value.year > latest + 1:
        return f"capture-date {found.value.isoformat()}: body's latest year is {latest}"
    return None
