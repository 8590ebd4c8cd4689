"""Text normalisation and site-furniture removal. ``clean_text`` is the single source of an
article's stored body: every character offset points into its output.

Rules (patterns live in ``data/reference/furniture.yaml``):

1. NFC; CR/CRLF/U+2028/U+2029 -> LF; odd spaces -> " "; zero-width characters, soft hyphens and
   control characters removed; runs of spaces collapsed; lines stripped; trailing item separators
   ("Oct. 7, 2012 - 01:46PM |") removed.
2. Anywhere: furniture lines and patterns, and navigation rows (3+ short items separated by "|",
   "•", ..., or 2+ items that are each furniture).
3. End markers ("Latest Headlines", "More In World News", ...) are dropped and, once at least half
   of the prose precedes one, everything after it is dropped too.
4. Header (lines before the first prose paragraph): lines naming a publisher's site (its name, its
   bare domain "DefenseWorld.net", or its name and tagline "IHS Jane's: Defense & Security ..."),
   short nav lines (<= 4 words) before the headline, repeats of the headline, page-title lines that
   are the headline plus the site ("Headline | Reuters", "Site - Headline") when the headline has a
   line of its own, and unlabelled date lines that are capture dates (see
   ``datelines.capture_date_reason``; a year vouched for by a wire agency's copyright notice or the
   URL's date is never a capture date).
5. Trailer (after the last prose paragraph): lines that do not end a sentence, except reporting
   credits; site-name lines.
6. Runs of blank lines collapse to one; leading/trailing blank lines go.
"""

from __future__ import annotations

import re
import unicodedata

from etl.reference.furniture import FurnitureRules, load_furniture
from etl.reference.publishers import load_publishers
from etl.transform import datelines as dl
from etl.transform.regex_prefilter import compile_scanner
from etl.transform.textlines import ends_sentence, is_headline_like, is_prose, strip_bullets, words

_SPACES = compile_scanner(r"[\t\v\f\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_REMOVE = compile_scanner(r"[\u00ad\u200b-\u200d\u2060\ufeff\x00-\x08\x0e-\x1f\x7f]")
_CREDIT = compile_scanner(r"^\(?\s*(?:Additional )?(?:Reporting|Writing|Editing|Compiled) by\b", re.IGNORECASE)
_BYLINE = compile_scanner(r"^By\s+\S", re.IGNORECASE)


def normalize(raw: str) -> str:
    """Unicode NFC, LF line endings, plain spaces, no zero-width or control characters."""
    text = unicodedata.normalize("NFC", raw)
    text = re.sub(r"\r\n?|[\u2028\u2029\x85]", "\n", text)
    return _REMOVE.sub("", _SPACES.sub(" ", text))


def clean_text(raw: str) -> str:
    """The article body without site furniture: title, byline, dateline and paragraphs kept."""
    rules = load_furniture()
    seps = _separators(rules)
    raw_lines = split_lines(raw)
    lines = [line for line in raw_lines if not (line and _is_furniture(line, rules, seps))]
    lines = _cut_at_end_marker(lines, rules)
    prose = [i for i, line in enumerate(lines) if is_prose(line)]
    if prose:
        body_years = "\n".join(lines[prose[0] :])
        lines = (
            _clean_header(lines[: prose[0]], body_years, vouched_years(raw_lines))
            + lines[prose[0] : prose[-1] + 1]
            + [line for line in lines[prose[-1] + 1 :] if _keep_trailer(line)]
        )
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def split_lines(raw: str) -> list[str]:
    """Normalised lines with collapsed spaces and trailing item separators removed."""
    seps = "".join(load_furniture().nav_separators)
    lines = (" ".join(line.split()) for line in normalize(raw).split("\n"))
    return [strip_trailing_separators(line, seps) for line in lines]


def strip_trailing_separators(line: str, seps: str) -> str:
    r"""A line (spaces collapsed, none at either end) less its trailing run of separators and
    spaces, when it ends in one of ``seps``: what ``re.sub(r"(?:\s*[seps])+$", "", line).strip()``
    gives, without a regex search of every line (measured: most of the time ``split_lines`` took)."""
    if line and line[-1] in seps:
        return line.rstrip(seps + " ")  # the only whitespace left in the line is single spaces
    return line


def _separators(rules: FurnitureRules) -> str:
    return "".join(re.escape(s) for s in rules.nav_separators)


def is_furniture(line: str) -> bool:
    """True when a single line is site furniture wherever it occurs (rule 2)."""
    rules = load_furniture()
    return _is_furniture(line, rules, _separators(rules)) or rules.is_end_marker(strip_bullets(line))


def _is_furniture(line: str, rules: FurnitureRules, seps: str) -> bool:
    key = strip_bullets(line)
    if not key or rules.is_drop(key):
        return True
    items = [i.strip() for i in re.split(f"[{seps}]", line)] if seps else [line]
    items = [i for i in items if i]
    if len(items) >= 2 and all(rules.is_drop(i) for i in items):
        return True
    return len(items) >= rules.nav_row_min_items and all(
        len(words(i)) <= rules.nav_item_max_words and not ends_sentence(i) for i in items
    )


def _cut_at_end_marker(lines: list[str], rules: FurnitureRules) -> list[str]:
    total = sum(len(line) for line in lines if is_prose(line)) or 1
    seen = 0
    kept: list[str] = []
    for i, line in enumerate(lines):
        if line and rules.is_end_marker(strip_bullets(line)):
            if seen / total >= rules.end_marker_min_prose:
                return kept
            continue
        seen += len(line) if is_prose(line) else 0
        kept.append(lines[i])
    return kept


_SITE_SEPARATORS = compile_scanner(r"\s+(?:\||-|–|—|::|»|·)\s+")
_DOMAIN_LINE = compile_scanner(
    r"(?:https?://)?(?:www\.)?(?P<host>[A-Za-z0-9][A-Za-z0-9-]*(?:\.[A-Za-z0-9-]+)*"
    r"\.(?:com|net|org|info|gov|mil|edu|news|tv|co|[a-z]{2})(?:\.[a-z]{2})?)/?"
)
_URL_LINE = compile_scanner(
    r"(?:(?:source|url|original url|link|permalink|read more|more at|see more at)\s*:\s*)?"
    r"(?P<url>https?://\S+)",
    re.IGNORECASE,
)


def site_name(line: str) -> str | None:
    """The publisher a short site line names, canonical when known: "Reuters News" -> "Reuters",
    "MiamiHerald.com" -> "Miami Herald", "Example.com" -> "Example.com", "IHS Jane's: Defense &
    Security Intelligence & Analysis" -> "Janes" (a known site's name before its tagline)."""
    pubs = load_publishers()
    text = " ".join(line.split())
    if len(words(text)) <= 8 and (pub := pubs.site_hint(text) or pubs.lookup(text)):
        return pub.name
    if m := _DOMAIN_LINE.fullmatch(text):
        pub = pubs.by_url("http://" + m["host"]) or pubs.lookup(m["host"])
        return pub.name if pub else m["host"]
    head, sep, _tagline = text.partition(": ")
    if sep and len(words(text)) <= 12 and (pub := pubs.site_hint(head) or pubs.lookup(head)):
        return pub.name
    return None


def is_site_line(line: str) -> bool:
    """A short line naming a publisher's site ("Reuters News", "Defensenews TV", "DefenseWorld.net")."""
    return site_name(line) is not None


def site_title(line: str, headlines: list[str] | tuple[str, ...] = ()) -> tuple[str, str] | None:
    """(headline, site) of a page title made of a headline and a site name joined by " | ", " - ",
    " – ", " — ", "::" or "»": "Colombia receives two C-295 aircraft | Defense Daily". The site side
    (last or first part) must be a known publisher, a bare domain, or - when the other side is one of
    ``headlines`` - a name of at most 6 words. The site is returned canonical when known."""
    parts = _SITE_SEPARATORS.split(" ".join(line.split()))
    if len(parts) < 2:
        return None
    known = {h.casefold().strip() for h in headlines if h}
    for site, sep_at in ((parts[-1], -1), (parts[0], 0)):
        head = _rejoin(line, sep_at)
        if not head or len(words(head)) < 2:
            continue
        if (name := site_name(site)) is not None:
            return head, name
        if head.casefold() in known and len(words(site)) <= 6 and not site.endswith("."):
            return head, site
    return None


def _rejoin(line: str, sep_at: int) -> str:
    """The original text of ``line`` without its first or last separator-delimited part."""
    text = " ".join(line.split())
    if sep_at == -1:
        cut = list(_SITE_SEPARATORS.finditer(text))[-1]
        return text[: cut.start()].strip()
    cut = _SITE_SEPARATORS.search(text)
    return text[cut.end() :].strip() if cut else ""


def page_url(lines: list[str]) -> str | None:
    """The article URL a page copy prints on a line of its own ("Source: http://...", Miami Herald's
    "Read more: http://..."), without its #fragment."""
    for line in lines:
        if m := _URL_LINE.fullmatch(line.strip()):
            return m["url"].split("#", 1)[0]
    return None


def vouched_years(raw_lines: list[str]) -> frozenset[int]:
    """Years that article-level evidence gives: a wire agency's own copyright notice on its story
    ("Copyright 2009 The Associated Press", "© Thomson Reuters 2013") and the date in a printed
    article URL. Site footers ("© 2015 Some Site") are page-level (often the capture year) and do
    not count."""
    pubs = load_publishers()
    years = {
        year
        for holder, year in dl.copyright_notices(raw_lines)
        if (pub := pubs.lookup(holder)) is not None and pub.wire
    }
    if (found := dl.url_date(page_url(raw_lines))) is not None:
        years.add(found.value.year)
    return frozenset(years)


def is_dateish(line: str) -> bool:
    """A line holding only a date, or a labelled stamp ("Posted: Oct 06, 2012")."""
    return bool(dl.standalone_date(line) or dl.labelled_stamp(line))


def _clean_header(header: list[str], body: str, vouched: frozenset[int] = frozenset()) -> list[str]:
    page_titles = {i for i, line in enumerate(header) if line and _is_page_title(line, header)}
    head = next(
        (i for i, line in enumerate(header) if i not in page_titles and is_title_candidate(line)),
        None,
    )
    out: list[str] = []
    for i, line in enumerate(header):
        if line and (
            i in page_titles
            or is_site_line(line)
            or (head is not None and i < head and len(words(line)) <= 4 and not is_dateish(line))
            or (head is not None and i > head and line.casefold() == header[head].casefold())
            or _is_capture_line(line, body, vouched)
        ):
            continue
        out.append(line)
    return out


def is_title_candidate(line: str) -> bool:
    """A headline-like line that is not a date, stamp, byline, site name or dateline."""
    return (
        is_headline_like(line)
        and not is_dateish(line)
        and not _BYLINE.match(line)
        and not is_site_line(line)
        and dl.parse_dateline(line) is None
    )


def _is_page_title(line: str, header: list[str]) -> bool:
    """ "Headline | Site" when the headline also stands on a line of its own."""
    others = [other for other in header if other and other != line]
    split = site_title(line, others)
    return split is not None and split[0].casefold() in {o.casefold() for o in others}


def _is_capture_line(line: str, body: str, vouched: frozenset[int] = frozenset()) -> bool:
    found = dl.standalone_date(line)
    return found is not None and dl.capture_date_reason(found, body, vouched) is not None


def _keep_trailer(line: str) -> bool:
    return not line or ((ends_sentence(line) or bool(_CREDIT.match(line))) and not is_site_line(line))
