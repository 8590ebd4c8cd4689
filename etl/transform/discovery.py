"""Discovery of entities missing from the gazetteer, by rules over word tokens (lists in entity_lexicon.yaml).

* person: a name after a title, rank or honorific ("Defense Minister X Y", "spokesman X Y", "Gen. X");
  two or more name words before or after a speech verb ("X Y said", "said X Y", "according to X Y");
  before an appositive title ("X Y, a former instructor").
* organization / government_body / armed_group: capitalized words ending in a suffix (Corp., Group,
  Ministry, University, Cartel ...), "<Ministry|University ...> of <Name>", a cue noun ("the company X",
  "the X consortium"), web domains ("Defensa.com"), and long forms of acronyms "Long Name (LN)".
* weapon_system: designations such as Mi-171Sh, C-27J, KT-1, MBT-2000, MBT 2000, T-55, T55, Su-25,
  F/A-18E/F; a designation followed by "tender", "program", "competition" names a program ("FX-2 tender").
Leading country words are cut off and kept as ``country_code`` ("the Polish Bumar Group").
Persons and organizations are not discovered in Title Case headlines ("Mexico Boosts Navy Fleet With
Dutch-Designed Patrol Ships") or byline lines ("Written by Staff Writer"): capitals there are no
evidence of a name. Weapon designations and web domains are found everywhere.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

from etl.records import EntityType
from etl.reference.entity_lexicon import Lexicon
from etl.transform.name_tokens import Tok, TokenIndex, headline_and_byline_lines, is_name_word, word_set
from etl.transform.regex_prefilter import compile_scanner
from etl.transform.weapons import WeaponFinder

_OF = frozenset({"of", "for", "de", "del", "do", "da", "di"})
_ARTICLES = frozenset({"the", "la", "las", "los", "el"})
_CONNECTORS = _OF | _ARTICLES | {"and", "y", "e", "&", "on"}
# words that can govern an "of" inside an organization name ("Armed Forces of Colombia")
_OF_HEADS = frozenset(
    {"Republic", "Union", "Organization", "Organisation", "League", "Party", "Forces", "Front"}
)
_LEADING_JUNK = word_set(
    "the a an and but or of for on in at by with from to as last next when while after before since "
    "asked according meanwhile however although though if then its his her their our this that these "
    "those neither nor either both whether including like unlike among amid despite during under over about "
    "against between through via than because also even only just"
)
# a name after one of these is the object of a preposition, not the speaker ("analysts at Credit Suisse said")
_OBJECT_PREPOSITIONS = word_set("at of from for with by in on to into under")
_DOMAIN = compile_scanner(
    r"(?<![\w@/.])[A-Z][\w-]*\.(?:com|org|net|gov|info|pe|co|br|mx|ar|cl|es)(?:\.[a-z]{2})?\b"
)
_PLACE_PREPOSITIONS = word_set("of in near outside")
_LEGAL_FORMS = word_set(  # company suffixes after which "of <Place>" is a location
    "Corp. Corp Corporation Inc. Inc Co. Company Ltd. Ltd Limited LLC PLC plc S.A. SA S.A.C. S.p.A. SpA GmbH AG "
    "N.V. B.V."
)
_ACRONYM_DEF = compile_scanner(r"\((?P<acr>[A-Z][A-Za-z0-9&.\-]{0,10}[A-Z0-9.])\)")
_MONTHS_DAYS = word_set(
    "January February March April May June July August September October November December Jan Feb Mar "
    "Apr Jun Jul Aug Sep Sept Oct Nov Dec Monday Tuesday Wednesday Thursday Friday Saturday Sunday"
)
_YEAR = compile_scanner(r"^(1[89]|20)\d\d$")
_TITLE_LINKS = frozenset({"of", "for", "to", "and", "the"})
_NAME_WORD = r"[A-Z][\w'’.-]*"
_BYLINE = compile_scanner(
    rf"(?m)(?:^[ \t]*(?:By|BY|Written by|Posted by|Reported by)[ \t]+|\b[Ww]ritten by )"
    rf"(?P<name>{_NAME_WORD}(?:[ \t]+(?:{_NAME_WORD}|de|van|von|da|al|bin)){{1,3}})"
    r"(?=[ \t]*(?:$|[,/|(]| for | and | on ))"
)
_NOT_AUTHORS = frozenset({"staff", "writer", "writers", "reporter", "reporters", "correspondent", "desk", "editor",
                          "editors", "team", "bureau", "agencies", "wire", "news", "online", "admin"})
_BYLINE_CUE = compile_scanner(r"(?m)^[ \t]*(?:By|BY|Written|Posted|Reported)\b|ritten by")
_AUTHOR_NOTE = compile_scanner(
    r"(?m)^(?P<name>[A-Z][a-z'’-]+(?: [A-Z][a-z'’-]+){1,2}) is an? (?:[\w-]+ ){0,5}?"
    r"(?:correspondent|journalist|reporter|writer|editor|contributor|columnist|analyst|researcher|fellow)\b"
)
_STATE_FORCES = frozenset({"army", "navy", "marine", "marines", "police", "military", "naval", "air"})
_CREDIT_CLOSE = compile_scanner(r"\)\s*(?:--|[-–—])")
# full-word ranks that also begin company names ("General Electric", "General Dynamics")
_RANKS_IN_NAMES = frozenset({"General"})


@dataclass(slots=True)
class Candidate:
    """An entity found by a rule; ``country_code`` comes from a country word just before it, if any."""

    start: int
    end: int
    name: str
    entity_type: EntityType
    rule: str
    country_code: str | None = None


@dataclass(frozen=True, slots=True)
class Known:
    """A span already attributed (a gazetteer match): its entity type and country code."""

    start: int
    end: int
    entity_type: str
    country_code: str | None
    adjectival: bool = False  # a demonym, possessive or abbreviation ("Polish", "Israel’s", "U.S.")


class _Coverage:
    def __init__(self, known: list[Known]) -> None:
        self.known = sorted(known, key=lambda k: k.start)
        self.starts = [k.start for k in self.known]

    def at(self, tok: Tok) -> Known | None:
        i = bisect_right(self.starts, tok.start) - 1
        if i >= 0 and self.known[i].end > tok.start:
            return self.known[i]
        return None


_RULE_WORDS: dict[int, tuple[Lexicon, frozenset[str], frozenset[str]]] = {}


def _rule_words(lex: Lexicon) -> tuple[frozenset[str], frozenset[str]]:
    """The words at which a rule of ``Discoverer._persons_at`` or ``_orgs_at`` can fire: exact texts
    (ranks, honorifics, every word of an organization suffix, prefix or cue noun) and lower-cased ones
    (title heads and modifiers, given names, speech verbs, "according"). Any other word fires none
    unless it is non-ASCII (a given name folded) or ", " follows it (an appositive title). A rule
    added to either method adds its words here."""
    if id(lex) not in _RULE_WORDS:  # the lexicon is kept with its sets, so its id is not reused
        keyed = (*lex.suffix_type, *lex.prefix_type, *lex.cue_type)
        exact = frozenset({*lex.ranks, *lex.honorifics, *(w for k in keyed for w in k.split())})
        lower = lex.head_words | lex.modifiers | lex.given | lex.verbs | {"according"}
        _RULE_WORDS[id(lex)] = (lex, exact, lower)
    return _RULE_WORDS[id(lex)][1:]


class Discoverer:
    """Runs every discovery rule over one body."""

    def __init__(self, body: str, index: TokenIndex, known: list[Known], lex: Lexicon) -> None:
        self.body, self.ix, self.lex = body, index, lex
        self.cov = _Coverage(known)

    def run(self) -> list[Candidate]:
        out: list[Candidate] = []
        for i in self.rule_starts():
            out += self._persons_at(i) + self._orgs_at(i)
        out += self._acronym_long_forms(out)
        skip = self.headlines = headline_and_byline_lines(self.body)
        if skip:
            out = [c for c in out if not any(a <= c.start < b for a, b in skip)]
        return out + self.bylines() + self._domains() + self._weapons()

    def rule_starts(self) -> Iterator[int]:
        """The tokens at which a rule of ``_persons_at`` or ``_orgs_at`` can fire. Most words start
        none, and one membership test here settles them: trying every rule at every word took
        nearly twice as long (docs/benchmarks.md, seventeenth round)."""
        exact, lower = _rule_words(self.lex)
        body = self.body
        for i, tok in enumerate(self.ix.toks):
            low = tok.text.lower()
            if tok.text in exact or low in lower or not low.isascii() or body.startswith(", ", tok.end):
                yield i

    # ---------------------------------------------------------------- persons
    def _person_ok(self, i: int) -> bool:
        tok = self.ix.toks[i]
        known = self.cov.at(tok)
        # a first name can be a one-word company alias ("Rafael" in "Rafael Correa")
        if known is not None and not (known.entity_type == "organization" and known.end == tok.end):
            return False
        return is_name_word(tok, self.lex)

    def _run(self, i: int, step: int, limit: int = 5) -> list[int]:
        """Name words from token i going forward (step 1) or backward (step -1)."""
        toks, particles = self.ix.toks, self.lex.particles
        run: list[int] = []
        j = i
        while 0 <= j < len(toks) and len(run) < limit:
            inner = (  # a short capitalized stopword inside a name: "Abdulkadir Mohamed Nor Jama"
                step == 1
                and run
                and toks[j].cap
                and len(toks[j].text) <= 3
                and toks[j].text in self.lex.stopwords
                and self.ix.glued(j, j + 1)
                and is_name_word(toks[j + 1], self.lex)
            )
            if not (self._person_ok(j) or (toks[j].text in particles and run) or inner):
                break
            run.append(j)
            nxt = j + step
            if not (self.ix.glued(j, nxt) if step == 1 else self.ix.glued(nxt, j)):
                break
            j = nxt
        run.sort()
        while run and toks[run[-1]].text in particles:
            run.pop()
        while run and toks[run[0]].text in particles:
            run.pop(0)
        if run and all(self.cov.at(toks[k]) for k in run):
            return []
        if run and self._org_words(run):
            return []
        return run

    def _org_words(self, run: list[int]) -> bool:
        """Name-like words that name a body: "Air Force", "Coast Guard", "National Assembly"."""
        toks, lex = self.ix.toks, self.lex
        last = toks[run[-1]].text
        two = f"{toks[run[-2]].text} {last}" if len(run) > 1 else ""
        if two in lex.suffix_type or (last in lex.suffix_type and len(run) > 1):
            return True
        return all(toks[k].text.lower() in lex.generic for k in run)

    def _person(self, run: list[int], rule: str, qualifier: str | None = None) -> Candidate:
        toks = self.ix.toks
        start, end = toks[run[0]].start, toks[run[-1]].end
        return Candidate(start, end, self.body[start:end], "person", rule, qualifier)

    def _persons_at(self, i: int) -> list[Candidate]:
        toks, lex = self.ix.toks, self.lex
        tok, low = toks[i], toks[i].text.lower()
        out: list[Candidate] = []
        is_rank = tok.text in lex.ranks or tok.text in lex.honorifics
        # "Minister of Defense Juan Perez", "Secretary of State John Kerry"
        of_title = (
            i > 1
            and tok.cap
            and toks[i - 1].text == "of"
            and toks[i - 2].text.lower() in lex.head_words
            and low in lex.modifiers
        )
        if (
            (is_rank or of_title or low in lex.head_words)
            and self.ix.glued(i, i + 1)
            and not self.cov.at(tok)
        ):
            run = self._run(i + 1, 1)
            while len(run) > 2 and toks[run[0]].text.lower() in lex.modifiers:
                run.pop(0)  # "Minister for Defence Industry Christopher Pyne"
            one_word_ok = (is_rank or tok.cap) and self._one_word_name_ok(run)
            if run and (len(run) > 1 or one_word_ok) and toks[run[-1]].text not in lex.suffix_type:
                out.append(self._person(run, "title", self.qualifier_country(i)))
        if low in lex.head_words and self.ix.gap(i) == ", " and not self.cov.at(tok):
            run = self._run(i + 1, 1)  # "his defense minister, Daniel Mora, signed"
            if len(run) >= 2 and self.ix.gap(run[-1])[:1] in {",", ".", ""}:
                out.append(self._person(run, "title", self.qualifier_country(i)))
        if low in lex.head_words and i + 2 < len(toks) and toks[i + 1].text in _TITLE_LINKS and self.ix.glued(i, i + 1):
            out += self._after_title_topic(i + 2)
        given = low in lex.given or (not low.isascii() and lex.is_given_name(tok.text))
        if given and tok.cap and not self.cov.at(tok) and self.ix.glued(i, i + 1):
            prev = toks[i - 1] if i > 0 and self.ix.glued(i - 1, i) else None
            prev_name = prev is not None and is_name_word(prev, lex) and not self.cov.at(prev)
            run = [] if prev_name else self._run(i, 1)
            # "Boris Pistorius", "Jack de Vries", "Ralph D. Heath"; not "Victoria Falls"
            if len(run) >= 2 and run[0] == i and toks[run[-1]].text not in lex.place_words:
                out.append(self._person(run, "given"))
        if low in lex.verbs and not tok.cap:
            before = self._run(i - 1, -1) if self.ix.glued(i - 1, i) else []
            if len(before) >= 2 and not (
                before[0] > 0
                and self.ix.glued(before[0] - 1, before[0])
                and toks[before[0] - 1].text in _OBJECT_PREPOSITIONS
            ):
                out.append(self._person(before, "said"))
            after = self._run(i + 1, 1) if self.ix.glued(i, i + 1) else []
            if len(after) >= 2:
                out.append(self._person(after, "said"))
        if (
            low == "according"
            and i + 2 < len(toks)
            and toks[i + 1].text == "to"
            and self.ix.glued(i + 1, i + 2)
        ):
            run = self._run(i + 2, 1)
            if len(run) >= 2:
                out.append(self._person(run, "said"))
        if self.ix.gap(i).startswith(", ") and self._appositive_title_at(i + 1):
            run = self._run(i, -1)
            if len(run) >= 2:
                out.append(self._person(run, "appositive"))
        return out

    def _after_title_topic(self, j: int) -> list[Candidate]:
        """ "Minister for Defence Helen Carter", "Minister of Home Affairs and Immigration Ratu Seru
        Tabua", "Ambassador to Samoa Li Wen": the name after the title's topic words."""
        toks, lex = self.ix.toks, self.lex
        start = j
        while j < len(toks) and j < start + 6 and self.ix.glued(j - 1, j):
            known = self.cov.at(toks[j])
            word = toks[j].text
            country = known is not None and known.entity_type == "country"
            if not (word.lower() in lex.modifiers or word in _TITLE_LINKS or country):
                break
            j = self.ix.at(known.end) if known else j + 1
        if j == start or j >= len(toks) or not self.ix.glued(j - 1, j):
            return []
        run = self._run(j, 1)
        cut = max((n for n, k in enumerate(run) if toks[k].text.lower() in lex.modifiers), default=-1)
        if cut >= 0 and len(run) - cut - 1 >= 2:
            run = run[cut + 1 :]  # "... and Veterans Affairs Ratu Josaia Tora": the topic ends at "Affairs"
        return [self._person(run, "title", self.qualifier_country(start - 2))] if len(run) >= 2 else []

    def bylines(self) -> list[Candidate]:
        """Authors: "By Craig Hoyle", "BY JANE DOE / May 2", "written by X for Y", "X is a ... correspondent"."""
        out = []
        found = list(_BYLINE.finditer(self.body)) if _BYLINE_CUE.search(self.body) else []
        for m in [*found, *_AUTHOR_NOTE.finditer(self.body)]:
            name = m["name"]
            if any(w.lower() in self.lex.modifiers or w.lower() in self.lex.head_words or w.lower() in _NOT_AUTHORS
                   or w.rstrip(".") in self.lex.stopwords for w in name.split()):
                continue  # "By Staff Writer", "By Associated Press"
            if name.isupper():
                name = " ".join(w.capitalize() for w in name.split())
            out.append(Candidate(m.start("name"), m.end("name"), name, "person", "byline"))
        return out

    def _one_word_name_ok(self, run: list[int]) -> bool:
        """A lone name after a title is no generic word and no part of a product name: not "Air" in
        "King Air 350ER"."""
        if len(run) != 1:
            return True
        k, toks = run[0], self.ix.toks
        if toks[k].text.lower() in self.lex.generic:
            return False
        nxt = toks[k + 1].text if k + 1 < len(toks) and self.ix.glued(k, k + 1) else ""
        return not any(c.isdigit() for c in nxt)

    def _appositive_title_at(self, i: int) -> bool:
        """Tokens from i read "a|an|the [former] [modifiers] <title head>" followed by a break."""
        toks, lex = self.ix.toks, self.lex
        if i >= len(toks):
            return False
        article = toks[i].text.lower() in {"a", "an", "the"}
        j = i + 1 if article else i
        while j < len(toks) and j < i + 6 and (j == i or self.ix.glued(j - 1, j)):
            word = toks[j].text.lower()
            if word in lex.head_words:
                after = toks[j + 1].text if self.ix.glued(j, j + 1) else ""
                return after in {"of", "at", "for", "with", "in"} or (article and after in {"", "and"})
            if word not in lex.modifiers and word not in lex.formers:
                return False
            j += 1
        return False

    def qualifier_country(self, i: int) -> str | None:
        """Country word just before the title/cue words ending at token i ("Brazilian Defense Minister")."""
        toks, lex = self.ix.toks, self.lex
        j = i - 1
        while j >= 0 and j >= i - 5:
            known = self.cov.at(toks[j])
            glued = self.ix.glued(j, j + 1) or (
                toks[j].poss and self.body[toks[j].end : toks[j + 1].start].strip() in ("'s", "’s")
            )
            if not glued:
                return None
            if known is not None:
                return known.country_code if known.entity_type == "country" else None
            word = toks[j].text.lower()
            if (
                word not in lex.modifiers
                and word not in lex.head_words
                and word not in lex.cue_type
                and "-" not in word
            ):
                return None
            j -= 1
        return None

    # ---------------------------------------------------------------- organizations
    def _org_word(self, j: int) -> bool:
        """Token j can extend an organization name leftwards."""
        toks = self.ix.toks
        tok = toks[j]
        if tok.text in {"and", "&"}:  # "Heckler & Koch", not "Bumar Group and the Northrop Group"
            left = toks[j - 1] if j > 0 and self.ix.glued(j - 1, j) else None
            # "Heckler & Koch", "Larsen and Toubro"; not "Corp. of Tampa and Sikorsky Aircraft Corp."
            placed = j > 1 and toks[j - 2].text.lower() in _PLACE_PREPOSITIONS
            return bool(
                left and left.cap and left.text not in self.lex.suffix_type and not self.cov.at(left) and not placed
            )
        if tok.text in _ARTICLES:
            return j > 0 and toks[j - 1].text in _OF
        if tok.text in _OF:  # "Bank of China", not "Gen. Raul Gonzalez of the Ecuadorian Army"
            left = toks[j - 1].text if j > 0 and self.ix.glued(j - 1, j) else ""
            lex = self.lex
            return (
                left in lex.prefix_type
                or (left in lex.suffix_type and left not in _LEGAL_FORMS)
                or left in _OF_HEADS
                or left.lower() in lex.generic
            )
        if (tok.text in self.lex.ranks and tok.text not in _RANKS_IN_NAMES) or tok.text in self.lex.honorifics:
            return False
        if _YEAR.match(tok.text) or (tok.text.isdigit() and len(tok.text) > 3):
            return False  # "the 2010 Defense Department notice": a year opens no name
        return (tok.cap or tok.text[0].isdigit()) and tok.text != "I"

    def _orgs_at(self, i: int) -> list[Candidate]:
        toks, lex = self.ix.toks, self.lex
        tok = toks[i]
        out: list[Candidate] = []
        two = f"{toks[i - 1].text} {tok.text}" if i > 0 and self.ix.glued(i - 1, i) else ""
        suffix_type = lex.suffix_type.get(two) or lex.suffix_type.get(tok.text)
        if suffix_type and not (tok.text == "Co." and i + 1 < len(toks) and toks[i + 1].text == "Ltd."):
            cand = self._org_span(i, i, suffix_type, "suffix")
            if cand:
                out.append(cand)
        if tok.text in lex.prefix_type and i + 2 < len(toks) and toks[i + 1].text in _OF:
            cand = self._org_span(i, i, lex.prefix_type[tok.text], "prefix")
            if cand and cand.end > tok.end:
                out.append(cand)
        cue = lex.cue_type.get(tok.text) or lex.cue_type.get(f"{toks[i - 1].text} {tok.text}" if i else "")
        if cue and not tok.cap:
            out += self._cue(i, cue)
        return out

    def _org_span(self, first: int, last: int, entity_type: str, rule: str) -> Candidate | None:
        """Extend [first, last] backward over capitalized words and forward over "of <Name>"."""
        toks, lex = self.ix.toks, self.lex
        while (
            first > 0 and first > last - 8 and self.ix.glued(first - 1, first) and self._org_word(first - 1)
        ):
            first -= 1
        closing_country: str | None = None
        head = last
        while last + 2 < len(toks) and toks[last + 1].text in _OF and self.ix.glued(last, last + 1):
            if toks[last + 1].text == "for" and toks[last + 2].text in _ARTICLES:
                break  # "Gun Systems for the Army": what it is for, not its name
            k = last + 2 + (toks[last + 2].text in _ARTICLES)  # "Secretariat of the Navy", "de los Andes"
            if k < len(toks) and self.ix.glued(k - 1, k) and (country := self._country_name_at(k, head)):
                last, closing_country = self.ix.before(country.end), country.country_code
                break  # "Central Bank of Venezuela", "Bank of China": the country closes the name
            if toks[last].text in _LEGAL_FORMS:
                break  # "Lockheed Martin Corp. of Bethesda": where the company is, not its name
            if not (k < len(toks) and self.ix.glued(k - 1, k) and toks[k].cap and not self.cov.at(toks[k])):
                break
            end = k
            while end + 1 < len(toks) and self.ix.glued(end, end + 1) and toks[end + 1].cap:
                end += 1
            if self._home_town(last, end):
                break
            last = end
        qualifier = None
        while first <= last:  # cut leading junk and country words
            tok = toks[first]
            known = self.cov.at(tok)
            if known is not None and known.entity_type == "country" and known.end <= toks[last].start:
                if not known.adjectival:  # "China North Industries Corp." keeps its "China"
                    break
                qualifier = known.country_code
                first = self.ix.at(known.end)
            elif tok.text.lower() in _LEADING_JUNK or tok.text.rstrip(".") in _MONTHS_DAYS:
                first += 1
            else:
                break
        if first > last or toks[first].text in _CONNECTORS:
            return None
        qualifier = closing_country or qualifier or self.qualifier_country(first)
        words = [t.text.lower() for t in toks[first : last + 1]]
        start, end = toks[first].start, toks[last].end
        if all(w in lex.generic for w in words):
            if qualifier is None:
                return None  # "Defense Ministry" alone names no particular ministry
            known = self.cov.at(toks[first])
            if known is not None and (known.start, known.end) == (start, end):
                return None  # a known body ("U.S. National Security Agency"): the country stays apart
            start = toks[self._qualifier_start(first)].start
        elif len(words) == 1 and rule != "cue":
            return None
        if (
            entity_type != "armed_group"
            and words[-1] in {"army", "front", "movement", "forces"}
            and any(t.text in lex.armed_group_markers for t in toks[first:last])
        ):
            entity_type = "armed_group"
        elif (
            entity_type == "armed_group"
            and any(w in _STATE_FORCES for w in words)
            and not any(t.text in lex.armed_group_markers for t in toks[first : last + 1])
        ):
            entity_type = "government_body"  # "Army Aviation Brigade" is a unit, not a rebel group

        name = self.body[start:end].replace("’", "'")
        return Candidate(start, end, name, entity_type, rule, qualifier)  # type: ignore[arg-type]

    def _country_name_at(self, k: int, head: int) -> Known | None:
        """The full country name starting at token k after "<head> of", when the head is an organization
        word (Bank, Ministry, Embassy, University ...): "of Venezuela", not "of Venezuela's" or "of U.S."."""
        known = self.cov.at(self.ix.toks[k])
        head_word = self.ix.toks[head].text
        if (
            known is None
            or known.entity_type != "country"
            or known.adjectival
            or known.start != self.ix.toks[k].start
            or not (head_word in self.lex.suffix_type or head_word in self.lex.prefix_type)
        ):
            return None
        return known

    def _home_town(self, last: int, end: int) -> bool:
        """ "Sikorsky Aircraft Corp. of Stratford, Connecticut": a company's "of <Town>, <State>" is
        where it is, not part of its name (unlike "Bank of China" or "Ministry of Defense, Peru")."""
        toks = self.ix.toks
        if self.lex.suffix_type.get(toks[last].text) != "organization":
            return False
        return end + 1 < len(toks) and self.ix.gap(end) == ", " and toks[end + 1].cap

    def _qualifier_start(self, first: int) -> int:
        j = first - 1
        while j > 0 and self.cov.at(self.ix.toks[j - 1]) is self.cov.at(self.ix.toks[j]):
            j -= 1
        return j

    def _cue(self, i: int, entity_type: str) -> list[Candidate]:
        toks, out = self.ix.toks, []
        j = i + 1
        if self.ix.glued(i, j) and j < len(toks) and toks[j].cap and not self.cov.at(toks[j]):
            last = j
            while last + 1 < len(toks) and self.ix.glued(last, last + 1) and self._org_word(last + 1):
                if self.cov.at(toks[last + 1]):
                    break
                last += 1
            while toks[last].text in _CONNECTORS:
                last -= 1
            if toks[j].text not in self.lex.stopwords:
                kind = "person" if self._looks_like_person(j, last) else entity_type
                cand = self._plain(j, last, kind, self.qualifier_country(i))
                out.append(cand)
        if toks[i].text in self.lex.trailing_cue_nouns and self.ix.glued(i - 1, i):
            j = i - 1
            while (
                j >= 0 and toks[j].cap and not self.cov.at(toks[j]) and toks[j].text not in self.lex.stopwords
            ):
                if j == i - 3 or not self.ix.glued(j - 1, j):
                    break
                j -= 1
            if not (toks[j].cap and not self.cov.at(toks[j]) and toks[j].text not in self.lex.stopwords):
                j += 1
            if j < i:
                out.append(self._plain(j, i - 1, entity_type, self.qualifier_country(j)))
        return out

    def _looks_like_person(self, first: int, last: int) -> bool:
        """Two to four name words opening with a common given name and ending with none, no organization
        word among them ("Edward Snowden", not "Sierra Nevada Corp." or "Heckler & Koch")."""
        toks, lex = self.ix.toks, self.lex
        words = toks[first : last + 1]
        return (
            2 <= len(words) <= 4
            and lex.is_given_name(words[0].text)
            and not lex.is_given_name(words[-1].text)
            and all(is_name_word(w, lex) or w.text in lex.particles for w in words)
            and not any(w.text in lex.suffix_type or w.text.lower() in lex.generic for w in words)
        )

    def _plain(self, first: int, last: int, entity_type: str, country: str | None) -> Candidate:
        start, end = self.ix.toks[first].start, self.ix.toks[last].end
        return Candidate(start, end, self.body[start:end], entity_type, "cue", country)  # type: ignore[arg-type]

    def _domains(self) -> list[Candidate]:
        """Web domains named in the text, not a dateline's credit ("Mexico City (Infodefensa.com) –")."""
        return [
            Candidate(m.start(), m.end(), m.group(), "organization", "domain")
            for m in _DOMAIN.finditer(self.body)
            if not (self.body[m.start() - 1 : m.start()] == "(" and _CREDIT_CLOSE.match(self.body, m.end()))
        ]

    # ---------------------------------------------------------------- weapons and acronyms
    def _weapons(self) -> list[Candidate]:
        def covered(start: int, end: int) -> bool:
            i = bisect_right(self.cov.starts, end - 1) - 1
            while i >= 0 and self.cov.known[i].end > start - 60:
                k = self.cov.known[i]
                if k.start < end and start < k.end and k.entity_type != "weapon_system":
                    return True
                i -= 1
            return False

        return [
            Candidate(f.start, f.end, f.name, f.kind, f.rule)  # type: ignore[arg-type]
            for f in WeaponFinder(self.body, self.lex, covered, self.headlines).run()
        ]

    def _acronym_long_forms(self, found: list[Candidate]) -> list[Candidate]:
        """ "Long Name (LN)" where no known or found entity ends before the parenthesis."""
        ends = {c.end for c in found} | {k.end for k in self.cov.known}
        out = []
        for m in acronym_definitions(self.body, self.lex):
            long_end = m.start() - 1
            if long_end in ends or self.body[long_end : m.start()] != " ":
                continue
            last = self.ix.before(long_end)
            if last < 0 or not self.ix.toks[last].cap:
                continue
            first = last
            while (
                first > 0
                and first > last - 8
                and self.ix.glued(first - 1, first)
                and self._org_word(first - 1)
            ):
                first -= 1
            while first < last and (
                self.ix.toks[first].text in _CONNECTORS or self.cov.at(self.ix.toks[first])
            ):
                first += 1
            words = [t.text for t in self.ix.toks[first : last + 1] if t.text not in _CONNECTORS]
            if not _initials_fit(m["acr"], words):
                continue
            entity_type = self.lex.suffix_type.get(words[-1]) or self.lex.prefix_type.get(
                words[0], "organization"
            )
            out.append(self._plain(first, last, entity_type, None))
            out[-1].rule = "acronym"
        return out


def acronym_definitions(body: str, lex: Lexicon) -> list[re.Match[str]]:
    """Parenthesized acronyms "(CPMIEC)" that are not news-agency credits."""
    out = []
    for m in _ACRONYM_DEF.finditer(body):
        acr = m["acr"]
        if sum(c.isupper() for c in acr) >= 2 and acr.rstrip(".") not in lex.wire_credits:
            out.append(m)
    return out


def _initials_fit(acronym: str, words: list[str]) -> bool:
    """Every letter of the acronym is an initial of some word (order-free: FARC, Spanish word order)."""
    letters = [c for c in acronym.upper() if c.isalpha()]
    initials = [w[0].upper() for w in words]
    if not letters or len(letters) > len(words) + 2:
        return False
    return all(c in initials for c in letters) and initials[0] in letters


def discover(body: str, index: TokenIndex, known: list[Known], lex: Lexicon) -> list[Candidate]:
    """All discovery candidates in ``body`` (may overlap each other and known spans)."""
    return Discoverer(body, index, known, lex).run()
