"""Direct quotes with their speakers, and grouping of the same quote across articles.

Quoted passages are found by ``quote_marks`` and attributed by ``quote_speakers``. A passage whose own
attribution names no one takes, in order: the speaker of the quote it continues (a quote left open at a
paragraph's end), of an earlier quote in its paragraph, or, when it opens its paragraph, of the last
attributed quote of the previous paragraph (news style: a new paragraph, a new opening mark, the same
speaker), else of the last attributed quote when no person is named between the two. A quote left open at
a paragraph's end takes its continuation's speaker; a paragraph that is one unattributed quote takes the
speaker of a quote opening the next paragraph, attributed there (the speaker named after a paragraph break).

Not quotes (gold convention: a quote is a passage attributed to a speaker; scare quotes and names are not):
- names in quotation marks: a passage of Title Case words without sentence punctuation ("Make in India");
- a passage that no attribution names and that stands inside a sentence (`the plan, dubbed the "fast track
  to a new fleet", stalled`); one opening its paragraph or sentence is kept, speaker unknown;
- passages of fewer than ``MIN_WORDS`` words (scare quotes, terms) unless their own sentence attributes them
  to a known speaker, either after them (`a “thorough review”, the ministry said`) or before them when they
  end the clause (`he said it was “negotiated very well.”`) or a function word follows them (`it was
  “disappointed” by`), but not a label before a noun (`the “one China” principle`, `saluting “strategic
  partner” Lima`) and not after a verb that closes an earlier quote's attribution (`"...," X said, ...`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from rapidfuzz import fuzz

from etl.records import EntityRef, MentionRec, QuoteRec, Span
from etl.reference.entity_lexicon import Lexicon, load_lexicon
from etl.reference.quote_lexicon import QuoteLexicon, load_quote_lexicon
from etl.transform.matching import fold
from etl.transform.quote_marks import Quote, find_quotes
from etl.transform.quote_speakers import UNNAMED, Attributor
from etl.transform.regex_prefilter import compile_scanner

MIN_WORDS = 4
TITLE_MAX_WORDS = 8
SAME_RATIO = 85  # fuzz.ratio of normalized keys: small wording changes ("it can" / "we can")
EXCERPT_PARTIAL = 90  # fuzz.partial_ratio: the shorter (>= 6 words) is an excerpt of the longer
FRAGMENT_PARTIAL = 90  # each "..."-separated fragment found, in order, in the other quote
OPENING_WORDS, OPENING_RATIO, OPENING_SET = 12, 90, 75  # same opening words and overall token overlap
_NEXT_WORD = compile_scanner(r"[ \t]+(\w+)")
_CLAUSE_END = compile_scanner(r"\s*(?:[.,;:!?)\]—–]|$)")


def extract_quotes(
    body: str,
    mentions: Sequence[MentionRec],
    lexicon: Lexicon | None = None,
    quote_lexicon: QuoteLexicon | None = None,
) -> list[QuoteRec]:
    """Direct quotes with their speakers (None when unattributed), sorted by span."""
    quotes = find_quotes(body)
    if not quotes:
        return []
    qlex = quote_lexicon or load_quote_lexicon()
    attr = Attributor(body, quotes, mentions, lexicon or load_lexicon(), qlex)
    paragraphs = body.split("\n")
    speakers: list[EntityRef | None] = []
    direct_named: list[bool] = []
    keep: list[bool] = []
    last_in: dict[int, EntityRef] = {}  # paragraph -> speaker of its last attributed quote
    last: tuple[EntityRef, int] | None = None  # the last attributed quote's speaker and closing offset
    for q in quotes:
        after = attr.after(q)
        before, governs = attr.before_and_scope(q) if after is None else (None, False)
        direct = after or before
        speaker = direct
        if speaker is None and q.continues and speakers:
            speaker = speakers[-1]
        if speaker is None:
            speaker = last_in.get(q.paragraph)
        if speaker is None and _opens_paragraph(body, q):
            speaker = last_in.get(_previous_text(paragraphs, q.paragraph))
            if speaker is None and last is not None and not attr.others_between(*last, q.open):
                speaker = last[0]  # the last speaker named, no one else named since
        if speaker is UNNAMED:  # attributed ("a source said"), but to no known entity
            speaker, last = None, None
        if speaker is not None:
            last_in[q.paragraph], last = speaker, (speaker, q.close)
        speakers.append(speaker)
        direct_named.append(direct is not None and direct is not UNNAMED)
        attributed = direct is not None or speaker is not None
        governed = None if after else governs
        keep.append(_is_quote(body, q, qlex, direct, governed) and (attributed or _stands(body, q)))
    for i in range(len(quotes) - 2, -1, -1):  # speakers named after the quote, in the next paragraph
        q, nxt = quotes[i], quotes[i + 1]
        if speakers[i] is None and (
            q.carries  # an open quote takes its continuation's speaker
            or (_is_paragraph(body, q) and direct_named[i + 1] and _opens_paragraph(body, nxt)
                and _previous_text(paragraphs, nxt.paragraph) == q.paragraph)
        ):
            speakers[i] = speakers[i + 1]
    spans = zip(quotes, speakers, keep, strict=True)
    return [QuoteRec(Span(q.start, q.end), body[q.start : q.end], s) for q, s, k in spans if k]


def _is_quote(body: str, q: Quote, qlex: QuoteLexicon, direct: EntityRef | None, governed: bool | None) -> bool:
    """Whether a passage is a quote rather than a name or a scare quote (module docstring); ``governed``:
    None when attributed after the quote, else whether the verb before it may govern a short quote."""
    text = body[q.start : q.end]
    words = text.split()
    if _is_title(words, qlex):
        return False
    if len(words) >= MIN_WORDS:
        return True
    if direct is None or direct is UNNAMED:
        return False
    if governed is None:  # attributed after the quote: `a “thorough review”, the ministry said`
        return True
    if text[-1:] in ".!?," or _CLAUSE_END.match(body, q.close) is not None:
        return True
    follower = _NEXT_WORD.match(body, q.close)  # `saluting “strategic partner” Lima`: a label, not a quote
    return governed and follower is not None and follower.group(1) in qlex.followers


def _stands(body: str, q: Quote) -> bool:
    """Whether an unattributed passage stands as speech: it opens its paragraph or sentence, follows a colon,
    or runs across paragraphs (not a phrase in quotation marks inside a sentence)."""
    if q.continues or q.carries:
        return True
    before = body[body.rfind("\n", 0, q.open) + 1 : q.open].rstrip()
    return not before or before[-1] in ".!?:—–-"


def _is_title(words: list[str], qlex: QuoteLexicon) -> bool:
    """Title Case words without sentence punctuation: the name of a program, title or slogan."""
    if not words or len(words) > TITLE_MAX_WORDS or words[-1][-1:] in "!?":
        return False
    words = [*words[:-1], words[-1].rstrip(".,;:")]
    content = [w.strip("()[]") for w in words if w.lower() not in qlex.small_words]
    return bool(content) and all(w[:1].isupper() or w[:1].isdigit() for w in content if w)


def _opens_paragraph(body: str, q: Quote) -> bool:
    return not body[body.rfind("\n", 0, q.open) + 1 : q.open].strip()


def _is_paragraph(body: str, q: Quote) -> bool:
    """The quote is its whole paragraph."""
    end = body.find("\n", q.close)
    return _opens_paragraph(body, q) and not body[q.close : end if end >= 0 else len(body)].strip()


def _previous_text(paragraphs: list[str], n: int) -> int:
    """Index of the nearest non-blank paragraph before ``n`` (-1 when none)."""
    for k in range(n - 1, -1, -1):
        if paragraphs[k].strip():
            return k
    return -1


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
