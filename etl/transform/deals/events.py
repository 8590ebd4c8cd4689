"""Status and lifecycle events: each event cue dated by the date of its own phrase; statuses
ranked as in ``deal_triggers.yaml``; participles that modify an item own only their phrase."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from etl.records import DateRec, DealEventRec, EntityRef, Span
from etl.transform.deals.model import _Deal, _gap, _Hit
from etl.transform.deals.parties import Party
from etl.transform.deals.patterns import _EVENT_PARTY_FRAMES, _PARTICIPLE, _THAT_YEAR
from etl.transform.regex_prefilter import compile_scanner
from etl.transform.textrel import code_for_name, nearest_date


class EventMixin:
    """Dates and records the events of a deal."""

    def _weak_dates(self) -> list[Span]:
        """Dates of a dateline ("BRASILIA, Dec 18 (Reuters) -") or of a statement ("X said Monday")."""
        attribution = compile_scanner(self.lex.attribution_marker, re.IGNORECASE)
        return [
            d.span
            for d in self.dates
            if any(x.start <= d.span.start < x.end for x in self.datelines)
            or attribution.search(self.body, max(0, d.span.start - 60), d.span.start)
        ]

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

    def _event(
        self, deal: _Deal, h: _Hit, sent: Span, live: Span, hits: list[_Hit], first: bool, actors: list[Party]
    ) -> None:
        frame = h.cue.frame
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
