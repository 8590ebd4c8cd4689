"""Events (meetings, attacks, resignations, captures, kidnappings) from one article.

Rules (lexicon: ``data/reference/event_triggers.yaml``):

* a cue word names the event ("met with", "killed", "ambush", "resigned", "was captured",
  "kidnapped"); cues under a modal or negation ("will also take him to a regional meeting") and
  generic plurals without a date or toll ("deadly ambushes") are skipped;
* participants are the people in the sentence (meetings) or clause (others); with none, the
  government bodies, armed groups and then countries of the clause ("17 Chinese intelligence
  officials met ... their Peruvian counterparts" -> China, Peru); a capture also lists the armed
  group named in the sentence;
* the date is the nearest date in the clause, else in the sentence ("In May ..., in which X and Y
  resigned"); the place comes from "190 miles east of Lima", "in Lima", "at the ... headquarters";
  fatalities from "killed five army officers", "N were killed", "left N dead" (number words too);
* "the meeting"/"the attack" refers back to the latest event of that type; with none, "the meeting"
  takes the people and date of the previous sentence ("signed a memorandum ... with Guo Boxiong."
  -> "Gen. Guo told reporters during the meeting in Lima");
* an undated meeting is dated to the publication month (news peg), so the same meeting told by
  several articles shares a key;
* a date goes with the event cue nearest before it (else after it): in "X resigned on Wednesday
  over a bombing raid" Wednesday dates the resignation only; an event noun after "over/after/for ..."
  is background, described only by the words after it ("criticism over the killing of X in April");
* events of one type with shared participants and compatible dates merge (the Panetta-Humala-
  Cateriano meeting told twice in one article is one meeting); an undated event naming no person
  (a headline's "minister resigns over bombing") joins the first dated event of its type.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from etl.records import DateRec, EntityRef, EventRec, MentionRec, Span
from etl.reference.lexicons import EventCue, EventLexicon, event_lexicon
from etl.transform.regex_prefilter import compile_scanner
from etl.transform.textrel import (
    clauses,
    containing,
    mentions_in,
    nearest_date,
    normalize_mentions,
    parse_number,
    sentences,
    slug,
    start_index,
)

_QUOTE = compile_scanner(r"[“\"][^”\"]*[”\"]")


@dataclass(slots=True)
class _Event:
    etype: str
    spans: list[Span]
    description: str
    participants: list[EntityRef] = field(default_factory=list)
    date: DateRec | None = None
    place: str | None = None
    fatalities: int | None = None


class _Finder:
    def __init__(self, body: str, mentions: list[MentionRec], dates: Sequence[DateRec]) -> None:
        self.body = body
        self.lex: EventLexicon = event_lexicon()
        self.mentions = normalize_mentions(mentions)
        self.starts = start_index(self.mentions)
        self.dates = list(dates)
        self.sents = sentences(body)
        self.cues = [
            (c, compile_scanner(c.pattern, re.IGNORECASE), compile_scanner(c.plural, re.IGNORECASE))
            for c in self.lex.events
        ]
        self.anaphors = {t: compile_scanner(p, re.IGNORECASE) for t, p in self.lex.anaphors.items()}
        self.modal = [compile_scanner(p, re.IGNORECASE) for p in self.lex.modal_markers]
        self.fatal = [compile_scanner(p, re.IGNORECASE) for p in self.lex.fatality_patterns]
        self.places = [compile_scanner(p) for p in self.lex.place_patterns]
        self.not_places = set(self.lex.not_places)
        self.background = compile_scanner(self.lex.background, re.IGNORECASE)
        self.background_nouns = compile_scanner(self.lex.background_nouns, re.IGNORECASE)
        self.found: list[_Event] = []

    def run(self) -> list[_Event]:
        for si, sent in enumerate(self.sents):
            cls = clauses(self.body, sent)
            quotes = [Span(q.start(), q.end()) for q in _QUOTE.finditer(self.body, sent.start, sent.end)]
            done: set[str] = set()
            found = [
                (cue, m, plural)
                for cue, rx, plural in self.cues
                for m in rx.finditer(self.body, sent.start, sent.end)
                if not any(q.start <= m.start() < q.end for q in quotes)
            ]
            self.cue_spans = [Span(m.start(), m.end()) for _, m, _ in found]
            for cue, m, plural in found:
                if cue.type in done:
                    continue
                clause = containing(cls, m.start()) or sent
                if self._one(si, sent, clause, cue, m, plural):
                    done.add(cue.type)
        self._absorb_undated()
        return self.found

    def _absorb_undated(self) -> None:
        """An undated event naming no person joins the first dated event of its type."""
        for ev in list(self.found):
            if ev.date is not None or any(p.entity_type == "person" for p in ev.participants):
                continue
            target = next((o for o in self.found if o.etype == ev.etype and o.date is not None), None)
            if target is None:
                continue
            target.spans += [s for s in ev.spans if s not in target.spans]
            target.fatalities = target.fatalities or ev.fatalities
            target.place = target.place or ev.place
            self.found.remove(ev)

    def _owned(self, d: DateRec, cue: Span, clause: Span) -> bool:
        """Whether date ``d`` goes with ``cue``: the nearest event cue before it, else after it."""
        cues = [c for c in self.cue_spans if clause.start <= c.start < clause.end]
        before = [c for c in cues if c.end <= d.span.start]
        if before:
            return max(before, key=lambda c: c.end) == cue
        after = [c for c in cues if c.start >= d.span.end]
        return not after or min(after, key=lambda c: c.start) == cue

    def _date(self, start: int, end: int, cue: Span, clause: Span) -> DateRec | None:
        own = [d for d in self.dates if self._owned(d, cue, clause)]
        return nearest_date(own, start, end, cue.start)

    def _one(
        self, si: int, sent: Span, clause: Span, cue: EventCue, m: re.Match[str], plural: re.Pattern[str]
    ) -> bool:
        before = self.body[clause.start : m.start()]
        if any(p.search(before) for p in self.modal):
            return False
        anaphor = self.anaphors.get(cue.type)
        if anaphor is not None and anaphor.search(self.body, max(clause.start, m.start() - 25), m.end()):
            return self._anaphor(si, sent, clause, cue)
        span = Span(m.start(), m.end())
        if self.background_nouns.fullmatch(m.group(0)) and self.background.search(
            self.body, max(clause.start, m.start() - 60), m.start()
        ):
            # "... resigned over a military bombing raid in which eight were killed"
            clause = Span(m.start(), clause.end)
            sent = clause
        date = self._date(clause.start, clause.end, span, clause) or self._date(sent.start, sent.end, span, sent)
        fatalities = self._fatalities(clause) if cue.type == "attack" else None
        place, where = self._place(clause, sent)
        if plural.search(self.body, clause.start, clause.end) and date is None and fatalities is None:
            return False
        people = self._participants(clause, sent, cue.type, where)
        if len(people) < cue.min_participants and (
            cue.type == "meeting" or not (date or place or fatalities)
        ):
            return False
        ev = _Event(cue.type, [sent], _describe(self.body, clause, sent), people, date, place, fatalities)
        self._merge_or_add(ev)
        return True

    def _anaphor(self, si: int, sent: Span, clause: Span, cue: EventCue) -> bool:
        prior = next((e for e in reversed(self.found) if e.etype == cue.type), None)
        place, _ = self._place(clause, sent)
        if prior is not None:
            prior.spans.append(sent)
            prior.place = prior.place or place
            return True
        if cue.type != "meeting" or si == 0:
            return False
        prev = self.sents[si - 1]
        people = self._people(sent.start, sent.end) + self._people(prev.start, prev.end)
        people = list(dict.fromkeys(people))
        if len(people) < cue.min_participants:
            return False
        date = nearest_date(self.dates, clause.start, clause.end, clause.start) or nearest_date(
            self.dates, prev.start, prev.end, prev.start
        )
        self.found.append(
            _Event("meeting", [prev, sent], _describe(self.body, clause, sent), people, date, place)
        )
        return True

    def _people(self, start: int, end: int) -> list[EntityRef]:
        return list(
            dict.fromkeys(
                m.entity
                for m in mentions_in(self.mentions, start, end, self.starts)
                if m.entity.entity_type == "person"
            )
        )

    def _participants(self, span: Span, sent: Span, etype: str, where: Span | None) -> list[EntityRef]:
        people = self._people(span.start, span.end)
        head = self.body[sent.start : span.start]
        if etype == "meeting" and re.search(r"\b(?:after|before|while|when|who)\s*$", head):
            people = (
                self._people(sent.start, span.start) + people
            )  # "X, who met ..."; "X said after meeting ..."
        if etype == "capture":
            people += [
                m.entity
                for m in mentions_in(self.mentions, sent.start, sent.end, self.starts)
                if m.entity.entity_type == "armed_group"
            ]
        ms = [
            m
            for m in mentions_in(self.mentions, span.start, span.end, self.starts)
            if not (where and where.start <= m.span.start < where.end)
        ]
        if len(people) < 2 and etype in {"meeting", "attack", "kidnapping"}:
            people += [m.entity for m in ms if m.entity.entity_type in {"government_body", "armed_group"}]
        if not people or (etype == "meeting" and len(people) < 2):
            people += [m.entity for m in ms if m.entity.entity_type == "country"]
        return list(dict.fromkeys(people))

    def _fatalities(self, clause: Span) -> int | None:
        text = self.body[clause.start : clause.end]
        for rx in self.fatal:
            pos = 0
            while (f := rx.search(text, pos)) is not None:
                n = parse_number(f.group(1))
                if n:
                    return n
                pos = f.start() + 1
        return None

    def _place(self, clause: Span, sent: Span) -> tuple[str | None, Span | None]:
        for span in (clause, sent):
            for rx in self.places:
                for p in rx.finditer(self.body, span.start, span.end):
                    g = 1 if p.groups() else 0
                    place = p.group(g).strip()
                    first = place.split()[0] if place else ""
                    dated = any(d.span.start <= p.start(g) < d.span.end for d in self.dates)
                    if place and first not in self.not_places and not dated:
                        return place, Span(p.start(g), p.start(g) + len(place))
        return None, None

    def _merge_or_add(self, ev: _Event) -> None:
        for old in self.found:
            if old.etype != ev.etype or not _dates_agree(old.date, ev.date):
                continue
            shared = len(set(old.participants) & set(ev.participants))
            if shared and shared >= min(2, len(old.participants), len(ev.participants)):
                old.spans += [s for s in ev.spans if s not in old.spans]
                old.participants += [p for p in ev.participants if p not in old.participants]
                old.date = old.date or ev.date
                old.place = old.place or ev.place
                old.fatalities = old.fatalities or ev.fatalities
                return
        self.found.append(ev)


def _dates_agree(a: DateRec | None, b: DateRec | None) -> bool:
    if a is None or b is None:
        return True
    return a.value.year == b.value.year and (
        a.precision == "year" or b.precision == "year" or a.value.month == b.value.month
    )


def _describe(body: str, clause: Span, sent: Span) -> str:
    text = _QUOTE.sub("", body[clause.start : clause.end])
    if len(text.strip()) < 15:
        text = _QUOTE.sub("", body[sent.start : sent.end])
    text = " ".join(text.split()).strip(' ,“”"')
    return text if len(text) <= 200 else text[:197].rstrip() + "..."


def extract_events(
    body: str, published: dt.date | None, mentions: list[MentionRec], dates: list[DateRec]
) -> list[EventRec]:
    """Meetings, attacks, resignations, captures and kidnappings stated in ``body``."""
    out: list[EventRec] = []
    for e in _Finder(body, mentions, dates).run():
        if e.date is None and e.etype == "meeting" and published is not None:
            # news peg: an undated meeting reported as past ("met with") happened around publication
            e.date = DateRec(e.spans[0], "", published.replace(day=1), "month")
        out.append(
            EventRec(
                event_type=e.etype,
                description=e.description,
                spans=sorted(e.spans, key=lambda s: s.start),
                date=e.date.value if e.date else None,
                precision=e.date.precision if e.date else None,
                place=e.place,
                fatalities=e.fatalities,
                participants=e.participants,
            )
        )
    return out


def event_key(rec: EventRec) -> str:
    """Stable natural key: type, month (or year), the first two participants, else the place."""
    if rec.date is None:
        when = "?"
    elif rec.precision == "year":
        when = str(rec.date.year)
    else:
        when = rec.date.strftime("%Y-%m")
    who = "+".join(sorted(slug(p.name) for p in rec.participants)[:2]) or slug(rec.place or "") or "?"
    return f"event|{rec.event_type}|{when}|{who}"
