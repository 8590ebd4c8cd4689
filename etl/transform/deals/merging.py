"""One deal, one record: merging the mentions of the same deal, keeping distinct deals apart."""

from __future__ import annotations

import dataclasses
import re
from typing import TYPE_CHECKING

from etl.records import Span
from etl.transform.deals.events import _add_event
from etl.transform.deals.item_phrases import Item
from etl.transform.deals.model import _close, _Deal
from etl.transform.deals.parties import Party
from etl.transform.regex_prefilter import compile_scanner

if TYPE_CHECKING:
    from etl.transform.deals.extractor import _Extractor


def _merge_duplicates(deals: list[_Deal], ex: _Extractor) -> list[_Deal]:
    """Merge until nothing changes: a merge can make a deal the twin of one seen before it."""
    while True:
        out: list[_Deal] = []
        for d in deals:
            twin = next((o for o in out if _same(o, d, ex)), None)
            if twin is None:
                out.append(d)
            else:
                _merge_into(twin, d, ex)
        if len(out) == len(deals):
            return out
        deals = out


def _merge_into(twin: _Deal, d: _Deal, ex: _Extractor) -> None:
    twin.spans += [s for s in d.spans if s not in twin.spans]
    for p in d.parties:
        ex._add_party(
            twin,
            Party(p.entity, p.country_code, p.named, p.role == "buyer", Span(0, 0)),
            p.role,
            weak=(p.entity, p.role) in d.weak_roles,
        )
    twin.weak_roles |= {r for r in d.weak_roles if r not in {(p.entity, p.role) for p in twin.parties}}
    for e in d.events:
        _add_event(twin, dataclasses.replace(e), weak=id(e) in d.weak_events)
    twin.statuses |= d.statuses
    twin.told_past = twin.told_past or d.told_past
    twin.amounts += [m.amount for m in (twin.value, d.value) if m is not None] + d.amounts
    twin.value = twin.value or d.value
    if d.item_text is not None:
        item = Item(
            d.item, d.item_text, Span(0, 0), d.item_generic, d.quantity, d.item_rank, d.item_head, d.approximate,
            d.quantity_max, country=d.item_country,
        )
        ex._absorb_item(twin, item)
    twin.replaces = twin.replaces or d.replaces
    twin.topic_buyer = twin.topic_buyer and d.topic_buyer
    twin.cosigners += [p for p in d.cosigners if p.entity not in {q.entity for q in twin.cosigners}]


def _bidders_conflict(a: _Deal, b: _Deal) -> bool:
    """``a`` has a named seller, ``b`` only bidders, none of them that seller: another competition."""
    sellers = {p.entity for p in a.parties if p.role == "supplier" and p.named}
    bidders = {p.entity for p in b.parties if p.role == "bidder"}
    return bool(sellers and bidders and not any(p.role == "supplier" for p in b.parties) and not sellers & bidders)


def _told_amount(a: _Deal, b: _Deal) -> bool:
    """A value of ``b`` is one told for ``a`` (its own or one of a mention merged into it)."""
    mine = [a.value.amount] if a.value is not None else []
    theirs = [b.value.amount] if b.value is not None else []
    return any(_close(x, y) for x in mine + a.amounts for y in theirs + b.amounts)


def _same_buyer(a: _Deal, b: _Deal) -> bool:
    ba = {p.country_code for p in a.parties if p.role == "buyer"} - {None}
    return bool(ba & {p.country_code for p in b.parties if p.role == "buyer"})


def _same_seller(a: _Deal, b: _Deal) -> bool:
    """Both deals name a company as supplier, and the same one."""
    sa = {p.entity for p in a.parties if p.role == "supplier" and p.named and p.entity.entity_type != "country"}
    return bool(sa & {p.entity for p in b.parties if p.role == "supplier" and p.named})


def _suppliers_conflict(a: _Deal, b: _Deal) -> bool:
    """Both deals name suppliers and none can be the same: different companies, or different
    countries when a side names only states."""
    sa = [p for p in a.parties if p.role == "supplier" and p.named]
    sb = [p for p in b.parties if p.role == "supplier" and p.named]
    if not sa or not sb or {p.entity for p in sa} & {p.entity for p in sb}:
        return False
    firms_a = {p.entity for p in sa if p.entity.entity_type != "country"}
    firms_b = {p.entity for p in sb if p.entity.entity_type != "country"}
    if firms_a and firms_b:
        return True
    ca, cb = {p.country_code for p in sa} - {None}, {p.country_code for p in sb} - {None}
    return bool(ca and cb and not ca & cb)


_CONCLUDED = {"signed", "awarded", "delivered"}


def _ended(d: _Deal) -> bool:
    return any(e.event_type in {"cancelled", "never_materialized"} for e in d.events)


def _before_end(b: _Deal, a: _Deal, body: str) -> bool:
    """Every concluded event of ``b`` came before ``a`` ended: dated before it ("delivered five in 2009"
    of a contract cancelled in 2015), or, the end undated, told in the past perfect ("HAL had
    delivered five"): events of the deal that ended, not a new deal."""
    ends = [e.date for e in a.events if e.event_type in {"cancelled", "never_materialized"}]
    done = [e for e in b.events if e.event_type in _CONCLUDED]
    if not ends or not done:
        return False
    if all(ends):
        return all(e.date is not None and e.date.year < min(d.year for d in ends if d) for e in done)
    return all(_PERFECT.search(body, e.span.start, e.span.end) for e in done)


_PERFECT = compile_scanner(r"\bhad\s+(?:been\s+)?(?:\w+ed|bought|sold|signed|won)\b", re.IGNORECASE)


def _same(a: _Deal, b: _Deal, ex: _Extractor) -> bool:
    """Two deals of one article are one when their values agree; or, one value missing, when nothing
    conflicts (quantity, suppliers), the buyers agree and the items may be the same (one entity,
    compatible heads such as "fighter" and "Gripen NG fighters", or one side naming none)."""
    if b.separate:
        return False
    concluded = any(e.event_type in _CONCLUDED for e in b.events)
    if _ended(a) and concluded and not _ended(b) and not _before_end(b, a, ex.body):
        # "In 2019 Chile cancelled its tender for helicopters. In 2021 Chile signed a contract for
        # eight H145s": a deal concluded after an earlier one ended is another deal
        return False
    if a.value is not None and b.value is not None and not _told_amount(a, b):
        # "an €800 million order for 75 trucks" + "the army will spend €1.1 billion in all on the 75
        # trucks": one purchase told with its contract value and its total cost (not "12 jets for
        # $300 million" and, earlier, "12 jets in a deal worth $190 million")
        told_before = a.told_before or b.told_before
        return bool(told_before and a.quantity and a.quantity == b.quantity and _same_buyer(a, b)) and (
            ex.items.compatible(a.item_head, b.item_head)
            or ex._same_items(b.item_rank, b.item_head, b.item_text or "", b.item, a)
        )
    if a.value is not None and b.value is not None:
        return True
    if _bidders_conflict(a, b) or _bidders_conflict(b, a):
        return False
    if a.quantity and b.quantity and a.quantity != b.quantity:
        return False
    if _suppliers_conflict(a, b):
        return False
    ba = {p.country_code for p in a.parties if p.role == "buyer"}
    bb = {p.country_code for p in b.parties if p.role == "buyer"}
    if a.item is not None and a.item == b.item:
        return not ba or not bb or bool(ba & bb)
    if not (ba & bb) - {None}:
        # a buyer left unsaid ("Our ministry has ordered 30 trucks") with the same count of
        # the same kind of item is the deal told before
        one_unsaid = not (ba - {None}) or not (bb - {None})
        if one_unsaid and (a.item_rank == 0 or b.item_rank == 0) and _same_seller(a, b):
            # "Denmark will buy 36 jets from Boeing, which won a contract worth ...": the seller's
            # contract with no buyer nor item of its own is the deal it sells in
            return True
        return bool(one_unsaid and a.quantity and a.quantity == b.quantity) and ex._same_items(
            b.item_rank, b.item_head, b.item_text or "", b.item, a
        )
    if a.item_rank == 0 or b.item_rank == 0:
        # "Venezuela signs arms deal with Russia" + "... to buy 92 T-72 tanks"; "Brazil awarded a
        # $4.5 billion contract to Saab" + "will buy 36 Gripen NG fighters" (one value unknown)
        return True
    return ex._same_items(b.item_rank, b.item_head, b.item_text or "", b.item, a)
