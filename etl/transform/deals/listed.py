"""Earlier deals told as a list: "X's earlier contracts with Y include A, B and C" is one signed deal
per listed item (buyer and supplier from the phrase before the list), each kept apart from the deal
the article is about."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from etl.records import DealEventRec, Span
from etl.transform.deals.model import _Deal, _Hit
from etl.transform.regex_prefilter import compile_scanner

# "earlier" and a plural deal noun, then (in its own relative clause or not) "include(s)/including/such as"
_LIST_HEAD = compile_scanner(
    r"\b(?:earlier|previous|prior|past|former|older)\s+(?:[\w-]+\s+)?"
    r"(?:contracts|deals|orders|purchases|acquisitions|agreements)\b"
    r"(?P<np>[^.;:]{0,80}?)(?:,\s*)?(?:which\s+|that\s+)?(?:have\s+|had\s+)?"
    r"(?:include[sd]?|including|such\s+as)\s",
    re.IGNORECASE,
)
# an umbrella before its parts ("10 vessels comprising A, B and C") is no deal of its own
_UMBRELLA = compile_scanner(r"\s*,?\s*(?:comprising|consisting\s+of|made\s+up\s+of|including|of\s+which)\b", re.I)

if TYPE_CHECKING:
    from etl.transform.deals.extractor import _Extractor


class ListMixin:
    """Splits a list of earlier contracts into deals."""

    def _listed_deals(self: _Extractor, sent: Span) -> None:
        m = _LIST_HEAD.search(self.body, sent.start, sent.end)
        if m is None:
            return
        items = [
            it
            for it in self.items.all(m.end(), sent.end)
            if not it.generic and not _UMBRELLA.match(self.body, it.span.end)
        ]
        if len(items) < 2:
            return  # one item is an ordinary deal, told by the cue rules
        owners = self.parties.parties(sent.start, m.start() + len(m.group(0)))
        states = [p for p in owners if p.state]
        firms = [p for p in owners if not p.state]
        buyers = states[-1:] if firms else states[:1]
        sellers = firms or states[1:2]
        for it in items:
            deal = _Deal(kind="contract", separate=True, spans=[sent])
            self._absorb_item(deal, it)
            for p in buyers:
                self._add_party(deal, p, "buyer")
            for p in sellers:
                self._add_party(deal, p, "supplier")
            deal.events.append(DealEventRec("signed", sent))
            deal.statuses.add("active")
            self.deals.append(deal)


    def _participle_owner(self: _Extractor, h: _Hit, live: Span, deal: _Deal) -> _Deal:
        """The deal a reduced participle tells of: that of the named items right before it ("built like
        the Lima-class frigates delivered this year" tells of the Lima-class deal, not this one)."""
        if not self._reduced(h, live):
            return deal
        before = [it for it in self.items.all(live.start, h.span.start) if not it.generic]
        if not before or self.body[before[-1].span.end : h.span.start].strip(" ,"):
            return deal
        names = _names(before[-1].text)
        if not names or names & _names(deal.item_text or "", low=True):
            return deal
        return next((d for d in reversed(self.deals) if names & _names(d.item_text or "", low=True)), deal)


def _names(text: str, low: bool = False) -> set[str]:
    """Capitalised name words of an item phrase, lower-cased (with ``low``: every word)."""
    rx = r"[\w-]+" if low else r"\b[A-Z][\w-]*[a-z][\w-]*"
    return {w.lower() for w in re.findall(rx, text)}
