"""extract_deals / deal_key: deals, tenders and sales with parties, status and dated events."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from pydantic import ValidationError
from relbuilders import CTRY, GOV, ORG, WPN, date, mention, mentions, money, seed_004, seed_panetta

from etl.records import DealRec, EntityRef
from etl.reference.lexicons import DealLexicon, deal_lexicon
from etl.transform.deals import deal_key, extract_deals
from etl.transform.textrel import clauses, sentences

D = dt.date
PUB = D(2012, 5, 30)
WORLD = [
    ("Brazil", "Brazil", CTRY, "BR", "gazetteer"),
    ("Colombia", "Colombia", CTRY, "CO", "gazetteer"),
    ("Chile", "Chile", CTRY, "CL", "gazetteer"),
    ("Chile’s", "Chile", CTRY, "CL", "demonym"),
    ("Russia", "Russia", CTRY, "RU", "gazetteer"),
    ("Venezuela", "Venezuela", CTRY, "VE", "gazetteer"),
    ("India", "India", CTRY, "IN", "gazetteer"),
    ("Indian", "India", CTRY, "IN", "demonym"),
    ("French", "France", CTRY, "FR", "demonym"),
    ("Italian", "Italy", CTRY, "IT", "demonym"),
    ("Peru", "Peru", CTRY, "PE", "gazetteer"),
    ("Peruvian", "Peru", CTRY, "PE", "demonym"),
    ("U.S.", "United States", CTRY, "US", "gazetteer"),
    ("Saab", "Saab", ORG, "SE"),
    ("Airbus", "Airbus", ORG, None),
    ("Lockheed Martin", "Lockheed Martin", ORG, "US"),
    ("Boeing", "Boeing", ORG, "US"),
    ("Dassault Aviation", "Dassault Aviation", ORG, None),
    ("Leonardo", "Leonardo", ORG, None),
    ("Northrop Grumman", "Northrop Grumman", ORG, "US"),
    ("Gripen", "JAS 39 Gripen", WPN, "SE"),
    ("C-295", "C-295", WPN, None),
    ("Su-30", "Su-30", WPN, "RU"),
    ("Rafale", "Rafale", WPN, "FR"),
    ("C-27J", "C-27J Spartan", WPN, "IT"),
    ("F-16", "F-16", WPN, "US"),
]


def run(body: str, values: tuple = (), dates: tuple = (), table: list[tuple] = WORLD) -> list[DealRec]:
    return extract_deals(
        body, PUB, mentions(body, table), [money(body, *v) for v in values], [date(body, *d) for d in dates]
    )


def only(body: str, values: tuple = (), dates: tuple = ()) -> DealRec:
    deals = run(body, values, dates)
    assert len(deals) == 1, [d.title for d in deals]
    return deals[0]


def roles(deal: DealRec, role: str) -> dict[str, str | None]:
    return {p.entity.name: p.country_code for p in deal.parties if p.role == role}


def event(deal: DealRec, kind: str):
    return next(e for e in deal.events if e.event_type == kind)


# -- seed 004 (The Washington Times, 2012-05-30) ---------------------------------------------------
@pytest.fixture(scope="module")
def seed4() -> list[DealRec]:
    body, published, ms, values, dates = seed_004()
    return extract_deals(body, published, ms, values, dates)


def by_value(deals: list[DealRec], amount: int) -> DealRec:
    return next(d for d in deals if d.value == Decimal(amount))


def test_seed_004_has_four_distinct_deals(seed4: list[DealRec]) -> None:
    assert len(seed4) == 4
    assert len({deal_key(d) for d in seed4}) == 4


def test_seed_004_air_defense_contract_merges_its_sentences(seed4: list[DealRec]) -> None:
    d = by_value(seed4, 114_000_000)
    assert d.buyer == EntityRef("Ministry of Defense of Peru", "government_body")
    assert d.buyer_country == "PE"
    assert d.item_text == "air defense system"
    assert d.status == "cancelled"
    assert d.year == 2012
    assert len(d.spans) >= 5  # canceled / awarded / also bid / Triad won / cancellation
    assert roles(d, "supplier") == {"Triad consortium": None}
    assert roles(d, "consortium_member") == {
        "Northrop Grumman": "US",
        "Rafael Advanced Defense Systems": "IL",
        "Bumar Group": "PL",
    }
    bidders = {p.entity.name: (p.country_code, p.named) for p in d.parties if p.role == "bidder"}
    assert bidders == {
        "Rosoboronexport": ("RU", True),
        "consortium of Chinese defense manufacturers": ("CN", False),
    }
    assert roles(d, "protester") == {"China Precision Machinery Import-Export Corp.": "CN"}


def test_seed_004_air_defense_contract_events(seed4: list[DealRec]) -> None:
    d = by_value(seed4, 114_000_000)
    cancelled, awarded, protested = event(d, "cancelled"), event(d, "awarded"), event(d, "protested")
    assert (cancelled.date, cancelled.precision) == (D(2012, 4, 1), "month")
    assert (awarded.date, awarded.precision) == (D(2012, 2, 1), "month")
    assert awarded.party == EntityRef("Triad consortium", "organization")
    assert protested.date is None
    assert protested.party is not None and protested.party.name.startswith("China Precision")
    assert event(d, "bid").party == EntityRef("Rosoboronexport", "organization")


def test_seed_004_cpmiec_sale_of_manpads(seed4: list[DealRec]) -> None:
    d = next(d for d in seed4 if d.item_text == "portable air defense systems")
    assert roles(d, "supplier") == {"China Precision Machinery Import-Export Corp.": "CN"}
    assert d.buyer_country == "PE" and d.kind == "sale"
    assert d.year == 2009 and d.status == "active"
    assert d.quantity is None  # "a number of"


def test_seed_004_norinco_poly_sale_year_from_that_year(seed4: list[DealRec]) -> None:
    d = by_value(seed4, 34_000_000)
    # the makers supply; China is their country, not a supplier beside them (issue 9)
    assert roles(d, "supplier") == {"China North Industries Corporation": "CN", "Poly Technologies": "CN"}
    assert d.buyer == EntityRef("Peru", "country")
    assert d.item_text == "arms and equipment"
    assert d.year == 2009  # "largest supplier that year" -> the 2009 of the sale before


def test_seed_004_mbt2000_never_materialized(seed4: list[DealRec]) -> None:
    d = by_value(seed4, 1_400_000_000)
    assert d.item == EntityRef("MBT-2000", "weapon_system")
    assert d.item_text == "MBT 2000 Chinese-made tanks"
    assert d.replaces == "T55 Soviet-built tanks"
    assert roles(d, "supplier") == {"China": "CN"}  # "Chinese-made"
    assert roles(d, "buyer") == {"Peru": "PE"}  # "the Peruvian army"
    assert d.status == "unsuccessful"
    assert [e.event_type for e in d.events] == ["never_materialized"]
    assert len(d.spans) == 2  # "But the sale ... never materialized" joins it


def test_seed_004_generic_mentions_make_no_deal(seed4: list[DealRec]) -> None:
    body, *_ = seed_004()
    starts = {s.start for d in seed4 for s in d.spans}
    for text in ("Military officials from Beijing", "“They are applying tactics", "“I’ve been told"):
        assert body.index(text) not in starts


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003"])
def test_panetta_seeds_have_no_deal(prefix: str) -> None:
    body, published, ms, dates = seed_panetta(prefix)
    money_recs = [money(body, "$84 million", "84000000", "military_aid")] if "$84 million" in body else []
    assert extract_deals(body, published, ms, money_recs, dates) == []


# -- non-seed phrasing ------------------------------------------------------------------------------
def test_signed_contract_with_value_quantity_and_supplier() -> None:
    d = only(
        "Brazil signed a $4.5 billion contract with Saab for 36 Gripen fighters.", [("$4.5 billion", "4.5e9")]
    )
    assert d.buyer == EntityRef("Brazil", "country") and d.buyer_country == "BR"
    assert roles(d, "supplier") == {"Saab": "SE"}
    assert d.item == EntityRef("JAS 39 Gripen", "weapon_system") and d.quantity == 36
    assert d.value == Decimal("4.5e9") and d.value_usd == Decimal("4.5e9")
    assert d.status == "active" and d.kind == "contract"


def test_took_delivery_is_complete_with_number_word_quantity() -> None:
    d = only(
        "Colombia took delivery of two C-295 transport aircraft from Airbus in March.",
        dates=[("in March", "2012-03-01", "month")],
    )
    assert (d.buyer_country, d.quantity, d.item_text) == ("CO", 2, "C-295 transport aircraft")
    assert roles(d, "supplier") == {"Airbus": None}
    assert d.status == "complete" and event(d, "delivered").date == D(2012, 3, 1)


def test_tender_with_bids_and_award_across_sentences() -> None:
    body = (
        "Chile’s air force launched a tender for 12 transport aircraft in 2011. "
        "Lockheed Martin, Boeing and Leonardo submitted bids. "
        "Chile awarded the contract to Leonardo in March."
    )
    d = only(body, dates=[("in 2011", "2011-01-01", "year"), ("in March", "2012-03-01", "month")])
    assert d.buyer_country == "CL" and d.quantity == 12
    assert set(roles(d, "bidder")) == {"Lockheed Martin", "Boeing", "Leonardo"}
    assert roles(d, "supplier") == {"Leonardo": None}
    assert event(d, "tendered").date == D(2011, 1, 1)
    assert event(d, "awarded").date == D(2012, 3, 1)
    assert d.status == "awarded" and d.year == 2011


def test_definite_tender_drew_bids_from_list() -> None:
    d = only(
        "The tender, launched in 2011, drew bids from Lockheed Martin, Boeing and Saab.",
        dates=[("in 2011", "2011-01-01", "year")],
    )
    assert set(roles(d, "bidder")) == {"Lockheed Martin", "Boeing", "Saab"}
    assert event(d, "tendered").date == D(2011, 1, 1)
    assert all(e.date is None for e in d.events if e.event_type == "bid")  # the date belongs to "launched"
    assert d.status == "tender"


def test_indirect_object_is_the_buyer_of_a_sale() -> None:
    d = only("Russia sold Venezuela 24 Su-30 fighters in 2006.", dates=[("in 2006", "2006-01-01", "year")])
    assert roles(d, "supplier") == {"Russia": "RU"} and d.buyer_country == "VE"
    assert (d.quantity, d.year, d.status) == (24, 2006, "active")


def test_plans_are_planning_and_a_later_definite_contract_corefers() -> None:
    body = (
        "India plans to buy 126 Rafale jets from Dassault Aviation. "
        "The Indian government and the French company are expected to sign the contract next year."
    )
    d = only(body)
    assert d.status == "planning" and d.events == []
    assert roles(d, "supplier") == {"Dassault Aviation": None} and d.buyer_country == "IN"
    assert len(d.spans) == 2


def test_negated_cue_emits_no_event() -> None:
    d = only("Peru did not sign a $100 million contract with Saab for F-16 jets.", [("$100 million", "1e8")])
    assert not any(e.event_type == "signed" for e in d.events)


def test_named_anaphor_picks_the_deal_it_names() -> None:
    body = (
        "Brazil signed a $4.5 billion contract with Saab for 36 Gripen fighters. "
        "Colombia ordered two C-295 aircraft from Airbus. "
        "Last month the Saab contract was suspended."
    )
    deals = run(body, [("$4.5 billion", "4.5e9")], [("Last month", "2012-04-01", "month")])
    saab = next(d for d in deals if d.buyer_country == "BR")
    airbus = next(d for d in deals if d.buyer_country == "CO")
    assert saab.status == "cancelled" and event(saab, "cancelled").date == D(2012, 4, 1)
    assert airbus.status == "active"


def test_party_countries_from_possessive_demonym_and_descriptor() -> None:
    body = (
        "Peru awarded a $50 million contract to a consortium consisting of Chile’s Leonardo, "
        "the Italian Finmeccanica Group and U.S. defense manufacturer Northrop Grumman."
    )
    d = only(body, [("$50 million", "5e7")])
    assert roles(d, "consortium_member") == {
        "Leonardo": "CL",
        "Finmeccanica Group": "IT",
        "Northrop Grumman": "US",
    }


def test_uncovered_variant_name_resolves_to_known_company() -> None:
    body = (
        "Peru bought radars from Northrop Grumman for $20 million. "
        "Officials said the Northrop Group would deliver the radars in June."
    )
    d = only(body, [("$20 million", "2e7")])
    assert set(roles(d, "supplier")) == {"Northrop Grumman"}


def test_generic_protester_is_replaced_by_named_one() -> None:
    body = (
        "Peru canceled a $114 million contract after a Chinese company convinced officials it was flawed. "
        "CPMIEC applied enough pressure to derail the deal."
    )
    table = [*WORLD, ("Chinese", "China", CTRY, "CN", "demonym"), ("CPMIEC", "CPMIEC", ORG, "CN", "acronym")]
    d = run(body, [("$114 million", "1.14e8")], table=table)[0]
    assert [(p.entity.name, p.named) for p in d.parties if p.role == "protester"] == [("CPMIEC", True)]
    assert event(d, "protested").party == EntityRef("CPMIEC", "organization")


def test_military_aid_and_generic_sales_are_not_deals() -> None:
    assert (
        run(
            "U.S. aid to Peru is estimated to top $84 million this year.",
            [("$84 million", "8.4e7", "military_aid")],
        )
        == []
    )
    assert (
        run("Peru’s aviation and defense market is split between suppliers; arms sales keep growing.") == []
    )


def test_mention_types_from_other_extractors_are_respected() -> None:
    body = "Last month, for example, the Peruvian Defense Ministry canceled a $114 million contract."
    ms = [
        mention(body, "Peruvian Defense Ministry", "Ministry of Defense of Peru", GOV, "PE"),
        mention(body, "Peruvian", "Peru", CTRY, "PE", "demonym"),
    ]
    deals = extract_deals(
        body,
        PUB,
        ms,
        [money(body, "$114 million", "1.14e8")],
        [date(body, "Last month", "2012-04-01", "month")],
    )
    assert deals[0].buyer == EntityRef("Ministry of Defense of Peru", "government_body")
    assert deals[0].buyer_country == "PE"


# -- keys, lexicon, sentence split ----------------------------------------------------------------
def test_deal_key_merges_restatements_and_separates_deals() -> None:
    a = only(
        "Brazil signed a $4.5 billion contract with Saab for 36 Gripen fighters.", [("$4.5 billion", "4.5e9")]
    )
    b = only("Saab won a $4.5 billion deal to supply Brazil with Gripen jets.", [("$4.5 billion", "4.5e9")])
    c = only("Brazil bought 36 Gripen fighters from Saab for $5.4 billion.", [("$5.4 billion", "5.4e9")])
    assert deal_key(a) == deal_key(b) != deal_key(c)


def test_lexicon_rejects_bad_regex_and_unknown_event() -> None:
    raw = deal_lexicon().model_dump()
    bad = {**raw, "cues": [{**raw["cues"][0], "pattern": "(unclosed"}]}
    with pytest.raises(ValidationError):
        DealLexicon.model_validate(bad)
    wrong = {**raw, "cues": [{**raw["cues"][0], "event": "exploded"}]}
    with pytest.raises(ValidationError):
        DealLexicon.model_validate(wrong)


def test_sentences_keep_abbreviations_and_clauses_split_after() -> None:
    body = (
        "The state-owned China Precision Machinery Import Export Corp. (CPMIEC) won. Mr. Mora met Gen. Guo."
    )
    assert len(sentences(body)) == 2
    s = "Peru canceled a contract after a Chinese company protested, according to Defensa.com."
    parts = [s[c.start : c.end] for c in clauses(s, sentences(s)[0])]
    assert parts == ["Peru canceled a contract", "a Chinese company protested", "Defensa.com."]


# -- coreference and precision rules found on unseen wire copy (tests/fixtures/unseen_deals) --------
MORE = [
    *WORLD,
    ("Sweden's", "Sweden", CTRY, "SE", "demonym"),
    ("Netherlands", "Netherlands", CTRY, "NL", "gazetteer"),
    ("Germany's", "Germany", CTRY, "DE", "demonym"),
    ("Spain's", "Spain", CTRY, "ES", "demonym"),
    ("Dutch", "Netherlands", CTRY, "NL", "demonym"),
    ("Bolivia", "Bolivia", CTRY, "BO", "gazetteer"),
    ("China", "China", CTRY, "CN", "gazetteer"),
    ("Navantia", "Navantia", ORG, "ES"),
    ("Government Accountability Office", "Government Accountability Office", GOV, "US"),
    ("U.S. Air Force", "United States Air Force", GOV, "US"),
    ("K-8", "K-8 Karakorum", WPN, "CN"),
    ("Codelco", "Codelco", ORG, "CL"),
]


def test_restated_purchase_and_later_value_join_the_awarded_deal() -> None:
    body = (
        "Brazil awarded a $4.5 billion contract to Sweden's Saab AB on Wednesday. "
        "The Brazilian government will buy 36 Gripen NG fighters. "
        "The first jets are expected to be delivered in 2018. "
        "The deal could be worth more than $6 billion over the life of the program."
    )
    table = [*MORE, ("Saab AB", "Saab", ORG, "SE"), ("Brazilian", "Brazil", CTRY, "BR", "demonym")]
    deals = run(body, [("$4.5 billion", "4.5e9"), ("$6 billion", "6e9")], table=table)
    assert len(deals) == 1, [d.title for d in deals]
    d = deals[0]
    assert (d.item_text, d.quantity, d.value) == ("Gripen NG fighters", 36, Decimal("4.5e9"))
    assert roles(d, "supplier") == {"Saab": "SE"} and d.status == "awarded"
    assert not any(e.event_type == "delivered" for e in d.events)  # "expected to be delivered"


def test_definite_item_phrase_refers_back_to_the_delivered_aircraft() -> None:
    body = (
        "Bolivia took delivery of six K-8 jets from China on Wednesday. "
        "The aircraft, ordered in 2009 under a contract valued at about 50 million euros, arrived in La Paz."
    )
    deals = run(
        body,
        [("50 million euros", "5e7", "contract_value", "EUR")],
        [("on Wednesday", "2011-10-12", "day"), ("in 2009", "2009-01-01", "year")],
        table=MORE,
    )
    assert len(deals) == 1, [d.title for d in deals]
    d = deals[0]
    assert (d.quantity, d.value, d.currency, d.status) == (6, Decimal("5e7"), "EUR", "complete")
    assert event(d, "signed").date == D(2009, 1, 1) and event(d, "delivered").date == D(2011, 10, 12)


def test_headline_verb_is_not_part_of_the_item_and_two_states_make_a_deal() -> None:
    body = "Venezuela signs arms deal with Russia\nVenezuela will buy 92 T-72 tanks with a $2.2 billion loan."
    table = [*MORE, ("T-72", "T-72", WPN, "RU")]
    deals = run(body, [("$2.2 billion", "2.2e9")], table=table)
    assert len(deals) == 1, [d.title for d in deals]
    d = deals[0]
    assert (d.item_text, d.quantity, d.buyer_country) == ("T-72 tanks", 92, "VE")
    assert roles(d, "supplier") == {"Russia": "RU"} and "Russia" not in roles(d, "buyer")


def test_background_deals_stay_apart_by_quantity_and_supplier() -> None:
    body = (
        "Chile will buy 18 used F-16 fighters from the Netherlands for $270 million. "
        "Chile previously bought 18 F-16s from the Netherlands in a 2005 deal worth $185 million, "
        "and it took delivery of 10 new F-16 Block 50 jets from Lockheed Martin in 2006. "
        "The purchase will allow the air force to retire its Mirage 5 jets."
    )
    deals = run(
        body,
        [("$270 million", "2.7e8"), ("$185 million", "1.85e8")],
        [("2005", "2005-01-01", "year"), ("in 2006", "2006-01-01", "year")],
        table=MORE,
    )
    assert len(deals) == 3, [d.title for d in deals]
    new, old, block50 = deals
    assert new.value == Decimal("2.7e8") and new.replaces == "Mirage 5 jets"  # "the purchase": the story
    assert old.value == Decimal("1.85e8") and roles(old, "buyer") == {"Chile": "CL"}
    assert (block50.quantity, block50.buyer_country, block50.status) == (10, "CL", "complete")
    assert roles(block50, "supplier") == {"Lockheed Martin": "US"}


def test_passive_award_and_prepositional_objects_are_not_buyers() -> None:
    body = (
        "Sierra Nevada filed a protest with the Government Accountability Office on Tuesday over the "
        "U.S. Air Force's decision to award a $355 million contract for 20 attack aircraft to Boeing. "
        "The contract, for aircraft to be flown by the Colombian air force, was awarded to Boeing on Dec. 30."
    )
    table = [*MORE, ("Colombian", "Colombia", CTRY, "CO", "demonym")]
    deals = run(
        body,
        [("$355 million", "3.55e8")],
        [("on Tuesday", "2012-01-03", "day"), ("on Dec. 30", "2011-12-30", "day")],
        table=table,
    )
    d = deals[0]
    assert roles(d, "buyer") == {"United States Air Force": "US"}
    assert event(d, "awarded").date == D(2011, 12, 30) and event(d, "protested").date == D(2012, 1, 3)


def test_unknown_companies_named_after_a_country_are_bidders() -> None:
    body = "The tender drew bids from Spain's Navantia, the Dutch shipbuilder Damen and Germany's Fassmer."
    d = only_with(body, MORE)
    assert set(roles(d, "bidder")) == {"Navantia", "Damen", "Fassmer"}
    assert roles(d, "bidder")["Fassmer"] == "DE" and "Germany" not in roles(d, "bidder")


def only_with(body: str, table: list[tuple]) -> DealRec:
    deals = run(body, table=table)
    assert len(deals) == 1, [d.title for d in deals]
    return deals[0]


def test_attribution_date_gives_way_to_the_stated_signing_date() -> None:
    body = (
        "Saab said Wednesday it has signed a $208 million deal to sell 20 Gripen jets to Peru. "
        "The contract was signed in Lima on Tuesday."
    )
    deals = run(
        body,
        [("$208 million", "2.08e8")],
        [("Wednesday", "2012-11-07", "day"), ("on Tuesday", "2012-11-06", "day")],
    )
    assert event(deals[0], "signed").date == D(2012, 11, 6)


def test_non_deal_sentences_make_no_deal() -> None:
    for body in (
        "Trade between China and Peru is at a new high.",
        "Saab shares rose 8 percent in Stockholm trading on Thursday.",
        "Chile's military spending is funded by 10 percent of Codelco's exports to the armed forces.",
        "India has been trying to boost its defense exports to Latin America.",
        "Britain's embargo has complicated previous attempts to buy jets.",
        "Saab has sold more than 200 Gripen jets worldwide.",
    ):
        assert run(body, table=MORE) == [], body


# -- rules generalized from the unseen_articles / unseen_money review --------------------------------
CROSS = [
    *MORE,
    ("Mexico", "Mexico", CTRY, "MX", "gazetteer"),
    ("Ecuador", "Ecuador", CTRY, "EC", "gazetteer"),
    ("France", "France", CTRY, "FR", "gazetteer"),
    ("Israel's", "Israel", CTRY, "IL", "demonym"),
    ("Israeli", "Israel", CTRY, "IL", "demonym"),
    ("Russian", "Russia", CTRY, "RU", "demonym"),
    ("Turkey", "Turkey", CTRY, "TR", "gazetteer"),
    ("Indonesia", "Indonesia", CTRY, "ID", "gazetteer"),
    ("Elbit Systems", "Elbit Systems", ORG, "IL"),
    ("Embraer", "Embraer", ORG, "BR"),
    ("Defense Security Cooperation Agency", "Defense Security Cooperation Agency", GOV, "US"),
    ("Scorpene", "Scorpène", WPN, "FR"),
    ("UH-60M", "UH-60 Black Hawk", WPN, "US"),
    ("A-29 Super Tucano", "A-29 Super Tucano", WPN, "BR"),
    ("Mirage 50", "Mirage 50", WPN, "FR"),
    ("Mi-171Sh", "Mi-171Sh", WPN, "RU"),
    ("Hermes 450", "Hermes 450", WPN, "IL"),
    ("KT-1", "KT-1", WPN, "KR"),
]


def test_an_aggregate_since_a_year_is_no_deal_value_and_dates_nothing() -> None:
    body = "Venezuela has bought more than $4 billion in Russian arms since 2005, including 24 Su-30 fighters."
    d = only_with_values(body, [("$4 billion", "4e9", "sale_value")], [("2005", "2005-01-01", "year")])
    assert d.value is None and d.year is None
    assert (d.buyer_country, d.quantity, roles(d, "supplier")) == ("VE", 24, {"Russia": "RU"})


def test_a_share_of_a_larger_package_is_no_deal_value() -> None:
    body = (
        "Colombia will spend $50 million on Hermes 450 unmanned aerial vehicles made by Israel's Elbit Systems. "
        "The purchase is part of a $1.2 billion package approved by the president."
    )
    d = only_with_values(body, [("$50 million", "5e7", "purchase_value"), ("$1.2 billion", "1.2e9", "budget")])
    assert d.value == Decimal(50_000_000) and d.buyer_country == "CO" and d.status == "planning"
    assert "Elbit Systems" in roles(d, "supplier")


def test_spending_on_no_named_item_and_the_verb_deal_make_no_deal() -> None:
    for body in (
        "Washington has spent some $8 billion on Plan Colombia since 2000.",
        "The White House requested $3.7 billion in emergency funding to deal with the border crisis.",
        "Under the new system, purchases will be financed through a fund that will hold up to $2.5 billion.",
    ):
        assert run(body, table=CROSS) == [], body


def test_the_state_that_buys_in_a_later_clause_is_the_buyer_not_its_cosigner() -> None:
    body = "France and Brazil sealed a partnership under which Brazil will buy four Scorpene submarines."
    d = only_with(body, CROSS)
    assert roles(d, "buyer") == {"Brazil": "BR"} and "France" in roles(d, "supplier")


def test_cosigners_are_sorted_by_the_origin_of_the_weapon() -> None:
    d = only_with("Peru and Russia signed a deal for 24 Mi-171Sh helicopters.", CROSS)
    assert (roles(d, "buyer"), roles(d, "supplier")) == ({"Peru": "PE"}, {"Russia": "RU"})


def test_a_foreign_military_sale_is_sold_by_the_united_states_not_the_notifying_agency() -> None:
    body = (
        "The U.S. Defense Security Cooperation Agency has notified Congress of a possible Foreign Military "
        "Sale to Mexico of 18 UH-60M helicopters. The principal contractor will be Sikorsky Aircraft Corp."
    )
    d = only_with(body, CROSS)
    assert d.buyer_country == "MX" and d.quantity == 18
    assert set(roles(d, "supplier")) == {"United States", "Sikorsky Aircraft Corp."}


def test_a_participle_after_its_item_is_passive() -> None:
    body = "Mexico operates 30 helicopters, including six UH-60M delivered under the Merida Initiative."
    d = only_with(body, CROSS)
    assert roles(d, "supplier") == {} and d.buyer_country == "MX"


def test_coordinated_and_gapped_clauses_are_deals_of_their_own() -> None:
    body = (
        "Ecuador is also acquiring 12 A-29 Super Tucano aircraft from Brazil and has received Mirage 50 "
        "fighters from Venezuela. From China, Caracas has ordered 18 K-8 jets, and from Spain's Navantia, "
        "eight patrol vessels."
    )
    deals = {d.item_text: d for d in run(body, table=CROSS)}
    tucano, mirage = deals["A-29 Super Tucano aircraft"], deals["Mirage 50 fighters"]
    assert roles(tucano, "supplier") == {"Brazil": "BR"} and tucano.quantity == 12
    assert roles(mirage, "supplier") == {"Venezuela": "VE"} and mirage.buyer_country == "EC"
    k8, vessels = deals["K-8 jets"], deals["patrol vessels"]
    assert roles(k8, "supplier") == {"China": "CN"} and k8.buyer_country == "VE"
    assert roles(vessels, "supplier") == {"Navantia": "ES"} and vessels.quantity == 8


def test_agreed_to_buy_is_a_signed_deal_dated_by_its_year() -> None:
    body = "Venezuela agreed in 2010 to buy 18 Chinese K-8 trainer jets worth about $82 million."
    d = only_with_values(body, [("$82 million", "8.2e7", "sale_value")], [("2010", "2010-01-01", "year")])
    assert (d.status, d.year, d.quantity) == ("active", 2010, 18)


def test_a_date_of_another_clause_does_not_date_the_first_event() -> None:
    body = (
        "HAL has delivered the first two of seven Dhruv helicopters ordered by the Ecuadorian Air Force "
        "(Fuerza Aerea Ecuatoriana: FAE) under a $50.7 million contract signed in 2008."
    )
    table = [*CROSS, ("Dhruv", "HAL Dhruv", WPN, "IN"), ("Ecuadorian Air Force", "Ecuadorian Air Force", GOV, "EC")]
    deals = run(body, [("$50.7 million", "5.07e7")], [("2008", "2008-01-01", "year")], table=table)
    assert len(deals) == 1
    assert event(deals[0], "delivered").date is None and event(deals[0], "signed").date == D(2008, 1, 1)
    assert deals[0].buyer_country == "EC" and deals[0].value == Decimal(50_700_000)


def test_an_export_to_several_states_is_one_deal_per_buyer() -> None:
    deals = run("The KT-1 has already been exported to Indonesia and Turkey.", table=CROSS)
    assert sorted(d.buyer_country for d in deals) == ["ID", "TR"]


def test_talks_on_a_contract_for_a_states_fleet() -> None:
    body = "Spain's Navantia is in talks on a contract to modernize Peru's fleet of frigates valued at $1.2 billion."
    d = only_with_values(body, [("$1.2 billion", "1.2e9")])
    assert (d.buyer_country, d.status) == ("PE", "planning") and roles(d, "supplier") == {"Navantia": "ES"}


def only_with_values(body: str, values: list[tuple], dates: tuple = ()) -> DealRec:
    deals = run(body, tuple(values), dates, table=CROSS)
    assert len(deals) == 1, [d.title for d in deals]
    return deals[0]
