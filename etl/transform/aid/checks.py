"""Consistency checks between aid allocations: stated changes against levels, parts against totals."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from etl.records import AidRec

_TOL = Decimal("0.05")  # relative tolerance for rounded news figures


@dataclass(frozen=True, slots=True)
class Finding:
    """Outcome of one consistency check between allocations.

    ``check``: "change" (a stated change vs the two levels it links) or "parts_within_total"
    (sub-allocations vs their total). ``expected`` is the stated figure, ``observed`` the computed one.
    """

    check: str
    status: str  # "consistent" | "discrepancy"
    claim: AidRec
    evidence: tuple[AidRec, ...]
    expected: Decimal
    observed: Decimal
    detail: str

    def __str__(self) -> str:
        return f"{self.status}: {self.detail}"


def _num(d: Decimal) -> str:
    return format(d.normalize(), "f") if d != d.to_integral_value() else str(d.quantize(Decimal(1)))


def aid_key(rec: AidRec) -> str:
    """``donor|recipient|fiscal_year|purpose|stage|amount``: one allocation across articles."""
    year = "" if rec.fiscal_year is None else str(rec.fiscal_year)
    return "|".join([rec.donor.name, rec.recipient.name, year, rec.purpose, rec.stage, _num(rec.amount)])


def _value(rec: AidRec) -> Decimal | None:
    return rec.amount if rec.currency == "USD" or rec.amount_usd is None else rec.amount_usd


def _change_ok(delta: Decimal, claim: Decimal, qualifier: str | None) -> bool:
    if delta and claim and (delta > 0) != (claim > 0):
        return False
    got, want = abs(delta), abs(claim)
    if qualifier in ("at least", "more than", "top"):
        return got >= want * (1 - _TOL)
    if qualifier in ("less than", "up to", "nearly"):
        return got <= want * (1 + _TOL)
    return abs(got - want) <= want * _TOL


def check_changes(allocs: list[AidRec]) -> list[Finding]:
    """Check stated changes against the levels of the years they link, and parts against totals.

    A change of year Y (e.g. "reduced by at least $10 million in 2013") is compared with
    level(Y) - level(Y-1) of the same donor, recipient and purpose, for each distinct pair of levels
    found; the qualifier sets the comparison (at least / more than / top: >=, up to / less than /
    nearly: <=, otherwise equal), all within 5% for rounding. Sub-allocations of one donor, recipient,
    year and stage must not exceed their "total" (per purpose the smallest stated figure is used).
    """
    uniq = list({aid_key(a): a for a in allocs}.values())
    findings: list[Finding] = []
    levels = [a for a in uniq if a.stage != "change" and a.fiscal_year is not None]
    for c in (a for a in uniq if a.stage == "change" and a.fiscal_year is not None):
        same = [
            a
            for a in levels
            if (a.donor, a.recipient, a.purpose) == (c.donor, c.recipient, c.purpose) and _value(a) is not None
        ]
        bases = {_value(a): a for a in same if a.fiscal_year == c.fiscal_year - 1}
        targets = {_value(a): a for a in same if a.fiscal_year == c.fiscal_year}
        claim = _value(c)
        if claim is None:
            continue
        for bv, base in bases.items():
            for tv, target in targets.items():
                delta = tv - bv
                ok = _change_ok(delta, claim, c.qualifier)
                findings.append(
                    Finding(
                        check="change",
                        status="consistent" if ok else "discrepancy",
                        claim=c,
                        evidence=(base, target),
                        expected=claim,
                        observed=delta,
                        detail=(
                            f"{c.donor.name}->{c.recipient.name} {c.purpose} {c.fiscal_year}: stated change "
                            f"{c.qualifier + ' ' if c.qualifier else ''}{_num(claim)}; "
                            f"{_num(tv)} ({target.stage}) - {_num(bv)} ({base.stage}, "
                            f"{base.fiscal_year}) = {_num(delta)}"
                        ),
                    )
                )
    groups: dict[tuple, list[AidRec]] = {}
    for a in levels:
        groups.setdefault((a.donor, a.recipient, a.fiscal_year, a.stage), []).append(a)
    for (donor, recipient, year, stage), recs in groups.items():
        totals = [a for a in recs if a.purpose == "total" and _value(a) is not None]
        parts: dict[str, AidRec] = {}
        for a in recs:
            v = _value(a)
            if a.purpose != "total" and v is not None and (a.purpose not in parts or v < _value(parts[a.purpose])):
                parts[a.purpose] = a
        if not parts:
            continue
        psum = sum((_value(p) for p in parts.values()), Decimal(0))
        for t in totals:
            ok = psum <= _value(t) * (1 + _TOL)
            findings.append(
                Finding(
                    check="parts_within_total",
                    status="consistent" if ok else "discrepancy",
                    claim=t,
                    evidence=tuple(parts.values()),
                    expected=_value(t),
                    observed=psum,
                    detail=(
                        f"{donor.name}->{recipient.name} {year} {stage}: parts "
                        f"{' + '.join(_num(_value(p)) for p in parts.values())} = {_num(psum)} "
                        f"vs total {_num(_value(t))}"
                    ),
                )
            )
    return findings
