"""The item of a deal: a weapon-system mention or an item noun phrase, with its quantity.

"36 Gripen NG fighters" -> text "Gripen NG fighters", quantity 36; "a number of portable air defense
systems" -> text "portable air defense systems", no quantity; "$34 million worth of arms and
equipment" -> generic text "arms and equipment" (kept as text, never an anchor). A phrase stops at
a number, a possessive, a deal verb ("signs arms deal" -> "arms") or an ordinal ("the first jets");
an item noun that modifies an actor ("arms exporter Rosoboronexport", "aircraft maker") is none.

``rank`` orders how specific an item is: 3 a weapon-system mention, 2 a phrase with a designator
("Gripen NG fighters", "Dhruv helicopters"), 1 a plain phrase ("fighter jets"), 0 generic ("arms").
``head`` is the singular head noun, used to tell that "the aircraft" or "the 24 helicopters" refer
back to an item named before (heads of one ``item_families`` row are compatible).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from etl.records import EntityRef, MentionRec, Span
from etl.reference.lexicons import DealLexicon
from etl.transform.textrel import mentions_in, parse_number, singular

_VAGUE_HEADS = {"system", "systems", "vehicle", "vehicles", "supplies"}
_WORD = re.compile(r"[\w’'.-]+")
_QTY = re.compile(
    r"(?<![\w$.,])(\d[\d,]*|[a-z]+(?:-[a-z]+)?)\s+(?:(?:new|additional|more|used|second-hand|modern|refurbished)\s+)?$",
    re.IGNORECASE,
)


_APPROX = re.compile(r"\b(?:more\s+than|over|nearly|almost|some|about|around|roughly|at\s+least)\s+$", re.IGNORECASE)


@dataclass(slots=True)
class Item:
    """An item phrase found in a clause."""

    entity: EntityRef | None
    text: str
    span: Span
    generic: bool
    quantity: int | None
    rank: int = 1
    head: str = ""
    approximate: bool = False  # "more than 80 C-27Js"

    @property
    def designated(self) -> bool:
        return self.rank >= 2


class ItemFinder:
    """Finds item noun phrases in spans of one article."""

    def __init__(self, body: str, mentions: Sequence[MentionRec], lex: DealLexicon) -> None:
        self.body = body
        self.mentions = list(mentions)
        self.heads = {h.lower() for h in lex.item_heads}
        self.generic = {h.lower() for h in lex.generic_items}
        self.vague = {h.lower() for h in lex.generic_modifiers}
        self.stop = {w.lower() for w in lex.item_stopwords}
        self.followers = {w.lower() for w in lex.non_item_followers + lex.company_nouns}
        self.families = [{singular(w.lower()) for w in row} for row in lex.item_families]
        self._head, self._verbs = _compiled(lex)
        self._cache: dict[tuple[int, int, tuple[Span, ...]], list[Item]] = {}

    def find(self, start: int, end: int, avoid: Sequence[Span] = ()) -> Item | None:
        """The first specific item in ``[start, end)``; else the first generic one."""
        items = self.all(start, end, avoid)
        return next((i for i in items if not i.generic), items[0] if items else None)

    def all(self, start: int, end: int, avoid: Sequence[Span] = ()) -> list[Item]:
        key = (start, end, tuple(avoid))
        if key not in self._cache:
            self._cache[key] = self._all(start, end, avoid)
        return self._cache[key]

    def _all(self, start: int, end: int, avoid: Sequence[Span] = ()) -> list[Item]:
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
            follower = re.match(r"[’']?s?\s+([\w-]+)", self.body[h.end() : end])
            if follower and follower.group(1).lower() in self.followers:
                continue  # "arms exporter Rosoboronexport", "aircraft maker"
            if follower and follower.group(0)[0].isspace() and follower.group(1).lower() in self.heads:
                continue  # "fighter jets", "transport aircraft": the last noun is the head
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
        text = self.body[start:end]
        words = _WORD.findall(text)
        if entity is not None:
            rank = 3
        elif generic:
            rank = 0
        else:
            rank = 2 if any(re.search(r"[A-Z]|\d", w) for w in words) else 1
        head = singular(words[-1].lower().rstrip(".")) if words else ""
        approx = bool(q and _APPROX.search(self.body, max(0, q.start() - 20), q.start()))
        return Item(entity, text, Span(start, end), generic, qty, rank, head, approx)

    def compatible(self, a: str, b: str) -> bool:
        """True when head nouns ``a`` and ``b`` may name the same items ("aircraft" and "fighter")."""
        a, b = singular(a.lower()), singular(b.lower())
        return a == b or any(a in f and b in f for f in self.families)

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
            span = Span(w.start(), w.end())
            designation = text.isdigit() and self._named_before(w.start(), start)  # "Mirage 5 jets"
            if (
                gap.strip()
                or text.lower() in self.stop
                or (not re.search(r"[A-Za-z]", text) and not designation)
                or (text[0].isdigit() and not designation)
                or (parse_number(text) is not None and not designation)
                or re.search(r"[’']s$", text)
                or text.endswith(".")
                or _overlaps(span, blocked)
                or self._is_verb(span)
            ):
                break
            np_start = w.start()
        return np_start

    def _named_before(self, pos: int, start: int) -> bool:
        """A capitalized name word right before ``pos`` ("Mirage" of "Mirage 5", "Block" of "Block 50")."""
        prev = re.search(r"(?<![\w’'.-])([A-Z][\w-]*)\s+$", self.body[max(start, pos - 30) : pos])
        return prev is not None and prev.group(1).lower() not in self.stop

    def _is_verb(self, span: Span) -> bool:
        """A deal verb ("signs", "scraps", "export") ends an item phrase walking left."""
        m = self._verbs.match(self.body, span.start)
        return m is not None and m.end() >= span.end


_COMPILED: dict[int, tuple[DealLexicon, re.Pattern[str], re.Pattern[str]]] = {}


def _compiled(lex: DealLexicon) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Item heads and deal verbs as two regexes, compiled once per lexicon."""
    if id(lex) not in _COMPILED:
        heads = {h.lower() for h in lex.item_heads} | {h.lower() for h in lex.generic_items}
        alt = "|".join(sorted((re.escape(h) for h in heads), key=len, reverse=True))
        verbs = "|".join(f"(?:{c.pattern})" for c in lex.cues if not c.noun)
        _COMPILED[id(lex)] = (lex, re.compile(rf"\b(?:{alt})\b", re.IGNORECASE), re.compile(verbs, re.IGNORECASE))
    return _COMPILED[id(lex)][1:]


def _overlaps(span: Span, others: Sequence[Span]) -> bool:
    return any(o.start < span.end and span.start < o.end for o in others)


def item_key(text: str | None) -> str:
    """A loose key for an item phrase: last three words, singular ("portable air defense systems" ->
    "air defense system")."""
    if not text:
        return ""
    words = re.findall(r"[a-z0-9-]+", text.lower())[-3:]
    return " ".join(singular(w) for w in words)
