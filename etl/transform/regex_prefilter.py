"""Which character can a regex's match start with: a pattern compiled with that set as a
lookahead, so the engine skips at once the positions where no match can start.

Python's ``re`` skips ahead on its own only when a pattern starts with a literal or a class
without IGNORECASE. The extraction rules mostly start with ``\\b`` and are case-insensitive, so
the engine tried the whole pattern at every position of the body: about 40% of extraction's CPU
was in the regex engine (a native profile of the transform). ``(?=[acd])(?:\\b(?:contract|deal
|...))`` finds exactly the same matches and skips the other positions with one class test: 1.9x
on the rules' whole-body scans (measured on generated and development-set articles). The
``regex`` package was measured too: 1.5x on one rule, so it is not used for this.

The set is derived from the parsed pattern and only where that is certain (literals, classes,
groups, alternations, repeats, zero-width assertions); any other construct keeps the pattern as
it is, so the prefilter never drops a match.

The lookahead still makes the engine stop at every position to test it. :func:`_with_header`
also writes the set, case-folded, into the compiled pattern's header, where ``re`` writes the
first characters of a pattern that opens with a class. The engine's search loop then steps over
the other positions itself, without entering the pattern (docs/benchmarks.md, fifteenth round).
Only the header changes, so the matches are the same; a surprise in ``re``'s private compiler
leaves the pattern with its lookahead alone.
"""

from __future__ import annotations

import _sre
import re
from functools import lru_cache

# the parser, compiler and opcodes are private to ``re`` (3.11+); any surprise there leaves the
# pattern as it is (see compile_scanner and _with_header)
from re import _compiler as K
from re import _constants as C
from re import _parser as P

_ZERO_WIDTH_AT = {C.AT_BOUNDARY, C.AT_NON_BOUNDARY, C.AT_BEGINNING, C.AT_BEGINNING_STRING}
_CATEGORIES = {
    C.CATEGORY_DIGIT: r"\d",
    C.CATEGORY_NOT_DIGIT: r"\D",
    C.CATEGORY_WORD: r"\w",
    C.CATEGORY_NOT_WORD: r"\W",
    C.CATEGORY_SPACE: r"\s",
    C.CATEGORY_NOT_SPACE: r"\S",
}
_ANY_CASE = "(?i)"  # a member of _first's set: the class must be case-insensitive
# flags under which a class in the lookahead means what the pattern's first item means
_SAFE_FLAGS = re.IGNORECASE | re.UNICODE | re.MULTILINE | re.DOTALL | re.ASCII
# global inline flags ("(?i)", "(?ms)") must open a pattern: the lookahead goes after them
_LEADING_FLAGS = re.compile(r"(?:\(\?[aimsu]+\))*")


def _class_items(items: list) -> list[str] | None:
    """The members of a class (``[...]``) as class text, or None when it is negated or unknown."""
    out = []
    for op, av in items:
        if op is C.LITERAL:
            out.append(re.escape(chr(av)))
        elif op is C.RANGE:
            out.append(f"{re.escape(chr(av[0]))}-{re.escape(chr(av[1]))}")
        elif op is C.CATEGORY and av in _CATEGORIES:
            out.append(_CATEGORIES[av])
        else:
            return None
    return out


def _first(items: list) -> set[str] | None:
    """Class members one of which every match of the sequence ``items`` starts with; None when
    unknown, or when the sequence can match the empty string."""
    out: set[str] = set()
    for op, av in items:
        if (op is C.AT and av in _ZERO_WIDTH_AT) or op in (C.ASSERT, C.ASSERT_NOT):
            continue  # consumes nothing: the next item gives the first character
        if op is C.LITERAL:
            return out | {re.escape(chr(av))}
        if op is C.IN:
            members = _class_items(av)
            return None if members is None else out | set(members)
        if op is C.SUBPATTERN:
            _group, add_flags, del_flags, sub = av
            if (add_flags | del_flags) & ~re.IGNORECASE:
                return None
            inner = _first(sub.data)
            if inner is None:
                return None
            # "(?i:early|mid)": the lookahead's class is made case-insensitive (a superset is safe);
            # "(?-i:[A-Z])" inside a case-insensitive pattern needs nothing (the class is wider)
            out |= inner | ({_ANY_CASE} if add_flags else set())
            if sub.getwidth()[0]:
                return out
            continue
        if op is C.BRANCH:
            for alt in av[1]:
                inner = _first(alt.data)
                if inner is None:
                    return None
                out |= inner
            return out
        if op in (C.MAX_REPEAT, C.MIN_REPEAT):
            low, _high, sub = av
            inner = _first(sub.data)
            if inner is None:
                return None
            out |= inner
            if low:
                return out
            continue
        return None
    return None  # every item can be empty: so can a match


def _engine_skips(items: list, flags: int) -> bool:
    """Whether ``re`` skips ahead by itself, as sre_compile's literal and charset prefixes do: the
    pattern opens with a literal, a class or an alternation of literals, none of them cased when
    the pattern is case-insensitive."""
    while items and items[0][0] is C.SUBPATTERN and not (items[0][1][1] or items[0][1][2]):
        items = items[0][1][3].data
    if not items:
        return False
    if items[0] == (C.AT, C.AT_BEGINNING_STRING) or (items[0] == (C.AT, C.AT_BEGINNING) and not flags & re.M):
        return True  # matches only where the search starts: nothing to skip

    def plain(code: int) -> bool:
        return not flags & re.IGNORECASE or chr(code).lower() == chr(code).upper()

    op, av = items[0]
    if op is C.LITERAL:
        return plain(av)
    if op is C.IN:
        return all(
            o is C.CATEGORY
            or (o is C.LITERAL and plain(a))
            or (o is C.RANGE and all(map(plain, range(a[0], a[1] + 1))))
            for o, a in av
        )
    if op is C.BRANCH:
        return all(alt.data and alt.data[0][0] is C.LITERAL and plain(alt.data[0][1]) for alt in av[1])
    return False


@lru_cache(maxsize=2048)  # bounded: a few rules build a pattern from an article's words
def compile_scanner(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, with a lookahead on the match's first character where
    ``re`` does not skip ahead by itself and the first characters are certain."""
    # parsed once to choose; the chosen pattern is compiled once (compiling the plain one first
    # as well cost start-up time for nothing)
    try:
        parsed = P.parse(pattern, flags)
        all_flags = parsed.state.flags  # with the pattern's own inline flags, as re.compile keeps them
        if all_flags & ~_SAFE_FLAGS or _engine_skips(parsed.data, all_flags):
            # VERBOSE (a trailing comment would swallow the closing parenthesis), LOCALE
            return re.compile(pattern, flags)
        first = _first(parsed.data) or set()
    except Exception:  # an invalid pattern (re.compile says why), or a parser this code does not know
        return re.compile(pattern, flags)
    members = "".join(sorted(first - {_ANY_CASE}))
    if not members:
        return re.compile(pattern, flags)
    lookahead = f"(?=(?i:[{members}]))" if _ANY_CASE in first else f"(?=[{members}])"
    # global flags apply to the whole pattern, the lookahead included, wherever they are written
    lead = _LEADING_FLAGS.match(pattern).end()
    wrapped = f"{pattern[:lead]}{lookahead}(?:{pattern[lead:]})"
    if _headers_work() and (fast := _with_header(wrapped, int(flags), members, _ANY_CASE in first)) is not None:
        return fast
    try:
        return re.compile(wrapped, flags)
    except re.error:  # a construct the wrapper breaks: the pattern as it is
        return re.compile(pattern, flags)


@lru_cache(maxsize=1)
def _bmp() -> str:
    """Every code point of the Basic Multilingual Plane, in order."""
    return "".join(map(chr, range(0x10000)))


@lru_cache(maxsize=512)
def _header_class(members: str, flags: int) -> str:
    """Class text, without case folding, of every BMP code point that ``[members]`` matches under
    ``flags`` (as ``re`` itself finds them, so its case folding is followed exactly: the Kelvin
    sign, the long s, dotted and dotless i), in ranges; and every code point past the BMP (rare in
    text, so listing them all costs nothing and is sure)."""
    kept = re.sub(f"[^{members}]+", "", _bmp(), flags=flags)  # the members, in code point order
    runs: list[list[int]] = []
    for code in map(ord, kept):
        if runs and code == runs[-1][1] + 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    text = "".join(re.escape(chr(a)) + (f"-{re.escape(chr(b))}" if b > a else "") for a, b in runs)
    return text + "\\U00010000-\\U0010ffff"


@lru_cache(maxsize=1)
def _headers_work() -> bool:
    """Whether a header written by :func:`_with_header` finds what ``re`` finds, on a probe (once per
    process): ``re``'s private compiler may change between versions."""
    pattern, text = r"(?=[ds])(?:\b(?:deals?|sold)\b)", "Ideal DEALS: a deal sold, ſold; deal"
    probe = _with_header(pattern, re.IGNORECASE, "ds", False)
    plain = re.compile(pattern, re.IGNORECASE)
    return probe is not None and [m.span() for m in probe.finditer(text)] == [m.span() for m in plain.finditer(text)]


def _with_header(wrapped: str, flags: int, members: str, own_case: bool) -> re.Pattern[str] | None:
    """``re.compile(wrapped, flags)`` (a pattern whose match starts with one of the class
    ``[members]``, read under the pattern's flags, and case-insensitively also when ``own_case``:
    the lookahead's own ``(?i:)``), with those characters in the compiled
    header: the engine's search then tests only the positions that hold one. None when ``re``'s
    compiler does not give what this expects (or the pattern is invalid)."""
    try:
        parsed = P.parse(wrapped, flags)
        flags |= parsed.state.flags  # with the pattern's inline flags, as re.compile keeps them
        code = K._code(parsed, flags)
        # the lookahead's class as the pattern reads it: the global flags, and its own (?i:)
        reads = flags & (re.ASCII | re.UNICODE | re.IGNORECASE) | (re.IGNORECASE if own_case else 0)
        plain = flags & ~re.IGNORECASE  # the header's class is tested on the text as it is
        head = K._code(P.parse(f"[{_header_class(members, reads)}]", plain), plain)
        if code[0] != C.INFO or code[2] or not code[3] or head[0] != C.INFO or head[2] != C.SRE_INFO_CHARSET:
            return None  # a header of its own already, a pattern that can match nothing, or a surprise
        header = head[: 1 + head[1]]
        header[3:5] = code[3:5]  # the pattern's own shortest and longest match
        state = parsed.state
        names: list[str | None] = [None] * state.groups
        for name, index in state.groupdict.items():
            names[index] = name
        body = code[1 + code[1] :]
        return _sre.compile(wrapped, flags, header + body, state.groups - 1, state.groupdict, tuple(names))
    except Exception:  # private API (or an invalid pattern, which re.compile reports): no header
        return None
