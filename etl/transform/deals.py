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
gives way to a date stated for the event. Weak roles (a demonym or a maker's name before the item,
"Israeli Kfir fighters", "Embraer A-29 Super Tucano"; the other state of "X signs arms deal with Y")
give way to stronger ones.

Generalizations (each a rule, not a case):

* Values. An amount that is a total or a share is no deal's value nor an anchor: "part of a $1.2
  billion package"; an amount of generic goods over a period ("has bought more than $4 billion in
  Russian arms since 2005, including 24 Su-30MK2 fighters"). A stated deal value (money kind
  contract/sale/purchase value) is preferred to a budget in the same clause. A date after "since"
  starts a period and dates no event.
* Clauses. Never split inside parentheses; a second verb phrase ("is acquiring A-29s from Brazil and
  has received Mirage 50s from Venezuela") and a gapped one (", and from Spain's Navantia, eight
  patrol vessels", which reuses the verb before it) are clauses, so each has its own deal.
* Participles. A participle right after its item or deal noun ("six A-29s purchased from Embraer",
  "a contract signed in 2008") is passive and owns only the dates of its own phrase (to the next comma);
  a delivered/sold one with no recipient is the holder's ("Mexico operates ... six UH-60M delivered").
* Subjects. The last mention of a party before the cue is its subject ("France and Brazil sealed a
  pact under which Brazil will buy" makes Brazil, not France, the buyer); "for X to buy" is a subject;
  an elided subject ("... and has received"), "it"/"the government" take the buyer of the sentence or
  of the story (else the state of the dateline's capital); a capital ("Caracas has ordered"), a person
  with a country ("Chávez, who has bought") and a relative clause's antecedent stand for their state.
  A government body that notifies a sale acts for its state; a Foreign Military Sale is sold by the
  United States; "the principal contractor will be X" names a supplier of the current deal.
* Roles. "X and Y signed a deal" with no "with": the cosigner that supplies by any other role or as
  the weapon's origin sells, the other buys; "picks A over B" makes B a bidder; the owner of "Peru's
  fleet of frigates" buys; the maker of a contender in a hoped-for choice ("would choose the Rafale
  built by Dassault") bids. A sale to several states with no value or quantity is one deal per buyer.
* Coreference. "the deal" whose last use named no arms deal ("a pending deal giving U.S. troops
  access to bases") and a definite noun naming another item ("the sale of Swedish Gripens") join no
  deal; a deal told with "also"/"separately" is never merged into an earlier one; a tender with bidders
  is not a contract already signed with another seller.

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
from etl.reference.lexicons import DealCue, DealLexicon, agreement_lexicon, deal_lexicon
from etl.transform.deal_items import Item, ItemFinder, item_key
from etl.transform.deal_parties import Party, PartyFinder
from etl.transform.textrel import (
    clauses,
    code_for_name,
    containing,
    country_code,
    country_ref,
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
_FLEET = re.compile(r"(?:[’']s)?\s+(?:[\w-]+\s+){0,2}fleets?\b(?!\s+(?:of\s+)?(?:operators?|users?))")
_DETERMINERS = {"the", "these", "those", "its", "their", "his", "her", "our", "such", "recent", "two", "three", "both"}
_DEAL_VALUE_KINDS = {"contract_value", "sale_value", "deal_value", "purchase_value", "order_value"}
_FRONTED_FROM = re.compile(r"\s*from\s+((?:[\w’'.-]+\s+){0,4}?[\w’'.-]+)\s*,\s*", re.IGNORECASE)
_ITS = re.compile(r"\b(?:its|their)\s+(?:[\w$€£.,-]+\s+){0,4}$", re.IGNORECASE)
_GOV_SUBJECT = re.compile(
    r"\s*the\s+(?:government|country|nation|army|navy|air\s+force|armed\s+forces|military)\b", re.IGNORECASE
)
_HOME_FORCES = re.compile(
    r"\bto\s+(?:the|its|their)\s+(?:navy|army|air\s+force|armed\s+forces|military|coast\s+guard|marines)\b",
    re.IGNORECASE,
)
_SEPARATE = re.compile(r"\b(?:also|separately|additionally|in\s+addition|another|meanwhile)\b", re.IGNORECASE)
_RELATIVE = re.compile(r",\s*(?:who|which|that)\s*$")
_NOUN_OF = re.compile(r"\s+of\s+(?:the\s+|its\s+|their\s+)?((?:[\w’'-]+\s+){0,3}[\w’'-]+)")
_GAPPED = re.compile(r"(?:from|to)\s+(?:the\s+)?[A-Z]")
_PASSIVE_FORM = re.compile(r"[a-z]+ed|bought|sold|won|chosen|handed\s+over|shipped|inked|sealed")
_PARTICIPLE = re.compile(r"[a-z]+ed|bought|sold|handed\s+over")
_BUILT_BY_LATER = re.compile(
    r"\s*,?\s*(?:(?:will|would|are|is|were|was|to)\s+(?:be\s+|been\s+)?)?"
    r"(?:built|made|manufactured|produced|developed)\s+by\s+",
    re.IGNORECASE,
)
_CONTRACTOR = re.compile(
    r"\b(?:principal|prime|main|lead)\s+contractors?\s+(?:will\s+be|would\s+be|is|are|was|were)\s+",
    re.IGNORECASE,
)
_ELIDED = re.compile(
    r"\s*(?:(?:has|have|had|will|would|is|are|was|were|also|since|then|later|now|already|separately)\s+)+"
)
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
    r"|,\s+(?:the\s+|a\s+|an\s+)?(?:[\w’'.-]+\s+){0,4}(?:said|says|told|added|announced)\b"  # ", the firm said"
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
    gapped: bool = False  # the verb of the clause before, understood again ("..., and from Spain, eight vessels")


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
    cosigners: list[Party] = field(default_factory=list)  # states of "X and Y signed a deal"
    separate: bool = False  # told as another deal ("also", "separately"): never merged into an earlier one
    item_country: str | None = None  # where the deal's weapon system comes from


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
        self.sents = sentences(body)
        self.money = [m for m in money if m.kind in self.lex.value_kinds and not self._aggregate(m)]
        self.dates = list(dates)
        since = re.compile(self.lex.since_marker, re.IGNORECASE)
        self.period_dates = [d.span for d in self.dates if since.search(body, max(0, d.span.start - 20), d.span.start)]
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
        caps = agreement_lexicon().capitals
        self.capital_codes = {k.lower(): v for k, v in caps.items()}
        names = "|".join(re.escape(k) for k in sorted(caps, key=len, reverse=True))
        self.capitals = re.compile(rf"\b(?:{names})\b")
        self.state_sellers = [(re.compile(p, re.IGNORECASE), c) for p, c in self.lex.state_sellers.items()]
        self.weak_dates = self._weak_dates()
        self.rank = {s: i for i, s in enumerate(self.lex.statuses)}
        self.deals: list[_Deal] = []
        self.current: _Deal | None = None
        self.story: _Deal | None = None  # the current deal as the sentence began
        self._reduced_memo: dict[tuple[Span, Span], bool] = {}
        self.elsewhere: set[Span] = set()  # clauses about a deal the article does not tell
        self.noun_last: dict[str, _Deal | None] = {}  # deal noun -> the deal it last named (None: no arms deal)
        self.last_event_date: DateRec | None = None

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

    # -- driver ----------------------------------------------------------------------------------
    def run(self) -> list[_Deal]:
        previous: _Deal | None = None
        for sent in self.sents:
            before_current, known = self.current, len(self.deals)
            self.story = before_current
            plan: list[tuple[Span, Span, list[_Hit], _Deal | None]] = []
            for clause in clauses(self.body, sent):
                scope_start = self._scope_start(clause)
                hits = self._hits(clause, scope_start) or self._gapped(clause, plan)
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
            for _, _, hits, deal in plan:
                for h in hits:
                    if h.cue.noun:
                        self.noun_last[singular(self.body[h.span.start : h.span.end].lower())] = deal or sent_deal
            previous = sent_deal
            if sent_deal is None:
                self._aside(sent, plan)
                continue
            first = next((h for *_, hits, _ in plan for h in hits if h.cue.event or h.cue.past_event), None)
            for clause, live, hits, deal in plan:
                if deal is None and clause in self.elsewhere:
                    continue  # "..., after Britain blocked the sale of Swedish Gripens": not this deal
                self._apply(deal or sent_deal, sent, clause, live, hits, first, borrowed=deal is None)
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

    def _gapped(self, clause: Span, plan: list[tuple[Span, Span, list[_Hit], _Deal | None]]) -> list[_Hit]:
        """The verb of the clause before, for a gapped clause (", and from Spain's Navantia, eight
        patrol vessels"): a zero-width copy at the clause start."""
        if not plan or not _GAPPED.match(self.body, clause.start):
            return []
        verb = next((h for h in plan[-1][2] if h.cue.introduces and not h.cue.noun), None)
        if verb is None:
            return []
        at = Span(clause.start, clause.start)
        return [_Hit(verb.cue, at, clause, False, verb.planned, False, verb.past, gapped=True)]

    def _aside(self, sent: Span, plan: list[tuple[Span, Span, list[_Hit], _Deal | None]]) -> None:
        """A sentence with no deal cue about a deal's items: what they replace ("The new helicopters
        will replace older Mi-17 models") or what they cost ("The vessel cost about $100 million")."""
        for clause, live, _, _ in plan:
            contractor = _CONTRACTOR.search(self.body, live.start, live.end)
            if contractor is not None and self.current is not None:
                # "The principal contractor will be Sikorsky Aircraft Corp." (an FMS notice)
                for p in self._object(contractor.end(), live.end)[:1]:
                    if not p.state:
                        self._add_party(self.current, p, "supplier")
                        if sent not in self.current.spans:
                            self.current.spans.append(sent)
            found = self._item_anaphor_at(live.start, live.end)
            if found is None:
                continue
            deal, item = found
            built = _BUILT_BY_LATER.match(self.body, item.span.end, live.end)
            if built is not None:  # "The Scorpène submarines will be built by French shipbuilder DCNS"
                for p in self._object(built.end(), live.end):
                    self._add_party(deal, p, "supplier")
                if sent not in deal.spans:
                    deal.spans.append(sent)
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
        found = self._item_anaphor_at(start, end)
        return found[0] if found else None

    def _item_anaphor_at(self, start: int, end: int) -> tuple[_Deal, Item] | None:
        """:meth:`_item_anaphor` with the item phrase that refers back."""
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
            return bool(_designators(text, entity) & _designators(deal.item_text, deal.item))
        heads, umbrella = self.items.heads, {f[0] for f in self.lex.item_families}
        mine = head if head in heads else ""
        theirs = deal.item_head if deal.item_head in heads else ""
        if not mine or not theirs:
            return mine in umbrella or theirs in umbrella
        return self.items.compatible(mine, theirs)

    def _compound(self, h: _Hit) -> bool:
        """A noun cue modifying a plural noun ("procurement battles", "sale prices") names no deal;
        nor does a bare plural ("purchases will be financed through a budget plan")."""
        m = re.match(r"\s+([a-z]+)\b", self.body[h.span.end : h.span.end + 30])
        if h.cue.noun and self.body[h.span.end - 1 : h.span.end] == "s":
            prev = re.search(r"([\w’'.-]+)[\s,]*$", self.body[max(0, h.span.start - 40) : h.span.start])
            word = prev.group(1) if prev else ""
            if not (word.lower() in _DETERMINERS or re.search(r"[’']s$", word) or word[:1].isupper()):
                return True
        return bool(
            h.cue.noun and m and re.fullmatch(r"[a-z]+[^su]s", m.group(1)) and m.group(1) not in _VERBS_S
        )

    def _new(self, h: _Hit) -> _Deal:
        deal = _Deal(kind=h.cue.kind)
        # "Indonesia is also considering offers ...", "is separately buying": another deal
        deal.separate = bool(_SEPARATE.search(self.body, h.clause.start, h.span.start))
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
        self,
        deal: _Deal,
        sent: Span,
        clause: Span,
        live: Span,
        hits: list[_Hit],
        first: _Hit | None,
        borrowed: bool = False,
    ) -> None:
        if sent not in deal.spans:
            deal.spans.append(sent)
        if deal.value is None:
            pos = hits[0].span.start if hits else live.start
            cands = [m for m in self.money if live.start <= m.span.start and m.span.end <= live.end]
            if cands:
                # a stated deal value before a budget or other figure ("earmarked S/. 1,300 millones
                # ..., including the purchase of two C-27Js for about €100 million")
                deal.value = min(cands, key=lambda m: (m.kind not in _DEAL_VALUE_KINDS, abs(m.span.start - pos)))
        # the items a winner beat ("Saab beat Boeing's F/A-18 Super Hornet") are not the deal's
        beat = next((h.span.start for h in hits if h.cue.frame == "beat"), live.end)
        item = self.items.find(live.start, beat)
        verb = next(
            (
                h
                for h in hits
                if h.cue.introduces and not (h.cue.noun or h.negated or h.nominal)
                and live.start <= h.span.start < beat and not self._reduced(h, live)
            ),
            None,
        )
        if verb is not None and item is not None and item.span.start < verb.span.start:
            # the object of an active verb, not an item named before it ("upgrading its Kfir fighters
            # and would receive additional A-29 Super Tucanos"), unless it names less ("to upgrade 24
            # Kfir fighter jets and buy 3 more aircraft")
            obj = self.items.find(verb.span.end, beat)
            if (
                obj is not None
                and obj.rank >= item.rank
                and not _PASSIVE.search(self.body, live.start, verb.span.start)
            ):
                item = obj
        if item is not None:
            self._absorb_item(deal, item)
            built = _BUILT_BY.match(self.body, item.span.end, live.end)
            if built is not None and item.text == deal.item_text:
                # "hope that Brazil would choose the Rafale built by Dassault": a contender's maker bids
                hoped = any(h.cue.frame == "award" and h.planned for h in hits)
                for p in self._object(built.end(), live.end):
                    self._add_party(deal, p, "bidder" if hoped else "supplier")
            if item.maker is not None and item.text == deal.item_text:  # "Embraer A-29 Super Tucano"
                m = item.maker
                code = self.parties.org_country.get(m.entity) or country_code(m)
                self._add_party(deal, Party(m.entity, code, True, False, m.span), "supplier", weak=True)
        if live.end < clause.end:
            replaced = self.items.find(live.end, clause.end)
            if replaced is not None and deal.replaces is None:
                deal.replaces = replaced.text
        for m in self.mentions:
            if borrowed and not hits:
                break  # a clause without a cue names no maker ("Argentina weighs Chinese jets after ...")
            if live.start <= m.span.start < live.end and m.entity.entity_type == "country":
                if _FLEET.match(self.body, m.span.end) and re.search(r"[’']s$|^(?![’'])", m.surface):
                    # "a contract to modernize Peru's fleet of frigates": the fleet's owner buys
                    owner = Party(m.entity, country_code(m), True, True, m.span)
                    self._add_party(deal, owner, "buyer", weak=True)
                    continue
                made = self.parties.made_in(m)
                if made and self._item_at(self._made_end(m), live, deal):  # "Soviet-built tanks"
                    self._add_party(deal, Party(m.entity, country_code(m), True, True, m.span), "supplier")
                elif not made and self._demonym_of_item(m, live, deal):
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

    def _demonym_of_item(self, m: MentionRec, live: Span, deal: _Deal) -> bool:
        """A demonym right before an item ("Russian arms", "Chinese K-8 jets") names the maker."""
        if m.method != "demonym" or re.search(r"[’']s$", m.surface):
            return False
        return self._item_at(m.span.end, live, deal)

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

    def _shadowed(self, h: _Hit, hits: list[_Hit], live: Span) -> list[Span]:
        """Dates that belong to another event cue of the clause: a date goes with the nearest cue
        before it ("filed a protest ... on Tuesday over the decision to award"), else the nearest after."""
        reach = {o.span: self._reach(o, live) for o in hits if o.cue.event and live.start <= o.span.start < live.end}
        cues = list(reach)
        out = []
        for d in self.dates:
            if not (live.start <= d.span.start < live.end):
                continue
            before = [c for c in cues if c.end <= d.span.start < reach[c]]
            owner = (
                max(before, key=lambda c: c.end)
                if before
                else min(cues, key=lambda c: _gap(d.span, c), default=None)
            )
            if owner is not None and owner != h.span:
                out.append(d.span)
        return out

    def _dateline_state(self) -> list[Party]:
        """The state whose capital datelines the article ("LIMA, April 11 (Reuters) -")."""
        for d in self.datelines[:1]:
            head = re.match(r"[^,(—–-]+", self.body[d.start : d.end])
            code = self.capital_codes.get(head.group(0).strip().lower()) if head else None
            if code:
                return [Party(country_ref(code, self.mentions), code, True, True, d)]
        return []

    def _leader(self, start: int, end: int) -> list[Party]:
        """The state of a person who is the subject of a purchase ("Chávez, who has bought ...")."""
        for m in self.mentions:
            if not (start <= m.span.start < end) or m.entity.entity_type != "person" or not m.country_code:
                continue
            if _PREP_OBJ.search(self.body, max(start, m.span.start - 30), m.span.start):
                continue
            code = m.country_code.upper()
            return [Party(country_ref(code, self.mentions), code, True, True, m.span)]
        return []

    def _capital(self, start: int, end: int) -> list[Party]:
        """A capital standing for its government as a clause subject ("Caracas has ordered ...")."""
        for m in self.capitals.finditer(self.body, start, end):
            if _PREP_OBJ.search(self.body, max(start, m.start() - 30), m.start()) or re.match(
                r"[-‐]", self.body[m.end() : m.end() + 1]
            ):  # "in Lima", "a Caracas-based group"
                continue
            code = self.capital_codes[m.group(0).lower()]
            return [Party(country_ref(code, self.mentions), code, True, True, Span(m.start(), m.end()))]
        return []

    def _as_state(self, p: Party) -> Party:
        """The state a government body acts for ("the U.S. Defense Security Cooperation Agency")."""
        if p.entity.entity_type != "government_body" or not p.country:
            return p
        return Party(country_ref(p.country, self.mentions), p.country, True, True, p.span)

    def _reduced(self, h: _Hit, live: Span) -> bool:
        """A participle right after its item ("six A-29s purchased from Embraer", "the helicopters
        (ALHs) ordered by the FAE"): a modifier of the item, passive, not the clause's main verb."""
        key = (h.span, live)
        if key not in self._reduced_memo:
            self._reduced_memo[key] = self._is_reduced(h, live)
        return self._reduced_memo[key]

    def _is_reduced(self, h: _Hit, live: Span) -> bool:
        if h.cue.noun or not _PARTICIPLE.fullmatch(self.body[h.span.start : h.span.end].lower()):
            return False
        gap = re.search(r"(?:\s*\([^()]{1,40}\))?\s+$", self.body[live.start : h.span.start])
        end = h.span.start - (len(gap.group(0)) if gap else 0)
        if re.search(r"\b(?:contract|deal|agreement|accord|order)$", self.body[max(live.start, end - 12) : end]):
            return True  # "under a $1.1 billion contract signed in 2011"
        return any(i.span.end == end for i in self.items.all(live.start, live.end))

    def _reach(self, h: _Hit, live: Span) -> int:
        """Where the dates a cue may own end: a reduced participle's phrase ends at the next comma."""
        if not self._reduced(h, live):
            return live.end
        comma = self.body.find(",", h.span.end, live.end)
        return live.end if comma < 0 else comma

    def _subject(self, start: int, end: int) -> list[Party]:
        """Parties before a cue that are not objects of a preposition ("with the GAO")."""
        out: dict[EntityRef, Party] = {}
        for p in self.parties.parties(start, end, every=True):
            before = _PREP_OBJ.search(self.body, max(start, p.span.start - 60), p.span.start)
            possessive = re.match(r"[’']s\b", self.body[p.span.end : p.span.end + 2]) or re.search(
                r"[’']s$", self.body[p.span.start : p.span.end]
            )
            # "the way for Argentina to acquire" (not "a contract with Peru to supply")
            infinitive = before is not None and before.group(0)[:3].lower() == "for" and re.fullmatch(
                r"\s+to\s+", self.body[p.span.end : end]
            )
            if before is not None and not possessive and not infinitive and self._np_words(before.group(1)):
                continue
            if p.entity in out:
                p.member = p.member or out.pop(p.entity).member
            out[p.entity] = p  # its last mention as a subject, nearest the cue
        return sorted(out.values(), key=lambda p: p.span.start)

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
        cue_text = self.body[h.span.start : h.span.end].lower()
        reduced = self._reduced(h, live)
        roles: list[tuple[Party, str]] = []
        weak: list[tuple[Party, str]] = []
        passive = reduced or (
            not h.cue.noun and bool(_PASSIVE_FORM.fullmatch(cue_text)) and bool(_PASSIVE.search(before))
        )
        subj = self._after("by", h.span.end, live.end) if passive else self._subject(live.start, h.span.start)
        if h.cue.noun and frame != "tender":
            # a deal noun is not a verb: its clause subject acts through another cue, so only a
            # state there is taken (as buyer), and only when the noun is not an anaphor
            subj = [] if h.definite else [p for p in subj if p.state]
            if frame == "sell":
                # "The U.S. Defense Security Cooperation Agency has notified Congress of a possible
                # sale": the agency acts for its state, which sells
                subj = [self._as_state(p) for p in subj]
                for rx, code in self.state_sellers:
                    if rx.search(self.body, max(live.start, h.span.start - 40), h.span.end):
                        roles.append((Party(country_ref(code, self.mentions), code, True, True, h.span), "supplier"))
        after = lambda prep: self._after(prep, h.span.start, live.end)  # noqa: E731
        actors: list[Party] = []
        if frame in {"buy", "tender", "cancel"}:
            fronted = _FRONTED_FROM.match(before)
            if fronted is not None:  # "From China, Caracas has ordered 18 K-8W trainer jets"
                source = self.parties.parties(live.start + fronted.start(1), live.start + fronted.end(1))
                roles += [(p, "supplier") for p in source]
                subj = [p for p in subj if p.span.start >= live.start + fronted.end()]
            buyers = self._nearest_states(subj)
            if not buyers and not subj and frame == "buy":
                lo = live.start + (fronted.end() if fronted else 0)
                relative = _RELATIVE.search(self.body, max(sent.start, live.start - 12), live.start)
                if relative and _ELIDED.fullmatch(before):
                    lo = sent.start  # "Chávez, who has bought ...": the antecedent is the subject
                buyers = self._nearest_states(self._subject(lo, h.span.start)) if lo < live.start else []
                buyers = buyers or self._capital(lo, h.span.start)
                leader = self._leader(lo, h.span.start) if not buyers else []
                weak += [(p, "buyer") for p in leader]  # "Chávez ... has bought": his state
            if not buyers and frame == "buy" and (
                _PRONOUN_SUBJECT.match(before) or _ELIDED.fullmatch(before) or h.gapped
            ):
                # "it"/"they", or the subject of a coordinated clause ("... and has received")
                buyers = self._sentence_buyers(deal, sent, story=bool(_PRONOUN_SUBJECT.match(before)))
            if not buyers and frame == "buy" and h.cue.noun and _ITS.search(before):
                # "Brazil's €6.7 billion submarine deal, and its €1.9 billion order for 50 EC725s"
                weak += [(p, "buyer") for p in self._sentence_buyers(deal, sent, story=True)]
            if not buyers and frame == "buy" and _GOV_SUBJECT.match(before):
                # "The government has also earmarked ... for the purchase of two C-27Js" in a story
                # datelined LIMA: the government told of
                found = self._sentence_buyers(deal, sent, story=True) or self._dateline_state()
                weak += [(p, "buyer") for p in found]
            if reduced and not buyers and frame == "buy":
                # "three Type 209 submarines ordered from DSME": ordered by the buyer told around
                weak += [(p, "buyer") for p in self._sentence_buyers(deal, sent, story=True)]
            roles += [(p, "buyer") for p in buyers]
            if frame == "buy":
                roles += [(p, "supplier") for p in after("from")]
            actors = [p for p, _ in roles if p.state]
        elif frame == "sell":
            if not subj and not passive:  # "Washington is also expected to sell Colombia 30 Black Hawks"
                subj = self._capital(live.start, h.span.start)
            roles += [(p, "supplier") for p in subj]
            iobj = self._iobj(h.span.end, live.end)
            buyers = after("to") + ([iobj] if iobj and iobj.state else [])
            if not buyers and _HOME_FORCES.search(self.body, h.span.end, live.end):
                # "would deliver CN-235 aircraft to the navy": the forces of the state the story is about
                weak += [(p, "buyer") for p in self._sentence_buyers(deal, sent, story=True)]
            roles += [(p, "buyer") for p in buyers]
            if reduced and not buyers:
                # "Mexico already operates 30 Black Hawks, including six UH-60M delivered under ...":
                # the holder of the items received them
                weak += [(p, "buyer") for p in self._nearest_states(self._subject(live.start, h.span.start))]
        elif frame == "award":
            roles += [(p, "buyer") for p in self._nearest_states(subj)]
            iobj = self._iobj(h.span.end, live.end)
            winners = after("to") or ([iobj] if iobj and not iobj.state else [])
            roles += [(p, "supplier") for p in winners]
            # "Brazil picks Saab's Gripen over Boeing, Dassault": the firms passed over bid
            roles += [(p, "bidder") for p in after("over") if not p.state and p not in winners]
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
                # "Brazil and France signed a deal": who buys is not said here; settled at the end
                # by the deal's other roles ("for Russian helicopters")
                roles += [(p, "supplier") for p in subj if not p.state]
                deal.cosigners += [p for p in subj if p.state and p.country]
            elif not subj and _ELIDED.fullmatch(before) and with_:
                # "... and is negotiating with the United States over the purchase of M109s": the
                # subject of the sentence buys from the other state
                roles += [(p, "buyer") for p in self._sentence_buyers(deal, sent, story=True)]
                roles += [(p, "supplier") for p in with_]
            else:
                roles += [(p, "buyer" if p.state else "supplier") for p in subj + with_]
            if frame == "contract":
                roles += [(p, "supplier") for p in after("from")]
        elif frame == "bid":
            if h.cue.introduces:  # "Indonesia is considering offers from ...": the state buys
                roles += [(p, "buyer") for p in self._nearest_states(subj)]
                subj = [p for p in subj if not p.state]
            actors = subj + after("from") + after("against") + after("by")
            if cue_text.startswith("compet"):  # "competes with the Boeing F/A-18 and the Saab Gripen"
                actors += [p for p in after("with") if not p.state]
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
        # a reduced participle is dated only inside its own phrase ("ordered from Russia last year")
        lo = h.span.end if self._reduced(h, live) else live.start
        date = nearest_date(
            self.dates, lo, self._reach(h, live), h.span.start, exclude=shadowed + self.weak_dates + self.period_dates
        )
        weak_date = False
        if date is None and first:
            # only a dateline or attribution date reaches across clauses ("..., X said Monday");
            # a date of another clause belongs to that clause's event ("under a contract signed in 2008")
            weak = [d for d in self.dates if d.span in self.weak_dates]
            date = nearest_date(weak, sent.start, sent.end, h.span.start)
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

    def _sentence_buyers(self, deal: _Deal, sent: Span, story: bool = False) -> list[Party]:
        """The buyer an "it"/"they" subject stands for: that of another deal of the same sentence,
        or with ``story`` ("The government will buy 36 jets") that of the deal told so far."""
        other = next((o for o in reversed(self.deals) if o is not deal and sent in o.spans), None)
        if other is None and story and self.story is not deal:
            other = self.story
        if other is None:
            return []
        return [Party(p.entity, p.country_code, p.named, True, Span(0, 0)) for p in other.parties if p.role == "buyer"]

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
    def _settle_cosigners(self, deal: _Deal) -> None:
        """"Peru and Russia signed a deal for Russian helicopters": the cosigner that supplies (by any
        other role, or as the weapon's origin) sells, the other buys; a known buyer makes the other sell."""
        if not deal.cosigners:
            return
        codes = {p.country for p in deal.cosigners}
        buyers = codes & {p.country_code for p in deal.parties if p.role == "buyer"}
        sellers = codes & ({p.country_code for p in deal.parties if p.role == "supplier"} | {deal.item_country})
        if len(codes) != 2 or len(buyers) > 1 or len(sellers) > 1 or (buyers and buyers == sellers):
            return
        if buyers or sellers:
            for p in deal.cosigners:
                role = "buyer" if (p.country in buyers or (sellers and p.country not in sellers)) else "supplier"
                self._add_party(deal, p, role, weak=True)

    def to_record(self, deal: _Deal) -> DealRec:
        self._settle_cosigners(deal)
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
    deal.item_country = item.country
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
    codes = {p.entity: p.country_code for p in deal.parties if p.country_code}

    def code(e: EntityRef) -> str | None:
        return codes.get(e) or (code_for_name(e.name) if e.entity_type == "country" else None)

    def same_actor(a: EntityRef, b: EntityRef) -> bool:
        # "Chile scraps ..." and "Chile's Defense Ministry has cancelled ...": one canceller
        return a == b or ("country" in {a.entity_type, b.entity_type} and code(a) is not None and code(a) == code(b))

    for old in deal.events:
        if old.event_type == ev.event_type and (
            old.party is None or ev.party is None or same_actor(old.party, ev.party)
        ):
            if old.party is not None and ev.party is not None and old.party.entity_type == "country":
                old.party = ev.party  # the ministry rather than the state
            old.party = old.party or ev.party
            if ev.date is not None and (
                old.date is None or (id(old) in deal.weak_events and not weak) or (not weak and _finer(ev, old))
            ):
                old.date, old.precision = ev.date, ev.precision
                if not weak:
                    deal.weak_events.discard(id(old))
                else:
                    deal.weak_events.add(id(old))
            return
    deal.events.append(ev)
    if weak:
        deal.weak_events.add(id(ev))


_PRECISION_RANK = {"year": 0, "month": 1, "day": 2}


def _finer(new: DealEventRec, old: DealEventRec) -> bool:
    """``new`` dates the same event more precisely ("ordered last year" ... "signed in November")."""
    if new.date is None or old.date is None or new.precision is None or old.precision is None:
        return False
    if _PRECISION_RANK[new.precision] <= _PRECISION_RANK[old.precision] or new.date.year != old.date.year:
        return False
    return old.precision == "year" or new.date.month == old.date.month


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
            d.item, d.item_text, Span(0, 0), d.item_generic, d.quantity, d.item_rank, d.item_head, d.approximate,
            country=d.item_country,
        )
        ex._absorb_item(twin, item)
    twin.replaces = twin.replaces or d.replaces
    twin.cosigners += [p for p in d.cosigners if p.entity not in {q.entity for q in twin.cosigners}]


def _bidders_conflict(a: _Deal, b: _Deal) -> bool:
    """``a`` has a named seller, ``b`` only bidders, none of them that seller: another competition."""
    sellers = {p.entity for p in a.parties if p.role == "supplier" and p.named}
    bidders = {p.entity for p in b.parties if p.role == "bidder"}
    return bool(sellers and bidders and not any(p.role == "supplier" for p in b.parties) and not sellers & bidders)


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
    if b.separate:
        return False
    if a.value is not None and b.value is not None:
        return _close(a.value.amount, b.value.amount)
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
    return [r for d in ex.run() if _substantive(d) for r in _per_buyer(ex.to_record(d))]


def _per_buyer(rec: DealRec) -> list[DealRec]:
    """A sale to several states with no value or quantity ("The KT-1 has already been exported to
    Indonesia and Turkey") is one deal per buyer."""
    buyers = [p for p in rec.parties if p.role == "buyer" and p.country_code]
    if len({p.country_code for p in buyers}) < 2 or rec.value is not None or rec.quantity is not None:
        return [rec]
    out = []
    for b in buyers:
        parties = [p for p in rec.parties if p.role != "buyer" or p is b]
        one = dataclasses.replace(
            rec,
            parties=parties,
            buyer=b.entity,
            buyer_country=b.country_code,
            events=list(rec.events),
            spans=list(rec.spans),
        )
        one.title = _title(one)
        out.append(one)
    return out


def _substantive(d: _Deal) -> bool:
    """A deal names a party, a value, or a specific item ("previous attempts to buy jets" does not);
    a seller's approximate tally with no buyer ("has sold more than 80 C-27Js") is no deal."""
    if d.approximate and d.value is None and len({p.country_code for p in d.parties if p.role == "buyer"}) != 1:
        return False  # a seller's tally: "has sold more than 130 C-295s worldwide, including to Brazil, Chile ..."
    if (d.item_text is None or d.item_generic) and not any(p.role != "buyer" for p in d.parties):
        # no item and no seller: only a stated deal value makes it one ("a budget of S/. 6,952
        # millones", "$121 million worth of equipment and training had been delivered" are not)
        return d.value is not None and d.value.kind in _DEAL_VALUE_KINDS and bool(d.parties)
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
