"""Aid allocations (donor -> recipient, year, amount, purpose, stage) and their consistency checks.

Input: the article body, its money amounts (``find_money``) and country mentions from the entity
matcher. Every amount of kind military_aid/economic_aid becomes an allocation of its sentence, except
a restatement in another currency ("20 million yuan (about $3.2 million)"):
- donor: a country after "from" following an aid word or amount ("$5 million in aid from Japan", not
  "children from Honduras"), after a participle + "by" ("funded by Japan", not "abuses by Honduran
  police"), or right before an aid noun ("U.S. aid"), else the first other country of the sentence
  (the subject: "Washington is devoting ..."), else a donor's programme or institution
  (aid_terms.yaml ``program_donors``: "FMF", "CARSI", "Congress"), else the country opening the
  previous sentence when a pronoun is the subject ("China has made similar gifts. In 2011 it
  donated ..."); recipient: a country after "to"/"for", after a giving verb ("gave Peru"), or before
  "receives". Roles marked in the amount's own clause, or between it and the next amount, win over
  the sentence's ("$12 million for Peru and $8 million for Bolivia"). A role filled by one of several
  coordinated countries ("Honduras, Guatemala and El Salvador") is ambiguous: no allocation. Capital
  cities (data/reference/capitals.yaml) stand for their governments; a dateline ("MEXICO CITY
  (Reuters) -") is not an actor. A missing side is carried from the previous aid sentence within
  ``carry_window`` sentences ("The budget is expected to drop to $74 million next year." continues
  "... $84 million of aid to Peru").
- purpose: aid_terms.yaml words after the amount (up to the next amount, the clause end or a
  subordinate clause: "after", "because", "until" ...), else before it in its clause; several are
  joined ("defense_and_counterterrorism"); none -> "total", or the purpose of the figure a change or
  continuation refers to.
- stage: "change" for "reduced by $X"/"a $X cut"/"a cut of $X"/"up $X from" (amount signed), else the
  nearest stage keyword in the clause, then sentence; a request/projection word found only in the
  sentence does not make a past-year or baseline figure ("compared with $48.2 million in fiscal 2012")
  a request: that one is actual; none -> projected for a later year than publication, else actual.
- attributed_to: "according to (estimates by) the <Name>", "(estimates|figures|data) by <Name>".
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache

import yaml

from etl.records import AidRec, EntityRef, MoneyRec, Span
from etl.transform._sentences import clause_of, split_sentences
from etl.transform.money import AID_KINDS, REF, keyword_hits, restatements

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


# A dateline ("MEXICO CITY (Reuters) -", "LIMA, April 11 (Reuters) -", "WASHINGTON --") names where
# the story was filed, not an actor of its first sentence.
_DATELINE = re.compile(
    r"[A-Z][A-Z'’.-]+(?:\s+[A-Z][A-Z'’.-]+)*(?:,\s+[A-Z][\w.]*(?:\s+\d{1,2}|\s+[A-Z][\w.]*)?)*"
    r"\s*(?:\([^)\n]{1,40}\))?\s*(?:--|[-—–])\s+"
    # "Mexico City, June 25, 2009 –": a place in title case followed by a date
    r"|[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3},\s+(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]{2,8})"
    r"(?:,?\s+\d{4})?\s*(?:\([^)\n]{1,40}\))?\s*(?:--|[-—–:])\s+"
)
_AMBIGUOUS = "?"  # a role filled by one of several coordinated countries ("to Honduras, Guatemala and ...")


def _mentions(body: str, sent: Span, countries: list[tuple[Span, str]], skip: Span | None) -> list[tuple[Span, str]]:
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
    if dl := _DATELINE.match(body, sent.start, sent.end):
        found = [(s, n) for s, n in found if s.start >= dl.end()]
    return sorted(found, key=lambda x: x[0].start)


def _coordinated(body: str, mentions: list[tuple[Span, str]]) -> set[int]:
    """Indexes of mentions listed together ("Honduras, Guatemala and El Salvador", "Peru and Chile")."""
    out: set[int] = set()
    for i in range(len(mentions) - 1):
        (a, na), (b, nb) = mentions[i], mentions[i + 1]
        if (
            na != nb
            and re.fullmatch(r"\s*(?:,\s*(?:and\s+|or\s+)?|(?:and|or)\s+)(?:the\s+)?", body[a.end : b.start])
            # "Russia, Venezuela's other big supplier, ..." is an apposition, not a list
            and not re.match(r"['’]s?\s", body[b.end : b.end + 3])
        ):
            out.update((i, i + 1))
    return out


def _explicit_roles(
    body: str, lo: int, hi: int, mentions: list[tuple[Span, str]], group: set[int]
) -> tuple[str | None, str | None]:
    """Donor and recipient marked by words around the country mentions in ``body[lo:hi]``:
    "aid from X", "funded by X", "to X", "gave X", "X receives", "X's aid". A role marked on one of
    several coordinated countries is ``_AMBIGUOUS``."""
    roles = _terms()["roles"]
    donor = recipient = None
    for i, (span, name) in enumerate(mentions):
        if not (lo <= span.start and span.end <= hi):
            continue
        who = _AMBIGUOUS if i in group else name
        before = body[max(lo, span.start - 50) : span.start]
        after = body[span.end : min(hi, span.end + 40)]
        if re.search(
            rf"\b(?:{_alt(roles['donor_from_cues'])}|{_alt(roles['aid_nouns'])})\b[^,;(]{{0,30}}?\bfrom\s+(?:the\s+)?$",
            before,
            re.I,
        ) or (
            re.search(rf"\b(?:\w+ed|{_alt(roles['donor_by_verbs'])})\s+(?:\w+\s+)?by\s+(?:the\s+)?$", before, re.I)
            and not re.search(rf"\b(?:{_alt(roles['user_by_verbs'])})\s+by\s+(?:the\s+)?$", before, re.I)
        ):
            donor = donor or who
        elif (
            re.search(rf"\b(?:{_alt(roles['recipient_before'])})\s+(?:the\s+)?$", before, re.I)
            or re.search(rf"\b(?:{_alt(roles['give_verbs'])})\s+(?:the\s+)?$", before, re.I)
            or re.match(
                rf"\s+(?:will\s+|would\s+|has\s+|have\s+|had\s+|also\s+)*(?:{_alt(roles['recipient_after_verbs'])})\b",
                after,
                re.I,
            )
            # "Lebanon is now the 5th largest recipient of ..."
            or re.match(
                rf"\s+(?:is|was|has\s+been|became|becomes|remains)\s+(?:[\w-]+\s+){{0,4}}?(?:{_alt(roles['recipient_nouns'])})\b",
                after,
                re.I,
            )
        ):
            recipient = recipient or who
        elif re.match(rf"(?:'s|’s)?\s+(?:[a-z-]+\s+){{0,2}}(?:{_alt(roles['aid_nouns'])})\b", after):
            donor = donor or who
    return donor, recipient


_THE_COUNTRY = re.compile(
    r"(?i)\b(?:to|for|into|toward|towards)\s+the\s+(?:country|nation|island\s+nation|kingdom|republic)\b"
)
# A country after a preposition ("funding for the Merida Initiative in Mexico") is no subject.
_PREP = re.compile(r"\b(?:in|for|to|at|with|from|on|into|against|toward|towards|by)\s+(?:the\s+)?$", re.I)


def _roles(body: str, sent: Span, mentions: list[tuple[Span, str]], first: Span) -> tuple[str | None, str | None]:
    group = _coordinated(body, mentions)
    donor, recipient = _explicit_roles(body, sent.start, sent.end, mentions, group)
    if donor is None:
        subjects = [
            n
            for i, (s, n) in enumerate(mentions)
            if s.start < first.start
            and n != recipient
            and i not in group
            and not _PREP.search(body, max(0, s.start - 12), s.start)
        ]
        donor = subjects[0] if subjects else None
    if recipient is None:  # another country of the sentence rather than one carried from before
        others = [n for i, (_, n) in enumerate(mentions) if n != donor and i not in group]
        recipient = others[0] if others else None
    return donor, recipient


def _lead_roles(
    body: str, sentences: list[Span], countries: list[tuple[Span, str]]
) -> tuple[str | None, str | None]:
    """Donor and recipient named by the first of the article's first four sentences that names both."""
    for sent in sentences[:4]:
        mentions = _mentions(body, sent, countries, None)
        if len({n for _, n in mentions}) >= 2:
            donor, recipient = _roles(body, sent, mentions, Span(sent.end, sent.end))
            if None not in (donor, recipient) and _AMBIGUOUS not in (donor, recipient) and donor != recipient:
                return donor, recipient
    return None, None


def _pronoun_donor(
    body: str, sentences: list[Span], si: int, countries: list[tuple[Span, str]], first: Span
) -> str | None:
    """ "China has made similar gifts. In 2011 it donated ...": a pronoun subject before the first
    amount refers to the country that opens the previous sentence."""
    sent = sentences[si]
    if si == 0 or not re.search(r"\b(?:it|It|they|They)\s+(?:\w+\s+)?\w+", body[sent.start : first.start]):
        return None
    prev = sentences[si - 1]
    opening = [n for s, n in countries if prev.start <= s.start < prev.start + 25]
    return opening[0] if opening else None


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
        # "a cut of $31.5 million", "an increase of about $20 million"
        if re.search(
            rf"\b(?:a|an|the)\s+(?:[a-z]+\s+)?(?:{_alt(ch[nouns])})s?\s+of\s+(?:[a-z]+\s+){{0,2}}$",
            before,
            re.I,
        ):
            return sign
    # "$84 million, up $10 million from a year earlier"; "down $5 million on 2011"
    if m_ := re.search(
        r"(?:^|[,(;]\s*|\band\s+)(up|down)\s+(?:(?:by|about|some|nearly|almost|more\s+than)\s+)*$",
        before,
        re.I,
    ):
        return 1 if m_.group(1).lower() == "up" else -1
    return 0


_BASELINE = re.compile(r"\b(?:down|up)\s+from\s+|\bcompared\s+(?:with|to)\s+|\bfrom\s+$|\bversus\s+|\bvs\.?\s+", re.I)


def _stage(body: str, m: MoneyRec, sent: Span, published_year: int | None) -> str:
    """Stage from the nearest stage word of the clause, then sentence; else projected for a later
    year, else actual (``_NO_CUE``, which the caller may refine from another mention)."""
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
        if best is None:
            continue
        if (
            window is sent
            and best[1] in ("requested", "projected")
            and m.year is not None
            and published_year is not None
            and m.year <= published_year
            and (m.year < published_year or _BASELINE.search(body, clause.start, m.span.start))
        ):
            # "requested $41.5 million for fiscal 2014, compared with $48.2 million in fiscal 2012":
            # the request is the other figure; a past level or a baseline is what was received.
            return "actual"
        return best[1]
    if m.year is not None and published_year is not None and m.year > published_year:
        return "projected"
    return _NO_CUE


_NO_CUE = "actual"  # the stage of a figure with no stage word: a later mention of it may say more


_PURPOSE_STOP = re.compile(
    r"\b(?:after|because|until|unless|when|if|since|before|amid|despite|over\s+concerns?|as\s+part\s+of)\b",
    re.I,
)


def extract_aid(
    body: str, published: dt.date | None, money: list[MoneyRec], countries: list[tuple[Span, str]]
) -> list[AidRec]:
    """Aid allocations stated in ``body`` (``countries``: (span, canonical name) mentions)."""
    terms = _terms()
    pub_year = published.year if published else None
    sentences = split_sentences(body)
    pairs = restatements(body, money)
    restated = {money[i].span for i in pairs}
    # "€2 million ($2.5 million)": the text's own dollar figure beats an annual-average conversion
    stated_usd = {money[i - 1].span: money[i].amount for i in pairs if money[i].currency == "USD"}
    prev: _Ctx | None = None
    uncued: set[Span] = set()  # figures whose stage no word gave
    lead: tuple[str | None, str | None] | None = None
    out: list[AidRec] = []
    starts = [x.start for x in sentences]
    by_sentence: dict[int, list[MoneyRec]] = {}
    for m in money:  # one pass: amounts grouped by sentence (linear in the text)
        by_sentence.setdefault(max(0, bisect.bisect_right(starts, m.span.start) - 1), []).append(m)
    for si, sent in enumerate(sentences):
        in_sent = by_sentence.get(si, [])
        aid = [m for m in in_sent if m.kind in AID_KINDS and m.span not in restated]
        if not aid:
            continue
        source, source_span = _attribution(body, sent)
        mentions = _mentions(body, sent, countries, source_span)
        group = _coordinated(body, mentions)
        donor, recipient = _roles(body, sent, mentions, aid[0].span)
        if not mentions and si > 0 and not (prev is not None and prev.sentence == si - 1):
            # "Lebanon is the largest recipient of U.S. military aid. Over $100 million last year, ...":
            # a sentence naming no country continues the one before it.
            before = sentences[si - 1]
            b_mentions = _mentions(body, before, countries, None)
            if b_mentions:
                donor, recipient = _roles(body, before, b_mentions, Span(before.end, before.end))
                mentions = b_mentions
        # A donor's own programme names it ("FMF", "USAID", "Merida Initiative", "Official Security
        # Assistance"); it beats a donor guessed from the subject, which then is the recipient.
        programs = terms["program_donors"].items()
        prog = next((d for kw, d in programs if keyword_hits(body, [kw], sent.start, sent.end)), None)
        if (
            prog is not None
            and donor not in (None, prog)
            and _explicit_roles(body, sent.start, sent.end, mentions, group)[0] is None
        ):
            donor, recipient = prog, donor if recipient in (None, prog) else recipient
        donor = donor or prog
        if donor is None:
            donor = _pronoun_donor(body, sentences, si, countries, aid[0].span)
        near = prev is not None and si - prev.sentence <= terms["carry_window"]
        carried = False
        if (donor is None or recipient is None) and near and prev is not None:
            carried = not mentions
            donor, recipient = donor or prev.donor, recipient or prev.recipient
        if recipient is None and donor not in (None, _AMBIGUOUS):
            # "the total value of Germany's military assistance will exceed ...": the donor's recipient so far
            recipient = next((a.recipient.name for a in reversed(out) if a.donor.name == donor), None)
        if recipient is None and donor not in (None, _AMBIGUOUS) and _THE_COUNTRY.search(body, sent.start, sent.end):
            # "... pledged €1 billion in military aid to the country": the last other country named before
            earlier = [n for sp, n in countries if sent.start - 600 <= sp.start < sent.start and n != donor]
            recipient = earlier[-1] if earlier else None
        if (donor is None or recipient is None) and not out and not mentions:
            # the first aid figure, in a sentence naming no country: the parties the lead names
            # ("The United States has given six helicopters to Kenya ...")
            lead = lead if lead is not None else _lead_roles(body, sentences, countries)
            if lead[0] is not None and (donor is None or donor == lead[0]) and (recipient in (None, lead[1])):
                donor, recipient = lead
        head: str | None = None
        last_purpose = prev.purpose if carried and prev is not None else "total"
        kept = False
        for m in aid:
            # Roles marked inside the amount's own clause win: "... to Bolivia's military, and late
            # last year it gave Ecuador's army a $6 million package".
            clause = clause_of(body, sent, m.span.start)
            k = in_sent.index(m)
            nxt = in_sent[k + 1].span.start if k + 1 < len(in_sent) else sent.end
            # ... and the words between it and the next amount: "$12 million for Peru and $8 million
            # for Bolivia".
            a_donor, a_recipient = _explicit_roles(body, m.span.end, min(nxt, clause.end), mentions, group)
            c_donor, c_recipient = _explicit_roles(body, clause.start, clause.end, mentions, group)
            c_recipient = a_recipient or c_recipient
            c_donor = a_donor or c_donor
            if c_donor is None and clause.start > sent.start:  # the subject of a later clause
                subj = [
                    n
                    for i, (sp, n) in enumerate(mentions)
                    if clause.start <= sp.start < m.span.start and n != c_recipient and i not in group
                ]
                c_donor = subj[0] if subj else None
            m_donor, m_recipient = c_donor or donor, c_recipient or recipient
            if m_donor in (None, _AMBIGUOUS) or m_recipient in (None, _AMBIGUOUS) or m_donor == m_recipient:
                continue
            kept = True
            prv = in_sent[k - 1].span.end if k > 0 else sent.start
            hi = min(nxt, clause.end)
            if stop := _PURPOSE_STOP.search(body, m.span.end, hi):
                hi = stop.start()
            sign = _change_sign(body, m)
            purpose = _purposes(body, m.span.end, hi) or _purposes(body, max(prv, clause.start), m.span.start)
            if purpose is None:  # same series as the sentence's first figure, or a carried one
                purpose = head or (last_purpose if (sign or carried) else "total")
            stage = "change" if sign else _stage(body, m, sent, pub_year)
            if stage == _NO_CUE and not _has_stage_word(body, m, sent):
                uncued.add(m.span)
            amount = -m.amount if sign < 0 else m.amount
            usd = stated_usd.get(m.span, m.amount_usd)
            usd = -usd if sign < 0 and usd is not None else usd
            out.append(
                AidRec(
                    span=m.span,
                    donor=EntityRef(m_donor, "country"),
                    recipient=EntityRef(m_recipient, "country"),
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
        if kept and donor not in (None, _AMBIGUOUS) and recipient not in (None, _AMBIGUOUS):
            prev = _Ctx(si, donor, recipient, head or last_purpose)
    return _first_mentions(out, uncued)


def _has_stage_word(body: str, m: MoneyRec, sent: Span) -> bool:
    return any(
        not (m.span.start <= s < m.span.end)
        for kws in _terms()["stages"].values()
        for s, _ in keyword_hits(body, kws, sent.start, sent.end)
    )


def _first_mentions(allocs: list[AidRec], uncued: set[Span] | None = None) -> list[AidRec]:
    """One record per allocation: a later mention of the same amount from the same donor to the same
    recipient ("the $300 million" again) repeats it; a year, or a stage that only it states, fills in."""
    uncued = uncued or set()
    first: dict[tuple, int] = {}
    out: list[AidRec] = []
    for a in allocs:
        key = (a.donor, a.recipient, a.amount, a.currency)
        i = first.get(key)
        if i is None or (None not in (out[i].fiscal_year, a.fiscal_year) and out[i].fiscal_year != a.fiscal_year):
            first[key] = len(out)  # new, or the same amount for another year
            out.append(a)
        else:
            if out[i].fiscal_year is None and a.fiscal_year is not None:
                out[i] = replace(out[i], fiscal_year=a.fiscal_year)
            if out[i].span in uncued and a.span not in uncued:
                out[i] = replace(out[i], stage=a.stage)
                uncued.discard(out[i].span)
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
            if (a.donor, a.recipient, a.purpose) == (c.donor, c.recipient, c.purpose) and _value(a) is not None
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
            if a.purpose != "total" and v is not None and (a.purpose not in parts or v < _value(parts[a.purpose])):
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
