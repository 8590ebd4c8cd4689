"""One-to-one matching of predictions to gold within each article, and the scores (docs/eval.md).

Matching follows the gold's conventions: greedy in gold order, strings normalized by
lower-casing, dropping "." and ",", turning "-" into a space and collapsing whitespace.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from etl.evaluation.gold import GoldArticle, GoldDeal
from etl.evaluation.predictions import ArticlePrediction, PDeal

KIND_CLASS = {"sale_value": "contract_value"}  # the gold allows scoring the two as one class
_WORD = re.compile(r"[A-Za-z0-9][\w/]*")


def norm(s: str | None) -> str:
    s = (s or "").lower().replace(".", "").replace(",", "").replace("-", " ")
    s = s.replace("\u2019", "'")
    return " ".join(s.split())


def close(a: float | None, b: float | None) -> bool:
    """Amounts agree within 1% of the gold value ``b``."""
    return a is not None and b is not None and abs(a - b) <= 0.01 * abs(b)


@dataclass
class Tally:
    """Counts for one fact type, plus attribute checks over the matched pairs."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    attrs: dict[str, list[int]] = field(default_factory=dict)  # name -> [right, total]

    @classmethod
    def with_attrs(cls, *names: str) -> Tally:
        """A tally whose attribute accuracies are always reported (None when nothing was measured)."""
        return cls(attrs={n: [0, 0] for n in names})

    def check(self, name: str, right: bool) -> None:
        cell = self.attrs.setdefault(name, [0, 0])
        cell[0] += int(right)
        cell[1] += 1

    def summary(self) -> dict[str, Any]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        out: dict[str, Any] = {
            "precision": round(p, 3),
            "recall": round(r, 3),
            "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
            "gold": self.tp + self.fn,
            "predicted": self.tp + self.fp,
            "matched": self.tp,
        }
        for name, (right, total) in sorted(self.attrs.items()):
            out[f"{name}_accuracy"] = round(right / total, 3) if total else None
        return out


@dataclass
class Detail:
    """One line of `--details`: a miss, a spurious fact or a wrong attribute."""

    file: str
    fact: str
    problem: str  # missed, spurious, wrong <attribute>
    text: str


def _greedy(gold: Sequence, preds: Sequence, match: Callable[[Any, Any], bool]) -> tuple[list, list, list]:
    """Pairs (gold, pred), unmatched gold, unmatched predictions."""
    free = list(range(len(preds)))
    pairs, missed = [], []
    for g in gold:
        hit = next((i for i in free if match(g, preds[i])), None)
        if hit is None:
            missed.append(g)
        else:
            free.remove(hit)
            pairs.append((g, preds[hit]))
    return pairs, missed, [preds[i] for i in free]


def _strip_paren(s: str) -> str:
    return norm(re.sub(r"\([^)]*\)", " ", s))


def _distinctive(item: str) -> set[str]:
    """Designators with a digit and capitalised names: the words that identify an item."""
    words = set()
    for w in _WORD.findall(item or ""):
        if any(c.isdigit() for c in w) or w[0].isupper():
            words.add(norm(w))
    return words


def _show_gold_deal(g: GoldDeal) -> str:
    value = g.value_usd or g.value
    return f"{g.buyer} <- {', '.join(g.suppliers)}: {g.item} ({value} {g.currency or ''}) {g.status}"


def _show_deal(p: PDeal) -> str:
    return f"{p.title} [buyer {sorted(p.buyer)[:1]}, {p.value_usd or p.value} {p.currency or ''}, {p.status}]"


@dataclass
class Scorer:
    tallies: dict[str, Tally] = field(
        default_factory=lambda: {
            "money": Tally.with_attrs("kind", "year"),
            "entities": Tally.with_attrs("type"),
            "deals": Tally.with_attrs("buyer", "status", "value"),
            "aid": Tally.with_attrs("year", "stage"),
            "quotes": Tally(),
        }
    )
    details: list[Detail] = field(default_factory=list)

    def score_article(self, gold: GoldArticle, pred: ArticlePrediction) -> None:
        self._money(gold, pred)
        self._entities(gold, pred)
        self._deals(gold, pred)
        self._aid(gold, pred)
        self._quotes(gold, pred)

    def _note(self, file: str, fact: str, problem: str, text: str) -> None:
        self.details.append(Detail(file, fact, problem, text))

    def _count(self, fact: str, file: str, pairs: list, missed: list, spurious: list,
               show: Callable[[Any], str], show_pred: Callable[[Any], str]) -> None:
        t = self.tallies[fact]
        t.tp += len(pairs)
        t.fn += len(missed)
        t.fp += len(spurious)
        for g in missed:
            self._note(file, fact, "missed", show(g))
        for p in spurious:
            self._note(file, fact, "spurious", show_pred(p))

    def _money(self, gold: GoldArticle, pred: ArticlePrediction) -> None:
        pairs, missed, spurious = _greedy(
            gold.money, pred.money, lambda g, p: g.currency == p.currency and close(p.amount, g.amount)
        )
        self._count("money", gold.file, pairs, missed, spurious,
                    lambda g: f"{g.text!r} {g.amount:g} {g.currency}", lambda p: f"{p.raw!r} {p.amount:g} {p.currency}")
        t = self.tallies["money"]
        for g, p in pairs:
            right = KIND_CLASS.get(p.kind, p.kind) == KIND_CLASS.get(g.kind, g.kind)
            t.check("kind", right)
            if not right:
                self._note(gold.file, "money", "wrong kind", f"{g.text!r}: {p.kind}, gold {g.kind}")
            if g.year is not None:
                t.check("year", p.year == g.year)
                if p.year != g.year:
                    self._note(gold.file, "money", "wrong year", f"{g.text!r}: {p.year}, gold {g.year}")

    def _entities(self, gold: GoldArticle, pred: ArticlePrediction) -> None:
        def match(g, p) -> bool:
            gforms = {norm(g.name), *(norm(a) for a in g.aliases_in_text)}
            return bool(gforms & {norm(f) for f in p.forms})

        pairs, missed, spurious = _greedy(gold.entities, pred.entities, match)
        others = [o for o in (_strip_paren(m) for m in gold.other_mentions) if o]

        def ignorable(p) -> bool:
            return any(o in f or f in o for f in (norm(x) for x in p.forms) if f for o in others)

        spurious = [p for p in spurious if not ignorable(p)]
        self._count("entities", gold.file, pairs, missed, spurious,
                    lambda g: f"{g.name} ({g.type})", lambda p: f"{p.name} ({p.type}) as {sorted(p.surfaces)}")
        t = self.tallies["entities"]
        for g, p in pairs:
            t.check("type", g.type == p.type)
            if g.type != p.type:
                self._note(gold.file, "entities", "wrong type", f"{g.name}: {p.type}, gold {g.type}")

    @staticmethod
    def _deal_value(g: GoldDeal, p: PDeal) -> bool:
        return close(p.value_usd, g.value_usd) or (
            g.value is not None and p.currency == g.currency and close(p.value, g.value)
        )

    @staticmethod
    def _has_value(g: GoldDeal) -> bool:
        return g.value_usd is not None or g.value is not None

    def _buyer(self, gold: GoldArticle, g: GoldDeal, p: PDeal) -> bool:
        if not g.buyer:
            return not p.buyer
        forms = [norm(f) for f in gold.forms_of(g.buyer)]
        return any(f and f in norm(b) for f in forms for b in p.buyer)

    def _item(self, g: GoldDeal, p: PDeal) -> bool:
        return bool(_distinctive(g.item) & {norm(w) for w in _WORD.findall(p.item or "")})

    def _deals(self, gold: GoldArticle, pred: ArticlePrediction) -> None:
        def match(g, p) -> bool:
            if not self._buyer(gold, g, p):
                return False
            return self._deal_value(g, p) if self._has_value(g) else self._item(g, p)

        pairs, missed, spurious = _greedy(gold.deals, pred.deals, match)
        self._count("deals", gold.file, pairs, missed, spurious, _show_gold_deal, _show_deal)
        t = self.tallies["deals"]
        for g, p in pairs:
            t.check("status", p.status == g.status)
            if p.status != g.status:
                self._note(gold.file, "deals", "wrong status", f"{g.item}: {p.status}, gold {g.status}")
        # Buyer and value accuracy need a pairing that does not already require them: a prediction
        # pairs with a gold deal when two of (buyer, value, item) agree.
        loose, _, _ = _greedy(gold.deals, pred.deals, lambda g, p: sum(
            (self._buyer(gold, g, p), self._deal_value(g, p), self._item(g, p))) >= 2)
        for g, p in loose:
            t.check("buyer", self._buyer(gold, g, p))
            if not self._buyer(gold, g, p):
                self._note(gold.file, "deals", "wrong buyer", f"{g.item}: {sorted(p.buyer)[:1]}, gold {g.buyer}")
            right = self._deal_value(g, p) if self._has_value(g) else (p.value is None and p.value_usd is None)
            t.check("value", right)
            if not right:
                self._note(gold.file, "deals", "wrong value",
                           f"{g.item}: {p.value} {p.currency}, gold {g.value_usd or g.value} {g.currency or 'USD'}")

    def _aid(self, gold: GoldArticle, pred: ArticlePrediction) -> None:
        def match(g, p) -> bool:
            forms = [norm(f) for f in gold.forms_of(g.recipient)]
            if not any(f and (f in norm(r) or norm(r) in f) for f in forms for r in p.recipient if norm(r)):
                return False
            return close(p.amount_usd, g.amount_usd) or (
                g.amount is not None and p.currency == g.currency and close(p.amount, g.amount)
            )

        pairs, missed, spurious = _greedy(gold.aid, pred.aid, match)
        self._count("aid", gold.file, pairs, missed, spurious,
                    lambda g: f"{g.donor} -> {g.recipient} {g.amount_usd or g.amount} {g.currency or 'USD'} "
                              f"FY{g.year} {g.stage}",
                    lambda p: f"{p.donor} -> {sorted(p.recipient)[:1]} {p.amount:g} {p.currency} FY{p.year} {p.stage}")
        t = self.tallies["aid"]
        for g, p in pairs:
            if g.year is not None:
                t.check("year", p.year == g.year)
                if p.year != g.year:
                    self._note(gold.file, "aid", "wrong year", f"{g.recipient} {g.amount_usd}: {p.year}, gold {g.year}")
            if g.stage:
                t.check("stage", p.stage == g.stage)

    def _quotes(self, gold: GoldArticle, pred: ArticlePrediction) -> None:
        def match(g, p) -> bool:
            head = norm(g.starts_with)[:40]
            last = norm(g.speaker).split()[-1:] if norm(g.speaker) else []
            return head in norm(p.text) and bool(last) and last[0] in norm(p.speaker or "").split()

        pairs, missed, spurious = _greedy(gold.quotes, pred.quotes, match)
        missed = [g for g in missed if not g.optional]
        self._count("quotes", gold.file, pairs, missed, spurious,
                    lambda g: f"{g.speaker}: {g.starts_with[:60]!r}",
                    lambda p: f"{p.speaker}: {p.text[:60]!r}")

    def report(self) -> dict[str, Any]:
        return {k: t.summary() for k, t in self.tallies.items()}
