"""extract_agreements / agreement_key: accords, MOUs and free-trade agreements with parties and dates."""

from __future__ import annotations

import datetime as dt

import pytest
from relbuilders import CTRY, PER, date, mentions, seed_004, seed_panetta

from etl.records import AgreementRec, EntityRef
from etl.transform.agreements import agreement_key, extract_agreements

D = dt.date
PUB = D(2012, 10, 8)
WORLD = [
    ("Peru", "Peru", CTRY, "PE", "gazetteer"),
    ("Russia", "Russia", CTRY, "RU", "gazetteer"),
    ("Russian", "Russia", CTRY, "RU", "demonym"),
    ("Colombia", "Colombia", CTRY, "CO", "gazetteer"),
    ("Israel", "Israel", CTRY, "IL", "gazetteer"),
    ("Brazil", "Brazil", CTRY, "BR", "gazetteer"),
    ("Sweden", "Sweden", CTRY, "SE", "gazetteer"),
    ("Anatoly Serdyukov", "Anatoly Serdyukov", PER, "RU"),
    ("Pedro Cateriano", "Pedro Cateriano", PER, "PE"),
]


def run(body: str, dates: tuple = (), published: dt.date = PUB) -> list[AgreementRec]:
    return extract_agreements(body, published, mentions(body, WORLD), [date(body, *d) for d in dates])


def codes(rec: AgreementRec) -> set[str]:
    return {agreement_key(rec).split("|")[2]}


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003"])
def test_1952_accord_is_one_agreement_in_each_panetta_seed(prefix: str) -> None:
    body, published, ms, dates = seed_panetta(prefix)
    recs = extract_agreements(body, published, ms, dates)
    assert len(recs) == 1
    a = recs[0]
    assert a.agreement_type == "defense_cooperation"
    assert (a.date, a.precision) == (D(1952, 1, 1), "year")
    assert {p.name for p in a.parties} == {"Peru", "United States"}
    assert a.action == "update"
    assert agreement_key(a) == "agreement|defense_cooperation|PE-US|1952"


def test_sixty_year_old_gives_1952_and_update_keeps_its_own_date() -> None:
    body, published, ms, dates = seed_panetta("002")
    a = extract_agreements(body, published, ms, dates)[0]
    assert a.action_date == D(2012, 10, 6)  # "agreed on Saturday to update"
    assert len(a.spans) == 2  # "The accord was reached ..." refers back


def test_capitals_as_metonyms_give_parties() -> None:
    body, published, ms, dates = seed_panetta("001")
    a = extract_agreements(body, published, ms, dates)[0]
    lima = body.index("Lima and Washington")
    assert any(s.start <= lima < s.end for s in a.spans)
    assert {p.name for p in a.parties} == {"Peru", "United States"}


def test_seed_004_mou_and_free_trade_agreement() -> None:
    body, published, ms, _, dates = seed_004()
    recs = {a.agreement_type: a for a in extract_agreements(body, published, ms, dates)}
    assert set(recs) == {"mou", "free_trade"}
    mou, fta = recs["mou"], recs["free_trade"]
    assert (mou.date, mou.precision) == (D(2011, 11, 1), "month")
    assert {p.name for p in mou.parties} == {"Peru", "China"}
    assert mou.signatories == [EntityRef("Daniel Mora", "person"), EntityRef("Guo Boxiong", "person")]
    assert (fta.date, fta.precision, fta.action) == (D(2010, 1, 1), "year", "entered_into_force")
    assert {p.name for p in fta.parties} == {"Peru", "China"}  # "between the two countries"


def test_signed_mou_with_place_and_date() -> None:
    body = "Peru and Russia signed a memorandum of understanding on military cooperation in Moscow in March."
    a = run(body, [("in March", "2012-03-01", "month")])[0]
    assert a.agreement_type == "mou" and a.place == "Moscow"
    assert (a.date, a.precision) == (D(2012, 3, 1), "month")
    assert codes(a) == {"PE-RU"}


def test_free_trade_agreement_signed_in_year_and_decade_old_treaty() -> None:
    a = run(
        "Colombia and Israel signed a free trade agreement in 2013.", [("in 2013", "2013-01-01", "year")]
    )[0]
    assert a.agreement_type == "free_trade" and a.date == D(2013, 1, 1) and codes(a) == {"CO-IL"}
    b = run("Brazil and Sweden agreed to revise their decade-old defense treaty.")[0]
    assert (b.agreement_type, b.date, b.action) == ("defense_cooperation", D(2002, 1, 1), "update")


def test_generic_plural_and_bare_anaphor_make_nothing() -> None:
    assert run("New military cooperation accords will likely increase the scope of operations.") == []
    assert run("The accord is seen as a counterweight.") == []


def test_different_years_are_different_agreements() -> None:
    body = (
        "Peru and Russia signed a defense cooperation agreement in 2004. "
        "In 2012 Peru and Colombia signed a defense cooperation agreement too."
    )
    recs = run(body, [("in 2004", "2004-01-01", "year"), ("In 2012", "2012-01-01", "year")])
    assert [agreement_key(a) for a in recs] == [
        "agreement|defense_cooperation|PE-RU|2004",
        "agreement|defense_cooperation|CO-PE|2012",
    ]


def test_future_signing_neither_signs_nor_dates_the_agreement() -> None:
    recs = run(
        "Pedro Cateriano said Peru and Russia would sign a new military cooperation agreement next year.",
        [("next year", "2013-01-01", "year")],
    )
    assert len(recs) == 1
    assert recs[0].action is None and recs[0].date is None and recs[0].signatories == []
    signed = run(
        "Peru and Russia signed a military cooperation agreement in 2012.", [("in 2012", "2012-01-01", "year")]
    )
    assert signed[0].action == "signed" and signed[0].date == D(2012, 1, 1)
