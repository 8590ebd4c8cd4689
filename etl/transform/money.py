"""Money amounts in article text: amount, currency, range, qualifier, year, kind and USD value.

Data (data/reference): currencies.yaml (symbols, codes, words, scales, qualifiers), money_kinds.yaml
(keyword lists per kind) and fx_rates.csv (annual average USD per unit, source named per row).

Rules, in short:
- An amount is a number with a currency symbol/code before it or a currency word/code after it,
  optionally scaled ("million", "bn", "millones", "mil millones"). "multimillion-dollar" has no
  number and is not an amount. Ranges: "$10 million to $15 million", "$10-15 million",
  "between $1 and $2 billion" (scale shared); "from $10 million to $15 million" is two amounts unless
  introduced by "ranging"; "$1 million and $2 million" without "between" is two amounts.
- Currency: a specific symbol/word/code wins; "$", "dollars", "pesos", "¥", "pounds" are decided by
  ``country_hint`` (ISO alpha-2/alpha-3 or name of the country whose usage the article follows,
  e.g. the publisher's), else their table default ("$" -> USD), else the most-mentioned listed
  country in the article, else "XXX" (unknown).
- Year: the nearest date/fiscal-year expression in the amount's clause ("$84 million this year",
  "in 2013", "FY2013"), else one in a fronted phrase ("In 2012, ..."), else the publication year.
  ``year_precision``: "explicit" (four-digit year), "relative" (this/next/last year, months,
  weekdays), "fiscal" (FY/fiscal year; FY 2012-13 -> 2013, the year it ends), "publication"
  (fallback), None (no year and no publication date).
- Kind: nearest keyword (money_kinds.yaml); generic aid becomes military_aid or economic_aid from
  context words (aid against drug trafficking or terrorism is security assistance: military_aid).
- USD: USD at 1 ("nominal"); others with the annual average rate of the amount's year (the latest
  year in the table for later years); ``fx_rate_date`` is January 1 of the rate's year.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

import pycountry
import yaml

from etl.records import MoneyRec, Span
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
def _table() -> _Table:
    data = yaml.safe_load((REF / "currencies.yaml").read_text(encoding="utf-8"))
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
        (symbols if not form[0].isalpha() else words).append(form)
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
        rf"\s+(?:de\s+|of\s+)?(?P<word>{word})"
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


@lru_cache(maxsize=1)
def _fx() -> dict[str, dict[int, tuple[Decimal, str]]]:
    rates: dict[str, dict[int, tuple[Decimal, str]]] = {}
    with (REF / "fx_rates.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            rates.setdefault(row["currency"], {})[int(row["year"])] = (
                Decimal(row["usd_per_unit"]),
                row["source"],
            )
    return rates


def to_usd(
    amount: Decimal, currency: str, year: int | None
) -> tuple[Decimal | None, Decimal | None, dt.date | None, str | None]:
    """(amount_usd, fx_rate, fx_rate_date, fx_source) for an amount of ``currency`` in ``year``.

    The rate is the year's annual average; a year after the table's last one uses the last one.
    Unknown currency or year: all None.
    """
    if currency == "USD":
        return amount, Decimal(1), None, "nominal"
    table = _fx().get(currency)
    if not table or year is None:
        return None, None, None, None
    used = year if year in table else (max(table) if year > max(table) else None)
    if used is None:
        return None, None, None, None
    rate, source = table[used]
    return (amount * rate).quantize(Decimal("0.01")), rate, dt.date(used, 1, 1), source


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
    counts = Counter()
    for cc, iso in by_country.items():
        country = pycountry.countries.get(alpha_2=cc)
        if country is not None:
            counts[iso] = len(re.findall(rf"\b{re.escape(country.name)}\b", body))
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
                if not groups["sc1"]:
                    continue
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


def _nearest(text: str, keywords: list[str], span: Span, window: Span) -> int | None:
    dists = [
        max(0, s - span.end, span.start - e)
        for s, e in keyword_hits(text, keywords, window.start, window.end)
        if e <= span.start or s >= span.end
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
        label = "explicit" if re.search(r"(?:19|20)\d\d", d.raw) else "relative"
        exprs.append((d.span, d.value.year, label))
    return exprs


def _year_for(
    body: str, span: Span, sent: Span, exprs: list[tuple[Span, int, str]], published: dt.date | None
) -> tuple[int | None, str | None]:
    clause = clause_of(body, sent, span.start)
    inside = [e for e in exprs if clause.start <= e[0].start and e[0].end <= clause.end]
    if inside:
        best = min(inside, key=lambda e: max(0, e[0].start - span.end, span.start - e[0].end))
        return best[1], best[2]
    comma = body.find(", ", sent.start, sent.end)
    if 0 <= comma < span.start and comma - sent.start <= 60:
        fronted = [e for e in exprs if sent.start <= e[0].start and e[0].end <= comma]
        if fronted:
            return fronted[-1][1], fronted[-1][2]
    if body[clause.start - 2 : clause.start] == ", " and body[clause.end : clause.end + 1] == ",":
        # An appositive ("The deal, valued at €1.2bn, was signed in 2011") takes the main clause's year.
        rest = [e for e in exprs if clause.end <= e[0].start and e[0].end <= sent.end]
        if rest:
            return rest[0][1], rest[0][2]
    if published is not None:
        return published.year, "publication"
    return None, None


def find_money(body: str, published: dt.date | None, country_hint: str | None = None) -> list[MoneyRec]:
    """Every money amount in ``body`` with currency, range, qualifier, year, kind and USD value."""
    tab = _table()
    hint_cc = _country_code(country_hint)
    sentences = split_sentences(body) or [Span(0, len(body))]
    exprs = _year_exprs(body, published)
    continuation = [p.lower() for p in _kinds()["continuation"]]
    last_aid: tuple[int, str] | None = None  # (sentence index, kind) of the latest aid amount
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
        head = body[sent.start : sent.end].lower()
        if (
            kind not in AID_KINDS
            and last_aid is not None
            and 0 < si - last_aid[0] <= 2
            and any(re.match(rf"{re.escape(p)}\b", head) for p in continuation)
        ):
            kind = last_aid[1]  # "The budget is expected to drop to ..." continues an aid figure
        if kind in AID_KINDS:
            last_aid = (si, kind)
        year, precision = _year_for(body, span, sent, exprs, published)
        currency = _resolve_currency(c.forms, hint_cc, body)
        usd, rate, rate_date, source = to_usd(c.amount, currency, year)
        out.append(
            MoneyRec(
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
        )
    return out
