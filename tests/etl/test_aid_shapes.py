"""extract_aid on sentence shapes of real news: stages, roles across sentences, repeats (own sentences)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from etl.records import AidRec, Span
from etl.transform.aid import extract_aid
from etl.transform.money import find_money

PUB = dt.date(2018, 9, 11)
NAMES = {
    "United States": "United States",
    "U.S.": "United States",
    "American": "United States",
    "Washington": "United States",
    "Germany": "Germany",
    "German": "Germany",
    "Ukraine": "Ukraine",
    "Lebanon": "Lebanon",
    "Kenya": "Kenya",
    "Pakistan": "Pakistan",
    "Russia": "Russia",
    "Serbia": "Serbia",
    "Japan": "Japan",
    "Berlin": "Germany",
    "Kyiv": "Ukraine",
    "Vietnam": "Vietnam",
    "India": "India",
    "Nepal": "Nepal",
    "Egypt": "Egypt",
    "Turkey": "Turkey",
    "Georgia": "Georgia",
    "China": "China",
    "Laos": "Laos",
    "Italy": "Italy",
    "Albania": "Albania",
}


def _countries(body: str) -> list[tuple[Span, str]]:
    pattern = "|".join(re.escape(n) for n in sorted(NAMES, key=len, reverse=True))
    return [(Span(m.start(), m.end()), NAMES[m.group(0)]) for m in re.finditer(rf"\b(?:{pattern})", body)]


def _aid(body: str, published: dt.date | None = PUB) -> list[AidRec]:
    return extract_aid(body, published, find_money(body, published), _countries(body))


def _rows(body: str) -> list[tuple]:
    return [(a.donor.name, a.recipient.name, a.amount, a.stage) for a in _aid(body)]


M = Decimal(1_000_000)


@pytest.mark.parametrize(
    ("text", "stage"),
    [
        ("The United States will withhold $45 million in military aid to Egypt.", "withheld"),
        ("The Pentagon cancelled $300 million in military aid to Pakistan.", "cancelled"),
        ("Germany pledged €1 billion in military aid to Ukraine.", "pledged"),
        ("The United States delivered $25 million in military aid to Lebanon.", "delivered"),
        ("Congress appropriated $400 million in military aid for Egypt.", "appropriated"),
        ("The White House requested $50 million in military aid for Lebanon.", "requested"),
        ("Turkey approved the donation to Georgia of $4 million for radar upkeep.", "pledged"),
        ("China announced a $250 million line of credit to Laos for defence purchases.", "pledged"),
    ],
)
def test_stage_shapes(text: str, stage: str) -> None:
    (rec,) = _aid(text)
    assert rec.stage == stage


def test_recipient_of_the_donor_so_far() -> None:
    body = (
        "Germany pledged €1 billion in military aid to Ukraine on Friday. Officials met in Berlin. "
        "Trains were late. Germany's total military assistance will exceed €3 billion."
    )
    assert _rows(body) == [
        ("Germany", "Ukraine", 1000 * M, "pledged"),
        ("Germany", "Ukraine", 3000 * M, "pledged"),
    ]


def test_a_countryless_sentence_continues_the_one_before() -> None:
    body = "Lebanon is the largest recipient of U.S. military assistance. Over $100 million last year."
    assert _rows(body) == [("United States", "Lebanon", 100 * M, "actual")]


def test_the_lead_names_the_parties_of_a_first_countryless_figure() -> None:
    body = (
        "The United States has given six helicopters to be used by Kenya's army.\n"
        "The grant valued at $106 million is part of a wider package."
    )
    assert [(a.donor.name, a.recipient.name) for a in _aid(body)] == [("United States", "Kenya")]


def test_a_programme_names_its_donor_over_the_subject() -> None:
    body = "Vietnam's minister and the envoy of Japan signed notes for 2 billion yen in Official Security Assistance."
    (rec,) = _aid(body)
    assert (rec.donor.name, rec.recipient.name, rec.currency) == ("Japan", "Vietnam", "JPY")


def test_the_texts_own_dollar_figure_and_repeats() -> None:
    (rec,) = _aid("Italy pledged a donation to Albania of €4 million ($4.6 million) for patrol boats.")
    assert (rec.amount, rec.currency, rec.amount_usd) == (4 * M, "EUR", Decimal("4.6") * M)
    body = (
        "The Pentagon cancelled $150 million in military aid to Pakistan. "
        "Lawmakers were told the $150 million would be spent on other programmes."
    )
    assert _rows(body) == [("United States", "Pakistan", 150 * M, "cancelled")]


def test_same_amount_for_two_years_stays_two_records() -> None:
    body = (
        "The United States gave Kenya $5 million in military aid in 2016. "
        "Washington gave Kenya $5 million in military aid again in 2017."
    )
    assert [a.fiscal_year for a in _aid(body)] == [2016, 2017]


def test_the_country_and_the_capital_name_the_recipient() -> None:
    body = "Ukraine asked Germany for help. Germany pledged €1 billion in military aid to the country."
    assert _rows(body) == [("Germany", "Ukraine", 1000 * M, "pledged")]
    body = "Germany pledged €1 billion in military aid to Ukraine. Berlin will send Kyiv €500 million in aid."
    assert [(a.donor.name, a.recipient.name) for a in _aid(body)] == [("Germany", "Ukraine")] * 2
    # "the country" with no other country before it names nobody.
    assert _aid("Germany pledged €1 billion in military aid to the country.") == []
