"""Arms deals, tenders and sales from one article, as pure functions over pre-extracted records.

A deal is introduced by a cue from ``data/reference/deal_triggers.yaml`` (contract, deal, tender,
purchase, sale, sold, bought, ordered, took delivery ...) whose clause also holds an anchor: a
contract/sale value, a specific item (weapon-system mention or item noun), or a company and a
state. "the contract", "the deal", "the Triad contract", "this contract cancellation", "the sale"
refer back to the latest deal (or the one whose party/item the modifier names), so all its
sentences merge into one record. So do definite item phrases ("The aircraft, ordered in 2012 under a
contract valued at ...", "for the 24 helicopters"), and a new mention that restates a deal told just
before (same buyer, compatible items, no conflicting value, quantity or supplier: "awarded a $4.5
billion contract to Saab" + "will buy 36 Gripen NG fighters") is merged as soon as its sentence ends.
A deal told as background ("Chile previously bought ...") does not become the current deal. Party
roles come from the cue's frame (who is subject, who follows "to"/"from"/"with"/"by"; in the passive
the agent after "by"; a party after a preposition is no subject, "the U.S. Air Force's decision to
award" is), lifecycle events from event cues dated by the nearest date in the clause that belongs to
that cue; a dateline or attribution date ("X said Monday") dates only the sentence's first event and
gives way to a date stated for the event. Weak roles (a demonym before the item, "Israeli Kfir
fighters"; the other state of "X signs arms deal with Y") give way to stronger ones.

OCDS mapping (Open Contracting Data Standard code lists), status <- set by:

* ``planning``     = tender.status ``planned``       <- plans, negotiations ("negotiated the purchase")
* ``tender``       = tender.status ``active``        <- tendered, bid
* ``awarded``      = award.status ``active``         <- awarded, won, selected
* ``active``       = contract.status ``active``      <- signed, ordered, bought, sold (concluded sale)
* ``complete``     = contract.status ``terminated``  <- delivered, took delivery, received
* ``cancelled``    = tender/award/contract ``cancelled`` <- cancelled, scrapped, annulled, called off
* ``unsuccessful`` = tender.status ``unsuccessful``  <- never materialized, fell through, collapsed
* ``unknown``      = no code                         <- nothing stated

A past-tense "sold"/"bought" is read as a concluded contract (event ``signed``, status ``active``),
not as proof of delivery; only delivery wording gives ``complete``. The highest status in the ranked
list of the lexicon wins, so a cancelled award stays ``cancelled``. "protested" has no OCDS status
(it is an award challenge) and leaves the status unchanged.

Party roles: ``buyer`` = OCDS ``buyer``/``procuringEntity``; ``supplier`` = ``supplier`` (the
winner or seller; a state named by "Chinese-made" or as seller is a supplier too);
``bidder`` = ``tenderer``; ``consortium_member`` = ``tenderer``/``supplier`` listed under the
consortium; ``protester`` = ``interestedParty`` (a challenger of the award). Descriptive parties
("a consortium of Chinese defense manufacturers") carry ``named=False``.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from etl.records import DateRec, DealEventRec, DealRec, EntityRef, MentionRec, MoneyRec, PartyRec, Span
from etl.reference.lexicons import DealCue, DealLexicon, deal_lexicon
from etl.transform.deal_items import Item, ItemFinder, item_key
from etl.transform.deal_parties import Party, PartyFinder
from etl.transform.textrel import (
    clauses,
    country_code,
    datelines,
    nearest_date,
    normalize_mentions,
    sentences,
    singular,
    slug,
)

_DEFINITE = re.compile(r"\b(?:the|this|that|its|their)\s+((?:[\w$.,’'-]+\s+){0,3}?)$", re.IGNORECASE)
# "the aircraft", "the 24 helicopters", "the seven Dhruv helicopters", "the first of two C-27J"
_DEF_ITEM = re.compile(
    r"\b(?:the|these|those|this|its|their)\s+(?:(?:first|second|last|remaining|new|other|same)\s+)?"
    r"(?:(?:\d[\d,]*|[a-z]+)\s+(?:of\s+(?:the\s+)?)?)?$",
    re.IGNORECASE,
)
_UNIT_PRICE = re.compile(r"\s*(?:each|apiece|a\s+piece|per\s+(?:unit|aircraft|ship|vessel|piece))\b", re.IGNORECASE)
_PASSIVE = re.compile(r"\b(?:was|were|been|being|is|are|be)\s+(?:[a-z]+ly\s+)?$", re.IGNORECASE)
# a party that is the object of a preposition is not the subject of a later cue
_PREP_OBJ = re.compile(
    r"\b(?:from|to|with|by|for|at|in|on|over|into|against|between|among|than|via|through|under)\s+"
    r"((?:[\w’'.-]+\s+){0,4})$",
    re.IGNORECASE,
)
_COORD = re.compile(r"\s*(?:,|,?\s*and|&)\s*(?:the\s+)?")
_PRONOUN_SUBJECT = re.compile(r"^\s*(?:it|they|the\s+(?:country|government|nation))\s", re.IGNORECASE)
_BUILT_BY = re.compile(r"\s*,?\s*(?:built|made|manufactured|produced|developed)\s+by\s+", re.IGNORECASE)

_NOT_MODIFIER = {
    "a",
    "an",
    "the",
    "to",
    "of",
    "with",
    "for",
    "and",
    "or",
    "in",
    "on",
    "by",
    "from",
    "at",
    "as",
    "is",
    "was",
    "were",
    "has",
    "had",
    "will",
    "would",
    "that",
    "this",
}
_THAT_YEAR = re.compile(r"\b(?:that|the\s+same)\s+year\b", re.IGNORECASE)
_NP_FOLLOW = re.compile(r"\s+(?:of|for)\b")
_PREP_STOP = re.compile(
    r"\s(?:to|for|in|at|on|from|with|by|worth|valued|over|under|after|before|during|because|since|as)\s"
    r"|\sof\s+(?=\d|(?:a|an|the)\s+\d)|,\s+(?:which|who|whose|according)\s|\s(?:said|says|told)\b"
)
_VERBS_S = {
    "was",
    "has",
    "does",
    "includes",
    "covers",
    "calls",
    "requires",
    "remains",
    "involves",
    "means",
    "provides",
    "gives",
    "goes",
    "makes",
    "comes",
    "seems",
    "shows",
}
_EVENT_PARTY_FRAMES = {"award", "win", "cancel", "protest", "bid"}


@dataclass(slots=True)
class _Hit:
    cue: DealCue
    span: Span
    clause: Span
    definite: bool
    planned: bool
    negated: bool
    past: bool
    modifiers: str = ""
    nominal: bool = False  # a verb cue used as a noun ("its defense exports")


@dataclass(slots=True)
class _Deal:
    spans: list[Span] = field(default_factory=list)
    kind: str | None = None
    parties: list[PartyRec] = field(default_factory=list)
    events: list[DealEventRec] = field(default_factory=list)
    statuses: set[str] = field(default_factory=set)
    value: MoneyRec | None = None
    item: EntityRef | None = None
    item_text: str | None = None
    item_generic: bool = True
    quantity: int | None = None
    replaces: str | None = None
    item_rank: int = 0
    item_head: str = ""
    approximate: bool = False  # the quantity is a tally: "more than 80"
    weak_roles: set[tuple[EntityRef, str]] = field(default_factory=set)
    weak_events: set[int] = field(default_factory=set)  # ids of events dated only by a dateline/attribution


class _Extractor:
    def __init__(
        self, body: str, mentions: list[MentionRec], money: Sequence[MoneyRec], dates: Sequence[DateRec]
    ) -> None:
        self.body = body
        self.lex: DealLexicon = deal_lexicon()
        # a mention inside an amount or a dateline is no party ("US$120 million", "CARACAS, Venezuela (AP) -")
        self.datelines = datelines(body)
        skip = [x.span for x in money] + self.datelines
        self.mentions = [
            m
            for m in normalize_mentions(mentions)
            if not any(x.start <= m.span.start and m.span.end <= x.end for x in skip)
        ]
        self.money = [m for m in money if m.kind in self.lex.value_kinds]
        self.dates = list(dates)
        self.parties = PartyFinder(body, self.mentions, self.lex)
        self.items = ItemFinder(body, self.mentions, self.lex)
        # every cue match of the body, once; a clause takes those inside it
        self.cue_matches = sorted(
            ((m.start(), m.end(), c) for c, rx in _cue_patterns(self.lex) for m in rx.finditer(body)),
            key=lambda t: t[:2],
        )
        self.replace = re.compile(self.lex.replace_marker, re.IGNORECASE)
        self.planning = [re.compile(p, re.IGNORECASE) for p in self.lex.planning_markers]
        self.negation = [re.compile(p, re.IGNORECASE) for p in self.lex.negation_markers]
        self.past = [re.compile(p, re.IGNORECASE) for p in self.lex.past_markers]
        self.background = [re.compile(p, re.IGNORECASE) for p in self.lex.background_markers]
        self.nominal = re.compile(self.lex.nominal_marker, re.IGNORECASE)
        self.weak_dates = self._weak_dates()
        self.rank = {s: i for i, s in enumerate(self.lex.statuses)}
        self.deals: list[_Deal] = []
        self.current: _Deal | None = None
        self.last_event_date: DateRec | None = None

    # -- driver ----------------------------------------------------------------------------------
    def run(self) -> list[_Deal]:
        previous: _Deal | None = None
        for sent in sentences(self.body):
            before_current, known = self.current, len(self.deals)
            plan: list[tuple[Span, Span, list[_Hit], _Deal | None]] = []
            for clause in clauses(self.body, sent):
                scope_start = self._scope_start(clause)
                hits = self._hits(clause, scope_start)
                plan.append(
                    (clause, Span(clause.start, scope_start), hits, self._resolve(hits, clause, scope_start))
                )
            sent_deal = next((d for *_, d in plan if d is not None), None)
            if (
                sent_deal is None
                and previous is not None
                and previous is self.current
                and any(h.cue.event and not h.cue.introduces for *_, hits, _ in plan for h in hits)
                and (
                    any(not p.state for p in self.parties.parties(sent.start, sent.end))
                    or any(sent.start <= m.span.start < sent.end for m in self.money)
                )
            ):
                # a continuation naming a company or an amount: "X and Y submitted bids." right after
                # the deal ("Brazil's armed forces have complained for years" continues nothing)
                sent_deal = previous
            previous = sent_deal
            if sent_deal is None:
                self._aside(sent, plan)
                continue
            first = next((h for *_, hits, _ in plan for h in hits if h.cue.event or h.cue.past_event), None)
            for clause, live, hits, deal in plan:
                self._apply(deal or sent_deal, sent, clause, live, hits, first)
            if (
                before_current is not None
                and len(self.deals) > known
                and self.current in self.deals[known:]
                and any(p.search(self.body, sent.start, sent.end) for p in self.background)
            ):
                self.current = before_current  # "Chile previously bought ...": background, not the story
            for d in self.deals[known:]:
                # a deal told again in other words ("will buy 36 Gripen NG fighters" after "awarded a
                # $4.5 billion contract"): merged now, so later anaphors find one deal
                twin = next((o for o in self.deals[:known] if _same(o, d, self)), None)
                if twin is not None:
                    _merge_into(twin, d, self)
                    self.deals.remove(d)
                    self.current = twin if self.current is d else self.current
                    previous = twin if previous is d else previous
        return _merge_duplicates(self.deals, self)

    def _aside(self, sent: Span, plan: list[tuple[Span, Span, list[_Hit], _Deal | None]]) -> None:
        """A sentence with no deal cue about a deal's items: what they replace ("The new helicopters
        will replace older Mi-17 models") or what they cost ("The vessel cost about $100 million")."""
        for clause, live, _, _ in plan:
            deal = self._item_anaphor(live.start, live.end)
            if deal is None:
                continue
            replaced = self.items.find(live.end, clause.end) if live.end < clause.end else None
            value = next(
                (m for m in self.money if live.start <= m.span.start and m.span.end <= live.end), None
            )
            if value is not None and _UNIT_PRICE.match(self.body, value.span.end):
                value = None
            if (replaced is not None and deal.replaces is None) or (value is not None and deal.value is None):
                deal.replaces = deal.replaces or (replaced.text if replaced else None)
                deal.value = deal.value or value
                if sent not in deal.spans:
                    deal.spans.append(sent)

    def _scope_start(self, clause: Span) -> int:
        m = self.replace.search(self.body, clause.start, clause.end)
        return m.start() if m else clause.end

    def _hits(self, clause: Span, scope_start: int) -> list[_Hit]:
        hits: list[_Hit] = []
        i = bisect.bisect_left(self.cue_matches, clause.start, key=lambda t: t[0])
        for start, end, cue in self.cue_matches[i:]:
            if start >= scope_start:
                break
            if end > scope_start:
                continue
            before = self.body[clause.start : start]
            det = _DEFINITE.search(before)
            mods = det.group(1) if det else ""
            definite = bool(det) and not any(
                w.lower() in _NOT_MODIFIER or (w.lower().endswith("ed") and "-" not in w)
                for w in mods.split()
            )
            hits.append(
                _Hit(
                    cue,
                    Span(start, end),
                    clause,
                    definite,
                    planned=any(p.search(before) for p in self.planning),
                    negated=any(p.search(before) for p in self.negation),
                    past=any(p.search(before) for p in self.past),
                    modifiers=mods if definite else "",
                    nominal=cue.frame in {"buy", "sell"}
                    and not (cue.noun or cue.event)
                    and bool(self.nominal.search(before)),
                )
            )
        hits.sort(key=lambda h: (h.span.start, not h.cue.noun))
        return hits

    def _weak_dates(self) -> list[Span]:
        """Dates of a dateline ("BRASILIA, Dec 18 (Reuters) -") or of a statement ("X said Monday")."""
        attribution = re.compile(self.lex.attribution_marker, re.IGNORECASE)
        return [
            d.span
            for d in self.dates
            if any(x.start <= d.span.start < x.end for x in self.datelines)
            or attribution.search(self.body, max(0, d.span.start - 60), d.span.start)
        ]

    # -- coreference -----------------------------------------------------------------------------
    def _resolve(self, hits: list[_Hit], clause: Span, scope_start: int) -> _Deal | None:
        for h in hits:
            if h.negated or h.nominal or not (h.cue.noun or h.cue.introduces):
                continue
            if h.definite and h.cue.noun:
                anchors = self._np_anchors(h, scope_start)
                target = self._target(h.modifiers)
                if target is not None and (not anchors or _matches(target, anchors, self)):
                    deal = target
                elif _sufficient(anchors) or (
                    target is None and self._clause_anchors(clause, scope_start, definite=True)
                ):
                    deal = self._new(h)
                else:
                    continue
            elif (
                h.cue.introduces
                and not self._compound(h)
                and self._clause_anchors(clause, scope_start, states=h.cue.noun and not h.planned)
            ):
                background = any(p.search(self.body, clause.start, scope_start) for p in self.background)
                anaphor = None if background else self._item_anaphor(clause.start, scope_start)
                deal = anaphor or self._new(h)
            else:
                continue
            self.current = deal
            return deal
        return None

    def _item_anaphor(self, start: int, end: int) -> _Deal | None:
        """The deal whose items a definite item phrase refers back to ("The aircraft, ordered in 2009
        under a contract ...", "for the 24 helicopters"), unless the clause states another value."""
        value = next((m for m in self.money if start <= m.span.start and m.span.end <= end), None)
        for it in self.items.all(start, end):
            if it.generic or not _DEF_ITEM.search(self.body, max(start, it.span.start - 40), it.span.start):
                continue
            pool = ([self.current] if self.current is not None else []) + list(reversed(self.deals))
            for deal in pool:
                if deal.item_text is None or deal.item_rank == 0:
                    continue
                if value is not None and deal.value is not None and not _close(value.amount, deal.value.amount):
                    continue
                if (it.entity is not None and it.entity == deal.item) or (
                    self._same_items(it.rank, it.head, it.text, it.entity, deal) and (it.rank < 2 or it.entity is None)
                ):
                    return deal
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
            return bool(_designators(text, entity) & _designators(deal.item_text, deal.item))
        heads, umbrella = self.items.heads, {f[0] for f in self.lex.item_families}
        mine = head if head in heads else ""
        theirs = deal.item_head if deal.item_head in heads else ""
        if not mine or not theirs:
            return mine in umbrella or theirs in umbrella
        return self.items.compatible(mine, theirs)

    def _compound(self, h: _Hit) -> bool:
        """A noun cue modifying a plural noun ("procurement battles", "sale prices") names no deal."""
        m = re.match(r"\s+([a-z]+)\b", self.body[h.span.end : h.span.end + 30])
        return bool(
            h.cue.noun and m and re.fullmatch(r"[a-z]+[^su]s", m.group(1)) and m.group(1) not in _VERBS_S
        )

    def _new(self, h: _Hit) -> _Deal:
        deal = _Deal(kind=h.cue.kind)
        self.deals.append(deal)
        return deal

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

    # -- facts from one clause -------------------------------------------------------------------
    def _apply(
        self, deal: _Deal, sent: Span, clause: Span, live: Span, hits: list[_Hit], first: _Hit | None
    ) -> None:
        if sent not in deal.spans:
            deal.spans.append(sent)
        if deal.value is None:
            pos = hits[0].span.start if hits else live.start
            cands = [m for m in self.money if live.start <= m.span.start and m.span.end <= live.end]
            if cands:
                deal.value = min(cands, key=lambda m: abs(m.span.start - pos))
        # the items a winner beat ("Saab beat Boeing's F/A-18 Super Hornet") are not the deal's
        beat = next((h.span.start for h in hits if h.cue.frame == "beat"), live.end)
        item = self.items.find(live.start, beat)
        if item is not None:
            self._absorb_item(deal, item)
            built = _BUILT_BY.match(self.body, item.span.end, live.end)
            if built is not None and item.text == deal.item_text:
                for p in self._object(built.end(), live.end):
                    self._add_party(deal, p, "supplier")
        if live.end < clause.end:
            replaced = self.items.find(live.end, clause.end)
            if replaced is not None and deal.replaces is None:
                deal.replaces = replaced.text
        for m in self.mentions:
            if live.start <= m.span.start < live.end and m.entity.entity_type == "country":
                made = self.parties.made_in(m)
                if made and self._item_at(self._made_end(m), live):  # "Soviet-built tanks"
                    self._add_party(deal, Party(m.entity, country_code(m), True, True, m.span), "supplier")
                elif not made and self._demonym_of_item(m, live):
                    party = Party(m.entity, country_code(m), True, True, m.span)
                    self._add_party(deal, party, "supplier", weak=True)  # "Israeli Kfir fighters"
        for h in hits:
            if h.negated or h.nominal:
                continue
            if h.cue.status:
                deal.statuses.add(h.cue.status)
            if h.planned and (h.cue.introduces or h.cue.event):
                deal.statuses.add("planning")
            self._frame(deal, h, sent, live, hits, h is first)

    def _absorb_item(self, deal: _Deal, item: Item) -> None:
        """Take ``item`` as the deal's item when it is more specific (or says more of the same);
        else complete the quantity and head noun of the same item ("Gripen" ... "36 Gripen NG fighters")."""
        same = deal.item_text is not None and self._same_items(item.rank, item.head, item.text, item.entity, deal)
        counted = same and item.rank == deal.item_rank and item.quantity and not deal.quantity
        if deal.item_text is None or item.rank > deal.item_rank or (same and _fuller(item, deal)) or counted:
            _set_item(deal, item, self)
        elif same:
            deal.quantity = deal.quantity or item.quantity
            if deal.item_head not in self.items.heads and item.head in self.items.heads:
                deal.item_head = item.head

    def _demonym_of_item(self, m: MentionRec, live: Span) -> bool:
        """A demonym right before an item ("Russian arms", "Chinese K-8 jets") names the maker."""
        if m.method != "demonym" or re.search(r"[’']s$", m.surface):
            return False
        return self._item_at(m.span.end, live)

    def _made_end(self, m: MentionRec) -> int:
        made = re.match(self.lex.made_suffix, self.body[m.span.end : m.span.end + 20], re.IGNORECASE)
        return m.span.end + (made.end() if made else 0)

    def _item_at(self, pos: int, live: Span) -> bool:
        """An item phrase starts right after ``pos`` ("Chinese-made patrol vessels", not "British-made
        components")."""
        nxt = re.match(r"\s+", self.body[pos : live.end])
        if nxt is None:
            return False
        start = pos + nxt.end()
        return any(i.span.start == start for i in self.items.all(start, live.end))

    def _shadowed(self, h: _Hit, hits: list[_Hit], live: Span) -> list[Span]:
        """Dates that belong to another event cue of the clause: a date goes with the nearest cue
        before it ("filed a protest ... on Tuesday over the decision to award"), else the nearest after."""
        cues = [o.span for o in hits if o.cue.event and live.start <= o.span.start < live.end]
        out = []
        for d in self.dates:
            if not (live.start <= d.span.start < live.end):
                continue
            before = [c for c in cues if c.end <= d.span.start]
            owner = (
                max(before, key=lambda c: c.end)
                if before
                else min(cues, key=lambda c: _gap(d.span, c), default=None)
            )
            if owner is not None and owner != h.span:
                out.append(d.span)
        return out

    def _subject(self, start: int, end: int) -> list[Party]:
        """Parties before a cue that are not objects of a preposition ("with the GAO")."""
        out = []
        for p in self.parties.parties(start, end):
            before = _PREP_OBJ.search(self.body, max(start, p.span.start - 60), p.span.start)
            possessive = re.match(r"[’']s\b", self.body[p.span.end : p.span.end + 2]) or re.search(
                r"[’']s$", self.body[p.span.start : p.span.end]
            )
            if before is not None and not possessive and self._np_words(before.group(1)):
                continue
            out.append(p)
        return out

    def _np_words(self, text: str) -> bool:
        """Words that may stand between a preposition and its object ("with Russian state arms exporter")."""
        ok = {"the", "a", "an", "its", "their", "his", "her", "former", "new"} | {
            w.lower() for w in self.lex.descriptor_words + self.lex.company_nouns
        }
        return all(w.lower() in ok or w[:1].isupper() for w in text.split())

    def _nearest_states(self, parties: list[Party]) -> list[Party]:
        """The state subject nearest the cue, with states coordinated with it ("Peru and Chile")."""
        states = [p for p in parties if p.state]
        if not states:
            return []
        group = [states[-1]]
        for p in reversed(states[:-1]):
            if not _COORD.fullmatch(self.body[p.span.end : group[0].span.start]):
                break
            group.insert(0, p)
        return group

    def _frame(
        self, deal: _Deal, h: _Hit, sent: Span, live: Span, hits: list[_Hit], first: bool = False
    ) -> None:
        frame = h.cue.frame
        before = self.body[live.start : h.span.start]
        passive = not h.cue.noun and bool(_PASSIVE.search(before))
        subj = self._after("by", h.span.end, live.end) if passive else self._subject(live.start, h.span.start)
        if h.cue.noun and frame != "tender":
            # a deal noun is not a verb: its clause subject acts through another cue, so only a
            # state there is taken (as buyer), and only when the noun is not an anaphor
            subj = [] if h.definite else [p for p in subj if p.state]
        after = lambda prep: self._after(prep, h.span.start, live.end)  # noqa: E731
        actors: list[Party] = []
        roles: list[tuple[Party, str]] = []
        weak: list[tuple[Party, str]] = []
        if frame in {"buy", "tender", "cancel"}:
            buyers = self._nearest_states(subj)
            if not buyers and frame == "buy" and _PRONOUN_SUBJECT.match(before):
                buyers = self._sentence_buyers(deal, sent)
            roles += [(p, "buyer") for p in buyers]
            if frame == "buy":
                roles += [(p, "supplier") for p in after("from")]
            actors = [p for p, _ in roles if p.state]
        elif frame == "sell":
            roles += [(p, "supplier") for p in subj]
            iobj = self._iobj(h.span.end, live.end)
            roles += [(p, "buyer") for p in after("to") + ([iobj] if iobj and iobj.state else [])]
        elif frame == "award":
            roles += [(p, "buyer") for p in self._nearest_states(subj)]
            iobj = self._iobj(h.span.end, live.end)
            winners = after("to") or ([iobj] if iobj and not iobj.state else [])
            roles += [(p, "supplier") for p in winners]
            actors = winners
        elif frame == "win":
            actors = [p for p in subj if not p.state]
            roles += [(p, "supplier") for p in actors]
        elif frame == "beat":
            actors = [p for p in subj if not p.state]
            if actors:
                roles += [(p, "supplier") for p in actors]
                roles += [(p, "bidder") for p in self.parties.parties(h.span.end, live.end) if not p.state]
        elif frame in {"sign", "contract"}:
            with_ = after("with")
            if any(p.state for p in subj) and with_ and all(p.state for p in with_):
                # "Venezuela signs arms deal with Russia": the subject buys from the other state
                roles += [(p, "buyer") for p in subj if p.state]
                weak += [(p, "supplier") for p in with_]
            elif not with_ and len({p.country for p in subj if p.state}) > 1:
                # "Brazil and France signed a deal": who buys is not said here
                roles += [(p, "supplier") for p in subj if not p.state]
            else:
                roles += [(p, "buyer" if p.state else "supplier") for p in subj + with_]
            if frame == "contract":
                roles += [(p, "supplier") for p in after("from")]
        elif frame == "bid":
            actors = subj + after("from") + after("against") + after("by")
            roles += [(p, "bidder") for p in actors]
        elif frame == "protest" and subj:
            actors = subj[-1:]
            roles += [(p, "protester") for p in actors]
        head = self.parties.consortium_head([p for p, _ in roles])
        for p, role in roles:
            self._add_party(deal, p, "consortium_member" if p.member else role)
        for p, role in weak:
            self._add_party(deal, p, role, weak=True)
        if frame == "award" and head is not None:
            actors = [head]
        if not h.cue.event and not (h.cue.past_event and h.past):
            return
        if h.planned:
            return
        event = h.cue.past_event if (h.past and h.cue.past_event) else h.cue.event
        shadowed = self._shadowed(h, hits, live)
        date = nearest_date(self.dates, live.start, live.end, h.span.start, exclude=shadowed + self.weak_dates)
        weak_date = False
        if date is None and first:
            date = nearest_date(self.dates, sent.start, sent.end, h.span.start)
            weak_date = date is not None
        if date is not None:
            self.last_event_date = date
        elif _THAT_YEAR.search(self.body, sent.start, sent.end) and self.last_event_date is not None:
            date = DateRec(h.span, "that year", dt.date(self.last_event_date.value.year, 1, 1), "year")
        named = [p for p in actors if p.named and not p.member] or [None]
        for p in named if frame in _EVENT_PARTY_FRAMES else [None]:
            _add_event(
                deal,
                DealEventRec(
                    event or "",
                    h.clause,
                    date.value if date else None,
                    date.precision if date else None,
                    p.entity if p else None,
                ),
                weak=weak_date,
            )

    def _sentence_buyers(self, deal: _Deal, sent: Span) -> list[Party]:
        """The buyer an "it"/"they" subject stands for: that of another deal of the same sentence."""
        for other in reversed(self.deals):
            if other is not deal and sent in other.spans:
                return [
                    Party(p.entity, p.country_code, p.named, True, Span(0, 0))
                    for p in other.parties
                    if p.role == "buyer"
                ]
        return []

    def _after(self, prep: str, start: int, end: int) -> list[Party]:
        m = re.compile(rf"\b{prep}\s+(?=(?:the|a|an|this|its|their|two|three|several|[A-Z]|\d))").search(
            self.body, start, end
        )
        if m is None:
            return []
        return self._object(m.end(), end)

    def _object(self, start: int, end: int) -> list[Party]:
        """Parties of the noun phrase starting at ``start``, up to the next preposition or clause."""
        stop = _PREP_STOP.search(self.body, start, end)
        return self.parties.parties(start, stop.start() if stop else end)

    def _iobj(self, start: int, end: int) -> Party | None:
        first = next(iter(self.parties.parties(start, min(end, start + 60))), None)
        if first is not None and re.fullmatch(
            r"\s*(?:the\s+|a\s+|an\s+|its\s+)?", self.body[start : first.span.start]
        ):
            return first
        return None

    def _add_party(self, deal: _Deal, p: Party, role: str, weak: bool = False) -> None:
        rec = PartyRec(p.entity, role, p.country, p.named)
        if weak and not any(old.entity == rec.entity and old.role == role for old in deal.parties):
            deal.weak_roles.add((rec.entity, role))
        elif not weak:
            deal.weak_roles.discard((rec.entity, role))
        for i, old in enumerate(deal.parties):
            if old.role != role:
                continue
            if old.entity == rec.entity:
                old.country_code = old.country_code or rec.country_code
                return
            compatible = not old.country_code or not rec.country_code or old.country_code == rec.country_code
            if role == "buyer" and old.country_code and old.country_code == rec.country_code:
                if old.entity.entity_type == "country" and rec.entity.entity_type != "country":
                    deal.parties[i] = rec
                return
            if compatible and not old.named and rec.named and role != "buyer":
                deal.parties[i] = rec
                return
            if compatible and old.named and not rec.named and role != "buyer":
                return
        deal.parties.append(rec)

    # -- output ----------------------------------------------------------------------------------
    def to_record(self, deal: _Deal) -> DealRec:
        deal.parties = _drop_weak(deal)
        buyers = [p for p in deal.parties if p.role == "buyer"]
        buyer = next((p for p in buyers if p.entity.entity_type != "country"), buyers[0] if buyers else None)
        statuses = set(deal.statuses)
        statuses |= {s for e in deal.events if (s := self.lex.event_status.get(e.event_type))}
        status = max(statuses, key=lambda s: self.rank[s], default="unknown")
        value = deal.value
        usd = None
        if value is not None:
            usd = (
                value.amount_usd
                if value.amount_usd is not None
                else (value.amount if value.currency == "USD" else None)
            )
        rec = DealRec(
            title="",
            spans=sorted(deal.spans, key=lambda s: s.start),
            buyer=buyer.entity if buyer else None,
            item=deal.item,
            item_text=deal.item_text,
            quantity=deal.quantity,
            value=value.amount if value else None,
            currency=value.currency if value else None,
            value_usd=usd,
            status=status,
            year=_year(deal.events),
            parties=list(deal.parties),
            events=sorted(deal.events, key=lambda e: e.span.start),
            buyer_country=buyer.country_code if buyer else None,
            kind=deal.kind,
            replaces=deal.replaces,
        )
        rec.title = _title(rec)
        return rec


_COMPILED: dict[int, tuple[DealLexicon, list[tuple[DealCue, re.Pattern[str]]]]] = {}


def _cue_patterns(lex: DealLexicon) -> list[tuple[DealCue, re.Pattern[str]]]:
    """The lexicon's cue regexes, compiled once per lexicon (it is not hashable)."""
    if id(lex) not in _COMPILED:
        _COMPILED[id(lex)] = (lex, [(c, re.compile(c.pattern, re.IGNORECASE)) for c in lex.cues])
    return _COMPILED[id(lex)][1]


def _gap(a: Span, b: Span) -> int:
    return max(0, b.start - a.end, a.start - b.end)


def _set_item(deal: _Deal, item: Item, ex: _Extractor) -> None:
    same = deal.item_text is not None and ex._same_items(item.rank, item.head, item.text, item.entity, deal)
    quantity = item.quantity or (deal.quantity if same else None)
    head = item.head if (item.head in ex.items.heads or not same) else deal.item_head
    deal.item, deal.item_text, deal.item_generic = item.entity, item.text, item.generic
    deal.item_rank, deal.item_head, deal.quantity = item.rank, head, quantity
    deal.approximate = item.approximate and quantity == item.quantity


def _fuller(item: Item, deal: _Deal) -> bool:
    """Same rank, and the phrase says more ("offshore patrol vessels" after "patrol vessel")."""
    new = {singular(w) for w in re.findall(r"[\w-]+", item.text.lower())}
    old = {singular(w) for w in re.findall(r"[\w-]+", (deal.item_text or "").lower())}
    return item.rank == deal.item_rank and old < new


def _designators(text: str | None, entity: EntityRef | None) -> set[str]:
    """Proper-name and model words of an item ("Gripen NG fighters" -> {gripen, ng})."""
    words = re.findall(r"[\w-]+", (text or "") + " " + (entity.name if entity else ""))
    return {w.lower().removesuffix("s") for w in words if re.search(r"[A-Z]|\d", w)}


def _drop_weak(deal: _Deal) -> list[PartyRec]:
    """Roles read from weak cues give way: to a stronger role of the same party, and a demonym of the
    buyer's own country is no supplier ("Uruguayan patrol vessel tender")."""
    buyer_codes = {p.country_code for p in deal.parties if p.role == "buyer" and p.country_code}
    out = []
    for p in deal.parties:
        if (p.entity, p.role) in deal.weak_roles and (
            any(
                q.entity == p.entity and q.role != p.role and (q.entity, q.role) not in deal.weak_roles
                for q in deal.parties
            )
            or (p.role == "supplier" and p.country_code in buyer_codes)
        ):
            continue
        out.append(p)
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


def _close(a: Decimal, b: Decimal) -> bool:
    return abs(a - b) <= Decimal("0.05") * max(abs(a), abs(b))


def _add_event(deal: _Deal, ev: DealEventRec, weak: bool = False) -> None:
    """Add ``ev`` or complete the deal's event of its type; a date stated for the event itself
    replaces one taken from a dateline or an attribution ("X said Wednesday it has signed")."""
    for old in deal.events:
        if old.event_type == ev.event_type and (
            old.party is None or ev.party is None or old.party == ev.party
        ):
            old.party = old.party or ev.party
            if ev.date is not None and (old.date is None or (id(old) in deal.weak_events and not weak)):
                old.date, old.precision = ev.date, ev.precision
                if not weak:
                    deal.weak_events.discard(id(old))
                else:
                    deal.weak_events.add(id(old))
            return
    deal.events.append(ev)
    if weak:
        deal.weak_events.add(id(ev))


def _year(events: Sequence[DealEventRec]) -> int | None:
    main = [
        e.date.year
        for e in events
        if e.date and e.event_type in {"tendered", "awarded", "signed", "delivered"}
    ]
    anyd = [e.date.year for e in events if e.date]
    return min(main or anyd) if (main or anyd) else None


def _title(rec: DealRec) -> str:
    what = rec.item_text or (rec.item.name if rec.item else "unspecified items")
    parts = [f"{(rec.kind or 'deal').capitalize()}: {what}"]
    if rec.buyer:
        parts.append(f"for {rec.buyer.name}")
    supplier = next((p for p in rec.parties if p.role == "supplier" and p.named), None)
    if supplier:
        parts.append(f"from {supplier.entity.name}")
    return " ".join(parts)


def _merge_duplicates(deals: list[_Deal], ex: _Extractor) -> list[_Deal]:
    out: list[_Deal] = []
    for d in deals:
        twin = next((o for o in out if _same(o, d, ex)), None)
        if twin is None:
            out.append(d)
        else:
            _merge_into(twin, d, ex)
    return out


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
    twin.value = twin.value or d.value
    if d.item_text is not None:
        item = Item(
            d.item, d.item_text, Span(0, 0), d.item_generic, d.quantity, d.item_rank, d.item_head, d.approximate
        )
        ex._absorb_item(twin, item)
    twin.replaces = twin.replaces or d.replaces


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


def _same(a: _Deal, b: _Deal, ex: _Extractor) -> bool:
    """Two deals of one article are one when their values agree; or, one value missing, when nothing
    conflicts (quantity, suppliers), the buyers agree and the items may be the same (one entity,
    compatible heads such as "fighter" and "Gripen NG fighters", or one side naming none)."""
    if a.value is not None and b.value is not None:
        return _close(a.value.amount, b.value.amount)
    if a.quantity and b.quantity and a.quantity != b.quantity:
        return False
    if _suppliers_conflict(a, b):
        return False
    ba = {p.country_code for p in a.parties if p.role == "buyer"}
    bb = {p.country_code for p in b.parties if p.role == "buyer"}
    if a.item is not None and a.item == b.item:
        return not ba or not bb or bool(ba & bb)
    if not (ba & bb) - {None}:
        return False
    if a.item_rank == 0 or b.item_rank == 0:
        # "Venezuela signs arms deal with Russia" + "... to buy 92 T-72 tanks"; "Brazil awarded a
        # $4.5 billion contract to Saab" + "will buy 36 Gripen NG fighters" (one value unknown)
        return True
    return ex._same_items(b.item_rank, b.item_head, b.item_text or "", b.item, a)


def extract_deals(
    body: str,
    published: dt.date | None,
    mentions: list[MentionRec],
    money: list[MoneyRec],
    dates: list[DateRec],
) -> list[DealRec]:
    """Arms deals, tenders and sales stated in ``body``, one record per deal (coreference merged)."""
    ex = _Extractor(body, mentions, money, dates)
    return [ex.to_record(d) for d in ex.run() if _substantive(d)]


def _substantive(d: _Deal) -> bool:
    """A deal names a party, a value, or a specific item ("previous attempts to buy jets" does not);
    a seller's approximate tally with no buyer ("has sold more than 80 C-27Js") is no deal."""
    if d.approximate and d.value is None and not any(p.role == "buyer" for p in d.parties):
        return False
    return bool(d.parties or d.value is not None or d.item_rank >= 2 or d.quantity)


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
