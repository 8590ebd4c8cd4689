"""Links between amounts: restatements in another currency and continuations ("Of that amount, ...")."""

from __future__ import annotations

import re
from functools import lru_cache

from etl.records import MoneyRec, Span
from etl.transform.money._common import _alt
from etl.transform.money.currencies import _Cand
from etl.transform.money.kinds import _kinds
from etl.transform.regex_prefilter import compile_scanner

_RESTATE = compile_scanner(
    r"\s*(?:\(|,?\s*\bor\b|/|,\s*(?:the\s+)?equivalent\s+(?:of|to))\s*"
    r"(?:(?:about|around|roughly|approximately|some|nearly|almost|an\s+estimated|just\s+over|over|more\s+than)\s+)?$",
    re.I,
)


def restates(
    body: str, first: MoneyRec | _Cand, second: MoneyRec | _Cand, first_currency: str, second_currency: str
) -> bool:
    """True when ``second`` right after ``first`` gives the same amount in another currency:
    "20 million yuan (about $3.2 million)", "39.3 billion Swedish crowns, or about $5.4 billion"."""
    a_end = first.span.end if isinstance(first, MoneyRec) else first.end
    b_start = second.span.start if isinstance(second, MoneyRec) else second.start
    return (
        first_currency != second_currency
        and 0 <= b_start - a_end <= 30
        and bool(_RESTATE.fullmatch(body[a_end:b_start]))
    )


def restatements(body: str, money: list[MoneyRec]) -> set[int]:
    """Indexes in ``money`` of amounts that restate the amount before them in another currency."""
    return {
        i
        for i in range(1, len(money))
        if restates(body, money[i - 1], money[i], money[i - 1].currency, money[i].currency)
    }


@lru_cache(maxsize=1)
def _continuation_res() -> tuple[re.Pattern[str], re.Pattern[str] | None]:
    kinds = _kinds()
    start = compile_scanner(rf"(?i)(?:{_alt(kinds['continuation'])})(?![\w-])")
    anywhere = kinds.get("continuation_anywhere") or []
    return start, (compile_scanner(rf"(?i)(?<![\w-])(?:{_alt(anywhere)})(?![\w-])") if anywhere else None)


def _continues(body: str, sent: Span, pos: int) -> str | None:
    """The phrase by which the sentence refers back to an earlier figure ("Of the request, ...",
    "The budget is expected ...", "part of that money"), if any."""
    start, anywhere = _continuation_res()
    if m := start.match(body, sent.start, sent.end):
        return m.group(0).lower()
    if anywhere is not None and (m := anywhere.search(body, sent.start, pos)):
        return m.group(0).lower()
    return None


def _referent(
    body: str, phrase: str, sentences: list[Span], si: int, prior: list[tuple[int, MoneyRec]]
) -> tuple[int, MoneyRec] | None:
    """The figure a continuation phrase refers to: the first amount of the latest earlier sentence
    (up to three back) that names the phrase's noun ("the request" -> "requested ..."), else of the
    latest earlier sentence with an amount."""
    noun = phrase.split()[-1]
    heads: dict[int, MoneyRec] = {}
    for sj, rec in reversed(prior):  # newest first: stop once past the window (linear overall)
        if sj < si - 3:
            break
        if sj < si:
            heads[sj] = rec  # overwritten by earlier ones: the first amount of each sentence
    if not heads:
        return None
    stem = re.escape(noun[:-1] if len(noun) > 4 and noun.endswith("s") else noun)
    for sj in sorted(heads, reverse=True):
        sent = sentences[sj]
        if compile_scanner(rf"(?i)\b{stem}").search(body, sent.start, min(sent.end, sent.start + 2000)):
            return sj, heads[sj]
    sj = max(heads)
    return sj, heads[sj]
