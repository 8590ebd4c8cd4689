"""Speakers the entity stage missed, named in a quote's attribution words.

The attribution slot is itself evidence of a name: "Marco Rossi said" is a person when "Marco" is a common
given name, "Rossi said" is the "Given ... Rossi" named earlier in the text, and "the Arms Review magazine
said" names a publication (a capitalized run before a media noun). Words covered by a mention are never
used.
"""

from __future__ import annotations

from collections.abc import Sequence

from etl.records import EntityRef, MentionRec
from etl.reference.entity_lexicon import Lexicon
from etl.reference.quote_lexicon import QuoteLexicon
from etl.transform.name_tokens import TokenIndex, is_name_word


class UnlistedNames:
    """Names in [start, end) of one article's body that no mention covers."""

    def __init__(
        self, body: str, ix: TokenIndex, mentions: Sequence[MentionRec], lex: Lexicon, qlex: QuoteLexicon
    ) -> None:
        self.body, self.ix, self.lex, self.qlex = body, ix, lex, qlex
        self.spans = [(m.span.start, m.span.end) for m in mentions]

    def _covered(self, start: int, end: int) -> list[tuple[int, int]]:
        return [(a, b) for a, b in self.spans if b > start and a < end]

    def person(self, start: int, end: int, first: bool) -> EntityRef | None:
        """A person name the entity stage missed, in the attribution words: two to four name words opening
        with a common given name ("Marco Rossi said"), or a surname whose full name stands earlier in the
        text ("Rossi said" after "Marco Rossi")."""
        toks, lex = self.ix.toks, self.lex
        covered = self._covered(start, end)
        runs: list[tuple[int, int]] = []  # token ranges of capitalized name words, outside mentions
        k, stop = self.ix.at(start), self.ix.before(end)
        while k <= stop:
            if is_name_word(toks[k], lex) and not any(a <= toks[k].start < b for a, b in covered):
                j = k
                while j + 1 <= stop and self.ix.glued(j, j + 1) and is_name_word(toks[j + 1], lex) and j - k < 3:
                    j += 1
                runs.append((k, j))
                k = j + 1
            else:
                k += 1
        for a, b in runs if first else reversed(runs):
            if self._person_run(a, b):
                return EntityRef(self.body[toks[a].start : toks[b].end], "person")
            if a == b and (full := self._full_name(toks[a].text)) is not None:
                return full
        return None

    def outlet(self, start: int, end: int) -> EntityRef | None:
        """A publication the entity stage missed, named before a media noun: "the Arms Review magazine said",
        "Tasnim news agency reported"."""
        toks, ix = self.ix.toks, self.ix
        covered = self._covered(start, end)
        for k in range(ix.at(start), ix.before(end) + 1):
            low = toks[k].text.lower()
            pair = f"{low} {toks[k + 1].text.lower()}" if k + 1 < len(toks) else ""
            if toks[k].cap or (low not in self.qlex.media and pair not in self.qlex.media):
                continue
            a = k
            while a - 1 >= ix.at(start) and ix.glued(a - 1, a) and k - a < 5:
                prev = toks[a - 1]
                named = prev.cap and prev.text not in self.lex.stopwords
                if not (named or prev.text in self.qlex.small_words) or any(x <= prev.start < y for x, y in covered):
                    break
                a -= 1
            while a < k and not toks[a].cap:
                a += 1
            if a < k:
                return EntityRef(self.body[toks[a].start : toks[k - 1].end], "organization")
        return None

    def _person_run(self, a: int, b: int) -> bool:
        toks, lex = self.ix.toks, self.lex
        return 1 <= b - a <= 3 and lex.is_given_name(toks[a].text) and not lex.is_given_name(toks[b].text)

    def _full_name(self, surname: str) -> EntityRef | None:
        """The earliest "Given ... Surname" run of the text ending with ``surname``."""
        toks = self.ix.toks
        for k, tok in enumerate(toks):
            if tok.text != surname:
                continue
            a = k
            while a > 0 and k - a < 3 and self.ix.glued(a - 1, a) and is_name_word(toks[a - 1], self.lex):
                a -= 1
            while a < k and not self.lex.is_given_name(toks[a].text):
                a += 1
            if a < k and self._person_run(a, k):
                return EntityRef(self.body[toks[a].start : tok.end], "person")
        return None
