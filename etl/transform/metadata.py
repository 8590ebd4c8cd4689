"""Infer an article's metadata from its text; manifest/JSON-line values always win.

``CleanArticle.provenance`` records how each value was found: ``manifest``/``jsonl`` (given),
``html-meta`` (page metadata), ``first-line``/``page-title`` (title), ``byline-line``/
``reporting-credit`` (byline), ``site-name``/``url-domain``/``page-title``/``copyright``/
``wire-credit``/``signature``/``credit-line`` (publisher, wire_service), ``text-url`` (url printed
on its own line), ``dateline`` (place, date), ``stamp:<Label>``, ``stamp``, ``url-date``,
``date-line`` or ``dateline+<source>-year`` (published_on). Rejected or unresolved dates are
explained under ``published_on_rejected`` / ``published_on_unresolved``. The dateline place is kept
as printed ("LIMA", "LIMA, Peru").

Publisher, first found wins: the page's ``og:site_name``; the URL's known domain; the site part of
the page title ("Headline | Defense Daily", "Latin American Herald Tribune - Headline"); site lines
of the page (name, tagline, bare domain); a known publisher's copyright notice; the dateline
credit or wire signature. The wire service also comes from an agency's name standing alone after
the body ("EFE").

Publication year when the dateline gives only month and day ("BRASILIA, Dec 18 (Reuters) -"): the
date or year in the article's URL, else the year of the wire agency's own copyright notice on its
story ("© Thomson Reuters 2013"); never a site footer's year (often the capture year) and never a
guess. A year alone, without month and day, is not used as a publication date: relative dates
("on Tuesday") would then resolve against January 1.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections import Counter

from etl.records import CleanArticle, RawDocument
from etl.reference.publishers import Publisher, load_publishers
from etl.transform import datelines as dl
from etl.transform.clean import (
    clean_text,
    is_furniture,
    is_title_candidate,
    page_url,
    site_name,
    site_title,
    split_lines,
    vouched_years,
)
from etl.transform.html import HtmlMeta, html_metadata, source_text
from etl.transform.regex_prefilter import compile_scanner
from etl.transform.textlines import is_prose, words

_BYLINE = compile_scanner(
    r"^(?:Written |Posted |Reported )?By:?\s+(?P<names>[A-Z][^|]{1,100}?)\s*(?:\|.*)?$", re.IGNORECASE
)
_NOT_NAMES = compile_scanner(rf"\b(?:published|posted|updated|staff|{dl.MONTHS})", re.I)
# Reuters-style credits, most specific author first: "Reporting by", "Writing by", "Additional reporting by"
_CREDITS = [
    compile_scanner(rf"(?:^|\(|;)\s*{lead} by (?P<names>[^;()\n]{{3,120}})", re.I | re.M)
    for lead in ("Reporting", "Writing", "Additional reporting")
]
# Jane's-style byline lines: "Rahul Bedi JDW Correspondent - New Delhi", "Jim Wyss, Staff Writer"
_ROLE_BYLINE = compile_scanner(
    r"^(?P<names>[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){1,3}?),?\s+(?:[A-Z]{2,5}\s+)?"
    r"(?:Staff\s+|Senior\s+|Special\s+|Chief\s+)?(?:Correspondent|Reporter|Writer|Editor|Contributor)\b"
)
_NAME = compile_scanner(r"[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|de|da|del|van|von|al|bin|la|le)){1,4}")
_ROLE = compile_scanner(
    r"\b(?:staff|writer|correspondent|reporter|editor|special to|news|agency|times|post)\b", re.IGNORECASE
)
_PLACE = compile_scanner(r"[A-ZÀ-Þ][\w'’.-]+(?: [A-ZÀ-Þ][\w'’.-]+){0,2}")  # "Santiago - 14 March 2016"
_LABEL_RANK = {"Published": 0, "First Published": 0, "Posted": 1, "Created": 1, "Date": 2}


def content_hash(body: str) -> str:
    """sha256 hex digest of the NFC-normalised body."""
    return hashlib.sha256(unicodedata.normalize("NFC", body).encode("utf-8")).hexdigest()


def article_from_document(doc: RawDocument) -> CleanArticle:
    """Clean a document's text and infer its metadata in one step."""
    return infer_metadata(doc, clean_text(source_text(doc)))


def infer_metadata(doc: RawDocument, body: str) -> CleanArticle:
    """A CleanArticle for ``body`` (the output of ``clean_text``) with given or inferred metadata."""
    raw_lines = split_lines(source_text(doc))
    page = html_metadata(doc.html) if doc.html else HtmlMeta()
    lines = [line for line in body.split("\n") if line]
    first_prose = next((i for i, line in enumerate(lines) if is_prose(line)), len(lines))
    paragraphs = [line for line in lines[: first_prose + 3] if len(words(line)) >= 8]
    dateline = next((d for line in paragraphs if (d := dl.parse_dateline(line))), None)
    art = CleanArticle(doc.source_path, doc.source_line, body, content_hash(body))
    prov: dict[str, str] = {}
    text_url = page_url(raw_lines)
    found: dict[str, tuple[str | None, str]] = {
        "title": _title(page, lines[:first_prose]),
        "byline": _byline(page, lines[: first_prose + 1], "\n".join(raw_lines)),
        "url": (page.url, "html-meta") if page.url else (text_url, "text-url"),
        "dateline_place": (dateline.place if dateline else None, "dateline"),
    }
    found.update(_publisher(doc, page, raw_lines, dateline, text_url))
    for name, (value, how) in found.items():
        given = doc.meta.get(name)
        if given:
            value, how = given, doc.meta_origin.get(name, "manifest")
        if value:
            setattr(art, name, value)
            prov[name] = how
    _set_date(art, doc, page, raw_lines, dateline, prov)
    if doc.meta.get("encoding"):  # text that was not UTF-8 loads; say how it was decoded
        prov["encoding"] = doc.meta["encoding"]
    art.provenance = prov
    return art


def _title(page: HtmlMeta, header: list[str]) -> tuple[str | None, str]:
    if page.title:
        title = page.title.strip()
        split = site_title(title) if title == page.page_title else None
        return (split[0], "html-meta") if split else (title, "html-meta")
    line = next((line for line in header if is_title_candidate(line)), None)
    if line and (split := site_title(line)):
        return split[0], "page-title"
    return line, "first-line"


def _byline(page: HtmlMeta, head: list[str], raw: str) -> tuple[str | None, str]:
    if page.author and (names := _names(page.author.replace(";", ","))):
        return names, "html-meta"
    for line in head:
        if (m := _BYLINE.match(line)) and len(words(line)) <= 12 and (names := _names(m["names"])):
            return names, "byline-line"
        if (m := _ROLE_BYLINE.match(line)) and len(words(line)) <= 10 and (names := _names(m["names"])):
            return names, "byline-line"
    for credit in _CREDITS:
        if (m := credit.search(raw)) and (names := _names(m["names"])):
            return names, "reporting-credit"
    return None, "byline-line"


def _names(text: str) -> str | None:
    """Person names from "David Alexander and Jane Roe in Lima, Reuters" -> "David Alexander and Jane Roe"."""
    if (found := dl.parse_date(text)) is not None:  # "By Jane Roe Jun 3, 2014 4:15 PM ET"
        text = text[: text.index(found.text)]
    parts = re.split(r"\s*(?:,|\band\b|&|\||—|--)\s*", text.strip(), flags=re.IGNORECASE)
    names = []
    for part in parts:
        part = re.sub(r"\s+in\s+.*$", "", part)
        if load_publishers().lookup(part) or _ROLE.search(part) or _NOT_NAMES.search(part):
            continue
        if m := _NAME.fullmatch(part.title() if part.isupper() else part):
            names.append(m.group(0))
    return " and ".join(names) or None


def _publisher(
    doc: RawDocument, page: HtmlMeta, raw_lines: list[str], dateline: dl.Dateline | None, text_url: str | None
) -> dict[str, tuple[str | None, str]]:
    pubs = load_publishers()
    wire: tuple[Publisher | None, str] = (None, "")
    credit = dateline.credit if dateline else None
    if credit:
        known = [p for c in credit.split("/") if (p := pubs.lookup(c))]
        wire = (known[0] if known else Publisher(name=credit), "wire-credit")
    if not (wire[0] and wire[0].wire) and (sig := pubs.signature("\n".join(raw_lines))):
        wire = (sig, "signature")
    header, rest, trailer = _split_page(raw_lines)
    if not (wire[0] and wire[0].wire) and (agency := _credit_line(trailer)):
        wire = (agency, "credit-line")
    hints = Counter(name for line in header + rest if (name := site_name(line)))
    hints.update(name for line in trailer if (name := _site_hint(line, wire[0])))
    titled = [split[1] for line in header if len(words(line)) > 2 and (split := site_title(line, header))]
    page_site = site_title(page.page_title, [page.title or ""]) if page.page_title else None
    copyright_pub = next(
        (pub.name for holder, _ in dl.copyright_notices(raw_lines) if (pub := pubs.lookup(holder))), None
    )
    candidates: list[tuple[str | None, str]] = [
        (_canonical(page.sitename), "html-meta"),
        (_pub_name(pubs.by_url(doc.meta.get("url") or page.url or text_url or "")), "url-domain"),
        (page_site[1] if page_site else None, "page-title"),
        (titled[0] if titled else None, "page-title"),
        (hints.most_common(1)[0][0] if hints else None, "site-name"),
        (copyright_pub, "copyright"),
        (wire[0].name if wire[0] else None, wire[1]),
    ]
    publisher = next(((v, how) for v, how in candidates if v), (None, "site-name"))
    is_wire = wire[0] is not None and wire[0].wire
    return {"publisher": publisher, "wire_service": (wire[0].name if is_wire else None, wire[1])}


def _split_page(raw_lines: list[str]) -> tuple[list[str], list[str], list[str]]:
    """Non-empty lines of the raw page before the first prose paragraph, up to the last one, and after."""
    lines = [line for line in raw_lines if line]
    prose = [i for i, line in enumerate(lines) if is_prose(line)]
    if not prose:
        return lines, [], []
    return lines[: prose[0]], lines[prose[0] : prose[-1] + 1], lines[prose[-1] + 1 :]


def _site_hint(line: str, wire: Publisher | None) -> str | None:
    """The site a trailer line names. A wire agency's bare name after the body ("EFE") is the story's
    credit, not the site - unless it is the dateline's own credit."""
    name = site_name(line)
    pub = load_publishers().lookup(name) if name else None
    bare = pub is not None and pub.wire and line.strip().strip("-—– ").casefold() in _aliases(pub)
    if bare and not (wire is not None and wire.name == pub.name):
        return None
    return name


def _aliases(pub: Publisher) -> set[str]:
    return {pub.name.casefold(), *(a.casefold() for a in pub.aliases)}


def _credit_line(lines: list[str]) -> Publisher | None:
    """A wire agency named alone on a line after the body ("EFE", "-- AFP")."""
    pubs = load_publishers()
    for line in lines:
        pub = pubs.lookup(line.strip().strip("-—– "))
        if pub is not None and pub.wire:
            return pub
    return None


def _canonical(name: str | None) -> str | None:
    pub = load_publishers().lookup(name) if name else None
    return pub.name if pub else name


def _pub_name(pub: Publisher | None) -> str | None:
    return pub.name if pub else None


def _set_date(
    art: CleanArticle,
    doc: RawDocument,
    page: HtmlMeta,
    raw_lines: list[str],
    dateline: dl.Dateline | None,
    prov: dict[str, str],
) -> None:
    given = doc.meta.get("published")
    if given and (found := dl.parse_meta_date(given)):
        art.published_on, art.date_precision = found.value, found.precision
        prov["published_on"] = doc.meta_origin.get("published", "manifest")
        return
    if given:
        origin = doc.meta_origin.get("published", "manifest")
        prov["published_on_rejected"] = f"unparseable {origin} date {given!r}"
    url = doc.meta.get("url") or page.url or page_url(raw_lines)
    vouched = vouched_years(raw_lines) | ({found.value.year} if (found := dl.url_date(url)) else set())
    best = _trusted_date(page, raw_lines, dateline, art.body, prov, url, vouched)
    if dateline and dateline.ambiguous:
        prov["published_on_unresolved"] = "the dateline's numeric date reads both day-first and month-first"
    if best is None and (named := dl.name_date(art.source_path)) and named.precision == "day":
        best = named, "file-name"
    if dateline and dateline.month_day and (best is None or best[0].precision != "day"):
        coarse = best or _year_evidence(url, raw_lines, art.wire_service, art.source_path)
        best = _dateline_day(dateline, coarse, prov)
    elif best is None and (year := _year_evidence(url, raw_lines, art.wire_service, art.source_path)):
        if year[1] == "copyright":  # a notice's year may be a later reprint's: not the story's date
            prov["published_on_unresolved"] = f"only a year ({year[0].value.year}, {year[1]}) dates the article"
        else:  # the URL's or the file name's year: so that "last year" or "in July" still resolve
            best = year
    if best:
        art.published_on, art.date_precision = best[0].value, best[0].precision
        prov["published_on"] = best[1]


def _segments(line: str) -> list[str]:
    """Dates printed beside a byline or site name in one header line: "By Jane Roe | March 27, 2014
    at 11:42 AM", "By Jane Roe Jun 3, 2014 4:15 PM ET", "English.news.cn 2012-11-05 09:48:12"."""
    parts = [p.strip() for p in line.split("|")]
    out = [p for p in parts if p != line] if len(parts) > 1 else []
    found = dl.parse_date(line)
    if found is not None:
        lead = line[: line.index(found.text)].strip(" |-–—,")
        if lead and (_BYLINE.match(lead) or site_name(lead) or _PLACE.fullmatch(lead)):
            out.append(line[line.index(found.text) :])
    return out


def _year_evidence(
    url: str | None, raw_lines: list[str], wire_service: str | None, source_path: str | None = None
) -> tuple[dl.FoundDate, str] | None:
    """A year-precision date from the URL, else from the wire agency's own copyright notice, else
    from the file's name (an archive's "..._2009.txt")."""
    if (found := dl.url_date(url)) is not None:
        return dl.FoundDate(dt.date(found.value.year, 1, 1), "year", found.text), "url"
    pubs = load_publishers()
    for holder, year in dl.copyright_notices(raw_lines):
        pub = pubs.lookup(holder)
        if pub is not None and pub.wire and (wire_service is None or pub.name == wire_service):
            return dl.FoundDate(dt.date(year, 1, 1), "year", holder), "copyright"
    if (found := dl.name_date(source_path)) is not None:
        return dl.FoundDate(dt.date(found.value.year, 1, 1), "year", found.text), "file-name"
    return None


def _trusted_date(
    page: HtmlMeta,
    raw_lines: list[str],
    dateline: dl.Dateline | None,
    body: str,
    prov: dict[str, str],
    url: str | None = None,
    vouched: frozenset[int] = frozenset(),
) -> tuple[dl.FoundDate, str] | None:
    if page.date and (found := dl.parse_meta_date(page.date)):
        return found, "html-meta"
    header = [line for line in raw_lines if line and not is_furniture(line)]
    first_prose = next((i for i, line in enumerate(header) if is_prose(line)), len(header))
    segments = [seg for line in header[:first_prose] for seg in _segments(line)]
    stamps = [s for line in raw_lines + segments if (s := dl.labelled_stamp(line))]
    if stamps:
        label, found = min(stamps, key=lambda s: _LABEL_RANK.get(s[0], 3))
        return found, f"stamp:{label}"
    if dateline and dateline.month_day and dateline.year:
        month, day = dateline.month_day
        return dl.FoundDate(dt.date(dateline.year, month, day), "day", "dateline"), "dateline"
    if (found := dl.url_date(url)) is not None and found.precision == "day":
        return found, "url-date"
    for line in header[:first_prose] + segments:
        if found := dl.standalone_date(line):
            # a date printed beside the byline or site name is the story's stamp, never a capture date
            reason = None if line in segments else dl.capture_date_reason(found, body.replace(line, ""), vouched)
            if reason is None:
                return found, "stamp" if dl.has_time(line) else "date-line"
            prov["published_on_rejected"] = reason
    return None


def _dateline_day(
    dateline: dl.Dateline, best: tuple[dl.FoundDate, str] | None, prov: dict[str, str]
) -> tuple[dl.FoundDate, str] | None:
    """A day-precision date from the dateline's month/day and the year of a coarser trusted date:
    the same year for year-precision evidence, else the year within one of it that lands closest."""
    month, day = dateline.month_day or (1, 1)
    if best is None:
        prov["published_on_unresolved"] = f"dateline gives {month:02d}-{day:02d} but no year was found"
        return None
    base = best[0].value
    years = [base.year] if best[0].precision == "year" else [base.year - 1, base.year, base.year + 1]
    options = [d for y in years if (d := _safe_date(y, month, day))]
    if best[0].precision == "month":
        options = [d for d in options if d.month == base.month and d.year == base.year]
    if not options:
        return best if best[0].precision != "year" else None
    chosen = min(options, key=lambda d: abs((d - base).days))
    prov.pop("published_on_unresolved", None)
    return dl.FoundDate(chosen, "day", "dateline"), f"dateline+{best[1]}-year"


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
