"""Kind of an amount (contract/sale value, military/economic aid, budget, other) from keywords
around it (money_kinds.yaml)."""

from __future__ import annotations

import re
from functools import lru_cache

import pycountry
import yaml

from etl.records import Span
from etl.transform._sentences import clause_of, sentence_of, split_sentences
from etl.transform.keyscan import KeywordScanner
from etl.transform.money._common import REF, _alt
from etl.transform.regex_prefilter import compile_scanner


@lru_cache(maxsize=1)
def _kinds() -> dict:
    return yaml.safe_load((REF / "money_kinds.yaml").read_text(encoding="utf-8"))


def _kw_regex(keyword: str) -> re.Pattern[str]:
    wild = keyword.endswith("*")
    core = re.escape(keyword.rstrip("*"))
    tail = r"\w*" if wild else r"(?![\w-])"
    flags = 0 if keyword.isupper() else re.I
    return compile_scanner(rf"(?<![\w-]){core}{tail}", flags)


@lru_cache(maxsize=2048)
def _kw(keyword: str) -> re.Pattern[str]:
    return _kw_regex(keyword)


_SKIP_BEFORE = " \"'“‘"


def _title_line(text: str, pos: int) -> bool:
    """True when the line around ``pos`` is written in title case ("Japan Announces $2 Billion Security
    Aid Plan"): there, capitalised keywords are ordinary words, not names. Looks 300 chars each way."""
    lo = text.rfind("\n", max(0, pos - 300), pos) + 1
    hi = text.find("\n", pos, pos + 300)
    words = re.findall(r"[A-Za-z][\w'’-]{3,}", text[lo : hi if hi >= 0 else pos + 300])
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.75 * len(words)


@lru_cache(maxsize=512)
def _kw_group(keywords: tuple[str, ...]) -> tuple[KeywordScanner | None, KeywordScanner | None]:
    """One regex for the keywords matched as written or case-insensitively without the name rule
    (acronyms, capitalised keywords), one for lower-case keywords (subject to the name rule)."""

    def alt(kws: list[str]) -> str:
        parts = []
        for kw in sorted(kws, key=len, reverse=True):
            core = re.escape(kw.rstrip("*")) + (r"\w*" if kw.endswith("*") else r"(?![\w-])")
            parts.append(core if kw.isupper() else f"(?i:{core})")
        return rf"(?<![\w-])(?:{'|'.join(parts)})"

    fixed = [k for k in keywords if k.isupper() or not k[0].islower()]
    lower = [k for k in keywords if not (k.isupper() or not k[0].islower())]
    def scanner(kws: list[str]) -> KeywordScanner | None:
        return KeywordScanner(compile_scanner(alt(kws)), [k.rstrip("*") for k in kws]) if kws else None

    return scanner(fixed), scanner(lower)


def keyword_hits(
    text: str, keywords: list[str], lo: int, hi: int, programmes: bool = False
) -> list[tuple[int, int]]:
    """Spans of ``keywords`` in ``text[lo:hi]``; capitalised hits of lower-case keywords inside a
    sentence (proper names such as "Defense Ministry") are skipped, except in a title-case line.
    With ``programmes``, a capitalised multi-word keyword ("Security Assistance") is kept: it names a
    programme of that kind."""
    fixed, lower = _kw_group(tuple(keywords))
    hits = [(m.start(), m.end()) for m in fixed.finditer(text, lo, hi)] if fixed is not None else []
    if lower is None:
        return hits
    title: bool | None = None
    for m in lower.finditer(text, lo, hi):
        if m.group(0)[0].isupper() and not (programmes and " " in m.group(0)):
            i = m.start() - 1
            while i >= lo and text[i] in _SKIP_BEFORE:
                i -= 1
            if i >= lo and text[i] not in ".!?\n":
                if title is None:
                    title = _title_line(text, m.start())
                if not title:
                    continue
        hits.append((m.start(), m.end()))
    return hits


@lru_cache(maxsize=1)
def _not_keywords() -> re.Pattern[str] | None:
    phrases = _kinds().get("not_keywords") or []
    return compile_scanner(rf"(?i)(?<![\w-])(?:{_alt(phrases)})(?![\w-])") if phrases else None


def _nearest(text: str, keywords: list[str], span: Span, window: Span) -> int | None:
    masked: list[tuple[int, int]] = []
    if (nk := _not_keywords()) is not None:
        masked = [(m.start(), m.end()) for m in nk.finditer(text, window.start, window.end)]
    dists = [
        max(0, s - span.end, span.start - e)
        for s, e in keyword_hits(text, keywords, window.start, window.end, programmes=True)
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


RADIUS = 400  # keyword windows reach at most this far from an amount (keeps long "sentences" linear)


def bounded(sent: Span, span: Span, radius: int = RADIUS) -> Span:
    """``sent`` cut to at most ``radius`` characters on either side of ``span``."""
    return Span(max(sent.start, span.start - radius), min(sent.end, span.end + radius))


def neighbours(sentences: list[Span], si: int, radius: int = RADIUS) -> list[Span]:
    """The sentences before and after ``sentences[si]``, each cut to the ``radius`` characters
    nearest to it."""
    out = []
    if si > 0:
        p = sentences[si - 1]
        out.append(Span(max(p.start, p.end - radius), p.end))
    if si + 1 < len(sentences):
        n = sentences[si + 1]
        out.append(Span(n.start, min(n.end, n.start + radius)))
    return out


@lru_cache(maxsize=1)
def _equipment() -> re.Pattern[str]:
    """Equipment nouns and designators ("F-16s", "Su-30", "40 F-35s"): the thing an amount buys."""
    nouns = _kinds()["equipment"]
    return compile_scanner(
        rf"(?i:(?<![\w-])(?:{_alt(nouns)})(?![\w-]))|(?<![\w$.-])[A-Z][A-Za-z]{{0,4}}-?\d{{1,3}}[A-Z]?s?(?![\w-]|[.,]\d)"
    )


@lru_cache(maxsize=1)
def _spend_on() -> re.Pattern[str]:
    """A spending verb whose object is equipment: "to spend $400 mln on new coastal radars"."""
    verbs = _kinds()["spend_verbs"]
    return compile_scanner(rf"(?i)(?<![\w-])(?:{_alt(verbs)})(?![\w-])")


def _buys_equipment(body: str, span: Span, window: Span) -> bool:
    return _equipment().search(body, window.start, window.end) is not None


_SPEND_GAP = compile_scanner(r"(?:[^.;:]|\.\d){0,40}?\b(?:on|for)\s+")


def _spends_on_equipment(body: str, span: Span, clause: Span) -> bool:
    """ "spend $1 bln on new planes", "agreed to spend 1.8 billion leva for eight fighter jets"."""
    if not _spend_on().search(body, max(clause.start, span.start - 40), span.start):
        return False
    m = _SPEND_GAP.match(body, span.end, clause.end)
    if m is None:
        return False
    e = _equipment().search(body, m.end(), min(clause.end, m.end() + 60))
    service = _kinds()["service_words"]
    return e is not None and not re.match(rf"(?i)\s+(?:{_alt(service)})\b", body[e.end() : e.end() + 30])


def article_topic(body: str) -> str | None:
    """The kind whose strong keywords dominate the article (at least twice as many hits as any
    other kind's), for amounts with no keyword near them; None when no kind dominates."""
    counts: dict[str, int] = {}
    for kind, spec in _kinds()["kinds"].items():
        counts[kind] = len(keyword_hits(body, spec.get("strong") or [], 0, len(body)))
    for k in ("military_aid", "economic_aid"):
        counts["aid"] = counts.get("aid", 0) + counts.pop(k, 0)
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    if not ranked or ranked[0][1] < 2 or (len(ranked) > 1 and ranked[0][1] < 2 * ranked[1][1]):
        return None
    return ranked[0][0]


def _best(body: str, span: Span, windows: list[Span], strength: str) -> tuple[int, str] | None:
    """Nearest keyword of ``strength`` in the first window that has one. Nested windows (a clause in
    its sentence) are scanned once, in the outermost."""
    nested = len(windows) == 2 and windows[1].start <= windows[0].start and windows[0].end <= windows[1].end
    scans = [windows[1]] if nested else windows
    found: list[list[tuple[int, int, str]]] = [[] for _ in windows]  # (distance, yaml order, kind)
    nk = _not_keywords()
    for outer_i, outer in enumerate(scans):
        masked = [(m.start(), m.end()) for m in nk.finditer(body, outer.start, outer.end)] if nk else []
        for order, (kind, spec) in enumerate(_kinds()["kinds"].items()):
            for s, e in keyword_hits(body, spec.get(strength) or [], outer.start, outer.end, programmes=True):
                if (s < span.end and e > span.start) or any(a <= s < b for a, b in masked):
                    continue
                d = max(0, s - span.end, span.start - e)
                if nested:
                    if windows[0].start <= s and e <= windows[0].end:
                        found[0].append((d, order, kind))
                    found[1].append((d, order, kind))
                else:
                    found[outer_i].append((d, order, kind))
    for hits in found:
        if hits:
            d, _, kind = min(hits)
            return d, kind
    return None


_IN_GOODS = compile_scanner(
    r"(?i)\s+(?:in|of|worth\s+of)\s+(?:[a-z-]+\s+){0,2}(?:weapons|arms|equipment|ammunition|munitions)\b"
)
_TO_BUY = compile_scanner(r"(?i)\s+to\s+(?:buy|acquire|purchase|procure|order|lease)\b")
# "$10 million for the U.S. Marshals Service": a budget line for one's own agency stays a budget line.
OWN_AGENCY = compile_scanner(
    r"\s+for\s+the\s+(?:[A-Z][\w.&'’-]*\s+){0,5}(?:Service|Administration|Agency|Bureau|Office|Command|Corps"
    r"|Guard|Patrol|Department|Directorate|Commission)\b"
)
_VALUE_OF_THING = compile_scanner(r"(?i)\b(?:valued\s+at|worth|value\s+of)\b")


def classify_kind(
    body: str,
    span: Span,
    sentences: list[Span] | None = None,
    si: int | None = None,
    topic: str | None = None,
) -> str:
    """Kind of the money at ``span``: the nearest strong keyword of its clause, then sentence; else
    the nearest weak one (a value word such as "worth" next to an aid sentence is aid); else
    equipment in its clause (its price); else a strong keyword of a neighbouring sentence; else
    equipment in its sentence; else the article's dominant kind (``topic``); else "other".
    Every window is bounded around the amount, so the cost per amount does not grow with the text."""
    sentences = sentences or split_sentences(body) or [Span(0, len(body))]
    if si is None:
        si = sentence_of(sentences, span.start)
    sent = bounded(sentences[si], span)
    clause = clause_of(body, sent, span.start)
    around = neighbours(sentences, si)
    kinds = _kinds()["kinds"]
    best = _best(body, span, [clause, sent], "strong")
    if best is not None and best[1] == "budget" and (
        _spends_on_equipment(body, span, clause) or _TO_BUY.match(body, span.end, clause.end)
    ):
        return "contract_value"  # "spend $1 bln on new planes", "will spend Au$5 billion to acquire 211 vehicles"
    if best is None:
        best = _best(body, span, [clause, sent], "weak")
        if best is not None and best[1] == "sale_value" and _VALUE_OF_THING.search(body, sent.start, sent.end):
            # "The shipment is valued at $25 million" after a sentence about aid: the aid's value
            aid_near = _best(body, span, around, "strong") or ((0, topic) if topic == "aid" else None)
            if aid_near is not None and aid_near[1] in ("aid", "military_aid", "economic_aid"):
                best = aid_near
    if best is None and topic == "aid" and _IN_GOODS.match(body, span.end, clause.end):
        best = (0, "aid")  # "America delivers $25 million in weapons to ..." in a story about aid
    if best is None and _buys_equipment(body, span, clause):
        return "contract_value"
    if best is None:
        best = _best(body, span, around, "strong")
    if best is None and _buys_equipment(body, span, sent):
        return "contract_value"
    if best is None and topic is not None:
        best = (0, topic)
    if best is None:
        return "other"
    if best[1] == "budget":  # a budget line for aid ("appropriated $1.6 billion ... Merida Initiative")
        for kind in ("military_aid", "economic_aid", "aid"):
            if _nearest(body, kinds[kind]["strong"], span, sent) is not None:
                best = (0, kind)
                break
    if best[1] != "aid":
        return best[1]
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
    return compile_scanner(rf"\b(?:{_alt(sorted(names))})\b")


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
