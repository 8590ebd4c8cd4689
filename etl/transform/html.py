"""HTML pages to text and page metadata, via trafilatura (stdlib fallback for the text)."""

from __future__ import annotations

import html as html_lib
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser

import trafilatura
from trafilatura.metadata import extract_metadata

from etl.records import RawDocument
from etl.transform.regex_prefilter import compile_scanner

_DATE_CONFIG = {"extensive_search": False, "original_date": True}
_SKIP = {"script", "style", "noscript", "nav", "header", "footer", "aside", "form", "template"}
_TITLE_TAG = compile_scanner(r"<title[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)
_BLOCK = {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "section", "article", "title"}

logging.getLogger("trafilatura").setLevel(logging.ERROR)
logging.getLogger("htmldate").setLevel(logging.ERROR)


@dataclass(frozen=True, slots=True)
class HtmlMeta:
    """Metadata declared by a page (``<title>``, ``og:*``, ``article:published_time``, ...)."""

    title: str | None = None
    author: str | None = None
    date: str | None = None
    sitename: str | None = None
    url: str | None = None
    page_title: str | None = None  # the raw <title>, often "Headline | Site Name"


@lru_cache(maxsize=64)
def html_metadata(html: str) -> HtmlMeta:
    """The page's declared metadata; empty when trafilatura finds none or fails."""
    m = _TITLE_TAG.search(html)
    page_title = " ".join(html_lib.unescape(m.group(1)).split()) or None if m else None
    try:
        doc = extract_metadata(html, date_config=_DATE_CONFIG)
    except Exception:  # trafilatura raises assorted errors on broken markup
        return HtmlMeta(title=page_title, page_title=page_title)
    return HtmlMeta(doc.title, doc.author, doc.date, doc.sitename, doc.url, page_title)


@lru_cache(maxsize=64)
def html_to_text(html: str) -> str:
    """The main text of a page, with its title as the first line when missing from the text."""
    try:
        text = trafilatura.extract(html, include_comments=False, include_tables=False) or ""
    except Exception:
        text = ""
    text = text or _strip_tags(html)
    title = html_metadata(html).title
    first = text.lstrip().split("\n", 1)[0].strip()
    if title and first.casefold() != title.strip().casefold():
        text = f"{title.strip()}\n\n{text}"
    return text


def source_text(doc: RawDocument) -> str:
    """The raw text of a document: its text, or the text of its HTML."""
    if doc.text is not None:
        return doc.text
    return html_to_text(doc.html) if doc.html else ""


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skipping += 1
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP and self.skipping:
            self.skipping -= 1
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def _strip_tags(html: str) -> str:
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)
