"""The deal extractor: sentence by sentence, clause by clause, resolve the deal and apply its cues."""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Sequence

from etl.records import DateRec, DealRec, MentionRec, MoneyRec, Span
from etl.reference.lexicons import DealLexicon, agreement_lexicon, deal_lexicon
from etl.transform.deals.coref import CorefMixin
from etl.transform.deals.cues import CueMixin, _cue_patterns
from etl.transform.deals.events import EventMixin, _year
from etl.transform.deals.frames import FrameMixin
from etl.transform.deals.item_phrases import ItemFinder
from etl.transform.deals.items import ItemMixin
from etl.transform.deals.listed import ListMixin
from etl.transform.deals.merging import _merge_duplicates, _merge_into, _same
from etl.transform.deals.model import _Deal, _Hit
from etl.transform.deals.parties import Party, PartyFinder
from etl.transform.deals.patterns import (
    _BUILT_BY,
    _BUILT_BY_LATER,
    _CONTRACTOR,
    _COORD_DEAL,
    _DEAL_VALUE_KINDS,
    _FLEET,
    _PASSIVE,
    _RELATIVE,
    _UNIT_PRICE,
)
from etl.transform.deals.roles import RoleMixin, _drop_weak
from etl.transform.deals.values import ValueMixin
from etl.transform.regex_prefilter import compile_scanner
from etl.transform.textrel import (
    clauses,
    country_code,
    country_name,
    datelines,
    normalize_mentions,
    sentences,
    singular,
)


class _Extractor(CueMixin, CorefMixin, FrameMixin, RoleMixin, EventMixin, ItemMixin, ValueMixin, ListMixin):
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
        self.conversions = self._conversions(money)
        restated = {id(m) for m in self.conversions.values()} | self._restated(money)  # no value of its own
        self.money = [
            m for m in money if m.kind in self.lex.value_kinds and id(m) not in restated and not self._aggregate(m)
        ]
        self.dates = list(dates)
        since = compile_scanner(self.lex.since_marker, re.IGNORECASE)
        self.period_dates = [d.span for d in self.dates if since.search(body, max(0, d.span.start - 20), d.span.start)]
        self.parties = PartyFinder(body, self.mentions, self.lex)
        self.items = ItemFinder(body, self.mentions, self.lex)
        # every cue match of the body, once; a clause takes those inside it
        low = body.lower()
        self.cue_matches = sorted(
            (
                (m.start(), m.end(), c)
                for c, rx in _cue_patterns(self.lex)
                if not c.stems or any(s in low for s in c.stems)
                for m in rx.finditer(body)
            ),
            key=lambda t: t[:2],
        )
        self.replace = compile_scanner(self.lex.replace_marker, re.IGNORECASE)
        self.planning = [compile_scanner(p, re.IGNORECASE) for p in self.lex.planning_markers]
        self.aid = compile_scanner(self.lex.aid_markers, re.IGNORECASE)
        self.possible = [compile_scanner(p, re.IGNORECASE) for p in self.lex.possibility_markers]
        self.negation = [compile_scanner(p, re.IGNORECASE) for p in self.lex.negation_markers]
        self.past = [compile_scanner(p, re.IGNORECASE) for p in self.lex.past_markers]
        self.background = [compile_scanner(p, re.IGNORECASE) for p in self.lex.background_markers]
        self.nominal = compile_scanner(self.lex.nominal_marker, re.IGNORECASE)
        caps = agreement_lexicon().capitals
        self.capital_codes = {k.lower(): v for k, v in caps.items()}
        names = "|".join(re.escape(k) for k in sorted(caps, key=len, reverse=True))
        self.capitals = compile_scanner(rf"\b(?:{names})\b")
        self.state_sellers = [(compile_scanner(p, re.IGNORECASE), c) for p, c in self.lex.state_sellers.items()]
        self.weak_dates = self._weak_dates()
        self.rank = {s: i for i, s in enumerate(self.lex.statuses)}
        self.deals: list[_Deal] = []
        self._counts: dict[str, int] | None = None
        self.coordinated: set[int] = set()  # starts of clauses split off as a coordinated deal
        self.current: _Deal | None = None
        self.story: _Deal | None = None  # the current deal as the sentence began
        self._reduced_memo: dict[tuple[Span, Span], bool] = {}
        self.elsewhere: set[Span] = set()  # clauses about a deal the article does not tell
        self.noun_last: dict[str, _Deal | None] = {}  # deal noun -> the deal it last named (None: no arms deal)
        self.last_event_date: DateRec | None = None

    # -- driver ----------------------------------------------------------------------------------
    def run(self) -> list[_Deal]:
        previous: _Deal | None = None
        last: Span | None = None
        for sent in self.sents:
            last, prev_sent = sent, last
            before_current, known = self.current, len(self.deals)
            self.story = before_current
            plan: list[tuple[Span, Span, list[_Hit], _Deal | None]] = []
            for clause in self._coordinated_deals(clauses(self.body, sent)):
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
                aid = not hits and self.aid.search(self.body, clause.start, clause.end)
                told = (
                    deal is None
                    and _RELATIVE.search(self.body, max(0, clause.start - 12), clause.start)
                    and any(h.cue.introduces and h.cue.event for h in hits)
                )
                if deal is None and (clause in self.elsewhere or aid or told):
                    # "..., after Britain blocked the sale of Swedish Gripens": not this deal; "we donated
                    # 19 jets to X, and now we have sold 24 to Y": the donation lends nothing; "replacing
                    # 20 Kfir jets, which Colombia bought decades ago": a purchase of the jets replaced
                    continue
                self._apply(deal or sent_deal, sent, clause, live, hits, first, borrowed=deal is None)
            self._share_coordinated(plan)
            self._carry_buyer(self.deals[known:], prev_sent)
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
            self._sentence_value(sent)
            self._listed_deals(sent)
        for d in self.deals:  # buyers settled before duplicates merge, so one buyer's mentions meet
            self._settle_cosigners(d)
            d.parties = _drop_weak(d)
            self._default_buyer(d)
        return _merge_duplicates(self.deals, self)

    def _coordinated_deals(self, spans: list[Span]) -> list[Span]:
        """Split "... Rafales for £3.1 billion and a £900 million frigate deal with Spain" before the
        second deal: two deals of one subject, each with its own value."""
        out: list[Span] = []
        for c in spans:
            m = _COORD_DEAL.search(self.body, c.start, c.end)
            values = [v.span.start for v in self.money if c.start <= v.span.start < c.end]
            if m is None or not any(v < m.start() for v in values) or not any(v >= m.end() for v in values):
                out.append(c)
                continue
            out += [Span(c.start, m.start()), Span(m.end(), c.end)]
            self.coordinated.add(m.end())
        return out

    def _share_coordinated(self, plan: list[tuple[Span, Span, list[_Hit], _Deal | None]]) -> None:
        """A coordinated deal ("... and a $12 billion deal for 36 F-15s") shares the verb and the
        subject of the deal before it: its buyer, events (cited by its own clause) and statuses."""
        for (_, _, _, before), (clause, _, _, deal) in itertools.pairwise(plan):
            if clause.start not in self.coordinated or deal is None or before is None or before is deal:
                continue
            if not any(p.role == "buyer" for p in deal.parties):
                for p in before.parties:
                    if p.role == "buyer":
                        self._add_party(deal, Party(p.entity, p.country_code, p.named, True, clause), "buyer")
            if not deal.events:
                deal.events += [dataclasses.replace(ev, span=clause, party=None) for ev in before.events]
            deal.statuses |= before.statuses

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
                    # "Israeli Kfir fighters" names the maker; "a Kenyan helicopter buy" the buyer
                    role = "buyer" if self._buy_noun_after(m, hits) else "supplier"
                    self._add_party(deal, party, role, weak=True)
        for h in hits:
            if h.negated or h.nominal:
                continue
            owner = self._participle_owner(h, live, deal)
            if h.cue.status and not (h.planned and h.cue.status in _CONCLUDED):
                owner.statuses.add(h.cue.status)  # "will sign", "to be delivered": still a plan
            elif h.past:
                owner.told_past = True
            if h.planned and (h.cue.introduces or h.cue.event):
                owner.statuses.add("planning")
            self._frame(owner, h, sent, live, hits, h is first)

    def to_record(self, deal: _Deal) -> DealRec:
        self._settle_cosigners(deal)
        deal.parties = _drop_weak(deal)
        makers = {p.country_code for p in deal.parties if p.role in _MAKERS and p.entity.entity_type != "country"}
        # a named maker supplies; its own state is its country, not a second supplier beside it
        deal.parties = [
            p
            for p in deal.parties
            if not (p.role == "supplier" and p.entity.entity_type == "country" and p.country_code in makers)
        ]
        self._default_buyer(deal)
        buyers = [p for p in deal.parties if p.role == "buyer"]
        # the buying state, or its own body ("Peruvian Defense Ministry"); a body of no known state
        # does not outrank a state
        main = next((p for p in buyers if p.country_code), buyers[0] if buyers else None)
        buyer = next(
            (p for p in buyers if p.entity.entity_type != "country" and main and p.country_code == main.country_code),
            main,
        )
        statuses = set(deal.statuses)
        statuses |= {s for e in deal.events if (s := self.lex.event_status.get(e.event_type))}
        if not statuses:
            # A deal reported with no stage word: told in the past it was concluded, else it is
            # still a plan (news rarely reports a deal without either).
            statuses = {"active" if deal.told_past else "planning"}
        status = max(statuses, key=lambda s: self.rank[s])
        value = deal.value
        usd = self._usd(value)
        rec = DealRec(
            title="",
            spans=sorted(deal.spans, key=lambda s: s.start),
            buyer=buyer.entity if buyer else None,
            item=deal.item,
            item_text=deal.item_text,
            quantity=deal.quantity,
            quantity_max=deal.quantity_max,
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



_MAKERS = ("supplier", "consortium_member")
_CONCLUDED = {"active", "complete"}  # statuses a planned cue ("will sign", "plans to buy") does not reach


def _title(rec: DealRec) -> str:
    """A readable title: buyer, quantity, item, kind and main supplier ("Peru air defense system
    contract (Triad)", "Chile 12 helicopters purchase (Russia)")."""
    what = rec.item_text or (rec.item.name if rec.item else "unspecified items")
    buyer = country_name(rec.buyer_country) if rec.buyer_country else (rec.buyer.name if rec.buyer else None)
    qty = f"{rec.quantity}" + (f"-{rec.quantity_max}" if rec.quantity_max else "")
    qty = f"{qty} " if rec.quantity and not what[:1].isdigit() else ""
    parts = [x for x in (buyer, f"{qty}{what}", _KIND_NOUN.get(rec.kind or "", "deal")) if x]
    supplier = next((p for p in rec.parties if p.role == "supplier" and p.named), None)
    if supplier:
        parts.append(f"({supplier.entity.name})")
    return " ".join(parts)


_KIND_NOUN = {k: k for k in ("contract", "purchase", "sale", "tender", "delivery", "lease")} | {
    "offset": "offset agreement", "licence": "licensed production"
} | {k: f"{k} contract" for k in ("maintenance", "support", "training", "service")}
