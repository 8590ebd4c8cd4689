"""Cues: the deal words of a clause (from ``deal_triggers.yaml``), with what the text before
each says of it (definite, planned, negated, past, nominal) and the gapped verb of a clause."""

from __future__ import annotations

import bisect
import re

from etl.records import Span
from etl.reference.lexicons import DealCue, DealLexicon
from etl.transform.deals.model import _Deal, _Hit
from etl.transform.deals.patterns import _DEFINITE, _DETERMINERS, _GAPPED, _NOT_MODIFIER, _VERBS_S
from etl.transform.regex_prefilter import compile_scanner


class CueMixin:
    """Finds the cue hits of a clause."""

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
                    negated=any(p.search(before) for p in self.negation)
                    or any(p.search(before) for p in self.possible),
                    past=any(p.search(before) for p in self.past),
                    modifiers=mods if definite else "",
                    nominal=cue.frame in {"buy", "sell"}
                    and not (cue.noun or cue.event)
                    and bool(self.nominal.search(before)),
                )
            )
        hits.sort(key=lambda h: (h.span.start, not h.cue.noun))
        return hits

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


_COMPILED: dict[int, tuple[DealLexicon, list[tuple[DealCue, re.Pattern[str]]]]] = {}


def _cue_patterns(lex: DealLexicon) -> list[tuple[DealCue, re.Pattern[str]]]:
    """The lexicon's cue regexes, compiled once per lexicon (it is not hashable)."""
    if id(lex) not in _COMPILED:
        _COMPILED[id(lex)] = (lex, [(c, compile_scanner(c.pattern, re.IGNORECASE)) for c in lex.cues])
    return _COMPILED[id(lex)][1]
