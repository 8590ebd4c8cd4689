"""Aid allocations (donor -> recipient, year, amount, purpose, stage) and their consistency checks.

Input: the article body, its money amounts (``find_money``) and country mentions from the entity
matcher. Every amount of kind military_aid/economic_aid becomes an allocation of its sentence:
- donor: a country after "from"/"by", or right before an aid noun ("U.S. aid"), else the first other
  country of the sentence (the subject: "Washington is devoting ..."); recipient: a country after
  "to"/"for", after a giving verb ("gave Peru"), or before "receives". Capital cities
  (data/reference/capitals.yaml) stand for their governments. A missing side is carried from the
  previous aid sentence within ``carry_window`` sentences ("The budget is expected to drop to $74
  million next year." continues "... $84 million of aid to Peru").
- purpose: aid_terms.yaml words after the amount (up to the next amount or clause end), else before
  it in its clause; several are joined ("defense_and_counterterrorism"); none -> "total", or the
  purpose of the figure a change or continuation refers to.
- stage: "change" for "reduced by $X"/"a $X cut" (amount signed), else the nearest stage keyword
  in the clause, then sentence; none -> projected for a later year than publication, else actual.
- attributed_to: "according to (estimates by) the <Name>", "(estimates|figures|data) by <Name>".
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

import yaml

from etl.records import AidRec, EntityRef, MoneyRec, Span
from etl.transform._sentences import clause_of, split_sentences
from etl.transform.money import AID_KINDS, REF, keyword_hits

_TOL = Decimal("0.05")  # relative tolerance for rounded news figures
_TOK = r"(?:[A-Z]\.){2,}|[A-Z][\w&'’-]*(?:\.[a-z]{2,4}\b)?"
_NAME = rf"(?:{_TOK})(?:\s+(?:(?:of|for|and|on|the|de|del)\s+)*(?:{_TOK}))*"


@lru_cache(maxsize=1)
def _terms() -> dict:
    return yaml.safe_load((REF / "aid_terms.yaml").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _capitals() -> dict[str, str]:
    return yaml.safe_load((REF / "capitals.yaml").read_text(encoding="utf-8"))


def _alt(words: list[str]) -> str:
    """Regex alternation for keyword lists where a trailing ``*`` allows any word ending."""
    parts = sorted(words, key=len, reverse=True)
    return "|".join(re.escape(w[:-1]) + r"\w*" if w.endswith("*") else re.escape(w) for w in parts)


@dataclass(frozen=True, slots=True)
class Finding:
    """Outcome of one consistency check between allocations.

    ``check``: "change" (a stated change vs the two levels it links) or "parts_within_total"
    (sub-allocations vs their total). ``expected`` is the stated figure, ``observed`` the computed one.
    """

    check: str
    status: str  # "consistent" | "discrepancy"
    claim: AidRec
    evidence: tuple[AidRec, ...]
    expected: Decimal
    observed: Decimal
    detail: str

    def __str__(self) -> str:
        return f"{self.status}: {self.detail}"


@dataclass
class _Ctx:
    sentence: int
    donor: str
    recipient: str
    purpose: str


def _attribution(body: str, sent: Span) -> tuple[str | None, Span | None]:
    nouns = _alt(_terms()["attribution_nouns"])
    text = body[sent.start : sent.end]
    patterns = (
        rf"\baccording\s+to\s+(?:(?:\w+\s+)?(?:{nouns})\s+(?:(?:compiled|released|published)\s+)?"
        rf"(?:by|from|of)\s+)?(?:the\s+)?(?P<src>{_NAME})",
        rf"\b(?:{nouns})\s+(?:(?:compiled|released|published)\s+)?(?:by|from|of)\s+(?:the\s+)?(?P<src>{_NAME})",
    )
    for p in patterns:
        m = re.search(p, text)
        if m:
            return m.group("src"), Span(sent.start + m.start(), sent.start + m.end())
    return None, None


def _mentions(
    body: str, sent: Span, countries: list[tuple[Span, str]], skip: Span | None
) -> list[tuple[Span, str]]:
    found = [(s, n) for s, n in countries if sent.start <= s.start and s.end <= sent.end]
    caps = _capitals()
    pattern = rf"\b(?:{'|'.join(re.escape(c) for c in sorted(caps, key=len, reverse=True))})\b"
    for m in re.finditer(pattern, body[sent.start : sent.end]):
        span = Span(sent.start + m.start(), sent.start + m.end())
        if any(span.start < s.end and s.start < span.end for s, _ in found):
            continue
        if re.search(r"\b(?:in|at)\s+$", body[max(0, span.start - 4) : span.start]):
            continue
        found.append((span, caps[m.group(0)]))
    if skip is not None:
        found = [(s, n) for s, n in found if not (skip.start <= s.start and s.end <= skip.end)]
    return sorted(found, key=lambda x: x[0].start)


def _roles(
    body: str, sent: Span, mentions: list[tuple[Span, str]], first: Span
) -> tuple[str | None, str | None]:
    roles = _terms()["roles"]
    donor = recipient = None
    for span, name in mentions:
        before = body[max(sent.start, span.start - 30) : span.start]
        after = body[span.end : min(sent.end, span.end + 40)]
        if re.search(rf"\b(?:{_alt(roles['donor_before'])})\s+(?:the\s+)?$", before, re.I):
            donor = donor or name
        elif (
            re.search(rf"\b(?:{_alt(roles['recipient_before'])})\s+(?:the\s+)?$", before, re.I)
            or re.search(rf"\b(?:{_alt(roles['give_verbs'])})\s+(?:the\s+)?$", before, re.I)
            or re.match(
                rf"\s+(?:will\s+|would\s+|has\s+|have\s+|had\s+|also\s+)*(?:{_alt(roles['recipient_after_verbs'])})\b",
                after,
                re.I,
            )
        ):
            recipient = recipient or name
        elif re.match(rf"(?:'s|’s)?\s+(?:[a-z-]+\s+){{0,2}}(?:{_alt(roles['aid_nouns'])})\b", after):
            donor = donor or name
    if donor is None:
        subjects = [n for s, n in mentions if s.start < first.start and n != recipient]
        donor = subjects[0] if subjects else None
    if recipient is None:  # another country of the sentence rather than one carried from before
        others = [n for _, n in mentions if n != donor]
        recipient = others[0] if others else None
    return donor, recipient


def _purposes(body: str, lo: int, hi: int) -> str | None:
    terms = _terms()
    found = [p for p, kws in terms["purposes"].items() if keyword_hits(body, kws, lo, hi)]
    if not found:
        return None
    if len(found) == 1:
        return terms["alone"].get(found[0], found[0])
    return "_and_".join(found)


def _change_sign(body: str, m: MoneyRec) -> int:
    """-1/+1 when the amount is a change ("reduced by at least $10 million"), else 0."""
    ch = _terms()["change"]
    before = body[max(0, m.span.start - 60) : m.span.start]
    after = body[m.span.end : m.span.end + 25]
    for sign, verbs, nouns in ((-1, "decrease", "nouns_decrease"), (1, "increase", "nouns_increase")):
        # "reduced by at least $10 million", "cut its aid to Bolivia by $5 million"
        if re.search(rf"\b(?:{_alt(ch[verbs])})\b[^.;$]{{0,40}}?\bby\s+(?:[a-z]+\s+){{0,2}}$", before, re.I):
            return sign
        if re.match(rf"\s+(?:[a-z]+\s+)?(?:{_alt(ch[nouns])})\b", after, re.I) and re.search(
            r"\b(?:a|an|the)\s+$", before, re.I
        ):
            return sign
    return 0


def _stage(body: str, m: MoneyRec, sent: Span, published_year: int | None) -> str:
    clause = clause_of(body, sent, m.span.start)
    for window in (clause, sent):
        best: tuple[int, str] | None = None
        for stage, kws in _terms()["stages"].items():
            for s, e in keyword_hits(body, kws, window.start, window.end):
                if m.span.start <= s < m.span.end:
                    continue
                d = max(0, s - m.span.end, m.span.start - e)
                if best is None or d < best[0]:
                    best = (d, stage)
        if best:
            return best[1]
    if m.year is not None and published_year is not None and m.year > published_year:
        return "projected"
    return "actual"


def extract_aid(
    body: str, published: dt.date | None, money: list[MoneyRec], countries: list[tuple[Span, str]]
) -> list[AidRec]:
    """Aid allocations stated in ``body`` (``countries``: (span, canonical name) mentions)."""
    terms = _terms()
    pub_year = published.year if published else None
    sentences = split_sentences(body)
    prev: _Ctx | None = None
    out: list[AidRec] = []
    for si, sent in enumerate(sentences):
        in_sent = [m for m in money if sent.start <= m.span.start < sent.end]
        aid = [m for m in in_sent if m.kind in AID_KINDS]
        if not aid:
            continue
        source, source_span = _attribution(body, sent)
        mentions = _mentions(body, sent, countries, source_span)
        donor, recipient = _roles(body, sent, mentions, aid[0].span)
        if donor is None:  # a donor's own programme names it: "FMF", "USAID", "Merida Initiative"
            programs = terms["program_donors"].items()
            donor = next((d for kw, d in programs if keyword_hits(body, [kw], sent.start, sent.end)), None)
        near = prev is not None and si - prev.sentence <= terms["carry_window"]
        carried = False
        if (donor is None or recipient is None) and near and prev is not None:
            carried = not mentions
            donor, recipient = donor or prev.donor, recipient or prev.recipient
        if donor is None or recipient is None or donor == recipient:
            continue
        head: str | None = None
        last_purpose = prev.purpose if carried and prev is not None else "total"
        for m in aid:
            k = in_sent.index(m)
            clause = clause_of(body, sent, m.span.start)
            nxt = in_sent[k + 1].span.start if k + 1 < len(in_sent) else sent.end
            prv = in_sent[k - 1].span.end if k > 0 else sent.start
            sign = _change_sign(body, m)
            purpose = _purposes(body, m.span.end, min(nxt, clause.end)) or _purposes(
                body, max(prv, clause.start), m.span.start
            )
            if purpose is None:  # same series as the sentence's first figure, or a carried one
                purpose = head or (last_purpose if (sign or carried) else "total")
            stage = "change" if sign else _stage(body, m, sent, pub_year)
            amount = -m.amount if sign < 0 else m.amount
            usd = -m.amount_usd if sign < 0 and m.amount_usd is not None else m.amount_usd
            out.append(
                AidRec(
                    span=m.span,
                    donor=EntityRef(donor, "country"),
                    recipient=EntityRef(recipient, "country"),
                    fiscal_year=m.year,
                    amount=amount,
                    currency=m.currency,
                    amount_usd=usd,
                    purpose=purpose,
                    stage=stage,
                    attributed_to=source,
                    qualifier=m.qualifier,
                )
            )
            if not sign:
                last_purpose = purpose
                head = head or purpose
        prev = _Ctx(si, donor, recipient, head or last_purpose)
    return out


def _num(d: Decimal) -> str:
    return format(d.normalize(), "f") if d != d.to_integral_value() else str(d.quantize(Decimal(1)))


def aid_key(rec: AidRec) -> str:
    """``donor|recipient|fiscal_year|purpose|stage|amount``: one allocation across articles."""
    year = "" if rec.fiscal_year is None else str(rec.fiscal_year)
    return "|".join([rec.donor.name, rec.recipient.name, year, rec.purpose, rec.stage, _num(rec.amount)])


def _value(rec: AidRec) -> Decimal | None:
    return rec.amount if rec.currency == "USD" or rec.amount_usd is None else rec.amount_usd


def _change_ok(delta: Decimal, claim: Decimal, qualifier: str | None) -> bool:
    if delta and claim and (delta > 0) != (claim > 0):
        return False
    got, want = abs(delta), abs(claim)
    if qualifier in ("at least", "more than", "top"):
        return got >= want * (1 - _TOL)
    if qualifier in ("less than", "up to", "nearly"):
        return got <= want * (1 + _TOL)
    return abs(got - want) <= want * _TOL


def check_changes(allocs: list[AidRec]) -> list[Finding]:
    """Check stated changes against the levels of the years they link, and parts against totals.

    A change of year Y (e.g. "reduced by at least $10 million in 2013") is compared with
    level(Y) - level(Y-1) of the same donor, recipient and purpose, for each distinct pair of levels
    found; the qualifier sets the comparison (at least / more than / top: >=, up to / less than /
    nearly: <=, otherwise equal), all within 5% for rounding. Sub-allocations of one donor, recipient,
    year and stage must not exceed their "total" (per purpose the smallest stated figure is used).
    """
    uniq = list({aid_key(a): a for a in allocs}.values())
    findings: list[Finding] = []
    levels = [a for a in uniq if a.stage != "change" and a.fiscal_year is not None]
    for c in (a for a in uniq if a.stage == "change" and a.fiscal_year is not None):
        same = [
            a
            for a in levels
            if (a.donor, a.recipient, a.purpose) == (c.donor, c.recipient, c.purpose)
            and _value(a) is not None
        ]
        bases = {_value(a): a for a in same if a.fiscal_year == c.fiscal_year - 1}
        targets = {_value(a): a for a in same if a.fiscal_year == c.fiscal_year}
        claim = _value(c)
        if claim is None:
            continue
        for bv, base in bases.items():
            for tv, target in targets.items():
                delta = tv - bv
                ok = _change_ok(delta, claim, c.qualifier)
                findings.append(
                    Finding(
                        check="change",
                        status="consistent" if ok else "discrepancy",
                        claim=c,
                        evidence=(base, target),
                        expected=claim,
                        observed=delta,
                        detail=(
                            f"{c.donor.name}->{c.recipient.name} {c.purpose} {c.fiscal_year}: stated change "
                            f"{c.qualifier + ' ' if c.qualifier else ''}{_num(claim)}; "
                            f"{_num(tv)} ({target.stage}) - {_num(bv)} ({base.stage}, "
                            f"{base.fiscal_year}) = {_num(delta)}"
                        ),
                    )
                )
    groups: dict[tuple, list[AidRec]] = {}
    for a in levels:
        groups.setdefault((a.donor, a.recipient, a.fiscal_year, a.stage), []).append(a)
    for (donor, recipient, year, stage), recs in groups.items():
        totals = [a for a in recs if a.purpose == "total" and _value(a) is not None]
        parts: dict[str, AidRec] = {}
        for a in recs:
            v = _value(a)
            if (
                a.purpose != "total"
                and v is not None
                and (a.purpose not in parts or v < _value(parts[a.purpose]))
            ):
                parts[a.purpose] = a
        if not parts:
            continue
        psum = sum((_value(p) for p in parts.values()), Decimal(0))
        for t in totals:
            ok = psum <= _value(t) * (1 + _TOL)
            findings.append(
                Finding(
                    check="parts_within_total",
                    status="consistent" if ok else "discrepancy",
                    claim=t,
                    evidence=tuple(parts.values()),
                    expected=_value(t),
                    observed=psum,
                    detail=(
                        f"{donor.name}->{recipient.name} {year} {stage}: parts "
                        f"{' + '.join(_num(_value(p)) for p in parts.values())} = {_num(psum)} "
                        f"vs total {_num(_value(t))}"
                    ),
                )
            )
    return findings
