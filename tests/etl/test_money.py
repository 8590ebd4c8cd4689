"""find_money: amounts, currencies, ranges, qualifiers, years, kinds and USD conversion."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from etl.records import MoneyRec
from etl.transform.money import find_money, to_usd

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "data" / "seeds"
REF = ROOT / "data" / "reference"
D = dt.date
M = Decimal(1_000_000)
PUB = D(2012, 5, 30)


def _seed(prefix: str) -> tuple[str, dt.date]:
    rows = {r["file"]: r for r in csv.DictReader((SEEDS / "manifest.csv").open(encoding="utf-8"))}
    name = next(n for n in rows if n.startswith(prefix))
    return (SEEDS / name).read_text(encoding="utf-8"), D.fromisoformat(rows[name]["published"])


def _one(text: str, published: dt.date | None = PUB, hint: str | None = None) -> MoneyRec:
    recs = find_money(text, published, hint)
    assert len(recs) == 1, recs
    return recs[0]


def _rate(currency: str, year: int) -> Decimal:
    with (REF / "fx_rates.csv").open(encoding="utf-8") as f:
        row = next(r for r in csv.DictReader(f) if r["currency"] == currency and int(r["year"]) == year)
    return Decimal(row["usd_per_unit"])


def test_seed_000_aid_estimate_and_cut() -> None:
    body, pub = _seed("000")
    top, cut = find_money(body, pub)
    assert (top.raw, top.amount, top.currency, top.qualifier) == ("$84 million", 84 * M, "USD", "top")
    assert (top.year, top.year_precision, top.kind) == (2012, "relative", "military_aid")
    assert (cut.amount, cut.qualifier, cut.year, cut.year_precision) == (10 * M, "at least", 2013, "explicit")
    assert top.amount_usd == top.amount and top.fx_source == "nominal" and top.fx_rate == 1


def test_seed_001_total_parts_and_continuation() -> None:
    body, pub = _seed("001")
    recs = find_money(body, pub)
    assert [r.amount for r in recs] == [84 * M, 29 * M, Decimal(4_500_000), 74 * M]
    assert [r.year for r in recs] == [2012, 2012, 2012, 2013]  # fronted "In 2012," covers the sentence
    # "The budget is expected to drop ..." continues the aid sentence before it.
    assert {r.kind for r in recs} == {"military_aid"}
    assert recs[-1].year_precision == "relative"


def test_seed_004_contract_sale_and_no_multimillion() -> None:
    body, pub = _seed("004")
    recs = find_money(body, pub)
    assert [r.raw for r in recs] == ["$114 million", "$34 million", "$1.4 billion"]
    contract, arms, tanks = recs
    assert contract.kind == "contract_value" and (contract.year, contract.year_precision) == (
        2012,
        "relative",
    )
    assert arms.kind == "sale_value" and arms.year_precision == "publication"
    assert tanks.kind == "sale_value" and tanks.amount == Decimal(1_400_000_000)
    assert "multimillion" in body and not any("multimillion" in r.raw for r in recs)


def test_seeds_without_money_and_exact_spans() -> None:
    for prefix in ("002", "003"):
        body, pub = _seed(prefix)
        assert find_money(body, pub) == []
    for prefix in ("000", "001", "004"):
        body, pub = _seed(prefix)
        for r in find_money(body, pub):
            assert body[r.span.start : r.span.end] == r.raw


@pytest.mark.parametrize(
    ("text", "amount", "currency", "kind"),
    [
        ("Brazil will buy 36 Gripen fighters for $4.5 billion.", Decimal(4_500_000_000), "USD", "sale_value"),
        ("The navy signed a contract worth S/. 120 millones.", 120 * M, "PEN", "contract_value"),
        ("The army ordered tanks for 120 million nuevos soles.", 120 * M, "PEN", "sale_value"),
        ("The deal, valued at €1.2bn, was signed in 2011.", Decimal(1_200_000_000), "EUR", "contract_value"),
        ("Russia sold 4.5 billion roubles worth of arms.", Decimal(4_500_000_000), "RUB", "sale_value"),
        ("Beijing offered 500 million yuan in military aid.", 500 * M, "CNY", "military_aid"),
        ("Embraer won a R$ 300 million tender.", 300 * M, "BRL", "contract_value"),
        ("London will spend £30m on training.", 30 * M, "GBP", "budget"),
        ("The defense budget rose to US$ 2.1 billion.", Decimal(2_100_000_000), "USD", "budget"),
        ("Ottawa's C$19 billion fighter purchase.", Decimal(19_000_000_000), "CAD", "sale_value"),
        ("It provided EUR 15 million in humanitarian aid.", 15 * M, "EUR", "economic_aid"),
        ("Colombia paid 2.000 millones de pesos colombianos.", Decimal(2_000_000_000), "COP", "other"),
        ("Peru's budget of 1,5 millones de euros.", Decimal(1_500_000), "EUR", "budget"),
        ("La compra costará S/ 4 mil millones.", Decimal(4_000_000_000), "PEN", "sale_value"),
        ("Congress gave half a billion dollars in development assistance.", 500 * M, "USD", "economic_aid"),
        ("A $10-million grant to fight drug trafficking.", 10 * M, "USD", "military_aid"),
        ("An order for $5m of rifles was cancelled.", 5 * M, "USD", "contract_value"),
        ("India will spend Rs 500 crore on it.", Decimal(5_000_000_000), "INR", "budget"),
        ("Seoul paid 500 billion won for tanks.", Decimal(500_000_000_000), "KRW", "contract_value"),
        ("A EUR1.2 billion frigate contract.", Decimal(1_200_000_000), "EUR", "contract_value"),
    ],
)
def test_amount_currency_kind(text: str, amount: Decimal, currency: str, kind: str) -> None:
    rec = _one(text)
    assert (rec.amount, rec.currency, rec.kind) == (amount, currency, kind)
    assert text[rec.span.start : rec.span.end] == rec.raw


@pytest.mark.parametrize(
    ("text", "amount", "amount_max", "qualifier"),
    [
        ("It will cost about $2-3 million.", 2 * M, 3 * M, "about"),
        ("Aid will range between $1 and $2 billion.", Decimal(10**9), Decimal(2 * 10**9), None),
        ("contracts worth $10 million to $15 million", 10 * M, 15 * M, None),
        ("contracts ranging from $10 million to $15 million", 10 * M, 15 * M, None),
        ("a deal of 10 to 15 million euros", 10 * M, 15 * M, None),
        ("more than $1 billion in sales", Decimal(10**9), None, "more than"),
        ("nearly $300 million", 300 * M, None, "nearly"),
        ("up to $40 million", 40 * M, None, "up to"),
        ("an estimated $5 million", 5 * M, None, "about"),
        ("some $34 million worth of arms", 34 * M, None, "about"),
        ("less than $1 million", M, None, "less than"),
        ("$5 million or more", 5 * M, None, "at least"),
        ("prices ranging from $500,000 to $2 million", Decimal(500_000), 2 * M, None),
        ("un contrato de entre 10 y 15 millones de soles", 10 * M, 15 * M, None),
        ("$5 million to 200 schools", 5 * M, None, None),
    ],
)
def test_ranges_and_qualifiers(
    text: str, amount: Decimal, amount_max: Decimal | None, qualifier: str | None
) -> None:
    rec = _one(text)
    assert (rec.amount, rec.amount_max, rec.qualifier) == (amount, amount_max, qualifier)


@pytest.mark.parametrize(
    "text",
    [
        "Spending rose from $10 million to $15 million.",
        "Peru got $1 million and Bolivia $2 million.",
        "Peru got $1 million and Spain €2 million.",
    ],
)
def test_two_amounts_not_a_range(text: str) -> None:
    recs = find_money(text, D(2012, 1, 1))
    assert len(recs) == 2 and all(r.amount_max is None for r in recs)
    assert [text[r.span.start] for r in recs] == [r.raw[0] for r in recs]
    assert recs[0].currency == "USD"


@pytest.mark.parametrize(
    "text",
    [
        "a multimillion-dollar deal",
        "He smuggled 2,000 pounds of cocaine.",
        "Triad won 5 bids.",
        "prices in 2012 dollars",
        "More than 70,000 people died.",
        "a million-dollar question",
    ],
)
def test_not_money(text: str) -> None:
    assert find_money(text, D(2012, 1, 1)) == []


@pytest.mark.parametrize(
    ("text", "year", "precision"),
    [
        ("Aid will reach $74 million next year.", 2013, "relative"),
        ("Aid reached $74 million last year.", 2011, "relative"),
        ("The FY2013 request of $1.2 million in FMF for Peru.", 2013, "fiscal"),
        ("A request of $1.2 million for FY 2012-13.", 2013, "fiscal"),
        ("It spent $3 million in fiscal 2011.", 2011, "fiscal"),
        ("In 2009, China sold Peru $34 million worth of arms.", 2009, "explicit"),
        ("China sold Peru $34 million worth of arms.", 2012, "publication"),
        ("Peru paid $5 million in February.", 2012, "relative"),
        (
            "Congress approved a defense budget of S/. 6.5 billion for 2014, up from this year.",
            2014,
            "explicit",
        ),
        ("The 2013 defense budget was $2 billion.", 2013, "explicit"),
    ],
)
def test_year(text: str, year: int, precision: str) -> None:
    rec = _one(text, D(2012, 5, 30))
    assert (rec.year, rec.year_precision) == (year, precision)


def test_year_unknown_without_publication_date() -> None:
    rec = _one("China sold Peru $34 million worth of arms last year.", None)
    assert (rec.year, rec.year_precision) == (None, None)


def test_fx_conversion_uses_the_amounts_year() -> None:
    rec = _one("The navy signed a contract worth S/. 120 millones in 2010.")
    assert rec.year == 2010 and rec.fx_rate == _rate("PEN", 2010)
    assert rec.amount_usd == (rec.amount * rec.fx_rate).quantize(Decimal("0.01"))
    assert rec.fx_rate_date == D(2010, 1, 1) and "Banco Central de Reserva" in (rec.fx_source or "")
    later = _one("The navy signed a contract worth S/. 120 millones in 2012.")
    assert later.amount_usd != rec.amount_usd


def test_to_usd_edges() -> None:
    usd, rate, when, source = to_usd(Decimal(100), "EUR", 2099)  # after the series: its latest year
    assert when is not None and when.year >= 2025 and usd == (100 * rate).quantize(Decimal("0.01"))
    assert source is not None and source.startswith("ECB")
    assert to_usd(Decimal(100), "EUR", 1990) == (None, None, None, None)
    assert to_usd(Decimal(100), "XXX", 2012) == (None, None, None, None)
    assert to_usd(Decimal(100), "USD", None) == (Decimal(100), Decimal(1), None, "nominal")


def test_ambiguous_currencies_follow_country_context() -> None:
    assert _one("Canada will spend $20 billion on jets.", hint="Canada").currency == "CAD"
    assert _one("Peru will spend $20 billion on jets.", hint="PE").currency == "USD"
    assert _one("It cost 500 million pesos.", hint="MX").currency == "MXN"
    assert _one("Colombia's army paid 500 million pesos for trucks.").currency == "COP"
    unknown = _one("It cost 500 million pesos.")
    assert unknown.currency == "XXX" and unknown.amount_usd is None
    assert _one("It cost 500 million Mexican pesos.", hint="CO").currency == "MXN"


def test_aid_context_and_budget() -> None:
    assert _one("Peru's defense budget of $2 billion.").kind == "budget"
    assert _one("The U.S. gave $29 million in aid to fight drug trafficking.").kind == "military_aid"
    assert _one("The U.S. gave $29 million in aid for health and education.").kind == "economic_aid"
    assert _one("The budget is expected to drop to $74 million next year.").kind == "budget"
    two = find_money(
        "Washington gave Peru $84 million in aid. The budget is expected to drop to $74 million.", None
    )
    assert [r.kind for r in two] == ["military_aid", "military_aid"]


def test_reference_tables_are_consistent() -> None:
    currencies = yaml.safe_load((REF / "currencies.yaml").read_text(encoding="utf-8"))["currencies"]
    rows = list(csv.DictReader((REF / "fx_rates.csv").open(encoding="utf-8")))
    assert rows and set(rows[0]) == {"currency", "year", "usd_per_unit", "source", "entry"}
    by_code: dict[str, set[int]] = {}
    for r in rows:
        assert r["currency"] in currencies and r["source"].strip() and r["entry"] == "hand-entered"
        assert Decimal(r["usd_per_unit"]) > 0
        by_code.setdefault(r["currency"], set()).add(int(r["year"]))
    assert {"PEN", "ARS", "SAR", "TWD"} <= set(by_code)
    for code in ("PEN", "ARS", "SAR", "TWD", "CLP", "COP"):
        assert set(range(2000, 2025)) <= by_code[code]


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("a 500 million-dollar contract", 500 * M, "USD"),
        ("a 1.6-billion-dollar deal", Decimal(1_600_000_000), "USD"),
        ("O orçamento é de R$ 61 bilhões.", Decimal(61 * 10**9), "BRL"),
        ("Vendas de R$ 1,5 bilhão.", Decimal(1_500_000_000), "BRL"),
        ("Venezuela pagó Bs. 500 millones.", 500 * M, "VES"),
        ("Bolivia gastará Bs 300 millones.", 300 * M, "BOB"),
        ("Beijing donated ¥20 million in equipment.", 20 * M, "CNY"),
        ("Japan paid ¥20 billion.", Decimal(20 * 10**9), "JPY"),
        ("It cost $US5 million.", 5 * M, "USD"),
        ("The army spent 40 million quetzales.", 40 * M, "GTQ"),
    ],
)
def test_more_currency_forms(text: str, amount: Decimal, currency: str) -> None:
    rec = _one(text)
    assert (rec.amount, rec.currency) == (amount, currency)


@pytest.mark.parametrize("text", ["two million-dollar contracts", "It cost 5 rand.", "Rand analysts agreed."])
def test_more_non_money(text: str) -> None:
    assert find_money(text, D(2012, 1, 1)) == []


def test_year_rules_for_periods_appositives_and_restatements() -> None:
    pub = D(2013, 4, 11)
    assert (
        _one("Since 2000, Washington has spent some $8 billion on Plan Colombia.", pub).year_precision
    ) == ("publication")
    tranche = _one("The first tranche of $400 million, approved in June 2008, paid for helicopters.", pub)
    assert (tranche.year, tranche.year_precision) == (2008, "explicit")
    ask, cut = find_money(
        "The administration asked for $130 million for fiscal 2015, a cut of $31.5 million.", pub
    )
    assert ask.year == cut.year == 2015
    level, up = find_money(
        "In 2012, U.S. aid to Peru was $84 million, up $10 million from a year earlier.", pub
    )
    assert level.year == up.year == 2012
    yuan, usd = find_money(
        "China will donate equipment worth 20 million yuan (about $3.2 million) in 2012.", pub
    )
    assert (
        (usd.year, usd.kind, usd.qualifier)
        == (yuan.year, yuan.kind, "about")
        == (2012, "military_aid", "about")
    )
    crowns, dollars = find_money(
        "Saab won a contract in October for 39.3 billion Swedish crowns, or about $5.4 billion.",
        D(2015, 5, 22),
    )
    assert crowns.currency == "SEK" and dollars.year == crowns.year == 2014


def test_continuations_take_the_referred_figure() -> None:
    body = (
        "The administration requested $332 million in aid for Colombia for fiscal 2014. "
        "Since 2000, Washington has spent $8 billion on Plan Colombia. "
        "Of the request, $142 million would go to counternarcotics programs."
    )
    recs = find_money(body, D(2013, 4, 11))
    assert (recs[-1].year, recs[-1].year_precision, recs[-1].kind) == (2014, "fiscal", "military_aid")
    body = (
        "Peru's Defense Ministry will receive a budget of S/. 6,952 millones in 2014. "
        "Of that amount, about S/. 1,100 million will go to the equipment program."
    )
    last = find_money(body, D(2013, 12, 5))[-1]
    assert (last.kind, last.year, last.qualifier) == ("budget", 2014, "about")
    body = (
        "Honduras received $60.5 million in U.S. security aid in 2013. "
        "Congress froze part of that money -- about $10 million -- over concerns about police abuses."
    )
    froze = find_money(body, D(2014, 7, 10))[-1]
    assert (froze.kind, froze.year) == ("military_aid", 2013)


def test_parts_and_parentheticals_follow_their_figure() -> None:
    body = "The budget for 2014 is $2.1 billion. Of that amount, $300 million is for procurement."
    assert [(r.kind, r.year) for r in find_money(body, D(2013, 6, 1))] == [("budget", 2014), ("budget", 2014)]
    rec = _one("Washington's aid to Guatemala (about $60 million a year) was frozen in 2012.", D(2013, 6, 1))
    assert (rec.year, rec.qualifier, rec.kind) == (2012, "about", "military_aid")


def test_budget_for_another_country_is_aid() -> None:
    assert _one("Congress appropriated $1.3 billion for Mexico between 2008 and 2010.").kind == "military_aid"
    assert _one("For fiscal 2010, Congress provided $1.2 billion to Mexico.").kind == "military_aid"
    # ... but not a country's own budget, a demonym or a class name, or spending paid "to" a seller.
    assert _one("Peru's Congress approved S/. 2 billion for Peru's army.").kind == "budget"
    # Spending on one purchase is its price (devset convention: the buyer's planned spending on it).
    assert _one("Brazil will spend $4 billion for French submarines.").kind == "contract_value"
    assert _one("The Pentagon budgeted $500 million for Colombia-class ships.").kind == "budget"
    assert _one("Peru spent $50 million to Russia for helicopter maintenance.").kind == "budget"


def test_idioms_are_not_kind_keywords() -> None:
    text = "The White House requested $3.7 billion in emergency funding to deal with the border crisis."
    assert _one(text).kind == "budget"


def test_long_single_line_extracts_every_amount() -> None:
    """Windows around each amount are bounded: a ~1 MB line with hundreds of amounts stays linear."""
    filler = "words of filler text without figures, " * 85
    text = ("The ministry paid for $1 million of spare parts and more " + filler) * 300
    recs = find_money(text, dt.date(2020, 1, 1))
    assert len(text) > 900_000
    assert len(recs) == 300
    assert {r.amount for r in recs} == {Decimal(1_000_000)}
