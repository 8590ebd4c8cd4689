"""Aid allocations (donor -> recipient, year, amount, purpose, stage) and their consistency checks.

Input: the article body, its money amounts (``find_money``) and country mentions from the entity
matcher. Every amount of kind military_aid/economic_aid becomes an allocation of its sentence, except
a restatement in another currency ("20 million yuan (about $3.2 million)"):
- donor: a country after "from" following an aid word or amount ("$5 million in aid from Japan", not
  "children from Honduras"), after a participle + "by" ("funded by Japan", not "abuses by Honduran
  police"), or right before an aid noun ("U.S. aid"), else the first other country of the sentence
  (the subject: "Washington is devoting ...", not one after a preposition), else a donor's programme
  or institution (aid_terms.yaml ``program_donors``: "FMF", "CARSI", "Congress", "Official Security
  Assistance"), which also beats a subject guessed as donor, else the country opening the
  previous sentence when a pronoun is the subject ("China has made similar gifts. In 2011 it
  donated ..."); recipient: a country after "to"/"for", after a giving verb ("gave Peru"), or before
  "receives". Roles marked in the amount's own clause, or between it and the next amount, win over
  the sentence's ("$12 million for Peru and $8 million for Bolivia"). A role filled by one of several
  coordinated countries ("Honduras, Guatemala and El Salvador") is ambiguous: no allocation. Capital
  cities (data/reference/capitals.yaml) stand for their governments; a dateline ("MEXICO CITY
  (Reuters) -") is not an actor. A missing side is carried from the previous aid sentence within
  ``carry_window`` sentences ("The budget is expected to drop to $74 million next year." continues
  "... $84 million of aid to Peru"). Further fallbacks: a sentence naming no country continues the one
  before it ("Lebanon is the largest recipient of U.S. aid. Over $100 million last year."); a donor's
  recipient so far; "to the country" names the last other country named; the first aid figure of an
  article in a countryless sentence takes the parties its lead names. "used by X" names a user.
- One record per allocation: a repeated figure of the same donor, recipient and year is dropped (its
  year or stated stage fills in). A figure restated in USD right after it ("€2 million ($2.5
  million)") takes that USD value.
- purpose: aid_terms.yaml words after the amount (up to the next amount, the clause end or a
  subordinate clause: "after", "because", "until" ...), else before it in its clause; several are
  joined ("defense_and_counterterrorism"); none -> "total", or the purpose of the figure a change or
  continuation refers to.
- stage (aid_terms.yaml ``stages``; the devset vocabulary requested, pledged, appropriated, delivered,
  withheld, cancelled, actual, plus estimated and projected): "change" for "reduced by $X"/"a $X cut"/
  "a cut of $X"/"up $X from" (amount signed), else the
  nearest stage keyword in the clause, then sentence; a request/projection word found only in the
  sentence does not make a past-year or baseline figure ("compared with $48.2 million in fiscal 2012")
  a request: that one is actual; none -> projected for a later year than publication, else actual.
- attributed_to: "according to (estimates by) the <Name>", "(estimates|figures|data) by <Name>".
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, replace

from etl.records import AidRec, EntityRef, MoneyRec, Span
from etl.transform._sentences import clause_of, split_sentences
from etl.transform.aid.checks import Finding, aid_key, check_changes
from etl.transform.aid.roles import (
    _AMBIGUOUS,
    _THE_COUNTRY,
    _attribution,
    _coordinated,
    _explicit_roles,
    _lead_roles,
    _mentions,
    _pronoun_donor,
    _roles,
    _terms,
)
from etl.transform.aid.stages import _NO_CUE, _PURPOSE_STOP, _change_sign, _has_stage_word, _purposes, _stage
from etl.transform.money import AID_KINDS, keyword_hits, restatements

__all__ = ["Finding", "aid_key", "check_changes", "extract_aid"]


@dataclass
class _Ctx:
    sentence: int
    donor: str
    recipient: str
    purpose: str


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
            # "France's security aid will reach ... in total": the donor's recipient so far
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
