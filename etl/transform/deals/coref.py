"""Which deal a clause is about: a new one (a cue with an anchor: value, item, company and state)
or one told before (a definite deal noun, a definite item phrase)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from etl.records import EntityRef, Span
from etl.transform.deals.item_phrases import Item
from etl.transform.deals.items import _designators
from etl.transform.deals.model import _close, _Deal, _Hit
from etl.transform.deals.patterns import _DEF_ITEM, _NOUN_OF, _NP_FOLLOW, _SEPARATE
from etl.transform.textrel import singular

if TYPE_CHECKING:
    from etl.transform.deals.extractor import _Extractor


class CorefMixin:
    """Resolves the deal of each clause."""

    def _other_deal(self, hits: list[_Hit], deal: _Deal) -> bool:
        """A definite deal noun naming something the deal does not ("the sale of Swedish Gripens"
        in a sentence about FC-1 jets)."""
        for h in hits:
            if not (h.cue.noun and h.definite):
                continue
            m = _NOUN_OF.match(self.body, h.span.end)
            if m is None:
                continue
            told = [deal.item_text or "", deal.item.name if deal.item else ""] + [p.entity.name for p in deal.parties]
            names = " ".join(told).lower()
            words = [w.lower().removesuffix("s") for w in re.findall(r"\b[A-Z][\w-]+", m.group(1))]
            return bool(words) and not any(w in names for w in words)
        return False

    def _resolve(self, hits: list[_Hit], clause: Span, scope_start: int) -> _Deal | None:
        for h in hits:
            if h.negated or h.nominal or not (h.cue.noun or h.cue.introduces):
                continue
            if h.definite and h.cue.noun:
                anchors = self._np_anchors(h, scope_start)
                target = self._target(h.modifiers)
                if target is not None and (not anchors or _matches(target, anchors, self)):
                    lemma = singular(self.body[h.span.start : h.span.end].lower())
                    if not anchors and not h.modifiers and self.noun_last.get(lemma, target) is None:
                        # "to explain the deal" after "a pending deal giving U.S. troops access to
                        # bases": the last "deal" told was not an arms deal
                        self.elsewhere.add(clause)
                        continue
                    if not anchors and self._other_deal([h], target):
                        self.elsewhere.add(clause)  # "the sale of Swedish Gripens", told of other jets
                        continue
                    deal = target
                elif _sufficient(anchors) or (
                    target is None and self._clause_anchors(clause, scope_start, definite=True)
                ):
                    deal = self._new(h)
                    h.definite = False  # "is negotiating the purchase of 14 Kfirs": a new deal, its subject buys
                else:
                    continue
            elif (
                h.cue.introduces
                and not self._compound(h)
                and self._clause_anchors(clause, scope_start, states=h.cue.noun and not h.planned)
                and (not h.cue.needs_item or "item" in self._anchors(clause.start, scope_start))
            ):
                background = any(p.search(self.body, clause.start, scope_start) for p in self.background)
                # "an accompanying offset deal with the Patriot makers": a deal of its own, however
                # its clause names the items of the purchase it accompanies
                side = h.cue.noun and self._side(h) is not None
                anaphor = None if background or side else self._item_anaphor(clause.start, scope_start)
                deal = anaphor or self._new(h)
            else:
                continue
            self.current = deal
            return deal
        return None

    def _item_anaphor(self, start: int, end: int) -> _Deal | None:
        """The deal whose items a definite item phrase refers back to ("The aircraft, ordered in 2009
        under a contract ...", "for the 24 helicopters"), unless the clause states another value."""
        found = self._item_anaphor_at(start, end)
        return found[0] if found else None

    def _item_anaphor_at(self, start: int, end: int) -> tuple[_Deal, Item] | None:
        """:meth:`_item_anaphor` with the item phrase that refers back."""
        value = next((m for m in self.money if start <= m.span.start and m.span.end <= end), None)
        for it in self.items.all(start, end):
            if it.generic or not _DEF_ITEM.search(self.body, max(start, it.span.start - 40), it.span.start):
                continue
            pool = ([self.current] if self.current is not None else []) + list(reversed(self.deals))
            names = {w.lower() for w in re.findall(r"\b[A-Z][\w-]*[a-z][\w-]*", it.text)}
            if names:
                # "the Lima-class frigates delivered this year": the deal of those named items first
                pool.sort(key=lambda d: not names & set(re.findall(r"[\w-]+", (d.item_text or "").lower())))
            for deal in pool:
                if deal.item_text is None or deal.item_rank == 0:
                    continue
                if value is not None and deal.value is not None and not _close(value.amount, deal.value.amount):
                    continue
                if (it.entity is not None and it.entity == deal.item) or (
                    self._same_items(it.rank, it.head, it.text, it.entity, deal) and (it.rank < 2 or it.entity is None)
                ):
                    return deal, it
            return None
        return None

    def _same_items(self, rank: int, head: str, text: str, entity: EntityRef | None, deal: _Deal) -> bool:
        """Could item phrase (rank, head, text, entity) and the deal's item name the same items?
        Two named items need a shared designation ("Gripen" / "36 Gripen NG fighters"); otherwise the
        head nouns must be compatible ("the 24 helicopters", "the aircraft" for "36 Gripen fighters"),
        and a bare designation ("K-8") is referred to only by a family's class noun ("the aircraft")."""
        if deal.item_text is None or deal.item_rank == 0 or rank == 0:
            return False
        if entity is not None and entity == deal.item:
            return True
        if rank >= 2 and deal.item_rank >= 2:
            mine, theirs = _designators(text, entity), _designators(deal.item_text, deal.item)
            if mine and theirs:
                # a variant's letters after a shared model name ("F-16" / "F-16AM", "Su-30" / "Su-30MK2")
                return bool(mine & theirs) or any(_variant(a, b) or _variant(b, a) for a in mine for b in theirs)
        heads, umbrella = self.items.heads, {f[0] for f in self.lex.item_families}
        mine = head if head in heads else ""
        theirs = deal.item_head if deal.item_head in heads else ""
        if not mine or not theirs:
            return mine in umbrella or theirs in umbrella
        return self.items.compatible(mine, theirs)

    def _new(self, h: _Hit) -> _Deal:
        deal = _Deal(kind=h.cue.kind)
        # "Indonesia is also considering offers ...", "is separately buying": another deal
        deal.separate = bool(_SEPARATE.search(self.body, h.clause.start, h.span.start))
        side = self._side(h)
        if side is not None and h.cue.noun:
            # "an accompanying offset deal worth 950 million zlotys": a deal of its own beside the purchase
            deal.separate, deal.kind = True, side.group(1).lower()
        self.deals.append(deal)
        return deal

    def _side(self, h: _Hit) -> re.Match[str] | None:
        """The side-deal word before a cue ("offset", "maintenance", "training" deal)."""
        return re.search(self.lex.side_deal, self.body[max(h.clause.start, h.span.start - 40) : h.span.start])

    def _target(self, modifiers: str) -> _Deal | None:
        for word in re.findall(r"\b[A-Z][\w-]+", modifiers):
            for deal in reversed(self.deals):
                names = [p.entity.name for p in deal.parties] + [deal.item_text or ""]
                if any(word.lower() in n.lower() for n in names):
                    return deal
        return self.current

    def _np_anchors(self, h: _Hit, scope_start: int) -> dict:
        start = h.span.start - len(h.modifiers) - 1
        end = scope_start if _NP_FOLLOW.match(self.body, h.span.end) else h.span.end
        return {k: v for k, v in self._anchors(start, end).items() if k in {"value", "item"}}

    def _clause_anchors(
        self, clause: Span, scope_start: int, definite: bool = False, states: bool = False
    ) -> bool:
        """Enough to start a deal: a value, an item, a company and a state; or two states around a
        deal noun ("Venezuela signs arms deal with Russia")."""
        a = self._anchors(clause.start, scope_start)
        if states and a.get("generic") and a.get("states", 0) >= 2:
            return True
        if definite:
            return bool(a.get("value") or a.get("item") or a.get("company"))
        return _sufficient(a)

    def _anchors(self, start: int, end: int) -> dict:
        out: dict = {}
        value = next((m for m in self.money if start <= m.span.start and m.span.end <= end), None)
        if value is not None:
            out["value"] = value
        item = self.items.find(start, end)
        if item is not None and not item.generic:
            out["item"] = item
        elif item is not None:
            out["generic"] = True
        parties = self.parties.parties(start, end)
        if any(not p.state for p in parties):
            out["company"] = True
        if any(p.state for p in parties):
            out["state"] = True
            out["states"] = len({p.country for p in parties if p.state})
        return out



def _sufficient(a: dict) -> bool:
    return bool(a.get("value") or a.get("item") or (a.get("company") and a.get("state")))


def _matches(deal: _Deal, anchors: dict, ex: _Extractor) -> bool:
    value, item = anchors.get("value"), anchors.get("item")
    if value is not None and deal.value is not None and _close(value.amount, deal.value.amount):
        return True
    if item is not None:
        if item.entity is not None and item.entity == deal.item:
            return True
        if not deal.item_generic and ex._same_items(item.rank, item.head, item.text, item.entity, deal):
            return True
    return False



def _variant(model: str, name: str) -> bool:
    """``name`` is ``model`` with a variant's letters ("f-16am" of "f-16"); not "f-16" of "f-1"."""
    return bool(re.search(r"\d", model)) and name.startswith(model) and name[len(model) :].isalpha()
