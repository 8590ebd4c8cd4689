"""Kind of an amount (contract/sale value, military/economic aid, budget, other) from keywords
around it (money_kinds.yaml)."""

from __future__ import annotations

import re
from functools import lru_cache

import pycountry
import yaml

from etl.records import Span
from etl.transform._sentences import clause_of, sentence_of, split_sentences
from etl.transform.money._common import REF, _alt


@lru_cache(maxsize=1)
def _kinds() -> dict:
    return yaml.safe_load((REF / "money_kinds.yaml").read_text(encoding="utf-8"))


def _kw_regex(keyword: str) -> re.Pattern[str]:
    wild = keyword.endswith("*")
    core = re.escape(keyword.rstrip("*"))
    tail = r"\w*" if wild else r"(?![\w-])"
    flags = 0 if keyword.isupper() else re.I
    return re.compile(rf"(?<![\w-]){core}{tail}", flags)


@lru_cache(maxsize=2048)
def _kw(keyword: str) -> re.Pattern[str]:
    return _kw_regex(keyword)


def keyword_hits(text: str, keywords: list[str], lo: int, hi: int) -> list[tuple[int, int]]:
    """Spans of ``keywords`` in ``text[lo:hi]``; capitalised hits of lower-case keywords inside a
    sentence (proper names such as "Defense Ministry") are skipped."""
    hits = []
    for kw in keywords:
        for m in _kw(kw).finditer(text, lo, hi):
            if not kw.isupper() and kw[0].islower() and m.group(0)[0].isupper():
                prev = text[lo : m.start()].rstrip(" \"'“‘")
                if prev and prev[-1] not in ".!?\n":
                    continue
            hits.append((m.start(), m.end()))
    return hits


@lru_cache(maxsize=1)
def _not_keywords() -> re.Pattern[str] | None:
    phrases = _kinds().get("not_keywords") or []
    return re.compile(rf"(?i)(?<![\w-])(?:{_alt(phrases)})(?![\w-])") if phrases else None


def _nearest(text: str, keywords: list[str], span: Span, window: Span) -> int | None:
    masked: list[tuple[int, int]] = []
    if (nk := _not_keywords()) is not None:
        masked = [(m.start(), m.end()) for m in nk.finditer(text, window.start, window.end)]
    dists = [
        max(0, s - span.end, span.start - e)
        for s, e in keyword_hits(text, keywords, window.start, window.end)
        if (e <= span.start or s >= span.end) and not any(a <= s < b for a, b in masked)
    ]
    return min(dists) if dists else None


def _aid_context(body: str, windows: list[Span], span: Span) -> str:
    ctx = _kinds()["context"]
    for w in windows:
        mil = _nearest(body, ctx["military_aid"], span, w)
        eco = _nearest(body, ctx["economic_aid"], span, w)
        if mil is not None or eco is not None:
            return "economic_aid" if mil is None or (eco is not None and eco < mil) else "military_aid"
    return _kinds()["aid_default"]


def classify_kind(body: str, span: Span, sentences: list[Span] | None = None) -> str:
    """Kind of the money at ``span`` from keywords of its clause, then its sentence."""
    sentences = sentences or split_sentences(body)
    si = sentence_of(sentences, span.start)
    sent = sentences[si]
    clause = clause_of(body, sent, span.start)
    kinds = _kinds()["kinds"]
    best: tuple[int, str] | None = None
    for strength in ("strong", "weak"):
        for window in (clause, sent):
            for kind, spec in kinds.items():
                d = _nearest(body, spec.get(strength) or [], span, window)
                if d is not None and (best is None or d < best[0]):
                    best = (d, kind)
            if best:
                break
        if best:
            break
    if best is None:
        return "other"
    if best[1] == "budget":  # a budget line for aid ("appropriated $1.6 billion ... Merida Initiative")
        for kind in ("military_aid", "economic_aid", "aid"):
            if _nearest(body, kinds[kind]["strong"], span, sent) is not None:
                best = (0, kind)
                break
    if best[1] != "aid":
        return best[1]
    around = [sentences[j] for j in (si - 1, si + 1) if 0 <= j < len(sentences)]
    return _aid_context(body, [clause, sent, *around], span)


@lru_cache(maxsize=1)
def _country_names() -> re.Pattern[str]:
    names: set[str] = set()
    for c in pycountry.countries:
        for n in (c.name, getattr(c, "common_name", None)):
            if n and "," not in n:
                names.add(n)
    capitals = yaml.safe_load((REF / "capitals.yaml").read_text(encoding="utf-8")) or {}
    names.update(capitals.values())
    return re.compile(rf"\b(?:{_alt(sorted(names))})\b")


def _funds_foreign_country(body: str, sent: Span, span: Span) -> bool:
    """A budget amount "for <Country>" where that country does not own the budget: a donor's
    appropriation or request for another state ("Congress appropriated $1.3 billion for Mexico")."""
    clause = clause_of(body, sent, span.start)
    names = _country_names()
    give = (
        r"\b(?:provid\w*|gave|give[ns]?|giving|grant\w*|transferr?\w*|disburs\w*|allocat\w*|earmark\w*"
        r"|appropriat\w*)\b"
    )
    prep = r"for|to" if re.search(give, body[clause.start : span.start], re.I) else r"for"
    for m in re.finditer(
        rf"\b(?:{prep})\s+(?:the\s+)?(?P<c>{names.pattern})(?![\w-])", body[clause.start : clause.end]
    ):
        name = m.group("c")
        owner = re.search(
            rf"(?:^|[.!?]\s+)(?:the\s+)?{re.escape(name)}\b|\b{re.escape(name)}['’]s?\s",
            body[sent.start : span.start],
        )
        if owner is None and clause.start + m.start() > span.start - 80:
            return True
    return False
