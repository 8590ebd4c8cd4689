"""Conversion of an amount to USD with the annual average rate of its year (data/reference/fx_rates.csv)."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from functools import lru_cache

from etl.transform.money._common import REF


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
