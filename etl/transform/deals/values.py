"""Deal values and keys: totals and shares are no deal's value; the natural key of a deal."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from decimal import Decimal

from etl.records import DealRec, MoneyRec, Span
from etl.transform.deals.item_phrases import item_key
from etl.transform.deals.patterns import _DEAL_VALUE_KINDS, _UNIT_PRICE
from etl.transform.regex_prefilter import compile_scanner
from etl.transform.textrel import containing, slug

# between an amount (or an amount restating it) and the next restatement in the same parenthesis
_IN_PARENS = compile_scanner(r"\s*([(,;])\s*(?:or\s+|about\s+|around\s+|roughly\s+|approximately\s+)?")

class ValueMixin:
    """Filters the amounts that may be a deal's value."""

    def _aggregate(self, m: MoneyRec) -> bool:
        """A total or a share of something larger, not one deal's value: "part of a $1.2 billion
        package", "more than $4 billion in Russian arms since 2005", "$1.2 billion in the past three years"."""
        before = self.body[max(0, m.span.start - 60) : m.span.start]
        if any(re.search(p, before, re.IGNORECASE) for p in self.lex.aggregate_before):
            return True
        if not re.search(self.lex.aggregate_goods, self.body[m.span.end : m.span.end + 80], re.IGNORECASE):
            return False
        sent = containing(self.sents, m.span.start) or Span(0, len(self.body))
        return bool(re.search(self.lex.aggregate_period, self.body[sent.start : sent.end], re.IGNORECASE))

    def _conversions(self, money: Sequence[MoneyRec]) -> dict[Span, MoneyRec]:
        """The stated US-dollar equivalent of each amount in another currency ("7 trillion won ($6
        billion)", "€2 billion (Au$3 billion, $2.2 billion)"): value span -> the USD mention."""
        rx = compile_scanner(self.lex.usd_conversion, re.IGNORECASE)
        out: dict[Span, MoneyRec] = {}
        ordered = sorted(money, key=lambda m: m.span.start)
        for i, m in enumerate(ordered):
            if m.currency == "USD":
                continue
            for n in ordered[i + 1 : i + 4]:
                if n.span.start - m.span.end > 60:
                    break
                if n.currency == "USD" and rx.search(self.body[m.span.end : n.span.start]):
                    out[m.span] = n
                    break
        return out

    def _restated(self, money: Sequence[MoneyRec]) -> set[int]:
        """Ids of amounts that restate the amount before them in another currency, inside its
        parenthesis ("NZ$1.8 billion (€1 billion, $1.2 billion)"): no value of their own."""
        ordered = sorted(money, key=lambda m: m.span.start)
        out: set[int] = set()
        for prev, m in itertools.pairwise(ordered):
            gap = self.body[prev.span.end : m.span.start]
            opens = _IN_PARENS.fullmatch(gap)
            if m.currency != prev.currency and opens and (opens.group(1) == "(" or id(prev) in out):
                out.add(id(m))
        return out

    def _sentence_value(self, sent: Span) -> None:
        """A value stated in another clause of the sentence than the deal's cue ("The contract, which
        is worth $320 million, ...", "The tanks, worth $30 million, were ordered"): when the sentence
        tells one deal without a value and holds one deal value no deal has taken, it is that deal's."""
        lacking = [d for d in self.deals if sent in d.spans and d.value is None]
        if len(lacking) != 1:
            return
        used = {id(d.value) for d in self.deals if d.value is not None}
        cands = [
            m
            for m in self.money
            if sent.start <= m.span.start < sent.end
            and id(m) not in used
            and m.kind in _DEAL_VALUE_KINDS
            and not _UNIT_PRICE.match(self.body, m.span.end)
        ]
        if len(cands) == 1:
            lacking[0].value = cands[0]

    def _usd(self, value: MoneyRec | None) -> Decimal | None:
        """A value's USD amount: stated in the text as a conversion, else the money stage's."""
        if value is None:
            return None
        stated = self.conversions.get(value.span)
        if stated is not None:
            return stated.amount
        if value.amount_usd is not None:
            return value.amount_usd
        return value.amount if value.currency == "USD" else None



def deal_key(rec: DealRec) -> str:
    """Stable natural key: buyer country (or buyer), item (or main supplier), value bucket (or year)."""
    buyer = rec.buyer_country or (slug(rec.buyer.name) if rec.buyer else "?")
    supplier = next((p.entity.name for p in rec.parties if p.role == "supplier" and p.named), None)
    what = (slug(rec.item.name) if rec.item else slug(item_key(rec.item_text))) or slug(supplier or "") or "?"
    amount = rec.value_usd if rec.value_usd is not None else rec.value
    bucket = _value_bucket(float(amount)) if amount else (str(rec.year) if rec.year else "?")
    return f"deal|{buyer.lower()}|{what}|{bucket}"


def _value_bucket(amount: float) -> str:
    """Two significant digits, so reports that round a value differently still merge: 114e6 -> 110m."""
    rounded = float(f"{amount:.2g}")
    for size, unit in ((1e9, "bn"), (1e6, "m"), (1e3, "k")):
        if rounded >= size:
            return f"{rounded / size:g}{unit}"
    return f"{rounded:g}"

