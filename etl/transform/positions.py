"""Positions (person, title, organization, country) from titles written around person mentions.

Patterns, with title words from ``entity_lexicon.yaml`` (a title ends in a head word such as minister,
secretary, spokesman, professor; ranks such as "Gen." are expanded to "General"; honorifics are not
titles):
* before the name: "[qualifier] [former] <title> <Person>" - "U.S. Defense Secretary Leon Panetta",
  "Rafael spokesman Rudoy Ravit", "its leader Abimael Guzman", "his defense minister, Daniel Mora";
* after the name: "<Person>, [now] a|an|the [former] <title> [of|at|for <organization>]" -
  "Guo Boxiong, vice chairman of China’s Central Military Commission", "Mr. Mora, now a congressman".
* an office before a rank after a comma: "Colombia's national police chief, Gen. Oscar Naranjo,";
  "Mexico's Secretary of National Defense, Gen. Salvador Cienfuegos," (the office is the title);
* joined heads: "Jackson Schneider, President and CEO of Embraer"; Spanish "El ministro de Defensa,
  Pedro Cateriano,".
The qualifier is a country or demonym (-> country_code) or an organization (-> organization); "its"
points to the nearest preceding organization, "his/her" to the nearest preceding person's country.
Without a qualifier the country falls back to the organization's, then to the person's own.

Dateline country (the last fallback): an unqualified government or military office ("Defense Minister
Gabriel Silva", "President Otto Pérez Molina", "Gen. Jorge Arevalo"; heads listed under
``dateline_heads``) held by a person of unknown country is taken to be of the dateline's country when
(1) the dateline names a place of a known country ("BOGOTA, Colombia", "CARACAS", "Mexico City"; the
region, a country mention in the dateline, or ``dateline_places``), (2) the body mentions that
country outside the dateline, and (3) the sentence holding the title mentions no other country,
demonym, foreign government body ("the U.S. Navy's Fourth Fleet") or foreign place outside its
quotes ("In Washington, Assistant Secretary of State ..." stays without a country, as does "Ricardo
López Murphy, a former defense minister" under a ROME dateline), except a firm's origin ("drones made by
Israel's Elbit Systems, Defense Minister Rodrigo Rivera said" is Colombian under a BOGOTA dateline).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from functools import cache

from etl.records import MentionRec, PositionRec, Span
from etl.reference.entity_lexicon import Lexicon, load_lexicon
from etl.transform.datelines import parse_dateline
from etl.transform.matching import fold
from etl.transform.name_tokens import token_index
from etl.transform.regex_prefilter import compile_scanner

_ORG_TYPES = frozenset({"organization", "government_body", "armed_group"})
_PREPS = frozenset({"of", "at", "for", "with", "in", "to"})
_ARTICLES = frozenset({"a", "an", "the"})
_NOW = frozenset({"now", "currently", "still"})
_REST_END = compile_scanner(r"[,;:)”\"]|\.\s|\s(?:who|which|that|and|said|says)\s")
_OF = frozenset({"of", "de", "del"})
_LOWER_TITLE_WORDS = frozenset({"and", "of", "de", "del", "y", "para", "la"})
_QUOTED = compile_scanner(r"“[^”\n]*”|\"[^\"\n]*\"|«[^»\n]*»")
_SENTENCE_BREAK = compile_scanner(r"[.!?][”\"’']?\s+(?=[A-Z“\"(«])|\n")
# words whose period does not end a sentence ("Gen. Douglas Fraser", "U.S. Navy", "Mr. Defense Minister")
_ABBREVIATION = compile_scanner(
    r"(?:\b(?:[A-Z]\.)+|\b(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Maj|Capt|Adm|Sgt|Cmdr|Gov|Sen|Rep|Gral|Sr|Sra|Jr|St|Co|Corp"
    r"|Inc|Ltd|No|Nos|vs|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.)$"
)
_TITLE_ARTICLES = frozenset({"El", "La", "Los", "Las", "O", "Os", "The", "A", "An"})


def extract_positions(
    body: str, mentions: Sequence[MentionRec], lexicon: Lexicon | None = None
) -> list[PositionRec]:
    """Positions stated around each person mention, sorted by span."""
    finder = _Finder(body, sorted(mentions, key=lambda m: m.span.start), lexicon or load_lexicon())
    out: list[PositionRec] = []
    for m in finder.mentions:
        if m.entity.entity_type == "person":
            out += [p for p in (finder.before(m), finder.after(m)) if p is not None]
    out = finder.dateline_countries(out)
    return sorted(out, key=lambda p: (p.span.start, p.span.end))


class _Finder:
    def __init__(self, body: str, mentions: list[MentionRec], lex: Lexicon) -> None:
        self.body, self.mentions, self.lex = body, mentions, lex
        self.ix = token_index(body)

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
        if " ".join(w for w, _ in words) in self.lex.ranks and i >= 0:  # only a rank: "..., Gen. X"
            words, former, i = self._office_before_rank(words, former, i, person)
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

    def _office_before_rank(
        self, words: list[tuple[str, int]], former: bool, i: int, person: MentionRec
    ) -> tuple[list[tuple[str, int]], bool, int]:
        """ "<office>, <rank> <Person>," -> office words + rank words (the office becomes the title)."""
        if self.ix.gap(i) != ", " or self.ix.gap(self.ix.before(person.span.end))[:1] not in {",", ".", ""}:
            return words, former, i
        office, former_office, j = self._title_words_before(i)
        if office and self._ends_in_head(office):
            return office + words, former or former_office, j
        return words, former, i

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
            if text in _TITLE_ARTICLES:  # "El ministro de Defensa"
                break
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
            elif (low == "and" and words) or (low in _OF and words and j > 0 and self._is_head(j - 1)):
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
        """Title words end in a head word, or in "<head> of <Words>" ("Secretary of State", "Secretary
        of National Defense", "ministro de Defensa")."""
        if not words:
            return False
        texts = [w.lower() for w, _ in words]
        if texts[-1] in self.lex.head_words:
            return True
        ofs = [n for n, t in enumerate(texts) if t in _OF]
        if not ofs or ofs[-1] < 1 or ofs[-1] == len(texts) - 1:
            return False
        n = ofs[-1]
        tail = [w for w, _ in words[n + 1 :]]
        titled = all(w[:1].isupper() or w.lower() in self.lex.modifiers for w in tail)
        return texts[n - 1] in self.lex.head_words and titled

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
            elif (
                low in lex.modifiers
                or low in lex.head_words
                or (low == "and" and words and self._head_follows(j))  # "President and CEO of Embraer"
            ):
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
        tail = end_offset
        if nxt in _PREPS:
            rest_start = toks[last + 1].end
            cut = _REST_END.search(self.body, rest_start, rest_start + 160)
            rest_end = cut.start() if cut else min(len(self.body), rest_start + 160)
            inside = [m for m in self.mentions if rest_start <= m.span.start < rest_end]
            if any(m.entity.entity_type == "person" for m in inside):
                return None  # "X, Minister for Defence Helen Carter and ...": a list of officials
            org = next((m for m in inside if m.entity.entity_type in _ORG_TYPES), None)
            place = next((m for m in inside if m.entity.entity_type == "country" and nxt != "to"), None)
            country = country or (place.country_code if place else None)
            if org is not None:
                end_offset = org.span.end
            tail = rest_end
        if re.match(r",\s+and\s", self.body[tail : tail + 8]):
            return None  # "the US Ambassador X, the Minister of Defense, and the commander": a list
        country = country or (org.country_code if org else None) or person.country_code
        title = self._title(words)
        if title is None:
            return None
        return self._rec(person.span.start, end_offset, person, title, org, country, former)

    def _head_follows(self, j: int) -> bool:
        """Token j ("and") is followed, glued, by title words ending in a head word."""
        toks, k = self.ix.toks, j + 1
        while k < len(toks) and k <= j + 3 and self.ix.glued(k - 1, k):
            low = toks[k].text.lower()
            if low in self.lex.head_words:
                return True
            if low not in self.lex.modifiers:
                return False
            k += 1
        return False

    # ---------------------------------------------------------------- dateline country
    def dateline_countries(self, positions: list[PositionRec]) -> list[PositionRec]:
        """Positions without a country get the dateline's under the rule in the module docstring."""
        todo = [p for p in positions if p.country_code is None and self._local_title(p.title)]
        if not todo:
            return positions
        home = self._dateline_home()
        if home is None:
            return positions
        code, dateline_end = home
        if not any(
            m.entity.entity_type == "country" and m.country_code == code and m.span.start >= dateline_end
            for m in self.mentions
        ):
            return positions
        return [
            replace(p, country_code=code) if p in todo and self._only_home_in_sentence(p, code) else p
            for p in positions
        ]

    def _local_title(self, title: str) -> bool:
        words = [w for w in re.split(r"[\s-]+", title.lower()) if w]
        return any(w in self.lex.dateline_heads for w in words)

    def _dateline_home(self) -> tuple[str, int] | None:
        """(country code, end offset) of the dateline opening one of the first paragraphs."""
        offset = 0
        for line in self.body.split("\n")[:8]:
            dateline = parse_dateline(line) if len(line.split()) >= 8 else None
            if dateline is not None and dateline.place:
                end = offset + dateline.end
                inside = [
                    m for m in self.mentions if offset <= m.span.start < end and m.entity.entity_type == "country"
                ]
                if inside:
                    return inside[-1].country_code, end  # type: ignore[return-value]
                place = dateline.place.split(",")[0]
                code = self.lex.place_country(place)
                return (code, end) if code else None
            offset += len(line) + 1
        return None

    def _only_home_in_sentence(self, p: PositionRec, code: str) -> bool:
        start, end = self._sentence(p.span.start, p.span.end)
        quoted = [(m.start(), m.end()) for m in _QUOTED.finditer(self.body, start, end)]

        def outside(offset: int) -> bool:
            return not any(a <= offset < b for a, b in quoted)

        others = {
            m.country_code
            for m in self.mentions
            if start <= m.span.start < end
            and outside(m.span.start)
            and m.entity.entity_type in ("country", "government_body")  # "U.S. Navy", not a foreign firm
            and m.country_code is not None
            and m.country_code != code
            and not self._firm_origin(m)
        }
        folded = fold(self.body[start:end]).lower()  # same offsets as the body
        places = {
            c
            for place, c in self.lex.place_countries.items()
            if c != code and place in folded and any(outside(start + x.start()) for x in _word(place).finditer(folded))
        }
        return not others and not places

    def _firm_origin(self, m: MentionRec) -> bool:
        """A demonym or possessive naming a company's home ("Israel's Elbit Systems", "the Finnish firm
        Patria") says where the firm is from, not whose office the title is."""
        if m.method != "demonym":
            return False
        after = [o for o in self.mentions if o.span.start >= m.span.end]
        if not after:
            return False
        nxt = min(after, key=lambda o: o.span.start)
        gap = self.body[m.span.end : nxt.span.start]
        return nxt.entity.entity_type == "organization" and re.fullmatch(
            r"\s+(?:(?:company|firm|group|manufacturer|maker|shipbuilder|shipyard|contractor|conglomerate)\s+)?", gap
        ) is not None

    def _sentence(self, start: int, end: int) -> tuple[int, int]:
        """The sentence around [start, end): breaks at . ! ? (not after abbreviations) and line ends."""
        para_start = self.body.rfind("\n", 0, start) + 1
        para_end = self.body.find("\n", end)
        para_end = len(self.body) if para_end < 0 else para_end
        breaks = [
            m
            for m in _SENTENCE_BREAK.finditer(self.body, para_start, para_end)
            if not _ABBREVIATION.search(self.body, para_start, m.start() + 1)
        ]
        before = [m.end() for m in breaks if m.end() <= start]
        after = [m.start() for m in breaks if m.start() >= end]
        return (before[-1] if before else para_start), (after[0] if after else para_end)

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
        return " ".join(t if t.isupper() or t in _LOWER_TITLE_WORDS else t[:1].upper() + t[1:] for t in texts)

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


@cache
def _word(place: str) -> re.Pattern[str]:
    return compile_scanner(rf"(?<![\w-]){re.escape(place)}(?![\w-])")
