"""The item of a deal: a weapon-system mention or an item noun phrase, with its quantity.

"36 Gripen NG fighters" -> text "Gripen NG fighters", quantity 36; "a number of portable air defense
systems" -> text "portable air defense systems", no quantity; "$34 million worth of arms and
equipment" -> generic text "arms and equipment" (kept as text, never an anchor). A phrase stops at
a number, a possessive, a deal verb ("signs arms deal" -> "arms") or an ordinal ("the first jets");
an item noun that modifies an actor ("arms exporter Rosoboronexport", "aircraft maker") is none.
A company named right before the item is its ``maker`` ("24 Sukhoi Su-30MK2 fighter jets": the
quantity is read before it); a demonym may stand between the number and the item ("20 Chinese FC-1
jets"); "a"/"an" before a named item counts one ("a C-295 delivered in 2008"); a number after
"first"/"remaining" is a batch, not the order ("Receives First Six K-8 Jets").

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
from etl.transform.regex_prefilter import compile_scanner
from etl.transform.textrel import mentions_in, parse_number, singular, start_index

_VAGUE_HEADS = {"system", "systems", "vehicle", "vehicles", "supplies"}
_WORD = compile_scanner(r"[\w’'.-]+")
# a size before an item noun ("2,400-ton offshore patrol vessels", "155mm howitzers"): part of its
# description, but no designation of a system
MEASURE = compile_scanner(
    r"(?:\d{1,3},)?\d+(?:\.\d+)?[-‐]?(?:tons?|tonnes?|mm|millimet(?:er|re)s?|met(?:er|re)s?|m|ft|foot)", re.I
)
_QTY = compile_scanner(
    r"(?<![\w$.,])(\d[\d,]*|[a-z]+(?:-[a-z]+)?)\s+(?:(?:new|additional|more|used|second-hand|modern|refurbished)\s+)?"
    r"(?:[\d,.]+[-‐](?:ton|tonne|metre|meter|mm|m)\s+)?"  # "two 3,200-ton frigates"
    r"(?:(?-i:[A-Z][a-z]+)(?:[-‐](?:made|built))?\s+)?$",  # "20 Chinese FC-1 jets", "24 Russian-built Mi-171s"
    re.IGNORECASE,
)


# "six to eight patrol boats", "10-12 helicopters": the lower bound before the quantity
_RANGE_LOW = compile_scanner(r"(?<![\w$.,])(\d[\d,]*|[a-z]+)\s*(?:to|-|–|or)\s*$", re.IGNORECASE)
_INFINITIVE = compile_scanner(r"\b(?:to|will|would|can|could|must|should|shall|may|might)\s+$", re.IGNORECASE)
_PART = compile_scanner(r"\b(?:first|last|remaining|next|final|initial|another)\s+$", re.IGNORECASE)
_APPROX = compile_scanner(
    r"\b(?:more\s+than|over|nearly|almost|some|about|around|roughly|at\s+least)\s+$", re.IGNORECASE
)


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
    quantity_max: int | None = None  # the upper bound of a range ("six to eight"): quantity is the lower
    maker: MentionRec | None = None  # a company named right before the item ("Embraer A-29 Super Tucano")
    country: str | None = None  # the weapon system's country of origin (its mention's country code)

    @property
    def designated(self) -> bool:
        return self.rank >= 2


class ItemFinder:
    """Finds item noun phrases in spans of one article."""

    def __init__(self, body: str, mentions: Sequence[MentionRec], lex: DealLexicon) -> None:
        self.body = body
        self.mentions = list(mentions)
        self.starts = start_index(self.mentions)
        self.heads = {h.lower() for h in lex.item_heads}
        self.generic = {h.lower() for h in lex.generic_items}
        self.vague = {h.lower() for h in lex.generic_modifiers}
        self.stop = {w.lower() for w in lex.item_stopwords}
        self.followers = {w.lower() for w in lex.non_item_followers + lex.company_nouns}
        self.families = [{singular(w.lower()) for w in row} for row in lex.item_families]
        self.head_aliases = {k.lower(): v.lower() for k, v in lex.head_aliases.items()}
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
        ms = mentions_in(self.mentions, start, end, self.starts)
        blocked = [m.span for m in ms if m.entity.entity_type != "weapon_system"] + list(avoid)
        out: list[Item] = []
        for m in ms:
            if m.entity.entity_type == "weapon_system" and not _overlaps(m.span, avoid):
                stop = self._extend_right(m.span.end, end)
                item = self._item(m.entity, m.span.start, stop, False, self._maker(ms, m.span.start))
                item.country = (m.country_code or "").upper() or None
                out.append(item)
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
            if _INFINITIVE.search(self.body, max(0, h.start() - 8), h.start()):
                continue  # "failed to ship the parts", "will arm the rebels": a verb, not an item
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
            out.append(self._item(None, np_start, np_end, generic, self._maker(ms, np_start)))
            covered.append(Span(np_start, np_end))
        out.sort(key=lambda i: i.span.start)
        return out

    def _maker(self, ms: Sequence[MentionRec], start: int) -> MentionRec | None:
        """The company named right before an item ("Embraer A-29", "Airbus Helicopters AS565 Panther",
        "Saab's Gripen NG")."""
        prev = next((m for m in reversed(ms) if m.span.end <= start), None)
        if (
            prev is None
            or prev.entity.entity_type != "organization"
            or not re.fullmatch(r"(?:[’']s)?[ \u00a0]", self.body[prev.span.end : start])
        ):
            return None
        return prev

    def _item(
        self, entity: EntityRef | None, start: int, end: int, generic: bool, maker: MentionRec | None = None
    ) -> Item:
        text_start = start
        start = maker.span.start if maker is not None else start  # "24 Sukhoi Su-30MK2 fighters"
        q = _QTY.search(self.body, max(0, start - 30), start)
        qty = parse_number(q.group(1)) if q else None
        if qty is not None and q is not None and re.fullmatch(r"(?:19|20)\d\d", q.group(1)):
            qty = None
        if q is not None and _PART.search(self.body, max(0, q.start() - 15), q.start()):
            qty = None  # "Receives First Six Chinese K-8 Jets": a batch, not the order
        qmax = None
        if qty is not None and q is not None:
            low = _RANGE_LOW.search(self.body, max(0, q.start() - 15), q.start())
            low_n = parse_number(low.group(1)) if low else None
            if q.group(1).lower() == "dozen" and low is None:
                mult = re.search(r"(\w+)\s+$", self.body[max(0, q.start() - 15) : q.start()])
                factor = parse_number(mult.group(1)) if mult else None
                qty = qty * factor if factor else qty  # "three dozen fighters"
            elif low_n is not None and low_n < qty:
                qty, qmax = low_n, qty
        text = self.body[text_start:end]
        if q is not None and q.group(1).lower() in {"a", "an"} and (entity is not None or _designated(text)):
            qty = 1  # "a C-295 delivered in 2008", "an Earth observation satellite"
        words = _WORD.findall(text)
        if entity is not None:
            rank = 3
        elif generic:
            rank = 0
        else:
            rank = 2 if any(re.search(r"[A-Z]|\d", w) and not MEASURE.fullmatch(w) for w in words) else 1
        head = singular(words[-1].lower().rstrip(".")) if words else ""
        if len(words) >= 2:
            head = self.head_aliases.get(" ".join(words[-2:]).lower(), head)  # "unmanned aerial vehicles"
        approx = bool(q and _APPROX.search(self.body, max(0, q.start() - 20), q.start()))
        return Item(entity, text, Span(text_start, end), generic, qty, rank, head, approx, qmax, maker)

    def compatible(self, a: str, b: str) -> bool:
        """True when head nouns ``a`` and ``b`` may name the same items ("aircraft" and "fighter")."""
        a, b = singular(a.lower()), singular(b.lower())
        return a == b or any(a in f and b in f for f in self.families)

    def _extend_right(self, pos: int, end: int) -> int:
        """Through the head noun after a weapon name ("Su-30MK2 fighter jets", "K-8W trainer jets")."""
        prev, stop = pos, pos
        for n, w in enumerate(_WORD.finditer(self.body, pos, end)):
            if (n >= 3 and stop == pos) or n >= 5 or self.body[prev : w.start()].strip():
                break
            if w.group(0).lower().rstrip(".") in self.heads:
                stop = w.end() - (1 if w.group(0).endswith(".") else 0)
                if w.group(0).endswith("."):
                    break
            elif stop > pos:
                break
            prev = w.end()
        return stop

    def _extend_left(self, pos: int, start: int, blocked: Sequence[Span]) -> int:
        np_start = pos
        words = list(_WORD.finditer(self.body, start, pos))
        for w in reversed(words[-4:]):
            text = w.group(0)
            gap = self.body[w.end() : np_start]
            span = Span(w.start(), w.end())
            # "Mirage 5 jets", "King Air 350ER aircraft"
            designation = bool(re.fullmatch(r"\d+(?:[A-Z]{1,3}\d*)?", text)) and self._named_before(w.start(), start)
            size = MEASURE.search(self.body, max(start, w.start() - 4), w.end())
            if size is not None and size.end() == w.end() and not gap.strip():
                np_start = size.start()
                break  # a size is the leftmost word of the description
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
        _COMPILED[id(lex)] = (
            lex, compile_scanner(rf"\b(?:{alt})\b", re.IGNORECASE), compile_scanner(verbs, re.IGNORECASE)
        )
    return _COMPILED[id(lex)][1:]


def _designated(text: str) -> bool:
    """A singular item phrase with a proper or model name ("Earth observation satellite")."""
    words = _WORD.findall(text)
    return bool(words) and any(re.search(r"[A-Z]|\d", w) for w in words) and singular(words[-1]) == words[-1]


def _overlaps(span: Span, others: Sequence[Span]) -> bool:
    return any(o.start < span.end and span.start < o.end for o in others)


def item_key(text: str | None) -> str:
    """A loose key for an item phrase: last three words, singular ("portable air defense systems" ->
    "air defense system")."""
    if not text:
        return ""
    words = re.findall(r"[a-z0-9-]+", text.lower())[-3:]
    return " ".join(singular(w) for w in words)
