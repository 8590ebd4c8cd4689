"""Positions (person, title, organization, country) from titles written around person mentions.

Patterns, with title words from ``entity_lexicon.yaml`` (a title ends in a head word such as minister,
secretary, spokesman, professor; ranks such as "Gen." are expanded to "General"; honorifics are not
titles):
* before the name: "[qualifier] [former] <title> <Person>" - "U.S. Defense Secretary Leon Panetta",
  "Rafael spokesman Rudoy Ravit", "its leader Abimael Guzman", "his defense minister, Daniel Mora";
* after the name: "<Person>, [now] a|an|the [former] <title> [of|at|for <organization>]" -
  "Guo Boxiong, vice chairman of China’s Central Military Commission", "Mr. Mora, now a congressman".
The qualifier is a country or demonym (-> country_code) or an organization (-> organization); "its"
points to the nearest preceding organization, "his/her" to the nearest preceding person's country.
Without a qualifier the country falls back to the organization's, then to the person's own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from etl.records import MentionRec, PositionRec, Span
from etl.reference.entity_lexicon import Lexicon, load_lexicon
from etl.transform.name_tokens import TokenIndex

_ORG_TYPES = frozenset({"organization", "government_body", "armed_group"})
_PREPS = frozenset({"of", "at", "for", "with", "in", "to"})
_ARTICLES = frozenset({"a", "an", "the"})
_NOW = frozenset({"now", "currently", "still"})
_REST_END = re.compile(r"[,;:)”\"]|\.\s|\s(?:who|which|that|and|said|says)\s")


def extract_positions(
    body: str, mentions: Sequence[MentionRec], lexicon: Lexicon | None = None
) -> list[PositionRec]:
    """Positions stated around each person mention, sorted by span."""
    finder = _Finder(body, sorted(mentions, key=lambda m: m.span.start), lexicon or load_lexicon())
    out: list[PositionRec] = []
    for m in finder.mentions:
        if m.entity.entity_type == "person":
            out += [p for p in (finder.before(m), finder.after(m)) if p is not None]
    return sorted(out, key=lambda p: (p.span.start, p.span.end))


class _Finder:
    def __init__(self, body: str, mentions: list[MentionRec], lex: Lexicon) -> None:
        self.body, self.mentions, self.lex = body, mentions, lex
        self.ix = TokenIndex(body)

    def _mention_at(self, tok_index: int) -> MentionRec | None:
        tok = self.ix.toks[tok_index]
        return next((m for m in self.mentions if m.span.start <= tok.start < m.span.end), None)

    # ---------------------------------------------------------------- "<qualifier> <title> <Person>"
    def before(self, person: MentionRec) -> PositionRec | None:
        toks, k = self.ix.toks, self.ix.at(person.span.start)
        if k == 0 or k >= len(toks):
            return None
        comma = self.ix.gap(k - 1) == ", "
        if comma and self.ix.gap(self.ix.before(person.span.end))[:1] not in {",", ".", ""}:
            return None  # "his defense minister, Daniel Mora, signed" but not a list of names
        if not (comma or self.ix.glued(k - 1, k)):
            return None
        words, former, i = self._title_words_before(k - 1)
        if not words or not (self._ends_in_head(words) or self._is_rank(words)):
            return None
        start = toks[i + 1].start
        org, country, qual_start = self._qualifier(i, person)
        lead = self.ix.at(qual_start) - 1 if qual_start is not None else i
        if lead >= 0 and toks[lead].text.lower() in self.lex.formers and self.ix.glued(lead, lead + 1):
            former, start = True, toks[lead].start  # "Former Peruvian President Alan García"
            qual_start = None if qual_start is None else start
        title = self._title(words)
        if title is None:
            return None
        return self._rec(
            qual_start if qual_start is not None else start,
            person.span.end,
            person,
            title,
            org,
            country,
            former,
        )

    def _title_words_before(self, j: int) -> tuple[list[tuple[str, int]], bool, int]:
        """Title words ending at token j (read backwards); returns (words, former, index before them)."""
        toks, lex, words, former = self.ix.toks, self.lex, [], False
        while j >= 0 and len(words) < 6:
            tok = toks[j]
            if self._mention_at(j) is not None:
                break
            text = tok.text
            head, _, rest = text.partition("-")
            if rest and head.lower() in lex.formers:  # "then-President", "ex-minister"
                former, text = True, rest
            low = text.lower()
            if low in lex.formers:
                former = True
            elif (
                text in lex.ranks
                or low in lex.head_words
                or low in lex.modifiers
                or (
                    tok.cap
                    and text not in lex.stopwords
                    and text not in lex.honorifics
                    and words
                    and words[-1][0][0].isupper()
                )
            ):  # unknown capitalized words only inside capitalized titles ("Energy and Mines Minister")
                if text in lex.honorifics:
                    break
                words.insert(0, (text, j))
            elif (low == "and" and words) or (low == "of" and words and j > 0 and self._is_head(j - 1)):
                words.insert(0, (text, j))  # "Energy and Mines Minister", "Secretary of State"
            else:
                break
            if j == 0 or not self.ix.glued(j - 1, j):
                j -= 1
                break
            j -= 1
        while words and (words[0][0].lower() == "and" or not self._title_word(words[0][0])):
            words.pop(0)
        first = words[0][1] if words else j + 1
        return words, former, first - 1

    def _ends_in_head(self, words: list[tuple[str, int]]) -> bool:
        """Title words end in a head word, or in "<head> of <Word>" ("Secretary of State")."""
        texts = [w.lower() for w, _ in words]
        return texts[-1] in self.lex.head_words or (
            len(texts) > 2 and texts[-2] == "of" and texts[-3] in self.lex.head_words
        )

    def _is_head(self, j: int) -> bool:
        return self.ix.toks[j].text.lower() in self.lex.head_words

    def _title_word(self, word: str) -> bool:
        low = word.lower()
        return (
            word in self.lex.ranks
            or low in self.lex.head_words
            or low in self.lex.modifiers
            or word[:1].isupper()
        )

    def _is_rank(self, words: list[tuple[str, int]]) -> bool:
        return words[-1][0] in self.lex.ranks

    def _qualifier(self, i: int, person: MentionRec) -> tuple[MentionRec | None, str | None, int | None]:
        """(organization, country, start) from the word(s) before a title ending at token i."""
        if i < 0:
            return None, person.country_code, None
        toks = self.ix.toks
        q = self._mention_at(i)
        adjacent = self.ix.glued(i, i + 1) or self.body[toks[i].end : toks[i + 1].start].strip() in (
            "'s",
            "’s",
        )
        if (
            q is not None and adjacent and q.entity.entity_type == "person"
        ):  # "García's then-Defense Minister"
            return None, q.country_code or person.country_code, None
        if q is not None and adjacent:
            if q.entity.entity_type == "country":
                return None, q.country_code, q.span.start
            return q, q.country_code or person.country_code, q.span.start
        pronoun = toks[i].text.lower()
        if pronoun == "its":
            org = self._nearest_before(toks[i].start, _ORG_TYPES, 300)
            return org, (org.country_code if org else None) or person.country_code, None
        if pronoun in {"his", "her"}:
            other = self._nearest_before(toks[i].start, {"person"}, 600, exclude=person)
            return None, (other.country_code if other else None) or person.country_code, None
        return None, person.country_code, None

    def _nearest_before(
        self, offset: int, types: set[str] | frozenset[str], window: int, exclude: MentionRec | None = None
    ) -> MentionRec | None:
        found = [
            m
            for m in self.mentions
            if m.entity.entity_type in types
            and offset - window <= m.span.start < offset
            and (exclude is None or m.entity != exclude.entity)
        ]
        return found[-1] if found else None

    # ---------------------------------------------------------------- "<Person>, a former <title> at <org>"
    def after(self, person: MentionRec) -> PositionRec | None:
        toks, lex = self.ix.toks, self.lex
        j = self.ix.before(person.span.end)
        if j < 0 or not self.body[person.span.end :].startswith(", "):
            return None
        j += 1
        former, words, country = False, [], None
        if j < len(toks) and toks[j].text.lower() in _NOW:
            j += 1
        elif j < len(toks) and toks[j].text.lower() == "formerly":
            former, j = True, j + 1
        article = j < len(toks) and toks[j].text.lower() in _ARTICLES
        j += article
        end = j
        while j < len(toks) and len(words) < 6 and (j == end or self.ix.glued(j - 1, j)):
            q = self._mention_at(j)
            low = toks[j].text.lower()
            if q is not None and q.entity.entity_type == "country" and not words:
                country = q.country_code
                j = end = self.ix.at(q.span.end)  # "Evo Morales, Bolivia’s president"
                continue
            if low in lex.formers and not words:
                former = True
            elif low in lex.modifiers or low in lex.head_words:
                words.append((toks[j].text, j))
            else:
                break
            j += 1
        while words and words[-1][0].lower() not in lex.head_words:
            words.pop()
        if not words:
            return None
        last = words[-1][1]
        nxt = toks[last + 1].text if last + 1 < len(toks) and self.ix.glued(last, last + 1) else ""
        if nxt and nxt not in _PREPS and not (article and nxt == "and"):
            return None
        if not article and nxt not in _PREPS and country is None:
            return (
                None  # "X, chairman" is too loose; "X, chairman of Y" and "X, Bolivia's president" are fine
            )
        end_offset, org = toks[last].end, None
        if nxt in _PREPS:
            rest_start = toks[last + 1].end
            cut = _REST_END.search(self.body, rest_start, rest_start + 160)
            rest_end = cut.start() if cut else min(len(self.body), rest_start + 160)
            inside = [m for m in self.mentions if rest_start <= m.span.start < rest_end]
            org = next((m for m in inside if m.entity.entity_type in _ORG_TYPES), None)
            place = next((m for m in inside if m.entity.entity_type == "country" and nxt != "to"), None)
            country = country or (place.country_code if place else None)
            if org is not None:
                end_offset = org.span.end
        country = country or (org.country_code if org else None) or person.country_code
        title = self._title(words)
        if title is None:
            return None
        return self._rec(person.span.start, end_offset, person, title, org, country, former)

    # ---------------------------------------------------------------- shared
    def _title(self, words: list[tuple[str, int]]) -> str | None:
        texts = [w for w, _ in words]
        for n in (2, 1):  # "Lt. Gen." before "Gen."
            key = " ".join(texts[-n:])
            if len(texts) >= n and key in self.lex.ranks:
                rest = texts[:-n]  # "FAC commander Gen. X": the office, not the rank
                keep = any(t.lower() in self.lex.head_words for t in rest)
                texts = rest if keep else rest + self.lex.ranks[key].split()
                break
        if not texts:
            return None
        return " ".join(t if t.isupper() or t in {"and", "of"} else t[:1].upper() + t[1:] for t in texts)

    @staticmethod
    def _rec(
        start: int,
        end: int,
        person: MentionRec,
        title: str,
        org: MentionRec | None,
        country: str | None,
        former: bool,
    ) -> PositionRec:
        return PositionRec(
            Span(start, end), person.entity, title, org.entity if org else None, country, former
        )
