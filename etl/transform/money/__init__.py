"""Money amounts in article text: amount, currency, range, qualifier, year, kind and USD value.

Data (data/reference): currencies.yaml (symbols, codes, words, scales, qualifiers), money_kinds.yaml
(keyword lists per kind); USD values come from etl.reference.fx (ECB annual averages, and a cited
hand table for what the ECB does not publish).

Rules, in short:
- An amount is a number with a currency symbol/code before it or a currency word/code after it,
  optionally scaled ("million", "bn", "millones", "mil millones"). "multimillion-dollar" has no
  number and is not an amount. Ranges: "$10 million to $15 million", "$10-15 million",
  "between $1 and $2 billion" (scale shared); "from $10 million to $15 million" is two amounts unless
  introduced by "ranging"; "$1 million and $2 million" without "between" is two amounts.
  "a 500 million-dollar contract" is an amount; "a million-dollar question" is not.
- Currency: a specific symbol/word/code wins; "$", "dollars", "pesos", "¥", "pounds", "Bs." are
  decided by ``country_hint`` (ISO alpha-2/alpha-3 or name of the country whose usage the article
  follows, e.g. the publisher's), else their table default ("$" -> USD), else the most-mentioned
  listed country in the article (its names, demonyms and capital), else "XXX" (unknown).
- Year: the nearest date/fiscal-year expression in the amount's clause ("$84 million this year",
  "in 2013", "FY2013"), else one in a fronted phrase ("In 2012, ..."), else one in a participle
  appositive after it ("$400 million, approved in June 2008, ..."), else the publication year. A
  period start ("since 2000") is not the year of a total to date. A change in apposition ("..., a
  cut of $31.5 million", "up $10 million from a year earlier") takes the year of the figure before it.
  A restatement in another currency ("20 million yuan (about $3.2 million)") takes the year and kind
  of the amount it restates. A continuation ("Of the request, $142 million ...", "part of that money")
  takes the year of the figure it refers to when it has none of its own.
  ``year_precision``: "explicit" (four-digit year), "relative" (this/next/last year, months,
  weekdays), "fiscal" (FY/fiscal year; FY 2012-13 -> 2013, the year it ends), "publication"
  (fallback), None (no year and no publication date).
- Kind: nearest keyword (money_kinds.yaml, minus its ``not_keywords`` idioms); generic aid becomes
  military_aid or economic_aid from context words (aid against drug trafficking or terrorism is
  security assistance: military_aid). A budget figure "for <another country>" (an appropriation or
  request of a donor: "Congress appropriated $1.3 billion for Mexico") is aid; a continuation with
  no keyword takes the kind of the figure it refers to.
- USD: USD at 1 ("nominal"); others with the annual average rate of the amount's year (the latest
  year in the table for later years); ``fx_rate_date`` is January 1 of the rate's year.

Added for real articles: "$"/"dollars"/"Rs" name the local money of the country an article is about
(mentioned at least twice, over three times as often as the default's country), except beside an
explicit local amount ("NZ$1.8 billion (€1 billion, $1.2 billion)"); a bare "9.2 billion" takes the
currency of an earlier amount with the same scale in its sentence; "€7. 957 billion". Kind falls back
from keywords to equipment in the clause (its price), a neighbouring sentence's keyword, equipment in
the sentence and the article's dominant kind; title-case lines and programme names count ("Security
Assistance"); "the $300 million" repeats the kind and year of the first such figure. Year: "that year"
takes the latest date before; years bounding a period or naming an older framework ("until 2026",
"under the 2014 agreement") do not count; multi-year and cumulative amounts have none; an undated
article's amount takes the latest dated event before it ("context"). Windows are bounded (kinds.RADIUS).

Modules: currencies (amounts, currencies), kinds, years, links (restatements, continuations), fx.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from decimal import Decimal

from etl.records import MoneyRec, Span
from etl.reference.fx import to_usd
from etl.transform._sentences import clause_of, split_sentences
from etl.transform.money._common import AID_KINDS, REF
from etl.transform.money.currencies import _candidates, _country_code, _resolve_currency, _table
from etl.transform.money.kinds import (
    OWN_AGENCY,
    _aid_context,
    _funds_foreign_country,
    article_topic,
    bounded,
    classify_kind,
    keyword_hits,
    neighbours,
)
from etl.transform.money.links import _continues, _referent, restatements, restates
from etl.transform.money.years import _year_exprs, _year_for, spans_years
from etl.transform.regex_prefilter import compile_scanner

__all__ = ["AID_KINDS", "REF", "find_money", "keyword_hits", "restatements", "restates", "to_usd"]


_CONTEXT_REACH = 1500  # characters back to a dated event for an undated article
_LISTED = compile_scanner(r"\s*(?:[,/;(]|\bor\b)\s*(?:(?:about|around|roughly|some|nearly)\s+)?")
_DEFINITE = compile_scanner(r"(?i)\b(?:the|that|this|those|these)\s+(?:[a-z]+\s+)?$")


def _listed_with(body: str, out: list[MoneyRec], pos: int, currency: str) -> bool:
    """True when the amount at ``pos`` closes a list of restatements ("A (B, C)") one of which is
    already in ``currency``."""
    for rec in reversed(out[-4:]):
        if not _LISTED.fullmatch(body, rec.span.end, pos):
            return False
        if rec.currency == currency:
            return True
        pos = rec.span.start
    return False


def _sentence_index(starts: list[int], pos: int) -> int:
    return max(0, bisect.bisect_right(starts, pos) - 1)


def find_money(body: str, published: dt.date | None, country_hint: str | None = None) -> list[MoneyRec]:
    """Every money amount in ``body`` with currency, range, qualifier, year, kind and USD value.

    Every window is bounded around the amount (kinds.RADIUS), so the cost is linear in the text."""
    tab = _table()
    hint_cc = _country_code(country_hint)
    sentences = split_sentences(body) or [Span(0, len(body))]
    starts = [s.start for s in sentences]
    exprs = sorted(_year_exprs(body, published), key=lambda e: e[0].start)
    expr_starts = [e[0].start for e in exprs]
    topic = article_topic(body)
    last_aid: tuple[int, str] | None = None  # (sentence index, kind) of the latest aid amount
    prior: list[tuple[int, MoneyRec]] = []
    seen: dict[tuple[Decimal, str], MoneyRec] = {}  # first mention of each amount
    out: list[MoneyRec] = []
    for c in _candidates(body):
        span = Span(c.start, c.end)
        si = _sentence_index(starts, c.start)
        sent = bounded(sentences[si], span)
        if c.forms[0].startswith("?"):
            # A bare "13.5 billion" takes the currency of an earlier amount with the same scale word
            # in its sentence ("17 billion baht compared to ... 13.5 billion").
            scale = compile_scanner(rf"(?i){re.escape(c.forms[0][1:])}")
            same = [r for r in reversed(out) if r.span.start >= sent.start and scale.search(r.raw)]
            if not same:
                continue
            currency = same[0].currency
        else:
            currency = _resolve_currency(c.forms, hint_cc, body)
            if c.forms[0] == "$" and currency != "USD" and _listed_with(body, out, c.start, currency):
                currency = "USD"  # "NZ$1.8 billion (€1 billion, $1.2 billion)": "$" beside NZ$ is USD
        qualifier = None
        if q := tab.qualifiers.search(body[max(0, c.start - 40) : c.start]):
            qualifier = tab.qual_label[q.group(1).lower()]
        elif q := tab.post_qualifiers.search(body[c.end : c.end + 20]):
            qualifier = tab.qual_label[f"post:{q.group(1).lower()}"]
        kind = classify_kind(body, span, sentences, si, topic)
        lo, hi = bisect.bisect_left(expr_starts, sent.start), bisect.bisect_right(expr_starts, sent.end)
        prev_end = out[-1].span.end if out and out[-1].span.start >= sent.start else None
        year, precision = _year_for(body, span, sent, exprs[lo:hi], published, prev_end)
        if published is None and precision is None and not spans_years(body, span, clause_of(body, sent, span.start)):
            # No publication date: the latest dated event before the amount in its paragraph region
            # ("The 2009 contract ... The boats cost $2.1 billion") is the best basis there is.
            k = bisect.bisect_right(expr_starts, c.start) - 1
            while k >= 0 and exprs[k][2] not in ("explicit", "fiscal"):
                k -= 1
            if k >= 0 and c.start - exprs[k][0].end <= _CONTEXT_REACH:
                year, precision = exprs[k][1], "context"
        phrase = _continues(body, sent, c.start)
        ref = _referent(body, phrase, sentences, si, prior) if phrase else None
        if phrase and kind not in AID_KINDS and last_aid is not None and 0 < si - last_aid[0] <= 2:
            kind = last_aid[1]  # "The budget is expected to drop to ..." continues an aid figure
        elif ref is not None and (
            kind == "other" or (kind not in AID_KINDS and (phrase or "").startswith("of "))
        ):
            kind = ref[1].kind  # "Of that amount, about S/. 1,100 million will go to procurement"
        if (
            ref is not None
            and precision == "publication"
            and ref[1].year_precision not in ("publication", None)
        ):
            year, precision = ref[1].year, ref[1].year_precision  # "Of the request, $142 million ..."
        first = seen.get((c.amount, currency))
        if first is not None and _DEFINITE.search(body, max(0, c.start - 30), c.start):
            # "the $300 million" names the figure already introduced: its kind and year
            kind = first.kind
            if precision in ("publication", None):
                year, precision = first.year, first.year_precision
        if out and restates(body, out[-1], c, out[-1].currency, currency):
            # "20 million yuan (about $3.2 million)": the same figure, so its year and kind
            kind, year, precision = out[-1].kind, out[-1].year, out[-1].year_precision
        if kind == "budget" and _funds_foreign_country(body, sent, span):
            clause = clause_of(body, sent, span.start)
            kind = _aid_context(body, [clause, sent, *neighbours(sentences, si)], span)
        if kind in AID_KINDS and OWN_AGENCY.match(body, c.end, sent.end):
            kind = "budget"  # "a further $6 million for the Coast Guard"
        if kind in AID_KINDS:
            last_aid = (si, kind)
        usd, rate, rate_date, source = to_usd(c.amount, currency, year)
        rec = MoneyRec(
            span=span,
            raw=body[c.start : c.end],
            amount=c.amount,
            currency=currency,
            amount_max=c.amount_max,
            qualifier=qualifier,
            kind=kind,
            year=year,
            year_precision=precision,
            amount_usd=usd,
            fx_rate=rate,
            fx_rate_date=rate_date,
            fx_source=source,
        )
        out.append(rec)
        prior.append((si, rec))
        seen.setdefault((c.amount, currency), rec)
    return out
