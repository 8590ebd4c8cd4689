"""Agreements (defense cooperation accords, MOUs, free-trade agreements) from one article.

Rules (lexicon: ``data/reference/agreement_triggers.yaml``):

* a noun (accord, agreement, treaty, pact, memorandum of understanding, MOU) names an agreement;
  its type comes from the noun and up to five words before it ("bilateral defense cooperation
  accords" -> defense_cooperation, "free-trade agreement" -> free_trade);
* the origin year comes from "dating (back) to 1952", "the 1952 ... agreement", "signed in 1952",
  or an age ("60-year-old" in a 2012 article -> 1952); else a signing/entry-into-force/agreed verb
  in the clause dates it by the nearest date ("In November ... signed a memorandum");
* the clause's action (update, signed, entered_into_force, agreed) and its date are kept apart
  from the agreement's own date, so "agreed on Saturday to update their 60-year-old ... agreement"
  gives date 1952 and action ``update`` on that Saturday;
* parties are the countries before the noun and after "with/between" (demonyms, capitals used as
  metonyms such as "Lima and Washington", countries of people and government bodies); "the two
  countries" takes the two most-mentioned countries of the preceding sentences; a bilateral
  agreement with one party found gets the article's most-mentioned other country;
* a later noun of a compatible type and year ("the accord", "the U.S.-Peruvian accord", "the 1952
  bilateral defense agreement") is the same agreement; plural nouns with no year are generic and
  skipped ("new military cooperation accords will likely ...").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from etl.records import AgreementRec, DateRec, EntityRef, MentionRec, Span
from etl.reference.lexicons import AgreementLexicon, agreement_lexicon
from etl.transform.regex_prefilter import compile_scanner
from etl.transform.textrel import (
    clauses,
    code_for_name,
    containing,
    country_code,
    country_counts,
    country_name,
    mentions_in,
    nearest_date,
    normalize_mentions,
    parse_number,
    sentences,
    slug,
    start_index,
)

_PREMOD = compile_scanner(r"((?:[\w’'.$-]+\s+){0,5})$")
_PARTY_TYPES = {"country", "government_body", "person"}
_MODAL = compile_scanner(
    r"\b(?:will|would|could|may|might|shall|plans?\s+to|planning\s+to|expected\s+to|intends?\s+to|hopes?\s+to)"
    r"\s+(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)
_MONTHS = {
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
}


@dataclass(slots=True)
class _Agreement:
    atype: str
    spans: list[Span]
    year: int | None = None
    date: DateRec | None = None
    codes: list[str] = field(default_factory=list)
    action: str | None = None
    action_date: DateRec | None = None
    signatories: list[EntityRef] = field(default_factory=list)
    place: str | None = None


class _Finder:
    def __init__(
        self, body: str, published: dt.date | None, mentions: list[MentionRec], dates: Sequence[DateRec]
    ) -> None:
        self.body = body
        self.published = published
        self.lex: AgreementLexicon = agreement_lexicon()
        self.mentions = normalize_mentions(mentions)
        self.starts = start_index(self.mentions)
        self.dates = list(dates)
        self.counts = country_counts(self.mentions)
        self.sents = sentences(body)
        self.noun = compile_scanner(self.lex.noun, re.IGNORECASE)
        self.plural = compile_scanner(self.lex.plural_noun, re.IGNORECASE)
        self.types = [(t.type, compile_scanner(t.pattern, re.IGNORECASE)) for t in self.lex.types]
        self.actions = [(a.action, compile_scanner(a.pattern, re.IGNORECASE)) for a in self.lex.actions]
        self.origins = [compile_scanner(p, re.IGNORECASE) for p in self.lex.origin_patterns]
        self.age = compile_scanner(self.lex.age_pattern, re.IGNORECASE)
        self.two = compile_scanner(self.lex.two_countries, re.IGNORECASE)
        self.bilateral = compile_scanner(self.lex.bilateral, re.IGNORECASE)
        self.capitals = compile_scanner(r"\b(" + "|".join(re.escape(c) for c in self.lex.capitals) + r")\b")
        self.found: list[_Agreement] = []

    def run(self) -> list[_Agreement]:
        for si, sent in enumerate(self.sents):
            cls = clauses(self.body, sent)
            for m in self.noun.finditer(self.body, sent.start, sent.end):
                clause = containing(cls, m.start()) or sent
                self._one(si, sent, clause, m)
        return self.found

    def _one(self, si: int, sent: Span, clause: Span, m: re.Match[str]) -> None:
        pre = _PREMOD.search(self.body[max(clause.start, m.start() - 80) : m.start()])
        premod = (pre.group(1) if pre else "") + m.group(0)
        atype = next((t for t, rx in self.types if rx.search(premod)), "other")
        year, origin = self._origin(clause, m, premod)
        action, action_hit = self._action(clause)
        exclude = [origin] if origin else []
        action_date = (
            nearest_date(self.dates, clause.start, clause.end, action_hit.start, exclude)
            if action_hit
            else None
        )
        date = None
        if year is None and action in self.lex.dating_actions:
            date = action_date
        plural = bool(self.plural.search(m.group(0)))
        target = self._target(atype, year or (date.value.year if date else None))
        if target is None and plural and year is None and date is None:
            return
        codes = self._parties(si, clause, m)
        if target is None:
            if atype == "other" and year is None and date is None and len(codes) < 2:
                return
            target = _Agreement(atype, [])
            self.found.append(target)
        self._update(target, sent, clause, atype, year, date, codes, action, action_date)

    def _update(
        self,
        a: _Agreement,
        sent: Span,
        clause: Span,
        atype: str,
        year: int | None,
        date: DateRec | None,
        codes: list[str],
        action: str | None,
        action_date: DateRec | None,
    ) -> None:
        if sent not in a.spans:
            a.spans.append(sent)
        if a.atype == "other":
            a.atype = atype
        a.year = a.year or year
        a.date = a.date or date
        if len(a.codes) < 2:
            a.codes += [c for c in codes if c not in a.codes]
        if action and a.action is None:
            a.action, a.action_date = action, action_date
        elif action == a.action and a.action_date is None:
            a.action_date = action_date
        if action in {"signed", "agreed"}:
            for p in mentions_in(self.mentions, clause.start, clause.end, self.starts):
                if p.entity.entity_type == "person" and p.entity not in a.signatories:
                    a.signatories.append(p.entity)
            place = re.search(
                r"\b(?:signed|reached|concluded|agreed)\b[^.;]{0,80}?\bin\s+([A-Z][\w-]+(?:\s+[A-Z][\w-]+)?)",
                self.body[clause.start : clause.end],
            )
            if place and place.group(1).lower() not in _MONTHS and a.place is None:
                a.place = place.group(1)

    def _origin(self, clause: Span, m: re.Match[str], premod: str) -> tuple[int | None, Span | None]:
        for rx in self.origins:
            for o in rx.finditer(self.body, clause.start, clause.end):
                if m.start() - 80 <= o.start() and o.end() <= m.end() + 45:
                    return int(o.group(1)), Span(o.start(1), o.end(1))
        age = self.age.search(premod)
        if age and self.published is not None:
            n = parse_number(age.group(1) or age.group(2))
            if n:
                return self.published.year - n, None
        return None, None

    def _action(self, clause: Span) -> tuple[str | None, Span | None]:
        """The clause's action; a future signing ("would sign a new agreement") neither signs nor dates
        the agreement (a future update, "would update their accord", is still what is reported)."""
        for action, rx in self.actions:
            for hit in rx.finditer(self.body, clause.start, clause.end):
                modal = _MODAL.search(self.body, max(clause.start, hit.start() - 40), hit.start())
                if modal is None or action not in self.lex.dating_actions:
                    return action, Span(hit.start(), hit.end())
        return None, None

    def _target(self, atype: str, year: int | None) -> _Agreement | None:
        for a in reversed(self.found):
            known = a.year or (a.date.value.year if a.date else None)
            if (a.atype == atype or "other" in {a.atype, atype}) and (year is None or known in {None, year}):
                return a
        return None

    def _parties(self, si: int, clause: Span, m: re.Match[str]) -> list[str]:
        text = self.body[clause.start : clause.end]
        if self.two.search(text):
            return self._window(si, m.start())
        after = re.match(r"(?:\s+of\s+understanding)?\s+(?:with|between)\s+", self.body[m.end() : clause.end])
        end = m.end() + (after.end() + 90 if after else 0)
        codes = self._codes(clause.start, min(end, clause.end))
        if len(codes) < 2 and self.bilateral.search(text):
            codes += [c for c, _ in self.counts.most_common() if c not in codes][: 2 - len(codes)]
        return codes

    def _codes(self, start: int, end: int) -> list[str]:
        codes: list[str] = []
        spans = []
        for p in mentions_in(self.mentions, start, end, self.starts):
            if p.entity.entity_type in _PARTY_TYPES and (c := country_code(p)) and c not in codes:
                codes.append(c)
            spans.append(p.span)
        for cap in self.capitals.finditer(self.body, start, end):
            covered = any(s.start <= cap.start() < s.end for s in spans)
            code = self.lex.capitals[cap.group(1)]
            if not covered and code not in codes:
                codes.append(code)
        return codes

    def _window(self, si: int, pos: int) -> list[str]:
        start = self.sents[max(0, si - 3)].start
        seen = self._codes(start, pos)
        return sorted(seen, key=lambda c: (-self.counts[c], -seen.index(c)))[:2]


def _ref(code: str, mentions: Sequence[MentionRec]) -> EntityRef:
    for m in mentions:
        if m.entity.entity_type == "country" and country_code(m) == code:
            return m.entity
    return EntityRef(country_name(code), "country")


def extract_agreements(
    body: str, published: dt.date | None, mentions: list[MentionRec], dates: list[DateRec]
) -> list[AgreementRec]:
    """Agreements stated in ``body``, one record per agreement (later references merged)."""
    finder = _Finder(body, published, mentions, dates)
    lex = finder.lex
    out: list[AgreementRec] = []
    for a in finder.run():
        parties = [_ref(c, mentions) for c in a.codes]
        if a.year is not None:
            date, precision = dt.date(a.year, 1, 1), "year"
        elif a.date is not None:
            date, precision = a.date.value, a.date.precision
        else:
            date, precision = None, None
        label = lex.labels.get(a.atype, "agreement")
        names = "–".join(p.name for p in parties)
        title = " ".join(x for x in (str(date.year) if date else "", names, label) if x)
        out.append(
            AgreementRec(
                title=title,
                agreement_type=a.atype,
                spans=sorted(a.spans, key=lambda s: s.start),
                date=date,
                precision=precision,
                parties=parties,
                place=a.place,
                action=a.action,  # type: ignore[arg-type]
                action_date=a.action_date.value if a.action_date else None,
                action_precision=a.action_date.precision if a.action_date else None,
                signatories=a.signatories,
            )
        )
    return out


def agreement_key(rec: AgreementRec) -> str:
    """Stable natural key: type, sorted party country codes, year (the 1952 accord in every article)."""
    codes = sorted(code_for_name(p.name) or slug(p.name) for p in rec.parties)
    year = str(rec.date.year) if rec.date else "?"
    return f"agreement|{rec.agreement_type}|{'-'.join(codes) or '?'}|{year}"
