"""Infer an article's metadata from its text; manifest/JSON-line values always win.

``CleanArticle.provenance`` records how each value was found: ``manifest``/``jsonl`` (given),
``html-meta`` (page metadata), ``first-line`` (title), ``byline-line``/``reporting-credit``
(byline), ``site-name``/``url-domain``/``wire-credit``/``signature`` (publisher, wire_service),
``dateline`` (place, date), ``stamp:<Label>``, ``stamp``, ``date-line`` or
``dateline+<source>-year`` (published_on). Rejected or unresolved dates are explained under
``published_on_rejected`` / ``published_on_unresolved``. The dateline place is kept as printed
("LIMA", "LIMA, Peru").
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
from etl.transform.clean import clean_text, is_furniture, is_site_line, is_title_candidate, split_lines
from etl.transform.html import HtmlMeta, html_metadata, source_text
from etl.transform.textlines import is_prose, words

_BYLINE = re.compile(r"^By:?\s+(?P<names>[A-Z][^|]{1,100})$", re.IGNORECASE)
_CREDIT = re.compile(r"(?:^|\()\s*(?:Additional )?Reporting by (?P<names>[^;()\n]{3,120})", re.I | re.M)
_NAME = re.compile(r"[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|de|da|del|van|von|al|bin|la|le)){1,4}")
_ROLE = re.compile(
    r"\b(?:staff|writer|correspondent|reporter|editor|special to|news|agency|times|post)\b", re.IGNORECASE
)
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
    found: dict[str, tuple[str | None, str]] = {
        "title": _title(page, lines[:first_prose]),
        "byline": _byline(page, lines[: first_prose + 1], "\n".join(raw_lines)),
        "url": (page.url, "html-meta"),
        "dateline_place": (dateline.place if dateline else None, "dateline"),
    }
    found.update(_publisher(doc, page, raw_lines, dateline))
    for name, (value, how) in found.items():
        given = doc.meta.get(name)
        if given:
            value, how = given, doc.meta_origin.get(name, "manifest")
        if value:
            setattr(art, name, value)
            prov[name] = how
    _set_date(art, doc, page, raw_lines, dateline, prov)
    art.provenance = prov
    return art


def _title(page: HtmlMeta, header: list[str]) -> tuple[str | None, str]:
    if page.title:
        return page.title.strip(), "html-meta"
    return next((line for line in header if is_title_candidate(line)), None), "first-line"


def _byline(page: HtmlMeta, head: list[str], raw: str) -> tuple[str | None, str]:
    if page.author:
        return page.author.strip(), "html-meta"
    for line in head:
        if (m := _BYLINE.match(line)) and len(words(line)) <= 12 and (names := _names(m["names"])):
            return names, "byline-line"
    if (m := _CREDIT.search(raw)) and (names := _names(m["names"])):
        return names, "reporting-credit"
    return None, "byline-line"


def _names(text: str) -> str | None:
    """Person names from "David Alexander and Jane Roe in Lima, Reuters" -> "David Alexander and Jane Roe"."""
    parts = re.split(r"\s*(?:,|\band\b|&|\||—|--)\s*", text.strip())
    names = []
    for part in parts:
        part = re.sub(r"\s+in\s+.*$", "", part)
        if load_publishers().lookup(part) or _ROLE.search(part):
            continue
        if m := _NAME.fullmatch(part.title() if part.isupper() else part):
            names.append(m.group(0))
    return " and ".join(names) or None


def _publisher(
    doc: RawDocument, page: HtmlMeta, raw_lines: list[str], dateline: dl.Dateline | None
) -> dict[str, tuple[str | None, str]]:
    pubs = load_publishers()
    wire: tuple[Publisher | None, str] = (None, "")
    credit = dateline.credit if dateline else None
    if credit:
        known = [p for c in credit.split("/") if (p := pubs.lookup(c))]
        wire = (known[0] if known else Publisher(name=credit), "wire-credit")
    if not (wire[0] and wire[0].wire) and (sig := pubs.signature("\n".join(raw_lines))):
        wire = (sig, "signature")
    site_lines = [line for line in raw_lines if is_site_line(line)]
    hints = Counter(p.name for line in site_lines if (p := pubs.site_hint(line) or pubs.lookup(line)))
    candidates: list[tuple[str | None, str]] = [
        (_canonical(page.sitename), "html-meta"),
        (_pub_name(pubs.by_url(doc.meta.get("url") or page.url or "")), "url-domain"),
        (hints.most_common(1)[0][0] if hints else None, "site-name"),
        (wire[0].name if wire[0] else None, wire[1]),
    ]
    publisher = next(((v, how) for v, how in candidates if v), (None, "site-name"))
    is_wire = wire[0] is not None and wire[0].wire
    return {"publisher": publisher, "wire_service": (wire[0].name if is_wire else None, wire[1])}


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
    best = _trusted_date(page, raw_lines, dateline, art.body, prov)
    if dateline and dateline.month_day and (best is None or best[0].precision != "day"):
        best = _dateline_day(dateline, best, prov)
    if best:
        art.published_on, art.date_precision = best[0].value, best[0].precision
        prov["published_on"] = best[1]


def _trusted_date(
    page: HtmlMeta, raw_lines: list[str], dateline: dl.Dateline | None, body: str, prov: dict[str, str]
) -> tuple[dl.FoundDate, str] | None:
    if page.date and (found := dl.parse_meta_date(page.date)):
        return found, "html-meta"
    stamps = [s for line in raw_lines if (s := dl.labelled_stamp(line))]
    if stamps:
        label, found = min(stamps, key=lambda s: _LABEL_RANK.get(s[0], 3))
        return found, f"stamp:{label}"
    if dateline and dateline.month_day and dateline.year:
        month, day = dateline.month_day
        return dl.FoundDate(dt.date(dateline.year, month, day), "day", "dateline"), "dateline"
    header = [line for line in raw_lines if line and not is_furniture(line)]
    first_prose = next((i for i, line in enumerate(header) if is_prose(line)), len(header))
    for line in header[:first_prose]:
        if found := dl.standalone_date(line):
            reason = dl.capture_date_reason(found, body.replace(line, ""))
            if reason is None:
                return found, "stamp" if dl.has_time(line) else "date-line"
            prov["published_on_rejected"] = reason
    return None


def _dateline_day(
    dateline: dl.Dateline, best: tuple[dl.FoundDate, str] | None, prov: dict[str, str]
) -> tuple[dl.FoundDate, str] | None:
    """A day-precision date from the dateline's month/day and the year of a coarser trusted date."""
    month, day = dateline.month_day or (1, 1)
    if best is None:
        prov["published_on_unresolved"] = f"dateline gives {month:02d}-{day:02d} but no year was found"
        return None
    base = best[0].value
    years = [base.year - 1, base.year, base.year + 1]
    options = [d for y in years if (d := _safe_date(y, month, day))]
    if best[0].precision == "month":
        options = [d for d in options if d.month == base.month and d.year == base.year]
    if not options:
        return best
    chosen = min(options, key=lambda d: abs((d - base).days))
    return dl.FoundDate(chosen, "day", "dateline"), f"dateline+{best[1]}-year"


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
