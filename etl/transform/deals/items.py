"""The item of a deal: which item phrase of a clause is the deal's, and its maker's country."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from etl.records import EntityRef, MentionRec, Span
from etl.reference.lexicons import deal_lexicon
from etl.transform.deals.item_phrases import MEASURE, Item
from etl.transform.deals.model import _Deal, _Hit
from etl.transform.deals.patterns import _DEF_ITEM
from etl.transform.regex_prefilter import compile_scanner
from etl.transform.textrel import singular

# words of one noun phrase between a demonym and its head noun (no preposition, verb or comma)
_NP_GAP = compile_scanner(
    r"(?:\s+(?!(?:of|for|from|to|with|by|in|on|at|and|or|is|was|were|are|has|had)\b)[\w/-]+)*\s+", re.I
)

if TYPE_CHECKING:
    from etl.transform.deals.extractor import _Extractor


class ItemMixin:
    """Takes items into a deal."""

    def _absorb_item(self, deal: _Deal, item: Item) -> None:
        """Take ``item`` as the deal's item when it is more specific (or says more of the same);
        else complete the quantity and head noun of the same item ("Gripen" ... "36 Gripen NG fighters")."""
        same = deal.item_text is not None and self._same_items(item.rank, item.head, item.text, item.entity, deal)
        if item.span.end and _DEF_ITEM.search(self.body, max(0, item.span.start - 40), item.span.start):
            deal.told_before = True  # "to acquire the 211 vehicles": items already told of
        counted = same and item.rank == deal.item_rank and item.quantity and not deal.quantity
        if deal.item_text is None or item.rank > deal.item_rank or (same and _fuller(item, deal)) or counted:
            _set_item(deal, item, self)
        elif same:
            deal.quantity = deal.quantity or item.quantity
            if deal.item_head not in self.items.heads and item.head in self.items.heads:
                deal.item_head = item.head

    def _demonym_of_item(self, m: MentionRec, live: Span, deal: _Deal) -> bool:
        """A demonym right before an item ("Russian arms", "Chinese K-8 jets") names the maker."""
        if m.method != "demonym" or re.search(r"[’']s$", m.surface):
            return False
        return self._item_at(m.span.end, live, deal)

    def _buy_noun_after(self, m: MentionRec, hits: list[_Hit]) -> bool:
        """The demonym's phrase ends in a purchase noun ("Kenyan Black Hawk buy", "the Peruvian tank order")."""
        return any(
            h.cue.frame == "buy"
            and 0 < h.span.start - m.span.end <= 40
            and _NP_GAP.fullmatch(self.body, m.span.end, h.span.start) is not None
            for h in hits
        )

    def _made_end(self, m: MentionRec) -> int:
        made = re.match(self.lex.made_suffix, self.body[m.span.end : m.span.end + 20], re.IGNORECASE)
        return m.span.end + (made.end() if made else 0)

    def _item_at(self, pos: int, live: Span, deal: _Deal) -> bool:
        """An item phrase of the deal starts right after ``pos`` ("Chinese-made patrol vessels", not
        "British-made components", nor "its Israeli-made Kfirs" in a deal for Super Tucanos); a generic
        one ("Russian arms including 92 T-72 tanks") covers the deal's items."""
        nxt = re.match(r"\s+", self.body[pos : live.end])
        if nxt is None:
            return False
        start = pos + nxt.end()
        return any(
            i.span.start == start
            and (i.generic or i.text == deal.item_text or self._same_items(i.rank, i.head, i.text, i.entity, deal))
            for i in self.items.all(start, live.end)
        )


def _set_item(deal: _Deal, item: Item, ex: _Extractor) -> None:
    same = deal.item_text is not None and ex._same_items(item.rank, item.head, item.text, item.entity, deal)
    quantity = item.quantity or (deal.quantity if same else None)
    head = item.head if (item.head in ex.items.heads or not same) else deal.item_head
    deal.item, deal.item_text, deal.item_generic = item.entity, item.text, item.generic
    deal.item_country = item.country
    deal.item_rank, deal.item_head, deal.quantity = item.rank, head, quantity
    deal.approximate = item.approximate and quantity == item.quantity
    deal.quantity_max = item.quantity_max if quantity == item.quantity else None


def _fuller(item: Item, deal: _Deal) -> bool:
    """Same rank, and the phrase says more ("offshore patrol vessels" after "patrol vessel")."""
    new = {singular(w) for w in re.findall(r"[\w-]+", item.text.lower())}
    old = {singular(w) for w in re.findall(r"[\w-]+", (deal.item_text or "").lower())}
    return item.rank == deal.item_rank and old < new


_VARIANT = compile_scanner(
    r"\b(?:" + "|".join(deal_lexicon().variant_words) + r")\s+[\w/-]*\d[\w/-]*", re.IGNORECASE
)


def _designators(text: str | None, entity: EntityRef | None) -> set[str]:
    """Proper-name and model words of an item ("Gripen NG fighters" -> {gripen, ng}); a variant
    qualifier ("Block 15", "Tranche 3") names no other system."""
    words = re.findall(r"[\w-]+", _VARIANT.sub(" ", (text or "") + " " + (entity.name if entity else "")))
    return {w.lower().removesuffix("s") for w in words if re.search(r"[A-Z]|\d", w) and not MEASURE.fullmatch(w)}

