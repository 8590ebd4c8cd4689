"""Arms deals, tenders and sales from one article, as pure functions over pre-extracted records.

A deal is introduced by a cue from ``data/reference/deal_triggers.yaml`` (contract, deal, tender,
purchase, sale, sold, bought, ordered, took delivery ...) whose clause also holds an anchor: a
contract/sale value, a specific item (weapon-system mention or item noun), or a company and a
state. "the contract", "the deal", "the Triad contract", "this contract cancellation", "the sale"
refer back to the latest deal (or the one whose party/item the modifier names), so all its
sentences merge into one record. Party roles come from the cue's frame (who is subject, who follows
"to"/"from"/"with"/"by"), lifecycle events from event cues dated by the nearest date in the clause.

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
from etl.transform.textrel import clauses, country_code, nearest_date, normalize_mentions, sentences, slug

_DEFINITE = re.compile(r"\b(?:the|this|that)\s+((?:[\w$.,’'-]+\s+){0,3}?)$", re.IGNORECASE)
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


class _Extractor:
    def __init__(
        self, body: str, mentions: list[MentionRec], money: Sequence[MoneyRec], dates: Sequence[DateRec]
    ) -> None:
        self.body = body
        self.lex: DealLexicon = deal_lexicon()
        self.mentions = normalize_mentions(mentions)
        self.money = [m for m in money if m.kind in self.lex.value_kinds]
        self.dates = list(dates)
        self.parties = PartyFinder(body, self.mentions, self.lex)
        self.items = ItemFinder(body, self.mentions, self.lex)
        self.cues = [(c, re.compile(c.pattern, re.IGNORECASE)) for c in self.lex.cues]
        self.replace = re.compile(self.lex.replace_marker, re.IGNORECASE)
        self.planning = [re.compile(p, re.IGNORECASE) for p in self.lex.planning_markers]
        self.negation = [re.compile(p, re.IGNORECASE) for p in self.lex.negation_markers]
        self.past = [re.compile(p, re.IGNORECASE) for p in self.lex.past_markers]
        self.rank = {s: i for i, s in enumerate(self.lex.statuses)}
        self.deals: list[_Deal] = []
        self.current: _Deal | None = None
        self.last_event_date: DateRec | None = None

    # -- driver ----------------------------------------------------------------------------------
    def run(self) -> list[_Deal]:
        previous: _Deal | None = None
        for sent in sentences(self.body):
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
            ):
                sent_deal = previous  # a continuation: "X and Y submitted bids." right after the deal
            previous = sent_deal
            if sent_deal is None:
                continue
            for clause, live, hits, deal in plan:
                self._apply(deal or sent_deal, sent, clause, live, hits)
        return _merge_duplicates(self.deals, self)

    def _scope_start(self, clause: Span) -> int:
        m = self.replace.search(self.body, clause.start, clause.end)
        return m.start() if m else clause.end

    def _hits(self, clause: Span, scope_start: int) -> list[_Hit]:
        hits: list[_Hit] = []
        for cue, rx in self.cues:
            for m in rx.finditer(self.body, clause.start, scope_start):
                before = self.body[clause.start : m.start()]
                det = _DEFINITE.search(before)
                mods = det.group(1) if det else ""
                definite = bool(det) and not any(
                    w.lower() in _NOT_MODIFIER or (w.lower().endswith("ed") and "-" not in w)
                    for w in mods.split()
                )
                hits.append(
                    _Hit(
                        cue,
                        Span(m.start(), m.end()),
                        clause,
                        definite,
                        planned=any(p.search(before) for p in self.planning),
                        negated=any(p.search(before) for p in self.negation),
                        past=any(p.search(before) for p in self.past),
                        modifiers=mods if definite else "",
                    )
                )
        hits.sort(key=lambda h: h.span.start)
        return hits

    # -- coreference -----------------------------------------------------------------------------
    def _resolve(self, hits: list[_Hit], clause: Span, scope_start: int) -> _Deal | None:
        for h in hits:
            if h.negated or not (h.cue.noun or h.cue.introduces):
                continue
            if h.definite and h.cue.noun:
                anchors = self._np_anchors(h, scope_start)
                target = self._target(h.modifiers)
                if target is not None and (not anchors or _matches(target, anchors)):
                    deal = target
                elif _sufficient(anchors) or (
                    target is None and self._clause_anchors(clause, scope_start, definite=True)
                ):
                    deal = self._new(h)
                else:
                    continue
            elif h.cue.introduces and not self._compound(h) and self._clause_anchors(clause, scope_start):
                deal = self._new(h)
            else:
                continue
            self.current = deal
            return deal
        return None

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

    def _clause_anchors(self, clause: Span, scope_start: int, definite: bool = False) -> bool:
        a = self._anchors(clause.start, scope_start)
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
        parties = self.parties.parties(start, end)
        if any(not p.state for p in parties):
            out["company"] = True
        if any(p.state for p in parties):
            out["state"] = True
        return out

    # -- facts from one clause -------------------------------------------------------------------
    def _apply(self, deal: _Deal, sent: Span, clause: Span, live: Span, hits: list[_Hit]) -> None:
        if sent not in deal.spans:
            deal.spans.append(sent)
        if deal.value is None:
            pos = hits[0].span.start if hits else live.start
            cands = [m for m in self.money if live.start <= m.span.start and m.span.end <= live.end]
            if cands:
                deal.value = min(cands, key=lambda m: abs(m.span.start - pos))
        item = self.items.find(live.start, live.end)
        if item is not None and (deal.item_text is None or (deal.item_generic and not item.generic)):
            _set_item(deal, item)
        if live.end < clause.end:
            replaced = self.items.find(live.end, clause.end)
            if replaced is not None and deal.replaces is None:
                deal.replaces = replaced.text
        for m in self.mentions:
            if live.start <= m.span.start < live.end and self.parties.made_in(m):
                self._add_party(deal, Party(m.entity, country_code(m), True, True, m.span), "supplier")
        for h in hits:
            if h.negated:
                continue
            if h.cue.status:
                deal.statuses.add(h.cue.status)
            if h.planned and (h.cue.introduces or h.cue.event):
                deal.statuses.add("planning")
            self._frame(deal, h, sent, live, hits)

    def _shadowed(self, h: _Hit, hits: list[_Hit], live: Span) -> list[Span]:
        """Dates nearer to (or behind) another event cue than to ``h`` belong to that cue."""
        others = [
            o.span for o in hits if o is not h and o.cue.event and live.start <= o.span.start < live.end
        ]
        return [d.span for d in self.dates if any(_gap(d.span, o) < _gap(d.span, h.span) for o in others)]

    def _frame(self, deal: _Deal, h: _Hit, sent: Span, live: Span, hits: list[_Hit]) -> None:
        frame = h.cue.frame
        subj = self.parties.parties(live.start, h.span.start)
        if h.cue.noun and frame != "tender":
            # a deal noun is not a verb: its clause subject acts through another cue, so only a
            # state there is taken (as buyer), and only when the noun is not an anaphor
            subj = [] if h.definite else [p for p in subj if p.state]
        after = lambda prep: self._after(prep, h.span.start, live.end)  # noqa: E731
        actors: list[Party] = []
        roles: list[tuple[Party, str]] = []
        if frame in {"buy", "tender", "cancel"}:
            roles += [(p, "buyer") for p in subj if p.state]
            if frame == "buy":
                roles += [(p, "supplier") for p in after("from")]
            actors = [p for p, _ in roles if p.state]
        elif frame == "sell":
            roles += [(p, "supplier") for p in subj]
            iobj = self._iobj(h.span.end, live.end)
            roles += [(p, "buyer") for p in after("to") + ([iobj] if iobj and iobj.state else [])]
        elif frame == "award":
            roles += [(p, "buyer") for p in subj if p.state]
            iobj = self._iobj(h.span.end, live.end)
            winners = after("to") or ([iobj] if iobj and not iobj.state else [])
            roles += [(p, "supplier") for p in winners]
            actors = winners
        elif frame == "win":
            actors = [p for p in subj if not p.state]
            roles += [(p, "supplier") for p in actors]
        elif frame in {"sign", "contract"}:
            side = subj + after("with")
            roles += [(p, "buyer" if p.state else "supplier") for p in side]
            if frame == "contract":
                roles += [(p, "supplier") for p in after("from")]
        elif frame == "bid":
            actors = subj + after("from")
            roles += [(p, "bidder") for p in actors]
        elif frame == "protest" and subj:
            actors = subj[-1:]
            roles += [(p, "protester") for p in actors]
        head = self.parties.consortium_head([p for p, _ in roles])
        for p, role in roles:
            self._add_party(deal, p, "consortium_member" if p.member else role)
        if frame == "award" and head is not None:
            actors = [head]
        if not h.cue.event and not (h.cue.past_event and h.past):
            return
        if h.planned:
            return
        event = h.cue.past_event if (h.past and h.cue.past_event) else h.cue.event
        date = nearest_date(
            self.dates, live.start, live.end, h.span.start, exclude=self._shadowed(h, hits, live)
        )
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
            )

    def _after(self, prep: str, start: int, end: int) -> list[Party]:
        m = re.compile(rf"\b{prep}\s+(?=(?:the|a|an|this|its|their|two|three|several|[A-Z]|\d))").search(
            self.body, start, end
        )
        if m is None:
            return []
        stop = _PREP_STOP.search(self.body, m.end(), end)
        return self.parties.parties(m.end(), stop.start() if stop else end)

    def _iobj(self, start: int, end: int) -> Party | None:
        first = next(iter(self.parties.parties(start, min(end, start + 60))), None)
        if first is not None and re.fullmatch(
            r"\s*(?:the\s+|a\s+|an\s+|its\s+)?", self.body[start : first.span.start]
        ):
            return first
        return None

    def _add_party(self, deal: _Deal, p: Party, role: str) -> None:
        rec = PartyRec(p.entity, role, p.country, p.named)
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


def _gap(a: Span, b: Span) -> int:
    return max(0, b.start - a.end, a.start - b.end)


def _set_item(deal: _Deal, item: Item) -> None:
    deal.item, deal.item_text, deal.item_generic = item.entity, item.text, item.generic
    deal.quantity = item.quantity


def _sufficient(a: dict) -> bool:
    return bool(a.get("value") or a.get("item") or (a.get("company") and a.get("state")))


def _matches(deal: _Deal, anchors: dict) -> bool:
    value, item = anchors.get("value"), anchors.get("item")
    if value is not None and deal.value is not None and _close(value.amount, deal.value.amount):
        return True
    if item is not None:
        if item.entity is not None and item.entity == deal.item:
            return True
        if (
            not deal.item_generic
            and item_key(item.text).split()[-1:] == item_key(deal.item_text).split()[-1:]
        ):
            return True
    return False


def _close(a: Decimal, b: Decimal) -> bool:
    return abs(a - b) <= Decimal("0.05") * max(abs(a), abs(b))


def _add_event(deal: _Deal, ev: DealEventRec) -> None:
    for old in deal.events:
        if old.event_type == ev.event_type and (
            old.party is None or ev.party is None or old.party == ev.party
        ):
            old.party = old.party or ev.party
            if old.date is None and ev.date is not None:
                old.date, old.precision = ev.date, ev.precision
            return
    deal.events.append(ev)


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
        twin = next((o for o in out if _same(o, d)), None)
        if twin is None:
            out.append(d)
            continue
        twin.spans += [s for s in d.spans if s not in twin.spans]
        for p in d.parties:
            ex._add_party(
                twin, Party(p.entity, p.country_code, p.named, p.role == "buyer", Span(0, 0)), p.role
            )
        for e in d.events:
            _add_event(twin, dataclasses.replace(e))
        twin.statuses |= d.statuses
        twin.value = twin.value or d.value
        if twin.item_text is None or (twin.item_generic and not d.item_generic):
            twin.item, twin.item_text, twin.item_generic, twin.quantity = (
                d.item,
                d.item_text,
                d.item_generic,
                d.quantity,
            )
        twin.replaces = twin.replaces or d.replaces
    return out


def _same(a: _Deal, b: _Deal) -> bool:
    if a.value is not None and b.value is not None:
        return _close(a.value.amount, b.value.amount)
    if a.item is not None and a.item == b.item:
        ca = {p.country_code for p in a.parties if p.role == "buyer"}
        cb = {p.country_code for p in b.parties if p.role == "buyer"}
        return not ca or not cb or bool(ca & cb)
    return False


def extract_deals(
    body: str,
    published: dt.date | None,
    mentions: list[MentionRec],
    money: list[MoneyRec],
    dates: list[DateRec],
) -> list[DealRec]:
    """Arms deals, tenders and sales stated in ``body``, one record per deal (coreference merged)."""
    ex = _Extractor(body, mentions, money, dates)
    return [ex.to_record(d) for d in ex.run()]


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
