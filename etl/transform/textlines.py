"""Line-shape predicates shared by cleaning and metadata inference."""

from __future__ import annotations

from etl.transform.regex_prefilter import compile_scanner

_CLOSERS = "\"'”’»)]*"
_BULLETS = "•·◦▪‣*-–—>» "
_ABBREV_END = compile_scanner(r"(?:\b[A-Z]\.){2,}$")


def words(line: str) -> list[str]:
    """Whitespace-separated tokens of a line."""
    return line.split()


def strip_bullets(line: str) -> str:
    """The line without leading bullet characters."""
    return line.lstrip(_BULLETS).strip()


def ends_sentence(line: str) -> bool:
    """True when the line ends with sentence punctuation (before closing quotes/brackets)."""
    core = line.rstrip().rstrip(_CLOSERS)
    return bool(core) and core[-1] in ".!?…" and not _ABBREV_END.search(core)


def is_prose(line: str) -> bool:
    """A body paragraph: a sentence of at least 8 words, or any line of 20+ words."""
    n = len(words(line))
    return n >= 20 or (n >= 8 and ends_sentence(line))


def is_headline_like(line: str) -> bool:
    """3-25 words and 8+ letters, starting with a letter, digit or quote, not ending like a
    sentence or with , : ;"""
    n = len(words(line))
    if not 3 <= n <= 25 or ends_sentence(line) or line.endswith((":", ",", ";")):
        return False
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 8 and (line[0].isalnum() or line[0] in "\"“‘'")
