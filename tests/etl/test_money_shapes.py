"""find_money on sentence shapes of real news: currencies, kinds and years (own sentences, with near misses)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from etl.records import MoneyRec
from etl.transform.money import find_money

PUB = dt.date(2018, 9, 11)


def _all(text: str, published: dt.date | None = PUB) -> list[MoneyRec]:
    return find_money(text, published)


def _one(text: str, published: dt.date | None = PUB) -> MoneyRec:
    recs = _all(text, published)
    assert len(recs) == 1, [(r.raw, r.currency) for r in recs]
    return recs[0]


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("The navy ordered boats worth A$250 million.", 250e6, "AUD"),
        ("The army signed for Au$1.4 billion in trucks.", 1.4e9, "AUD"),
        ("Wellington will pay NZ$900 million for the ships.", 900e6, "NZD"),
        ("The jets will cost NZD2.1 billion in all.", 2.1e9, "NZD"),
        ("Manila set aside ₱5 billion for radars.", 5e9, "PHP"),
        ("The frigates cost €3. 125 billion in the end.", 3.125e9, "EUR"),
        ("The deal is worth £30m to the yard.", 30e6, "GBP"),
        ("The council cleared proposals worth Rs 2,150.5 crore on Monday.", 21_505_000_000, "INR"),
        ("Each rifle costs ₹3 lakh.", 300_000, "INR"),
        ("Riyadh agreed to pay SAR 4 billion for the corvettes.", 4e9, "SAR"),
        ("The radios are valued at Ksh 2 billion.", 2e9, "KES"),
        ("Seoul will spend 900 billion won on tankers.", 900e9, "KRW"),
        ("The ministry cleared Rs 1,00,000 for each family.", 100_000, "INR"),
        ("The yard will be paid Rs 12,34,56,789 for the refit.", 123_456_789, "INR"),
        ("Each drone costs Rs 4,75,000.50 with spares.", 475_000.5, "INR"),
        ("Madrid will pay 1.200.000 euros for the radars.", 1_200_000, "EUR"),
        ("Tokyo approved 20 billion yen for the radars.", 20e9, "JPY"),
        ("The ministry paid 4 billion rubles for trucks.", 4e9, "RUB"),
        ("Warsaw signed a 40 million zlotys offset.", 40e6, "PLN"),
        ("Sofia plans to spend 2 billion leva on jets.", 2e9, "BGN"),
        ("Brasilia released 1.5 billion reais for the program.", 1.5e9, "BRL"),
        ("Beijing gave 60 million RMB yuan in aid.", 60e6, "CNY"),
        ("The submarine costs 5 billion baht.", 5e9, "THB"),
        ("Bern will spend 2 billion Swiss francs on missiles.", 2e9, "CHF"),
        ("The package is worth USD 75 million.", 75e6, "USD"),
        ("The grant is valued at US dollars 80 million.", 80e6, "USD"),
        ("The tender is worth $ 12,5 million.", 12.5e6, "USD"),
        ("Suva received FJD $4.1 million from Beijing.", 4.1e6, "FJD"),
        ("The aid is worth $F7 million.", 7e6, "FJD"),
    ],
)
def test_currency_forms(text: str, amount: float, currency: str) -> None:
    rec = _one(text)
    assert (rec.amount, rec.currency) == (Decimal(repr(amount)).quantize(Decimal("0.001")).normalize(), currency)


@pytest.mark.parametrize(
    "text",
    [
        "The Raiders won 5 games in a row.",
        "The figure covers 1.5 million people in the region.",
        "A billionaire bought the team.",
        "The F-35 costs more than the F-16.",
    ],
)
def test_not_money(text: str) -> None:
    assert _all(text) == []


def test_digits_grouped_neither_in_thousands_nor_in_lakhs_are_no_amount() -> None:
    """A typo or a cut headline ("$14,500,00") is skipped; the article's other amounts stay."""
    text = "Yard wins a $14,500,00 boat order\n\nThe navy signed a $14,500,000 order for patrol boats."
    assert [(r.raw, r.amount) for r in _all(text)] == [("$14,500,000", Decimal(14_500_000))]
    assert _all("It paid $1,000.000.5 for them.") == []


def test_francs_need_a_swiss_context() -> None:
    swiss = "Switzerland picked the jet. The Swiss government will pay 5 billion francs for it."
    assert _one(swiss).currency == "CHF"
    assert _one("The museum paid 5 million francs for the painting.").currency == "XXX"


def test_dollar_sign_of_a_dollar_country() -> None:
    fiji = "Fiji signed the agreement with China. Fiji will receive $10m in aid, the Fijian government said."
    assert _one(fiji).currency == "FJD"
    # ... but not when the story also names the United States.
    mixed = "Fiji and the United States met. The U.S. gave $10m to Fiji, American officials said in Washington."
    assert _one(mixed).currency == "USD"
    # "$" listed beside the local dollar is the US dollar.
    aus = "Australia signed the contract. Canberra will pay Au$5 billion (€3.2 billion, $3.7 billion)."
    assert [(r.raw, r.currency) for r in _all(aus)] == [
        ("Au$5 billion", "AUD"),
        ("€3.2 billion", "EUR"),
        ("$3.7 billion", "USD"),
    ]


def test_bare_amount_takes_the_currency_of_the_same_scale() -> None:
    recs = _all("The frigate costs 17 billion baht, against 13.5 billion for the submarine.")
    assert [(r.raw, r.currency) for r in recs] == [("17 billion baht", "THB"), ("13.5 billion", "THB")]
    # A count with a scale word is no amount, nor a number with another scale.
    assert len(_all("The frigate costs 17 billion baht for 13.5 million people.")) == 1
    assert len(_all("The frigate costs 17 billion baht, against 13.5 million for the boat.")) == 1


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Japan Announces $2 Billion Security Aid Plan for Manila", "military_aid"),
        ("Navy Signs $2 Billion Deal With Shipyard", "contract_value"),
        ("The State Department approved a possible sale to Norway at an estimated cost of $1.2 billion.", "sale_value"),
        ("Washington gave Jordan $20 million from the Economic Support Fund.", "economic_aid"),
        ("USAID gave $10 million in health assistance to Liberia.", "economic_aid"),
        ("Washington provided $50 million in development funding to Haiti.", "economic_aid"),
        ("Washington granted six helicopters worth $106 million to Kenya.", "military_aid"),
        ("The ministry was granted a contract worth $5 million.", "contract_value"),
        ("China announced a $250 million line of credit to Laos for defence purchases.", "military_aid"),
        ("Japan and Vietnam signed notes for 2 billion yen in Official Security Assistance.", "military_aid"),
        ("Colombia could spend $1 billion on new fighter jets.", "contract_value"),
        ("Peru spent $50 million on helicopter maintenance.", "budget"),
        ("The council approved procurement proposals worth Rs 900 crore.", "budget"),
        ("India plans to build six submarines for ₹50,000 crore.", "contract_value"),
        ("Seoul is looking to pay $6 billion for 40 F-35s.", "contract_value"),
        ("The order is worth $90 million.", "contract_value"),
        ("The Government will spend Au$5 billion to acquire 200 vehicles.", "contract_value"),
        ("The company needs $3 million in order to expand.", "other"),
    ],
)
def test_kind_shapes(text: str, kind: str) -> None:
    assert _one(text).kind == kind


def test_own_agency_funds_are_a_budget_line_not_aid() -> None:
    body = (
        "Congress also provided military aid to Mexico. These funds include $10 million for the U.S. "
        "Marshals Service and $20 million for the Mexican army."
    )
    assert [r.kind for r in _all(body)] == ["budget", "military_aid"]


def test_goods_in_a_story_about_aid_are_aid() -> None:
    body = (
        "America Delivers $25 Million in Weapons to Lebanon\n"
        "The ambassador attended the delivery of military assistance to the army. The aid arrived by ship. "
        "It is the largest donation of military aid this year, officials said of the assistance."
    )
    assert _all(body)[0].kind == "military_aid"
    # ... while elsewhere an amount of weapons is their price.
    assert _one("The company sold $25 million in weapons to the army.").kind == "sale_value"


def test_withheld_aid_is_aid() -> None:
    recs = _all("Officials said $45 million of the $200 million in military aid will be withheld until May.")
    assert [r.kind for r in recs] == ["military_aid", "military_aid"]


def test_kind_from_the_sentence_before_and_a_repeated_figure() -> None:
    recs = _all("Lebanon is the largest recipient of U.S. military assistance. Over $100 million last year.")
    assert recs[0].kind == "military_aid"
    recs = _all(
        "The Pentagon cancelled $150 million in aid to Pakistan. "
        "Lawmakers were told the $150 million would be spent on other programmes."
    )
    assert [r.kind for r in recs] == ["military_aid", "military_aid"]
    shipment = _all("Ambassadors attended the delivery of military assistance. The shipment is valued at $25 million.")
    assert shipment[0].kind == "military_aid"


@pytest.mark.parametrize(
    ("text", "year", "basis"),
    [
        ("The Pentagon requested $45 million for Jordan for fiscal year 2019.", 2019, "fiscal"),
        ("The ministry will spend $45 million this fiscal year.", 2018, "fiscal"),
        ("Washington gave Tunisia $30 million in aid last year.", 2017, "relative"),
        ("Under the 2014 cooperation agreement, Washington will provide $30 million to Tunisia.", 2018, "publication"),
        ("The jets will cost $2 billion, with payments spread over the years until 2026.", 2018, "publication"),
        ("In 2009 the navy signed for two frigates. That year it also paid $5 million for radars.", 2009, "explicit"),
        ("Washington pledged $12 billion over eight years.", None, None),
        (
            "Last year's order for six corvettes for the Omani navy, worth some $2 billion, is the yard's largest.",
            2017,
            "relative",
        ),
        (
            "The order for six corvettes for the Omani navy, worth some $2 billion, is the yard's largest.",
            2018,
            "publication",
        ),
        ("Over $2 billion in the last 10 years went to the navy.", None, None),
        ("The memorandum covers $12 billion for fiscal years 2021-2030.", None, None),
    ],
)
def test_year_shapes(text: str, year: int | None, basis: str | None) -> None:
    rec = _one(text)
    assert (rec.year, rec.year_precision) == (year, basis)


def test_each_amount_takes_the_date_after_it_in_a_coordination() -> None:
    recs = _all("Washington gave Kenya $5 million in 2016 and $7 million in 2017.")
    assert [r.year for r in recs] == [2016, 2017]
    recs = _all("In 2016 Washington gave Kenya $5 million and $7 million for police.")
    assert [r.year for r in recs] == [2016, 2016]


def test_undated_article_takes_the_latest_dated_event_before_the_amount() -> None:
    text = "Vietnam signed the submarine contract in 2009. The six boats cost $2 billion."
    rec = _one(text, None)
    assert (rec.year, rec.year_precision) == (2009, "context")
    assert _one("The six boats cost $2 billion.", None).year is None
