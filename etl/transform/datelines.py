"""Date stamps, datelines and capture-date detection, parsed with dateparser."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import dateparser

from etl.records import DatePrecision

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
    (r"\b\d{1,2}/\d{1,2}/\d{4}\b", "day"),
    (rf"\b{MONTHS},?\s+\d{{4}}\b", "month"),
]
_SETTINGS = {"PREFER_DAY_OF_MONTH": "first", "DATE_ORDER": "MDY", "RETURN_AS_TIMEZONE_AWARE": False}
_TIME = r"\d{1,2}(?:[:.]\d{2}){1,2}\s*(?:[ap]\.?m\.?)?(?:\s*[A-Z]{2,4}\b)?|\d{1,2}\s*[ap]\.?m\.?"
_FILLER = re.compile(rf"(?:{_TIME}|{_WEEKDAY}|on|at|[-–—|,/:()\s])*", re.IGNORECASE)
LABELS = r"Posted|Published|First published|Updated|Last updated|Last modified|Modified|Created|Date"
_LABELLED = re.compile(rf"\b(?P<label>{LABELS})\b\s*(?:on|at)?\s*:?\s*(?P<rest>.+)", re.IGNORECASE)
_YEAR = re.compile(r"(?<![\w$€£.,/-])(?<![A-Z]{2} )(1[89]\d\d|20\d\d)(?![\w%]|,\d|-\d)")

_UP = r"[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ.'’\-]*[A-ZÀ-ÖØ-Þ.]"
_REGION = r"[A-Z][A-Za-z.'’\-]+(?:\s+[A-Z][A-Za-z.'’\-]+){0,2}"
_DL_DATE = (
    rf"{_WEEKDAY}(?:(?P<month>{MONTHS})\s*(?P<day>\d{{1,2}})|(?P<day2>\d{{1,2}})\s+(?P<month2>{MONTHS}))"
    r"(?:,?\s+(?P<year>\d{4}))?"
)
_DASH = r"(?:--|[-–—]|:)"
DATELINE = re.compile(
    rf"^(?:(?P<place>{_UP}(?:\s+{_UP}){{0,3}})(?:,\s+(?!{MONTHS})(?P<region>{_REGION}))?)?"
    rf"(?:,?\s*{_DL_DATE})?\s*(?:\((?P<credit>[A-Za-z][\w.&'/ -]{{0,40}})\))?\s*{_DASH}\s+"
)


@dataclass(frozen=True, slots=True)
class FoundDate:
    """A date found in text, with its precision and the exact text it came from."""

    value: dt.date
    precision: DatePrecision
    text: str


@dataclass(frozen=True, slots=True)
class Dateline:
    """A parsed dateline: place, optional month/day/year and wire credit; ``end`` is where the body
    text after the dash begins."""

    place: str | None
    credit: str | None
    month_day: tuple[int, int] | None
    year: int | None
    end: int


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


def parse_dateline(line: str) -> Dateline | None:
    """The dateline at the start of a body paragraph: "LIMA, Oct. 8 (UPI) --", "LIMA, Peru —"."""
    m = DATELINE.match(line)
    if not m or not (m.group("place") or m.group("credit")):
        return None
    month = m.group("month") or m.group("month2")
    month_day = None
    if month:
        parsed = dateparser.parse(f"{month} 1 2000", languages=["en"], settings=_SETTINGS)
        month_day = (parsed.month, int(m.group("day") or m.group("day2"))) if parsed else None
    place = m.group("place")
    if place and m.group("region"):
        place = f"{place}, {m.group('region')}"
    year = int(m.group("year")) if m.group("year") else None
    return Dateline(place, m.group("credit"), month_day, year, m.end())


def latest_year(text: str) -> int | None:
    """The latest plausible calendar year (1800-2099) the text mentions, ignoring model numbers
    ("MBT 2000"), money and hyphenated numbers."""
    years = [int(y) for y in _YEAR.findall(text)]
    return max(years) if years else None


def capture_date_reason(found: FoundDate, body: str) -> str | None:
    """Why an unlabelled page date is a capture/print date rather than the publication date: it
    is more than a year after the latest year the body refers to. None when it is plausible."""
    latest = latest_year(body)
    if latest is not None and found.value.year > latest + 1:
        return f"capture-date {found.value.isoformat()}: body's latest year is {latest}"
    return None
