"""Amounts and currencies: number parsing, scale words, currency symbols/codes/words (currencies.yaml)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

import pycountry
import yaml

from etl.transform.money._common import REF, _alt
from etl.transform.regex_prefilter import compile_scanner

# Digits grouped as South Asian copy writes lakhs and crores ("1,00,000", "12,34,56,789").
_LAKHS = r"\d{1,2}(?:,\d{2})+,\d{3}"
# A stray space after a decimal point ("€7. 957 billion") is accepted only before a scale word.
# Digits grouped in thousands ("1,200,000", "1.200.000") or in lakhs.
_NUM = (
    r"\d{1,3}\.\s\d{1,3}(?=\s?(?i:million|billion|trillion|bn|mn)\b)"
    rf"|{_LAKHS}(?:\.\d+)?(?!,?\d)"
    r"|\d{1,3}(?:[,.]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
)
# A separator written more than once groups digits (a decimal mark is written once), in groups of
# three or in lakhs; other groupings ("$28,000,00", a typo or a cut headline) are no number.
_GROUPED = compile_scanner(rf"\d{{1,3}}(?:,\d{{3}})+|\d{{1,3}}(?:\.\d{{3}})+|{_LAKHS}")


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
    bare: re.Pattern[str]
    default_country: dict[str, str]


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
    default_country: dict[str, str] = {}
    for form, spec in data["ambiguous"].items():
        ambiguous[form.lower()] = (spec.get("default"), dict(spec.get("by_country") or {}))
        if spec.get("default_country"):
            default_country[form.lower()] = spec["default_country"]
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
    # A code may carry a dollar sign after it ("FJD $6.3 million", "NZD$5m").
    sym = rf"(?<![A-Za-z])(?:{_alt(symbols)})|\b(?:{_alt(codes)})(?:\s?\$)?(?![A-Za-z])"
    word = rf"(?i:{_alt(words)})(?![A-Za-zÀ-ÿ])|\b(?:{_alt(codes)})\b"
    conn = r"\s?(?:-|–|—|to|and|y|a)\s?"
    prefix = compile_scanner(
        rf"(?P<sym>{sym})\s?(?P<n1>{_NUM})(?P<sc1>{scale_re})?"
        rf"(?:(?P<conn>{conn})(?P<sym2>{sym})?\s?(?P<n2>{_NUM})(?P<sc2>{scale_re})?)?"
        rf"(?:\s+(?:de\s+|of\s+)?(?P<word>{word}))?"
    )
    suffix = compile_scanner(
        rf"(?<![\w$€£.,])(?P<n1>{_NUM}|(?i:{_alt(list(numwords))}))(?P<sc1>{scale_re})?"
        rf"(?:(?P<conn>{conn})(?P<n2>{_NUM})(?P<sc2>{scale_re})?)?"
        rf"(?P<sep>\s+|(?<=[A-Za-zÀ-ÿ])-)(?:de\s+|of\s+)?(?P<word>{word})"
    )
    # A number with a scale word and no currency ("... 17 billion baht, against 13.5 billion"): kept
    # only when it follows an amount of the same scale in its sentence (find_money decides).
    bare = compile_scanner(
        rf"(?<![\w$€£¥₹.,])(?P<n1>{_NUM})(?P<sc1>\s(?i:million|billion|trillion|crore|lakh)|\s?(?i:bn|mn))"
        r"(?=\s*(?:[.,;:)]|$)|\s+(?:for|to|in|and|or|from|with|compared|than|on|each|apiece|per|a\s+year|"
        r"annually|last|this|next|over|by|until|under)\b)"
    )
    return _Table(
        by_form=by_form,
        bare=bare,
        default_country=default_country,
        ambiguous=ambiguous,
        scales=scales,
        spanish=frozenset(s.lower() for s in data["spanish_scales"]),
        numwords=numwords,
        need_scale=frozenset(w.lower() for w in data.get("words_need_scale") or []),
        units=frozenset(w.lower() for w in data.get("unit_homonyms") or []),
        qualifiers=compile_scanner(rf"(?i)(?<![\w])({_alt(list(quals))})\s+$"),
        post_qualifiers=compile_scanner(rf"(?i)^\s+({_alt(list(posts))})\b"),
        qual_label={**quals, **{f"post:{k}": v for k, v in posts.items()}},
        prefix=prefix,
        suffix=suffix,
    )


def _number(text: str, spanish: bool) -> Decimal | None:
    """Parse "1,200.5", "1.200" (Spanish thousands), "4,5" (decimal comma), "7. 957", "1,00,000"
    (lakhs) into a Decimal; None for digits grouped otherwise (:data:`_GROUPED`)."""
    text = re.sub(r"\s+", "", text)
    if "," in text and "." in text:
        dec = "," if text.rfind(",") > text.rfind(".") else "."
        thou = "." if dec == "," else ","
        whole, _, fraction = text.rpartition(dec)
        if not _GROUPED.fullmatch(whole):
            return None
        return Decimal(whole.replace(thou, "") + "." + fraction)
    for sep in (",", "."):
        if text.count(sep) > 1:
            return Decimal(text.replace(sep, "")) if _GROUPED.fullmatch(text) else None
        if sep in text:  # once: "1,200" and Spanish "1.200" are thousands, "4,5" and "1.5" decimals
            is_thousands = len(text.split(sep)[1]) == 3 and (sep == "," or spanish)
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


@lru_cache(maxsize=1)
def _all_countries() -> tuple[re.Pattern[str], dict[str, str]]:
    """One regex over the names of every country currencies.yaml lists, and name -> country code."""
    ccs = set(_currency_data().get("country_words", {}))
    for spec in _currency_data()["ambiguous"].values():
        ccs.update((spec.get("by_country") or {}).keys())
        if spec.get("default_country"):
            ccs.add(spec["default_country"])
    owner: dict[str, str] = {}
    for cc in sorted(ccs):
        names = list(_currency_data().get("country_words", {}).get(cc) or [])
        country = pycountry.countries.get(alpha_2=cc)
        if country is not None:
            names += [n for n in (country.name, getattr(country, "common_name", None)) if n]
        for n in names:
            owner.setdefault(n, cc)
    return compile_scanner(rf"(?<![\w.])(?:{_alt(list(owner))})(?![\w-])"), owner


@lru_cache(maxsize=8)
def mention_counts(body: str) -> dict[str, int]:
    """Mentions per country code (names, demonyms, capitals) of the countries currencies.yaml lists."""
    pattern, owner = _all_countries()
    counts: Counter[str] = Counter(owner[m.group(0)] for m in pattern.finditer(body))
    return dict(counts)


def home_country(form: str, body: str) -> str | None:
    """The country whose own money an ambiguous form ("$", "dollars", "Rs") stands for in this
    article: the most-mentioned country of the form's ``by_country`` list, when it is mentioned at
    least twice and more than three times as often as the country of the default (the US for "$").
    "$10m" in a Fijian story about Fiji is FJD; in a story that also names the US, it stays USD."""
    tab = _table()
    form = form.lower()
    if form not in tab.ambiguous:
        return None
    counts = mention_counts(body)
    _, by_country = tab.ambiguous[form]
    ranked = sorted(by_country, key=lambda cc: -counts.get(cc, 0))
    if not ranked:
        return None
    top = ranked[0]
    rival = max([counts.get(cc, 0) for cc in ranked[1:]] + [0])
    base = counts.get(tab.default_country.get(form, ""), 0)
    if counts.get(top, 0) >= 2 and counts[top] > 3 * base and counts[top] > rival:
        return top
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
    home = home_country(form, body)
    if home is not None:
        return by_country[home]
    if default:
        return default
    counts: Counter[str] = Counter()
    mentions = mention_counts(body)
    for cc, iso in by_country.items():
        counts[iso] += mentions.get(cc, 0)
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


_NEXT_WORD = compile_scanner(r"\s+([A-Za-z]+)\b")


def _form(text: str) -> str:
    """The table form of a matched symbol/code: "FJD $" -> "FJD" (a code with a dollar sign after it)."""
    by_form = _table().by_form
    if text in by_form or text.lower() in by_form:
        return text
    return re.sub(r"\s?\$$", "", text)


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
                if v1 is None:
                    continue
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
                is_range = is_range and (high := _number(groups["n2"], spanish)) is not None
                if is_range:
                    amount_max = high * _scale(groups["sc2"])
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
            forms = [_form(f) for f in (groups.get("sym"), groups.get("sym2"), word) if f]
            if forms and (nxt := _NEXT_WORD.match(body, end)):
                # "30 million RMB yuan": a currency word after a code of the same currency is part of it
                iso = tab.by_form.get(forms[-1]) or tab.by_form.get(forms[-1].lower())
                if iso is not None and tab.by_form.get(nxt.group(1).lower()) == iso:
                    end = nxt.end()
            out.append(
                _Cand(m.start(), end, _whole(amount), _whole(amount_max) if amount_max else None, forms)
            )
    for m in tab.bare.finditer(body):
        if (v := _number(m.group("n1"), False)) is None:
            continue
        v = v * _scale(m.group("sc1"))
        out.append(_Cand(m.start(), m.end(), _whole(v), None, ["?" + m.group("sc1").strip().lower()]))
    out.sort(key=lambda c: (c.start, -c.end))
    kept: list[_Cand] = []
    for c in out:
        if not kept or c.start >= kept[-1].end:
            kept.append(c)
    return kept
