"""The item of a deal: a weapon-system mention or an item noun phrase, with its quantity.

"36 Gripen fighters" -> item Gripen, text "36 Gripen fighters", quantity 36; "a number of portable
air defense systems" -> text "portable air defense systems", no quantity; "$34 million worth of
arms and equipment" -> generic text "arms and equipment" (kept as text, never an anchor).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from etl.records import EntityRef, MentionRec, Span
from etl.reference.lexicons import DealLexicon
from etl.transform.textrel import mentions_in, parse_number

_VAGUE_HEADS = {"system", "systems", "vehicle", "vehicles", "supplies"}
_WORD = re.compile(r"[\w’'.-]+")
_QTY = re.compile(
    r"(?<![\w$.,])(\d[\d,]*|[a-z]+(?:-[a-z]+)?)\s+(?:(?:new|additional|more|used|second-hand|modern|refurbished)\s+)?$",
    re.IGNORECASE,
)


@dataclass(slots=True)
class Item:
    """An item phrase found in a clause."""

    entity: EntityRef | None
    text: str
    span: Span
    generic: bool
    quantity: int | None


class ItemFinder:
    """Finds item noun phrases in spans of one article."""

    def __init__(self, body: str, mentions: Sequence[MentionRec], lex: DealLexicon) -> None:
        self.body = body
        self.mentions = list(mentions)
        self.heads = {h.lower() for h in lex.item_heads}
        self.generic = {h.lower() for h in lex.generic_items}
        self.vague = {h.lower() for h in lex.generic_modifiers}
        self.stop = {w.lower() for w in lex.item_stopwords}
        alt = "|".join(sorted((re.escape(h) for h in self.heads | self.generic), key=len, reverse=True))
        self._head = re.compile(rf"\b(?:{alt})\b", re.IGNORECASE)

    def find(self, start: int, end: int, avoid: Sequence[Span] = ()) -> Item | None:
        """The first specific item in ``[start, end)``; else the first generic one."""
        items = self.all(start, end, avoid)
        return next((i for i in items if not i.generic), items[0] if items else None)

    def all(self, start: int, end: int, avoid: Sequence[Span] = ()) -> list[Item]:
        ms = mentions_in(self.mentions, start, end)
        blocked = [m.span for m in ms if m.entity.entity_type != "weapon_system"] + list(avoid)
        out: list[Item] = []
        for m in ms:
            if m.entity.entity_type == "weapon_system" and not _overlaps(m.span, avoid):
                stop = self._extend_right(m.span.end, end)
                out.append(self._item(m.entity, m.span.start, stop, False))
        covered = [i.span for i in out]
        for h in self._head.finditer(self.body, start, end):
            span = Span(h.start(), h.end())
            if _overlaps(span, blocked) or _overlaps(span, covered) or not h.group(0)[0].islower():
                continue
            np_start = self._extend_left(h.start(), start, blocked)
            np_end = h.end()
            nxt = re.match(r"\s+and\s+([\w-]+)\b", self.body[np_end:end])
            if nxt and nxt.group(1).lower() in self.heads | self.generic:
                np_end += nxt.end()
            head = h.group(0).lower()
            others = {w.lower() for w in _WORD.findall(self.body[np_start:np_end])} - {head, "and"}
            if nxt:
                others.discard(nxt.group(1).lower())
            generic = others <= self.generic | self.vague | self.stop and (
                head in self.generic or head in _VAGUE_HEADS
            )
            out.append(self._item(None, np_start, np_end, generic))
            covered.append(Span(np_start, np_end))
        out.sort(key=lambda i: i.span.start)
        return out

    def _item(self, entity: EntityRef | None, start: int, end: int, generic: bool) -> Item:
        q = _QTY.search(self.body, max(0, start - 30), start)
        qty = parse_number(q.group(1)) if q else None
        if qty is not None and q is not None and re.fullmatch(r"(?:19|20)\d\d", q.group(1)):
            qty = None
        return Item(entity, self.body[start:end], Span(start, end), generic, qty)

    def _extend_right(self, pos: int, end: int) -> int:
        prev = pos
        for n, w in enumerate(_WORD.finditer(self.body, pos, end)):
            if n >= 3 or self.body[prev : w.start()].strip():
                break
            if w.group(0).lower().rstrip(".") in self.heads:
                return w.end() - (1 if w.group(0).endswith(".") else 0)
            prev = w.end()
        return pos

    def _extend_left(self, pos: int, start: int, blocked: Sequence[Span]) -> int:
        np_start = pos
        words = list(_WORD.finditer(self.body, start, pos))
        for w in reversed(words[-4:]):
            text = w.group(0)
            gap = self.body[w.end() : np_start]
            if (
                gap.strip()
                or text.lower() in self.stop
                or not re.search(r"[a-z]", text)
                or _overlaps(Span(w.start(), w.end()), blocked)
                or text[0].isdigit()
            ):
                break
            np_start = w.start()
        return np_start


def _overlaps(span: Span, others: Sequence[Span]) -> bool:
    return any(o.start < span.end and span.start < o.end for o in others)


def item_key(text: str | None) -> str:
    """A loose key for an item phrase: last three words, singular ("portable air defense systems" ->
    "air defense system")."""
    if not text:
        return ""
    words = re.findall(r"[a-z0-9-]+", text.lower())[-3:]
    return " ".join(w[:-1] if w.endswith("s") and not w.endswith("ss") and len(w) > 3 else w for w in words)
