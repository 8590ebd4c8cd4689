"""Who said a direct quote: the attribution around it, resolved to an entity mentioned in the article.

Attribution, first rule that applies (see ``Attributor.after`` and ``Attributor.before``):
1. after the quote, up to the sentence end: `"...," Panetta said`, `," said X, a ...`, `," he said`,
   `," X told reporters`, `according to X`, `," the ministry said in a statement`,
   `", Reuters quoted a ministry official as saying`; a quote closed by a full stop only by a short
   attribution sentence (`"... in May." Rossi said.`);
2. before the quote, in the same sentence: `X said: "..."`, `X said it would be “...”`,
   `X called the deal “...”` (a characterizing verb), `Y quoted X as saying "..."`; after a participle
   (`..., warning that "..."`, `describing it as "..."`) the speaker is the subject of the clause: a
   mention among its first three words, or he/she.
The attribution words resolve to, first rule that applies:
- a person mentioned there: after the verb the first; before it the one right before the verb, else the
  sentence's first ("X, who met Y, said" is X), and X for "X and Y said";
- he/she: the nearest earlier person of a compatible gender; they/the two: the first person of the
  nearest earlier sentence naming a person; "the <title>": the nearest earlier holder of such a title;
- a name the entity stage missed (``quote_unlisted``);
- an organization mentioned there (`a Lockheed official said`);
- a generic body or class noun: `the ministry` is the nearest earlier organization whose name has that
  word (and the country of a demonym before it); `the company` the subject of the last sentence naming
  one; `the Chilean government` Chile;
- a country mentioned there.
A verb whose subject is no known entity gives ``UNNAMED``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from etl.records import EntityRef, MentionRec, PositionRec
from etl.reference.entity_lexicon import Lexicon
from etl.reference.quote_lexicon import QuoteLexicon
from etl.transform.name_tokens import token_index
from etl.transform.positions import extract_positions
from etl.transform.quote_marks import OPENING_MARKS, Quote
from etl.transform.quote_unlisted import UnlistedNames
from etl.transform.regex_prefilter import compile_scanner

UNNAMED = EntityRef("", "person")  # a speech verb was found but its subject is no known entity
_ORG_TYPES = ("government_body", "organization", "armed_group")
_SENTENCE_END = compile_scanner(r"[.!?]")
_WORD = compile_scanner(r"[\w.’']+")


class Attributor:
    """Speakers of the quotes of one article."""

    def __init__(
        self, body: str, quotes: list[Quote], mentions: Sequence[MentionRec], lex: Lexicon, qlex: QuoteLexicon
    ) -> None:
        self.body, self.quotes, self.lex, self.qlex = body, quotes, lex, qlex
        self.all_mentions = sorted(mentions, key=lambda m: m.span.start)
        inside = [(q.open, q.close) for q in quotes]
        self.mentions = [m for m in self.all_mentions if not any(a <= m.span.start < b for a, b in inside)]
        self.people = [m for m in self.mentions if m.entity.entity_type == "person"]
        self.ix = token_index(body)
        self.verbs = lex.verbs | qlex.verbs
        self.participles = lex.participles | qlex.participles
        self.unlisted = UnlistedNames(body, self.ix, self.all_mentions, lex, qlex)
        self._positions: list[PositionRec] | None = None
        self._genders: dict[EntityRef, str] | None = None

    def others_between(self, speaker: EntityRef, start: int, end: int) -> bool:
        """Whether a person other than ``speaker`` is mentioned (outside quotes) in [start, end)."""
        return any(start <= m.span.start < end and m.entity != speaker for m in self.people)

    # ---------------------------------------------------------------- windows
    def after(self, q: Quote) -> EntityRef | None:
        """Attribution between the closing mark and the sentence end (or the next quote)."""
        limit = self._next_open(q.close)
        i, toks = self.ix.at(q.close), self.ix.toks
        window: list[int] = []
        while i < len(toks) and toks[i].start < limit and len(window) < 14:
            window.append(i)
            if _SENTENCE_END.search(self.ix.gap(i)) or "\n" in self.ix.gap(i):
                break
            i += 1
        if not window or _SENTENCE_END.search(self.body[q.close : toks[window[0]].start]):
            return None
        if self._introduces_next(window[-1], limit):  # `"... this time." The navy said: "..."`
            return None
        gap = self.ix.gap(window[-1])
        ends = window[-1] == len(toks) - 1 or bool(_SENTENCE_END.search(gap)) or "\n" in gap
        if self.body[q.end - 1 : q.end] in ("." ,"!", "?") and not ends:
            return None  # `"... in May." Rossi said on Monday.` attributes; a longer next sentence does not
        if (quoted := self._quoted_as(window, q)) is not None:
            return quoted
        # participles (`"...," citing ...`), quoting and characterizing verbs introduce what follows them
        skip = self.participles | self.qlex.characterizing | self.qlex.quoting
        verbs = (k for k in window if self._is_verb(k) and toks[k].text.lower() not in skip)
        verb = next(verbs, None)
        if verb is None:
            return None
        if verb == window[0] or self.body[toks[window[0]].start : toks[verb].start].strip(" ,—–-") == "":
            head = verb + 1 if toks[verb].text.lower() == "according" else verb  # after "according to"
            return self._speaker(toks[head].end, toks[window[-1]].end, q, first=True)
        return self._speaker(toks[window[0]].start, toks[verb].start, q)

    def before(self, q: Quote) -> EntityRef | None:
        """Attribution earlier in the sentence that contains the opening mark."""
        return self.before_and_scope(q)[0]

    def before_and_scope(self, q: Quote) -> tuple[EntityRef | None, bool]:
        """``before`` and whether its verb may govern a short quote: not a verb closed by a comma, which
        attributes an earlier quote (`"...," X said, saluting “partner” Y`)."""
        ref, verb = self._before(q)
        toks = self.ix.toks
        return ref, verb is not None and not self.ix.gap(verb).startswith(",") and verb + 1 < len(toks)

    def _before(self, q: Quote) -> tuple[EntityRef | None, int | None]:
        toks = self.ix.toks
        earlier = [p for p in self.quotes if p.close <= q.open]
        sentence = self._sentence_before(q.open, earlier[-1].close if earlier else 0)
        verbs = [k for k in sentence[-30:] if self._is_verb(k)]
        if not verbs and sentence and earlier:  # `X said the deal broke the "A" rule and would bring "B"`
            sentence = self._sentence_before(q.open, 0)
            inside = [(p.open, p.close) for p in earlier[-3:]]
            sentence = [k for k in sentence if not any(a <= toks[k].start < b for a, b in inside)]
            verbs = [k for k in sentence[-30:] if self._is_verb(k)]
        window = sentence[-30:]
        if (quoted := self._quoted_as(window, q)) is not None:
            return quoted, None
        if not verbs:
            return None, None
        v = verbs[-1]
        low = toks[v].text.lower()
        if low == "according":
            return self._speaker(toks[v + 1].end, q.open, q, first=True), v  # after "according to"
        if low in self.participles:  # "X, an ally of Y, ..., warning that “...”"
            return self._subject(sentence[0], v, q), v
        return self._speaker(toks[sentence[0]].start, toks[v].start, q), v

    def _sentence_before(self, offset: int, floor: int) -> list[int]:
        """Tokens from the start of the sentence ending at ``offset`` (not before ``floor``; at most 80)."""
        toks, j = self.ix.toks, self.ix.before(offset)
        out: list[int] = []
        while j >= 0 and toks[j].start >= floor and len(out) < 80:
            if re.search(r"[.!?\n]", self.ix.gap(j)):
                break
            out.append(j)
            j -= 1
        return out[::-1]

    def _quoted_as(self, window: list[int], q: Quote) -> EntityRef | None:
        """`Y quoted X as saying`: the speaker is X, between the quoting verb and "as"."""
        toks = self.ix.toks
        for n, k in enumerate(window):
            if toks[k].text.lower() in self.qlex.quoting and not toks[k].cap:
                for a in window[n + 1 :]:
                    nxt = a + 1
                    if toks[a].text == "as" and nxt < len(toks) and toks[nxt].text.lower() in self.participles:
                        return self._speaker(toks[k].end, toks[a].start, q, first=True)
        return None

    def _introduces_next(self, last: int, limit: int) -> bool:
        """The words after a quote end with a colon before the next quote's opening mark: they introduce
        that quote (`"...at this time." The navy said: "We will ..."`), not the one before."""
        if limit >= len(self.body) or self.body[limit] not in (*OPENING_MARKS, "‘", "'"):
            return False
        return re.fullmatch(r"\s*:\s*", self.body[self.ix.toks[last].end : limit]) is not None

    def _next_open(self, offset: int) -> int:
        nxt = [p.open for p in self.quotes if p.open >= offset]
        para_end = self.body.find("\n", offset)
        return min([*nxt, para_end if para_end >= 0 else len(self.body)])

    def _is_verb(self, k: int) -> bool:
        tok = self.ix.toks[k]
        low = tok.text.lower()
        if low == "according":
            return k + 1 < len(self.ix.toks) and self.ix.toks[k + 1].text == "to"
        return (low in self.verbs or low in self.participles or low in self.qlex.quoting) and not tok.cap

    def _subject(self, first: int, verb: int, q: Quote) -> EntityRef:
        """The subject opening the sentence (its first three words): a mention, or he/she."""
        toks = self.ix.toks
        if toks[first].text.lower() in self.qlex.pronouns:
            return self._pronoun(toks[first].text.lower(), q) or UNNAMED
        last = min(first + 2, verb - 1)
        return self._speaker(toks[first].start, toks[last].end, q, first=True) if last >= first else UNNAMED

    # ---------------------------------------------------------------- speakers
    def _speaker(self, start: int, end: int, q: Quote, first: bool = False) -> EntityRef:
        """The entity the attribution words in [start, end) name (rules in the module docstring)."""
        # a demonym or possessive ("the Mexican navy said") qualifies the speaker, it is not the speaker
        found = [m for m in self.mentions if start <= m.span.start and m.span.end <= end]
        named = [m for m in found if m.method != "demonym"]
        pick = 0 if first else -1
        if people := [m for m in named if m.entity.entity_type == "person"]:
            return (people[0] if first else self._subject_of(people, end)).entity
        words = [_plain(w) for w in _WORD.findall(self.body[start:end])]
        if (ref := self._referent(words, q)) is not None:
            return ref
        if (ref := self.unlisted.person(start, end, first) or self.unlisted.outlet(start, end)) is not None:
            return ref
        if orgs := [m for m in named if m.entity.entity_type in _ORG_TYPES]:
            return orgs[pick].entity
        qualifiers = [m for m in found if m.entity.entity_type == "country"]
        if (ref := self._generic(words, q, qualifiers, first)) is not None:
            return ref
        if countries := [m for m in named if m.entity.entity_type == "country"]:
            return countries[pick].entity
        return UNNAMED

    def _subject_of(self, people: list[MentionRec], verb: int) -> MentionRec:
        """Of the people named before a verb, its subject: the one right before it ("After meeting Y, X
        said"), else the first ("X met Y and said", "X, who met Y, said"); of "X and Y said", X."""
        k = len(people) - 1
        gap = self.body[people[k].span.end : verb]
        if gap.strip() != "," and (len(_WORD.findall(gap)) > 2 or "," in gap):  # "X, who met Y on Monday, said"
            return people[0]
        joined = False  # "X, Y and Z said": walk back over "and", then over commas
        while k:
            gap = self.body[people[k - 1].span.end : people[k].span.start]
            if gap.strip(" ,") == "and" or (joined and gap.strip() == ","):
                joined, k = True, k - 1
            else:
                break
        return people[k]

    def _referent(self, words: list[str], q: Quote) -> EntityRef | None:
        """He/she, they/the two, or "the <title>" as the attribution's subject."""
        if not words:
            return None
        for w in (words[0], words[-1]):
            if w in self.qlex.pronouns:
                return self._pronoun(w, q)
        phrase = " ".join(words)
        if phrase in self.qlex.plurals or (len(words) <= 3 and words[0] in self.qlex.plurals):
            return self._plural(q)
        return self._title_holder(words, q)

    def _pronoun(self, pronoun: str, q: Quote) -> EntityRef | None:
        """The nearest earlier person (outside quotes) whose known gender does not contradict the pronoun."""
        gender = self.qlex.pronouns.get(pronoun)
        genders = self._person_genders()
        for m in reversed(self.people):
            if m.span.end <= q.open and genders.get(m.entity, gender) == gender:
                return m.entity
        return None

    def _plural(self, q: Quote) -> EntityRef | None:
        """The first person named in the sentence of the nearest earlier person mention."""
        earlier = [m for m in self.people if m.span.end <= q.open]
        return self._first_in_sentence(earlier).entity if earlier else None

    def _title_holder(self, words: list[str], q: Quote) -> EntityRef | None:
        """`the minister`, `the U.S. defense secretary`: the nearest earlier holder of such a title."""
        phrase = " " + " ".join(words) + " "
        heads = [w for w in words if w in self.lex.head_words]
        definite = words[0] in ("the", "its", "their") or all(
            w in self.lex.head_words or w in self.lex.modifiers for w in words
        )
        holders = self._all_positions()
        for p in reversed(holders):
            if p.span.end > q.open:
                continue
            title = p.title.lower()
            if f" {title} " in phrase:
                return p.person
            if definite and heads and len(words) <= 5:
                title_words = set(title.split())
                mods = {w for w in words if w in self.lex.modifiers} - set(heads)
                if heads[-1] in title_words and mods <= title_words:
                    return p.person
        return None

    def _generic(self, words: list[str], q: Quote, qualifiers: list[MentionRec], first: bool) -> EntityRef | None:
        """`the ministry`, `the company's statement`: the nearest earlier entity of the noun's kind."""
        nouns: list[str] = []
        i = 0
        while i < len(words):
            pair = " ".join(words[i : i + 2])
            if pair in self.qlex.body_nouns:
                nouns.append(pair)
                i += 2
                continue
            if words[i] in self.qlex.body_nouns or words[i] in self.qlex.class_nouns:
                nouns.append(words[i])
            i += 1
        if not nouns:
            return None
        noun = nouns[0] if first else nouns[-1]
        earlier = [m for m in self.all_mentions if m.span.end <= q.open and m.method != "demonym"]
        if noun in self.qlex.body_nouns:
            keys = self.qlex.body_nouns[noun]
            for m in reversed(earlier):
                if m.entity.entity_type in _ORG_TYPES and _names_any(m, keys) and _qualified(m, qualifiers):
                    return m.entity
            return None
        types = self.qlex.class_nouns[noun]
        if "country" in types and qualifiers:  # "the Chilean government": its country
            return qualifiers[0 if first else -1].entity
        kind = [m for m in earlier if m.entity.entity_type in types]
        return self._first_in_sentence(kind).entity if kind else None

    def _first_in_sentence(self, earlier: list[MentionRec]) -> MentionRec:
        """Of mentions in text order, the first in the sentence of the last one (its subject, usually):
        "OGMA, a firm owned by Embraer, will build parts. ... the company said" is OGMA."""
        last = earlier[-1].span.start
        cut = max(self.body.rfind(". ", 0, last), self.body.rfind("\n", 0, last))
        return next(m for m in earlier if m.span.start > cut)

    def _all_positions(self) -> list[PositionRec]:
        if self._positions is None:
            self._positions = extract_positions(self.body, self.all_mentions, self.lex)
        return self._positions

    def _person_genders(self) -> dict[EntityRef, str]:
        """Gender of the people whose mention follows a gendered word ("Ms.", "spokeswoman")."""
        if self._genders is None:
            self._genders = {}
            toks, by_word = self.ix.toks, self.qlex.gender_of_word
            for m in self.people:
                j = self.ix.before(m.span.start)
                for k in range(j, max(j - 3, -1), -1):
                    if (g := by_word.get(toks[k].text.lower())) is not None:
                        self._genders.setdefault(m.entity, g)
                        break
        return self._genders


def _plain(word: str) -> str:
    """Lower case, without a possessive or a sentence-final dot ("u.s." and "mr." keep theirs)."""
    low = word.lower()
    if low.endswith(("'s", "’s")):
        low = low[:-2]
    return low[:-1] if low.endswith(".") and len(low) > 3 and "." not in low[:-1] else low


def _names_any(m: MentionRec, keys: list[str]) -> bool:
    text = f" {m.entity.name.lower()} {m.surface.lower()} "
    return any(f" {k} " in text for k in keys)


def _qualified(m: MentionRec, qualifiers: list[MentionRec]) -> bool:
    """A candidate for "the Chilean navy" must name Chile (or carry the same country code)."""
    if not qualifiers:
        return True
    name = m.entity.name.lower()
    return any(c.entity.name.lower() in name or c.surface.lower() in name for c in qualifiers)
