"""Money amounts in article text: amount, currency, range, qualifier, year, kind and USD value.

Data (data/reference): currencies.yaml (symbols, codes, words, scales, qualifiers), money_kinds.yaml
(keyword lists per kind) and fx_rates.csv (annual average USD per unit, source named per row).

Rules, in short:
- An amount is a number with a currency symbol/code before it or a currency word/code after it,
  optionally scaled ("million", "bn", "millones", "mil millones"). "multimillion-dollar" has no
  number and is not an amount. Ranges: "$10 million to $15 million", "$10-15 million",
  "between $1 and $2 billion" (scale shared); "from $10 million to $15 million" is two amounts unless
  introduced by "ranging"; "$1 million and $2 million" without "between" is two amounts.
  "a 500 million-dollar contract" is an amount; "a million-dollar question" is not.
- Currency: a specific symbol/word/code wins; "$", "dollars", "pesos", "¥", "pounds", "Bs." are
  decided by ``country_hint`` (ISO alpha-2/alpha-3 or name of the country whose usage the article
  follows, e.g. the publisher's), else their table default ("$" -> USD), else the most-mentioned
  listed country in the article (its names, demonyms and capital), else "XXX" (unknown).
- Year: the nearest date/fiscal-year expression in the amount's clause ("$84 million this year",
  "in 2013", "FY2013"), else one in a fronted phrase ("In 2012, ..."), else one in a participle
  appositive after it ("$400 million, approved in June 2008, ..."), else the publication year. A
  period start ("since 2000") is not the year of a total to date. A change in apposition ("..., a
  cut of $31.5 million", "up $10 million from a year earlier") takes the year of the figure before it.
  A restatement in another currency ("20 million yuan (about $3.2 million)") takes the year and kind
  of the amount it restates. A continuation ("Of the request, $142 million ...", "part of that money")
  takes the year of the figure it refers to when it has none of its own.
  ``year_precision``: "explicit" (four-digit year), "relative" (this/next/last year, months,
  weekdays), "fiscal" (FY/fiscal year; FY 2012-13 -> 2013, the year it ends), "publication"
  (fallback), None (no year and no publication date).
- Kind: nearest keyword (money_kinds.yaml, minus its ``not_keywords`` idioms); generic aid becomes
  military_aid or economic_aid from context words (aid against drug trafficking or terrorism is
  security assistance: military_aid). A budget figure "for <another country>" (an appropriation or
  request of a donor: "Congress appropriated $1.3 billion for Mexico") is aid; a continuation with
  no keyword takes the kind of the figure it refers to.
- USD: USD at 1 ("nominal"); others with the annual average rate of the amount's year (the latest
  year in the table for later years); ``fx_rate_date`` is January 1 of the rate's year.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

import pycountry
import yaml

from etl.records import MoneyRec, Span
from etl.reference.fx import to_usd
from etl.settings import REPO_ROOT
from etl.transform._sentences import clause_of, sentence_of, split_sentences
from etl.transform.dates import find_dates

REF = REPO_ROOT / "data" / "reference"
AID_KINDS = ("military_aid", "economic_aid")

_NUM = r"\d{1,3}(?:[,.]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
_FISCAL = re.compile(
    r"\b(?:(?:the\s+)?fiscal(?:\s+year)?\s+|FY\s?)(?P<y1>(?:19|20)\d\d|(?<=FY)\d\d|(?<=FY\s)\d\d)"
    r"(?:\s?[-/–]\s?(?P<y2>\d{2,4}))?\b"
    r"|\b(?P<y3>(?:19|20)\d\d)(?:[-/–](?P<y4>\d{2,4}))?\s+fiscal\s+year\b"
    r"|\b(?P<rel>this|next|last|the\s+current|the\s+next|the\s+coming)\s+fiscal\s+year\b",
    re.I,
)
_SINCE = re.compile(r"\b[Ss]ince\s+(?:the\s+)?(?:fiscal\s+(?:year\s+)?)?$")
_REL_STEP = {"this": 0, "the current": 0, "next": 1, "the next": 1, "the coming": 1, "last": -1}


def _alt(items: list[str]) -> str:
    return "|".join(re.escape(x) for x in sorted(set(items), key=len, reverse=True))


@dataclass(frozen=True)
class _Table:
    by_form: dict[str, str | None]  # lowercased word / exact symbol or code -> ISO code (None: ambiguous)
    ambiguous: dict[str, tuple[str | None, dict[str, str]]]
    scales: dict[str, Decimal]
    spanish: frozenset[str]
    numwords: dict[str, Decimal]
    need_scale: frozenset[str]
    units: frozenset[str]
    qualifiers: re.Pattern[str]
    post_qualifiers: re.Pattern[str]
    qual_label: dict[str, str]
    prefix: re.Pattern[str]
    suffix: re.Pattern[str]


@lru_cache(maxsize=1)
def _currency_data() -> dict:
    return yaml.safe_load((REF / "currencies.yaml").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _table() -> _Table:
    data = _currency_data()
    by_form: dict[str, str | None] = {}
    symbols, codes, words = [], [], []
    for iso, spec in data["currencies"].items():
        for s in spec.get("symbols") or []:
            symbols.append(s)
            by_form[s] = iso
        for c in spec.get("codes") or []:
            codes.append(c)
            by_form[c] = iso
        for w in spec.get("words") or []:
            words.append(w)
            by_form[w.lower()] = iso
    ambiguous = {}
    for form, spec in data["ambiguous"].items():
        ambiguous[form.lower()] = (spec.get("default"), dict(spec.get("by_country") or {}))
        by_form[form.lower()] = None
        as_symbol = spec.get("form", "word" if form[0].isalpha() else "symbol") == "symbol"
        (symbols if as_symbol else words).append(form)
    scales = {k.lower(): Decimal(str(v)) for k, v in data["scales"].items()}
    short = [s for s in scales if len(s) <= 3 and s.isalpha() and s not in ("mil",)]
    long_ = [s for s in scales if s not in short]
    letters = [s for s in short if len(s) == 1]  # "$5m", never "$5 m"
    abbrevs = [s for s in short if len(s) > 1]
    scale_re = rf"(?:[\s-]?(?i:{_alt(long_)})|\s?(?i:{_alt(abbrevs)})|(?i:{_alt(letters)}))(?![A-Za-zÀ-ÿ])"
    numwords = {k.lower(): Decimal(str(v)) for k, v in data["number_words"].items()}
    quals = {p.lower(): label for label, ps in data["qualifiers"].items() for p in ps}
    posts = {p.lower(): label for label, ps in data["post_qualifiers"].items() for p in ps}
    sym = rf"(?<![A-Za-z])(?:{_alt(symbols)})|\b(?:{_alt(codes)})(?![A-Za-z])"
    word = rf"(?i:{_alt(words)})(?![A-Za-zÀ-ÿ])|\b(?:{_alt(codes)})\b"
    conn = r"\s?(?:-|–|—|to|and|y|a)\s?"
    prefix = re.compile(
        rf"(?P<sym>{sym})\s?(?P<n1>{_NUM})(?P<sc1>{scale_re})?"
        rf"(?:(?P<conn>{conn})(?P<sym2>{sym})?\s?(?P<n2>{_NUM})(?P<sc2>{scale_re})?)?"
        rf"(?:\s+(?:de\s+|of\s+)?(?P<word>{word}))?"
    )
    suffix = re.compile(
        rf"(?<![\w$€£.,])(?P<n1>{_NUM}|(?i:{_alt(list(numwords))}))(?P<sc1>{scale_re})?"
        rf"(?:(?P<conn>{conn})(?P<n2>{_NUM})(?P<sc2>{scale_re})?)?"
        rf"(?P<sep>\s+|(?<=[A-Za-zÀ-ÿ])-)(?:de\s+|of\s+)?(?P<word>{word})"
    )
    return _Table(
        by_form=by_form,
        ambiguous=ambiguous,
        scales=scales,
        spanish=frozenset(s.lower() for s in data["spanish_scales"]),
        numwords=numwords,
        need_scale=frozenset(w.lower() for w in data.get("words_need_scale") or []),
        units=frozenset(w.lower() for w in data.get("unit_homonyms") or []),
        qualifiers=re.compile(rf"(?i)(?<![\w])({_alt(list(quals))})\s+$"),
        post_qualifiers=re.compile(rf"(?i)^\s+({_alt(list(posts))})\b"),
        qual_label={**quals, **{f"post:{k}": v for k, v in posts.items()}},
        prefix=prefix,
        suffix=suffix,
    )


@lru_cache(maxsize=1)
def _kinds() -> dict:
    return yaml.safe_load((REF / "money_kinds.yaml").read_text(encoding="utf-8"))


def _number(text: str, spanish: bool) -> Decimal:
    """Parse "1,200.5", "1.200" (Spanish thousands), "4,5" (decimal comma) into a Decimal."""
    if "," in text and "." in text:
        dec = "," if text.rfind(",") > text.rfind(".") else "."
        thou = "." if dec == "," else ","
        return Decimal(text.replace(thou, "").replace(dec, "."))
    for sep in (",", "."):
        if sep in text:
            groups = text.split(sep)
            is_thousands = all(len(g) == 3 for g in groups[1:]) and (sep == "," or len(groups) > 2 or spanish)
            return Decimal(text.replace(sep, "") if is_thousands else text.replace(sep, "."))
    return Decimal(text)


def _whole(d: Decimal) -> Decimal:
    return d.quantize(Decimal(1)) if d == d.to_integral_value() else d.normalize()


def _country_code(hint: str | None) -> str | None:
    if not hint:
        return None
    try:
        return pycountry.countries.lookup(hint).alpha_2
    except LookupError:
        return None


@lru_cache(maxsize=64)
def _country_regex(cc: str) -> re.Pattern[str]:
    """Mentions of the country ``cc``: its names plus currencies.yaml ``country_words``."""
    names = list(_currency_data().get("country_words", {}).get(cc) or [])
    country = pycountry.countries.get(alpha_2=cc)
    if country is not None:
        names += [n for n in (country.name, getattr(country, "common_name", None)) if n]
    return re.compile(rf"\b(?:{_alt(names)})\b") if names else re.compile(r"(?!)")


def _resolve_currency(forms: list[str], hint_cc: str | None, body: str) -> str:
    tab = _table()
    specific = [tab.by_form.get(f) or tab.by_form.get(f.lower()) for f in forms]
    for iso in specific:
        if iso:
            return iso
    # Only ambiguous forms: the word after the number is more telling than the "$" before it.
    form = forms[-1].lower()
    default, by_country = tab.ambiguous[form]
    if hint_cc and hint_cc in by_country:
        return by_country[hint_cc]
    if default:
        return default
    counts: Counter[str] = Counter()
    for cc, iso in by_country.items():
        counts[iso] += len(_country_regex(cc).findall(body))
    best = counts.most_common(1)
    return best[0][0] if best and best[0][1] > 0 else "XXX"


@dataclass
class _Cand:
    start: int
    end: int
    amount: Decimal
    amount_max: Decimal | None
    forms: list[str]


def _scale(text: str | None) -> Decimal:
    return _table().scales[re.sub(r"^[\s-]+", "", text).lower()] if text else Decimal(1)


def _candidates(body: str) -> list[_Cand]:
    tab = _table()
    out: list[_Cand] = []
    for pattern in (tab.prefix, tab.suffix):
        pos = 0
        while (m := pattern.search(body, pos)) is not None:
            pos = m.end()
            groups = m.groupdict()
            word = groups.get("word")
            scales = [re.sub(r"^[\s-]+", "", s).lower() for s in (groups["sc1"], groups["sc2"]) if s]
            spanish = any(s in tab.spanish for s in scales)
            n1 = groups["n1"]
            if n1.lower() in tab.numwords:
                if not groups["sc1"] or groups.get("sep") == "-":
                    continue  # "a million-dollar question", "two million-dollar contracts"
                v1 = tab.numwords[n1.lower()]
            else:
                v1 = _number(n1, spanish)
            if pattern is tab.suffix and not scales and re.fullmatch(r"(?:19|20)\d\d", n1):
                continue  # "in 2013 dollars" is a price basis, not an amount
            if word and word.lower() in tab.need_scale and not scales:
                continue
            if word and word.lower() in tab.units and re.match(r"\s+of\b", body[m.end() :]):
                continue
            amount, amount_max, end = v1 * _scale(groups["sc1"]), None, m.end()
            if groups["n2"]:
                conn = groups["conn"].strip().lower()
                before = body[max(0, m.start() - 30) : m.start()].lower()
                is_range = (
                    conn not in ("and", "y") or re.search(r"\b(?:between|entre)\s+$", before)
                ) and not (
                    conn in ("to", "a")
                    and re.search(r"\bfrom\s+$", before)
                    and not re.search(r"\b(?:rang\w*|anywhere|between)\s+from\s+$", before)
                )
                if is_range:
                    amount_max = _number(groups["n2"], spanish) * _scale(groups["sc2"])
                    if not groups["sc1"] and groups["sc2"] and v1 * _scale(groups["sc2"]) <= amount_max:
                        amount = v1 * _scale(groups["sc2"])
                    is_range = amount_max > amount  # "$5 million to 200 schools" is no range
                if not is_range and pattern is tab.prefix:
                    end = m.end("sc1") if groups["sc1"] else m.end("n1")
                    pos, word, amount_max = end, None, None
                    groups["sym2"] = None
                elif not is_range:
                    pos = m.start("n2")  # first number has no currency; rescan from the second
                    continue
            forms = [f for f in (groups.get("sym"), groups.get("sym2"), word) if f]
            out.append(
                _Cand(m.start(), end, _whole(amount), _whole(amount_max) if amount_max else None, forms)
            )
    out.sort(key=lambda c: (c.start, -c.end))
    kept: list[_Cand] = []
    for c in out:
        if not kept or c.start >= kept[-1].end:
            kept.append(c)
    return kept


def _kw_regex(keyword: str) -> re.Pattern[str]:
    wild = keyword.endswith("*")
    core = re.escape(keyword.rstrip("*"))
    tail = r"\w*" if wild else r"(?![\w-])"
    flags = 0 if keyword.isupper() else re.I
    return re.compile(rf"(?<![\w-]){core}{tail}", flags)


@lru_cache(maxsize=2048)
def _kw(keyword: str) -> re.Pattern[str]:
    return _kw_regex(keyword)


def keyword_hits(text: str, keywords: list[str], lo: int, hi: int) -> list[tuple[int, int]]:
    """Spans of ``keywords`` in ``text[lo:hi]``; capitalised hits of lower-case keywords inside a
    sentence (proper names such as "Defense Ministry") are skipped."""
    hits = []
    for kw in keywords:
        for m in _kw(kw).finditer(text, lo, hi):
            if not kw.isupper() and kw[0].islower() and m.group(0)[0].isupper():
                prev = text[lo : m.start()].rstrip(" \"'“‘")
                if prev and prev[-1] not in ".!?\n":
                    continue
            hits.append((m.start(), m.end()))
    return hits


@lru_cache(maxsize=1)
def _not_keywords() -> re.Pattern[str] | None:
    phrases = _kinds().get("not_keywords") or []
    return re.compile(rf"(?i)(?<![\w-])(?:{_alt(phrases)})(?![\w-])") if phrases else None


def _nearest(text: str, keywords: list[str], span: Span, window: Span) -> int | None:
    masked: list[tuple[int, int]] = []
    if (nk := _not_keywords()) is not None:
        masked = [(m.start(), m.end()) for m in nk.finditer(text, window.start, window.end)]
    dists = [
        max(0, s - span.end, span.start - e)
        for s, e in keyword_hits(text, keywords, window.start, window.end)
        if (e <= span.start or s >= span.end) and not any(a <= s < b for a, b in masked)
    ]
    return min(dists) if dists else None


def _aid_context(body: str, windows: list[Span], span: Span) -> str:
    ctx = _kinds()["context"]
    for w in windows:
        mil = _nearest(body, ctx["military_aid"], span, w)
        eco = _nearest(body, ctx["economic_aid"], span, w)
        if mil is not None or eco is not None:
            return "economic_aid" if mil is None or (eco is not None and eco < mil) else "military_aid"
    return _kinds()["aid_default"]


def classify_kind(body: str, span: Span, sentences: list[Span] | None = None) -> str:
    """Kind of the money at ``span`` from keywords of its clause, then its sentence."""
    sentences = sentences or split_sentences(body)
    si = sentence_of(sentences, span.start)
    sent = sentences[si]
    clause = clause_of(body, sent, span.start)
    kinds = _kinds()["kinds"]
    best: tuple[int, str] | None = None
    for strength in ("strong", "weak"):
        for window in (clause, sent):
            for kind, spec in kinds.items():
                d = _nearest(body, spec.get(strength) or [], span, window)
                if d is not None and (best is None or d < best[0]):
                    best = (d, kind)
            if best:
                break
        if best:
            break
    if best is None:
        return "other"
    if best[1] == "budget":  # a budget line for aid ("appropriated $1.6 billion ... Merida Initiative")
        for kind in ("military_aid", "economic_aid", "aid"):
            if _nearest(body, kinds[kind]["strong"], span, sent) is not None:
                best = (0, kind)
                break
    if best[1] != "aid":
        return best[1]
    around = [sentences[j] for j in (si - 1, si + 1) if 0 <= j < len(sentences)]
    return _aid_context(body, [clause, sent, *around], span)


def _year_exprs(body: str, published: dt.date | None) -> list[tuple[Span, int, str]]:
    exprs: list[tuple[Span, int, str]] = []
    for m in _FISCAL.finditer(body):
        if _SINCE.search(body[max(0, m.start() - 12) : m.start()]):
            continue
        if m.group("rel"):
            if published is None:
                continue
            year = published.year + _REL_STEP[re.sub(r"\s+", " ", m.group("rel").lower())]
        else:
            y1, y2 = (m.group("y1"), m.group("y2")) if m.group("y1") else (m.group("y3"), m.group("y4"))
            year = int(y1) if len(y1) == 4 else 2000 + int(y1)
            if y2:
                year = int(y2) if len(y2) == 4 else year // 100 * 100 + int(y2)
        exprs.append((Span(m.start(), m.end()), year, "fiscal"))
    for d in find_dates(body, published):
        if any(d.span.start < s.end and s.start < d.span.end for s, _, _ in exprs):
            continue
        if _SINCE.search(body[max(0, d.span.start - 12) : d.span.start]):
            continue  # "since 2000" starts a period: the amount is a total to date, not of 2000
        label = "explicit" if re.search(r"(?:19|20)\d\d", d.raw) else "relative"
        exprs.append((d.span, d.value.year, label))
    return exprs


_PARTICIPLE = re.compile(r"(?:\w+ed|made|sold|paid|won|given|bought|built|struck|set|sent)\b")
_CHANGE_NP = re.compile(
    r"(?:or\s+)?(?:(?:a|an)\s+(?:\w+\s+){0,2}?(?:cut|reduction|decrease|drop|decline|fall|increase|rise|boost"
    r"|hike|jump|gain|saving|shortfall)s?\b|(?:up|down)\s+(?:(?:by|about|some|nearly|almost)\s+)*(?=[^\s\d]*\d|[A-Z]))",
    re.I,
)


def _year_for(
    body: str, span: Span, sent: Span, exprs: list[tuple[Span, int, str]], published: dt.date | None
) -> tuple[int | None, str | None]:
    """Year of the amount at ``span`` (see the module docstring)."""
    clause = clause_of(body, sent, span.start)
    inside = [e for e in exprs if clause.start <= e[0].start and e[0].end <= clause.end]
    if _CHANGE_NP.match(body, clause.start):
        # "..., up $10 million from a year earlier": the date after "from" is the base, not the year
        # of the change, which is that of the figure before it.
        inside = [
            e for e in inside if not re.search(r"\b(?:from|over|on)\s+$", body[clause.start : e[0].start])
        ]
    if inside:
        best = min(inside, key=lambda e: max(0, e[0].start - span.end, span.start - e[0].end))
        return best[1], best[2]
    comma = body.find(", ", sent.start, sent.end)
    if 0 <= comma < span.start and comma - sent.start <= 60:
        fronted = [e for e in exprs if sent.start <= e[0].start and e[0].end <= comma]
        if fronted:
            return fronted[-1][1], fronted[-1][2]
    if body[clause.start - 2 : clause.start] == ", " and body[clause.end : clause.end + 1] == ",":
        if _CHANGE_NP.match(body, clause.start):
            # "asked for $130 million for fiscal 2015, a cut of $31.5 million, or ...": the change is
            # of the figure before it.
            before = [e for e in exprs if sent.start <= e[0].start and e[0].end <= clause.start]
            if before:
                return before[-1][1], before[-1][2]
        # An appositive ("The deal, valued at €1.2bn, was signed in 2011") takes the main clause's year.
        rest = [e for e in exprs if clause.end <= e[0].start and e[0].end <= sent.end]
        if rest:
            return rest[0][1], rest[0][2]
    elif _CHANGE_NP.match(body, clause.start) and body[clause.start - 2 : clause.start] == ", ":
        before = [e for e in exprs if sent.start <= e[0].start and e[0].end <= clause.start]
        if before:
            return before[-1][1], before[-1][2]
    if body[clause.end : clause.end + 2] == ", " and _PARTICIPLE.match(body, clause.end + 2):
        # A participle appositive after the amount dates it: "The first tranche of $400 million,
        # approved in June 2008, paid for ..."; "Brazil's €6.7 billion submarine deal, signed in 2008".
        nxt = clause_of(body, sent, clause.end + 2)
        after = [e for e in exprs if nxt.start <= e[0].start and e[0].end <= nxt.end]
        if after:
            return after[0][1], after[0][2]
    if body[clause.start - 1 : clause.start] == "(" and clause.start - 1 > sent.start:
        # "aid to Guatemala (about $60 million a year) was frozen in 2012": the sentence around it
        return _year_for(body, Span(clause.start - 2, clause.start - 1), sent, exprs, published)
    if published is not None:
        return published.year, "publication"
    return None, None


_RESTATE = re.compile(
    r"\s*(?:\(|,?\s*\bor\b|/|,\s*(?:the\s+)?equivalent\s+(?:of|to))\s*"
    r"(?:(?:about|around|roughly|approximately|some|nearly|almost|an\s+estimated|just\s+over|over|more\s+than)\s+)?$",
    re.I,
)


def restates(
    body: str, first: MoneyRec | _Cand, second: MoneyRec | _Cand, first_currency: str, second_currency: str
) -> bool:
    """True when ``second`` right after ``first`` gives the same amount in another currency:
    "20 million yuan (about $3.2 million)", "39.3 billion Swedish crowns, or about $5.4 billion"."""
    a_end = first.span.end if isinstance(first, MoneyRec) else first.end
    b_start = second.span.start if isinstance(second, MoneyRec) else second.start
    return (
        first_currency != second_currency
        and 0 <= b_start - a_end <= 30
        and bool(_RESTATE.fullmatch(body[a_end:b_start]))
    )


def restatements(body: str, money: list[MoneyRec]) -> set[int]:
    """Indexes in ``money`` of amounts that restate the amount before them in another currency."""
    return {
        i
        for i in range(1, len(money))
        if restates(body, money[i - 1], money[i], money[i - 1].currency, money[i].currency)
    }


@lru_cache(maxsize=1)
def _continuation_res() -> tuple[re.Pattern[str], re.Pattern[str] | None]:
    kinds = _kinds()
    start = re.compile(rf"(?i)(?:{_alt(kinds['continuation'])})(?![\w-])")
    anywhere = kinds.get("continuation_anywhere") or []
    return start, (re.compile(rf"(?i)(?<![\w-])(?:{_alt(anywhere)})(?![\w-])") if anywhere else None)


def _continues(body: str, sent: Span, pos: int) -> str | None:
    """The phrase by which the sentence refers back to an earlier figure ("Of the request, ...",
    "The budget is expected ...", "part of that money"), if any."""
    start, anywhere = _continuation_res()
    if m := start.match(body, sent.start, sent.end):
        return m.group(0).lower()
    if anywhere is not None and (m := anywhere.search(body, sent.start, pos)):
        return m.group(0).lower()
    return None


def _referent(
    body: str, phrase: str, sentences: list[Span], si: int, prior: list[tuple[int, MoneyRec]]
) -> tuple[int, MoneyRec] | None:
    """The figure a continuation phrase refers to: the first amount of the latest earlier sentence
    (up to three back) that names the phrase's noun ("the request" -> "requested ..."), else of the
    latest earlier sentence with an amount."""
    noun = phrase.split()[-1]
    heads: dict[int, MoneyRec] = {}
    for sj, rec in prior:
        if si - 3 <= sj < si and sj not in heads:
            heads[sj] = rec
    if not heads:
        return None
    stem = re.escape(noun[:-1] if len(noun) > 4 and noun.endswith("s") else noun)
    for sj in sorted(heads, reverse=True):
        sent = sentences[sj]
        if re.search(rf"(?i)\b{stem}", body[sent.start : sent.end]):
            return sj, heads[sj]
    sj = max(heads)
    return sj, heads[sj]


@lru_cache(maxsize=1)
def _country_names() -> re.Pattern[str]:
    names: set[str] = set()
    for c in pycountry.countries:
        for n in (c.name, getattr(c, "common_name", None)):
            if n and "," not in n:
                names.add(n)
    capitals = yaml.safe_load((REF / "capitals.yaml").read_text(encoding="utf-8")) or {}
    names.update(capitals.values())
    return re.compile(rf"\b(?:{_alt(sorted(names))})\b")


def _funds_foreign_country(body: str, sent: Span, span: Span) -> bool:
    """A budget amount "for <Country>" where that country does not own the budget: a donor's
    appropriation or request for another state ("Congress appropriated $1.3 billion for Mexico")."""
    clause = clause_of(body, sent, span.start)
    names = _country_names()
    give = (
        r"\b(?:provid\w*|gave|give[ns]?|giving|grant\w*|transferr?\w*|disburs\w*|allocat\w*|earmark\w*"
        r"|appropriat\w*)\b"
    )
    prep = r"for|to" if re.search(give, body[clause.start : span.start], re.I) else r"for"
    for m in re.finditer(
        rf"\b(?:{prep})\s+(?:the\s+)?(?P<c>{names.pattern})(?![\w-])", body[clause.start : clause.end]
    ):
        name = m.group("c")
        owner = re.search(
            rf"(?:^|[.!?]\s+)(?:the\s+)?{re.escape(name)}\b|\b{re.escape(name)}['’]s?\s",
            body[sent.start : span.start],
        )
        if owner is None and clause.start + m.start() > span.start - 80:
            return True
    return False


def find_money(body: str, published: dt.date | None, country_hint: str | None = None) -> list[MoneyRec]:
    """Every money amount in ``body`` with currency, range, qualifier, year, kind and USD value."""
    tab = _table()
    hint_cc = _country_code(country_hint)
    sentences = split_sentences(body) or [Span(0, len(body))]
    exprs = _year_exprs(body, published)
    last_aid: tuple[int, str] | None = None  # (sentence index, kind) of the latest aid amount
    prior: list[tuple[int, MoneyRec]] = []
    out: list[MoneyRec] = []
    for c in _candidates(body):
        span = Span(c.start, c.end)
        si = sentence_of(sentences, c.start)
        sent = sentences[si]
        qualifier = None
        if q := tab.qualifiers.search(body[max(0, c.start - 40) : c.start]):
            qualifier = tab.qual_label[q.group(1).lower()]
        elif q := tab.post_qualifiers.search(body[c.end : c.end + 20]):
            qualifier = tab.qual_label[f"post:{q.group(1).lower()}"]
        kind = classify_kind(body, span, sentences)
        year, precision = _year_for(body, span, sent, exprs, published)
        currency = _resolve_currency(c.forms, hint_cc, body)
        phrase = _continues(body, sent, c.start)
        ref = _referent(body, phrase, sentences, si, prior) if phrase else None
        if phrase and kind not in AID_KINDS and last_aid is not None and 0 < si - last_aid[0] <= 2:
            kind = last_aid[1]  # "The budget is expected to drop to ..." continues an aid figure
        elif ref is not None and (
            kind == "other" or (kind not in AID_KINDS and (phrase or "").startswith("of "))
        ):
            kind = ref[1].kind  # "Of that amount, about S/. 1,100 million will go to procurement"
        if (
            ref is not None
            and precision == "publication"
            and ref[1].year_precision not in ("publication", None)
        ):
            year, precision = ref[1].year, ref[1].year_precision  # "Of the request, $142 million ..."
        if out and restates(body, out[-1], c, out[-1].currency, currency):
            # "20 million yuan (about $3.2 million)": the same figure, so its year and kind
            kind, year, precision = out[-1].kind, out[-1].year, out[-1].year_precision
        if kind == "budget" and _funds_foreign_country(body, sent, span):
            around = [sentences[j] for j in (si - 1, si + 1) if 0 <= j < len(sentences)]
            clause = clause_of(body, sent, span.start)
            kind = _aid_context(body, [clause, sent, *around], span)
        if kind in AID_KINDS:
            last_aid = (si, kind)
        usd, rate, rate_date, source = to_usd(c.amount, currency, year)
        rec = MoneyRec(
            span=span,
            raw=body[c.start : c.end],
            amount=c.amount,
            currency=currency,
            amount_max=c.amount_max,
            qualifier=qualifier,
            kind=kind,
            year=year,
            year_precision=precision,
            amount_usd=usd,
            fx_rate=rate,
            fx_rate_date=rate_date,
            fx_source=source,
        )
        out.append(rec)
        prior.append((si, rec))
    return out
