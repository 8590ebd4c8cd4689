"""Direct quotes, their speakers, and grouping of the same quote across articles.

Quotes are text between straight (") or curly (“ ”) double quotes, or « », within one paragraph; a
paragraph ending inside an open quote continues when the next paragraph opens a quote (news style).
Articles without any double-quoted passage may quote British style, between single marks (' ' or
‘ ’, as Jane's does): an opening mark follows a space, bracket or dash and precedes a letter; a
closing mark follows sentence punctuation, or a letter other than "s" (so "helicopters' avionics"
stays a possessive), and precedes a space, punctuation or the paragraph end.
The span is the quoted text itself (marks and a trailing comma excluded), exact into the body.

Decision: quotes of fewer than 4 words (``MIN_WORDS``) are scare quotes or terms ("strategic partner",
"frequent high-level visits") and are dropped, even inside an attributed sentence; longer partial
quotes inside a sentence ("it would be “inappropriate to respond ...”") are kept.

Speaker, first rule that applies:
1. after the quote, up to the sentence end: `"...," Panetta said`, `," said X, a ...`, `," he said`
   (he/she: nearest preceding person mention outside quotes), `," X told reporters`, `according to X`,
   `," the U.S. defense secretary said` (a title held by a person per ``extract_positions``);
2. before the quote, in the same sentence: `X said: "..."`, `X said it would be “...”`; after a
   participle (`..., warning that "..."`, `saying "..."`) the speaker is the sentence's subject: a
   mention among its first three words, or he/she (else no speaker, never a later name);
3. an earlier attributed quote of the same paragraph (or the quote this one continues).
The speaker is the last person (else organization/body/country) mention before the verb, else None.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from etl.records import EntityRef, MentionRec, QuoteRec, Span
from etl.reference.entity_lexicon import Lexicon, load_lexicon
from etl.transform.matching import fold
from etl.transform.name_tokens import token_index
from etl.transform.positions import extract_positions

MIN_WORDS = 4
SAME_RATIO = 85  # fuzz.ratio of normalized keys: small wording changes ("it can" / "we can")
EXCERPT_PARTIAL = 90  # fuzz.partial_ratio: the shorter (>= 6 words) is an excerpt of the longer
FRAGMENT_PARTIAL = 90  # each "..."-separated fragment found, in order, in the other quote
OPENING_WORDS, OPENING_RATIO, OPENING_SET = 12, 90, 75  # same opening words and overall token overlap
_OPEN = {"“": "”", "«": "»", '"': '"'}
_CLOSE = {"”", "»", '"'}
_SPEAKER_TYPES = ("person", "government_body", "organization", "armed_group", "country")
_PRONOUNS = frozenset({"he", "she"})
_UNNAMED = EntityRef("", "person")  # a speech verb was found but its subject is no known entity


@dataclass(slots=True)
class _Quote:
    open: int  # index of the opening mark
    start: int
    end: int
    close: int  # index just after the closing mark (== end when unclosed)
    paragraph: int
    continues: bool = False


def extract_quotes(
    body: str, mentions: Sequence[MentionRec], lexicon: Lexicon | None = None
) -> list[QuoteRec]:
    """Direct quotes of at least ``MIN_WORDS`` words with their speakers, sorted by span."""
    quotes = _find_quotes(body)
    if not quotes:
        return []
    attr = _Attributor(body, quotes, mentions, lexicon or load_lexicon())
    out: list[QuoteRec] = []
    previous: dict[int, EntityRef | None] = {}
    for q in quotes:
        speaker = attr.after(q) or attr.before(q)
        if speaker is None and q.continues:
            speaker = out[-1].speaker if out else None
        if speaker is None:
            speaker = previous.get(q.paragraph)
        if speaker is _UNNAMED:  # attributed ("the Mexican navy said"), but to no known entity
            speaker = None
        previous[q.paragraph] = speaker or previous.get(q.paragraph)
        if len(body[q.start : q.end].split()) >= MIN_WORDS:
            out.append(QuoteRec(Span(q.start, q.end), body[q.start : q.end], speaker))
    return out


_SINGLE_OPEN = re.compile(r"(?:^|(?<=[\s(\[—–-]))['‘](?=[^\W\d_])")
_SINGLE_CLOSE = re.compile(r"(?:(?<=[.,!?])|(?<=[^\Ws_]))['’](?=[\s,.;:!?)—–-]|$)")


def _find_quotes(body: str) -> list[_Quote]:
    quotes = _find_double_quotes(body)
    return quotes if quotes else _find_single_quotes(body)


def _find_single_quotes(body: str) -> list[_Quote]:
    """British-style quotes between single marks, each within one paragraph."""
    out: list[_Quote] = []
    offset = 0
    for n, para in enumerate(body.split("\n")):
        pos = 0
        while (m := _SINGLE_OPEN.search(para, pos)) is not None:
            close = _SINGLE_CLOSE.search(para, m.end())
            if close is None:
                break
            out.append(_trimmed(body, offset + m.start(), offset + close.start(), offset + close.end(), n, False))
            pos = close.end()
        offset += len(para) + 1
    return [q for q in out if q.end > q.start]


def _find_double_quotes(body: str) -> list[_Quote]:
    out: list[_Quote] = []
    offset, carry = 0, False
    paragraphs = body.split("\n")
    for n, para in enumerate(paragraphs):
        open_at: int | None = None
        closer = ""
        for i, c in enumerate(para):
            if open_at is None and c in _OPEN:
                open_at, closer = i, _OPEN[c]
            elif open_at is not None and (c == closer or (c in _CLOSE and closer == '"')):
                out.append(_trimmed(body, offset + open_at, offset + i, offset + i + 1, n, carry))
                open_at, carry = None, False
        carry = False
        if open_at is not None:
            nxt = paragraphs[n + 1].lstrip() if n + 1 < len(paragraphs) else ""
            if nxt[:1] in _OPEN:  # a quote running on into the next paragraph
                end = offset + len(para)
                out.append(_trimmed(body, offset + open_at, end, end, n, False))
                carry = True
        offset += len(para) + 1
    return [q for q in out if q.end > q.start]


def _trimmed(body: str, open_at: int, end: int, close: int, paragraph: int, continues: bool) -> _Quote:
    start = open_at + 1
    while start < end and body[start].isspace():
        start += 1
    while end > start and (body[end - 1].isspace() or body[end - 1] == ","):
        end -= 1
    return _Quote(open_at, start, end, close, paragraph, continues)


class _Attributor:
    def __init__(self, body: str, quotes: list[_Quote], mentions: Sequence[MentionRec], lex: Lexicon) -> None:
        self.body, self.quotes, self.lex = body, quotes, lex
        self.all_mentions = list(mentions)
        inside = [(q.open, q.close) for q in quotes]
        self.mentions = sorted(
            (m for m in mentions if not any(a <= m.span.start < b for a, b in inside)),
            key=lambda m: m.span.start,
        )
        self.ix = token_index(body)
        self._positions: list | None = None

    # ---------------------------------------------------------------- windows
    def after(self, q: _Quote) -> EntityRef | None:
        """Attribution between the closing mark and the sentence end (or the next quote)."""
        limit = self._next_open(q.close)
        i, toks = self.ix.at(q.close), self.ix.toks
        window: list[int] = []
        while i < len(toks) and toks[i].start < limit and len(window) < 14:
            window.append(i)
            if re.search(r"[.!?]", self.ix.gap(i)) or "\n" in self.ix.gap(i):
                break
            i += 1
        if not window or re.search(r"[.!?]", self.body[q.close : toks[window[0]].start]):
            return None
        if self._introduces_next(window[-1], limit):  # `"... this time." The navy said: "..."`
            return None
        verb = next((k for k in window if self._is_verb(k)), None)
        if verb is None:
            return None
        if verb == window[0] or self.body[toks[window[0]].start : toks[verb].start].strip(" ,") == "":
            return self._speaker(toks[verb].end, toks[window[-1]].end, q, first=True)
        return self._speaker(toks[window[0]].start, toks[verb].start, q)

    def before(self, q: _Quote) -> EntityRef | None:
        """Attribution earlier in the sentence that contains the opening mark."""
        toks = self.ix.toks
        j = self.ix.before(q.open)
        floor = max((p.close for p in self.quotes if p.close <= q.open), default=0)
        sentence: list[int] = []  # back to the sentence start, at most 80 tokens
        while j >= 0 and toks[j].start >= floor and len(sentence) < 80:
            if re.search(r"[.!?\n]", self.ix.gap(j)):
                break
            sentence.insert(0, j)
            j -= 1
        window = sentence[-30:]
        verbs = [k for k in window if self._is_verb(k)]
        if not verbs:
            return None
        v = verbs[-1]
        start = toks[window[0]].start
        if toks[v].text.lower() == "according":
            return self._speaker(toks[v].end, q.open, q, first=True)
        if toks[v].text.lower() in self.lex.participles:  # "X, an ally of Y, ..., warning that “...”"
            return self._subject(sentence[0], v, q)
        return self._speaker(start, toks[v].start, q)

    def _introduces_next(self, last: int, limit: int) -> bool:
        """The words after a quote end with a colon before the next quote's opening mark: they introduce
        that quote (`"...at this time." The navy said: "We will ..."`), not the one before."""
        if limit >= len(self.body) or self.body[limit] not in (*_OPEN, "‘", "'"):
            return False
        return re.fullmatch(r"\s*:\s*", self.body[self.ix.toks[last].end : limit]) is not None

    def _next_open(self, offset: int) -> int:
        nxt = [p.open for p in self.quotes if p.open >= offset]
        para_end = self.body.find("\n", offset)
        ends = [*nxt, para_end if para_end >= 0 else len(self.body)]
        return min(ends)

    def _is_verb(self, k: int) -> bool:
        tok = self.ix.toks[k]
        low = tok.text.lower()
        if low == "according":
            return k + 1 < len(self.ix.toks) and self.ix.toks[k + 1].text == "to"
        return (low in self.lex.verbs or low in self.lex.participles) and not tok.cap

    def _subject(self, first: int, verb: int, q: _Quote) -> EntityRef:
        """The subject opening the sentence (its first three words): a mention, or he/she."""
        toks = self.ix.toks
        if toks[first].text.lower() in _PRONOUNS:
            people = [m for m in self.mentions if m.entity.entity_type == "person" and m.span.end <= q.open]
            return people[-1].entity if people else _UNNAMED
        last = min(first + 2, verb - 1)
        return self._speaker(toks[first].start, toks[last].end, q, first=True) if last >= first else _UNNAMED

    # ---------------------------------------------------------------- speakers
    def _speaker(self, start: int, end: int, q: _Quote, first: bool = False) -> EntityRef:
        """Person named in [start, end), else he/she or a title holder, else an organization or country."""
        # a demonym or possessive ("the Mexican navy said") modifies the speaker, it is not the speaker
        found = [
            m for m in self.mentions if start <= m.span.start and m.span.end <= end and m.method != "demonym"
        ]
        for entity_type in _SPEAKER_TYPES:
            typed = [m for m in found if m.entity.entity_type == entity_type]
            if typed:
                return (typed[0] if first else typed[-1]).entity
            if entity_type == "person" and (ref := self._pronoun_or_title(start, end, q)):
                return ref
        return _UNNAMED

    def _pronoun_or_title(self, start: int, end: int, q: _Quote) -> EntityRef | None:
        words = re.findall(r"[\w.]+", self.body[start:end].lower())
        if words and words[0] in _PRONOUNS and len(words) <= 2:
            people = [m for m in self.mentions if m.entity.entity_type == "person" and m.span.end <= q.open]
            return people[-1].entity if people else None
        phrase = " " + " ".join(words) + " "
        holders = [
            p for p in self._all_positions() if f" {p.title.lower()} " in phrase and p.span.end <= q.open
        ]
        return holders[-1].person if holders else None

    def _all_positions(self) -> list:
        if self._positions is None:
            self._positions = extract_positions(self.body, self.all_mentions, self.lex)
        return self._positions


# ---------------------------------------------------------------- grouping across articles
def quote_key(text: str) -> str:
    """Case-, accent-, punctuation- and whitespace-insensitive key of a quote."""
    text = unicodedata.normalize("NFKC", text).replace("…", " ")
    text = fold(text).lower().replace("'", "")
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def same_quote(a: str, b: str) -> bool:
    """Whether two quote texts are variants of one quote (see module thresholds)."""
    ka, kb = quote_key(a), quote_key(b)
    if not ka or not kb:
        return False
    if ka == kb or fuzz.ratio(ka, kb) >= SAME_RATIO:
        return True
    short, long = sorted((ka, kb), key=len)
    if len(short.split()) >= 6 and fuzz.partial_ratio(short, long) >= EXCERPT_PARTIAL:
        return True
    if _fragments_in(a, kb) or _fragments_in(b, ka):
        return True
    head_a, head_b = (" ".join(k.split()[:OPENING_WORDS]) for k in (ka, kb))
    return fuzz.ratio(head_a, head_b) >= OPENING_RATIO and fuzz.token_set_ratio(ka, kb) >= OPENING_SET


def _fragments_in(text: str, other_key: str) -> bool:
    """Every "..."-separated fragment of ``text`` occurs, in order, in ``other_key``."""
    parts = [quote_key(p) for p in re.split(r"\.\s*\.\s*\.|…", text)]
    parts = [p for p in parts if len(p.split()) >= 2]
    if len(parts) < 2 or sum(len(p.split()) for p in parts) < 5:
        return False
    pos = 0
    for part in parts:
        hit = fuzz.partial_ratio_alignment(part, other_key[pos:])
        if hit is None or hit.score < FRAGMENT_PARTIAL:
            return False
        pos += hit.dest_end
    return True
