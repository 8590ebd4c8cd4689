"""Where the quoted passages of a text are: spans between quotation marks.

Double quotes: straight ("), curly (“ ”) or « », within one paragraph. A curly opening mark may close with a
straight one and the reverse (“...", "...”: mixed marks are common in copied text); « closes only with ».
A paragraph ending inside an open quote continues when the next non-blank paragraph opens a quote (news
style); when it does not, the open quote runs to the paragraph end if it opened the paragraph (a missing
closing mark). A curly single opening mark closed by a double one (‘...”) is a double quote with a typo.
Articles without any double-quoted passage may quote British style, between single marks (' ' or ‘ ’, as
Jane's does): an opening mark follows a space, bracket or dash and precedes a letter; a closing mark follows
sentence punctuation, or a letter other than "s" (so "helicopters' avionics" stays a possessive), and
precedes a space, punctuation or the paragraph end.
The span is the quoted text itself (marks and a trailing comma excluded), exact into the body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from etl.transform.regex_prefilter import compile_scanner

OPENING_MARKS = ("“", "«", '"')
_CLOSERS = {"“": ("”", '"'), '"': ('"', "”"), "«": ("»",), "‘": ("”",)}
_MARK = compile_scanner('[“”"«»‘]')
_SINGLE_OPEN = compile_scanner(r"(?:^|(?<=[\s(\[—–-]))['‘](?=[^\W\d_])")
_SINGLE_CLOSE = compile_scanner(r"(?:(?<=[.,!?])|(?<=[^\Ws_]))['’](?=[\s,.;:!?)—–-]|$)")


@dataclass(slots=True)
class Quote:
    """A quoted passage: [start, end) is its text; ``open``/``close`` bound it with its marks."""

    open: int  # index of the opening mark
    start: int
    end: int
    close: int  # index just after the closing mark (== end when unclosed)
    paragraph: int  # index of its line in body.split("\n")
    continues: bool = False  # it continues the quote left open at the end of an earlier paragraph
    carries: bool = False  # it is left open at its paragraph's end and continues in the next quote


def find_quotes(body: str) -> list[Quote]:
    """The quoted passages of ``body`` in text order (double quotes, else British single quotes)."""
    quotes = _find_double_quotes(body)
    return quotes if quotes else _find_single_quotes(body)


def _find_single_quotes(body: str) -> list[Quote]:
    out: list[Quote] = []
    offset = 0
    for n, para in enumerate(body.split("\n")):
        pos = 0
        while (m := _SINGLE_OPEN.search(para, pos)) is not None:
            close = _SINGLE_CLOSE.search(para, m.end())
            if close is None:
                break
            out.append(_trimmed(body, offset + m.start(), offset + close.start(), offset + close.end(), n))
            pos = close.end()
        offset += len(para) + 1
    return [q for q in out if q.end > q.start]


def _find_double_quotes(body: str) -> list[Quote]:
    out: list[Quote] = []
    offset, carry = 0, False
    paragraphs = body.split("\n")
    for n, para in enumerate(paragraphs):
        open_at: int | None = None
        closers: tuple[str, ...] = ()
        for mark in _MARK.finditer(para):
            i, c = mark.start(), mark.group()
            if open_at is None and ((c in _CLOSERS and c != "‘") or (c == "‘" and _typo_opening(para, i))):
                open_at, closers = i, _CLOSERS[c]
            elif open_at is not None and c in closers:
                q = _trimmed(body, offset + open_at, offset + i, offset + i + 1, n)
                q.continues, carry = carry, False
                out.append(q)
                open_at = None
        if open_at is not None:
            end = offset + len(para)
            q = _trimmed(body, offset + open_at, end, end, n)
            q.continues = carry
            carry = False
            if _next_text(paragraphs, n)[:1] in OPENING_MARKS:  # a quote running on into the next paragraph
                q.carries, carry = True, True
                out.append(q)
            elif not para[:open_at].strip():  # the paragraph is one quote whose closing mark is missing
                out.append(q)
        elif para.strip():
            carry = False
        offset += len(para) + 1
    return [q for q in out if q.end > q.start]


def _typo_opening(para: str, i: int) -> bool:
    """‘ at a word start whose passage closes with ” (no other mark in between): a mistyped “."""
    if i and not para[i - 1].isspace():
        return False
    close = para.find("”", i)
    return close > 0 and not any(c in "“‘\"«" for c in para[i + 1 : close]) and not re.search(
        r"’(?=[\s,.;:!?])", para[i + 1 : close]
    )


def _next_text(paragraphs: list[str], n: int) -> str:
    """The next non-blank paragraph after ``n``, left-stripped ("" when none)."""
    for para in paragraphs[n + 1 :]:
        if para.strip():
            return para.lstrip()
    return ""


def _trimmed(body: str, open_at: int, end: int, close: int, paragraph: int) -> Quote:
    start = open_at + 1
    while start < end and body[start].isspace():
        start += 1
    while end > start and (body[end - 1].isspace() or body[end - 1] == ","):
        end -= 1
    return Quote(open_at, start, end, close, paragraph)
