"""Deal frames on whole sentences through the real stages (gazetteer mentions, money, dates): one test per
shape of issue 9 (buyer, suppliers, item and quantity, value, status and events, one record per deal,
what is not a deal), each with sentences written for the test and a near miss where one applies."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cache
from pathlib import Path

from etl.records import DealRec
from etl.transform.dates import find_dates
from etl.transform.deals import extract_deals
from etl.transform.entities import extract_mentions
from etl.transform.extraction import Extractor
from etl.transform.money import find_money

REFERENCE_DIR = Path(__file__).resolve().parents[2] / "data" / "reference"
PUB = dt.date(2015, 6, 1)


@cache
def _extractor() -> Extractor:
    return Extractor.from_reference(REFERENCE_DIR)


def deals(body: str) -> list[DealRec]:
    mentions = extract_mentions(body, _extractor().gazetteer)
    return extract_deals(body, PUB, mentions, find_money(body, PUB), find_dates(body, PUB))


def one(body: str) -> DealRec:
    found = deals(body)
    assert len(found) == 1, [d.title for d in found]
    return found[0]


def roles(d: DealRec, role: str) -> set[str]:
    return {p.entity.name for p in d.parties if p.role == role}


def test_buyer_of_goods_named_by_their_makers_state() -> None:
    """A state that bought another state's arms buys; the other state supplies."""
    d = one("Peru has bought $900 million of Chinese arms, including 40 tanks.")
    assert d.buyer_country == "PE"
    assert roles(d, "supplier") == {"China"}


def test_buyer_of_will_buy_from_for() -> None:
    d = one("Bolivia will buy 14 helicopters from China for $200 million.")
    assert (d.buyer_country, d.quantity, d.value) == ("BO", 14, Decimal(200_000_000))
    assert roles(d, "supplier") == {"China"}
    assert d.status == "planning"


def test_sale_notice_buyer_is_the_recipient() -> None:
    d = one("The State Department approved a possible sale of eight Patriot batteries to Romania.")
    assert (d.buyer_country, d.quantity, d.status) == ("RO", 8, "planning")
    assert roles(d, "supplier") == {"United States"}
    # a sale approved for a price is still only a notice
    assert one("Washington approved a $4 billion sale of Patriot missiles to Romania.").status == "planning"


def test_deal_with_a_company_to_buy_makes_the_subject_of_buy_the_buyer() -> None:
    d = one("Brazil signed a deal with Saab to buy 36 Gripen jets.")
    assert d.buyer_country == "BR" and roles(d, "supplier") == {"Saab"}
    d = one("Serbia signed a deal with Russia to buy six Mi-17 helicopters.")
    assert d.buyer_country == "RS" and roles(d, "supplier") == {"Russia"}
    d = one("Saab signed a deal with Brazil under which Brazil will buy 36 Gripen jets.")
    assert d.buyer_country == "BR" and roles(d, "supplier") == {"Saab"}


def test_consortium_members_stay_under_the_consortium() -> None:
    d = one(
        "Kenya's navy awarded a contract for 30 patrol boats to a consortium of Alpha Motors, "
        "Beta Systems and Gamma Industries."
    )
    assert d.buyer_country == "KE" and d.status == "awarded"
    assert roles(d, "consortium_member") == {"Alpha Motors", "Beta Systems", "Gamma Industries"}
    assert not any(p.entity.entity_type == "country" for p in d.parties if p.role != "buyer")


def test_buyer_of_the_sentence_before_carries_over() -> None:
    d = one(
        "Colombia is negotiating a deal for new frigates. "
        "The $2 billion contract was signed with Navantia in May 2019."
    )
    assert d.buyer_country == "CO" and d.status == "active"
    assert d.value == Decimal(2_000_000_000) and roles(d, "supplier") == {"Navantia"}
    # near miss: a sentence about another buyer's deal does not lend its buyer to a later bare contract
    # of a state-named supplier
    two = deals("Colombia is negotiating a deal for new frigates. Spain sold six trainers to Chile.")
    assert {d.buyer_country for d in two} == {"CO", "CL"}


def test_value_in_another_clause_attaches() -> None:
    d = one("The rifles, worth $12 million, were ordered by the Kenyan army in March.")
    assert (d.buyer_country, d.value, d.status) == ("KE", Decimal(12_000_000), "active")
    d = one("Peru signed a contract to buy 12 KT-1 trainers from South Korea. "
            "The contract, which is worth $210 million, also covers spares.")
    assert d.value == Decimal(210_000_000)


def test_adjective_buyer() -> None:
    d = one("The Indian navy ordered 26 Rafale jets.")
    assert d.buyer_country == "IN" and d.quantity == 26


def test_quantities_ranges_and_dozens() -> None:
    assert one("Poland will buy up to 60 attack helicopters.").quantity == 60
    d = one("Chile plans to buy six to eight patrol boats.")
    assert (d.quantity, d.quantity_max) == (6, 8)
    assert one("Norway plans to buy three dozen fighter jets from Lockheed Martin.").quantity == 36
    assert one("Poland will buy 40 Gripen jets.").quantity_max is None


def test_stated_usd_conversion_is_the_usd_value() -> None:
    d = one("Seoul signed a contract for 40 F-35 jets worth 7.34 trillion won ($6.79 billion).")
    assert (d.value, d.currency) == (Decimal("7340000000000"), "KRW")
    assert d.value_usd == Decimal("6790000000")
    d = one("Finland's Patria signed a €1.4 billion (A$2.2 billion, $1.52 billion) contract to supply "
            "Australia with 90 AMV vehicles.")
    assert d.value_usd == Decimal("1520000000") and d.buyer_country == "AU"


def test_total_of_several_contracts_is_no_deals_value() -> None:
    found = deals("The government signed three contracts worth $900 million in all for frigates, radars and missiles.")
    assert not any(d.value == Decimal(900_000_000) for d in found)


def test_cancelled_earlier_tender_is_not_the_status_of_the_new_contract() -> None:
    found = deals(
        "In 2019 Chile cancelled its tender for light helicopters. "
        "In 2021 Chile signed a contract with Airbus for eight H145 helicopters."
    )
    by_status = {d.status: d for d in found}
    assert set(by_status) == {"cancelled", "active"}
    assert by_status["active"].quantity == 8 and roles(by_status["active"], "supplier") == {"Airbus"}
    assert [e.date.year for e in by_status["cancelled"].events if e.date] == [2019]
    # near miss: cancelling the contract told before is that contract's status
    d = one(
        "In 2019 Chile signed a contract with Airbus for eight H145 helicopters. In 2021 Chile cancelled the contract."
    )
    assert d.status == "cancelled"


def test_each_event_cites_its_own_clause() -> None:
    body = (
        "Peru awarded a $114 million contract for radars to Acme Systems in February 2012. "
        "Last month Peru cancelled the contract."
    )
    d = one(body)
    spans = {e.event_type: body[e.span.start : e.span.end] for e in d.events}
    assert "awarded" in spans["awarded"] and "cancelled" not in spans["awarded"]
    assert "cancelled" in spans["cancelled"] and "awarded" not in spans["cancelled"]


def test_one_deal_one_record_and_distinct_deals_apart() -> None:
    d = one("Peru signed a $50 million contract with Damen for 12 patrol boats. The boats will be delivered in 2022.")
    assert d.quantity == 12
    found = deals("Qatar signed a letter of intent to buy 24 Typhoon jets. Egypt bought 12 Rafale jets from Dassault.")
    assert {d.buyer_country for d in found} == {"QA", "EG"}


def test_letter_of_intent_is_a_plan() -> None:
    assert one("Qatar signed a letter of intent to buy 24 Typhoon jets.").status == "planning"


def test_headline_infinitive_is_a_plan() -> None:
    assert one("Poland to sign deal to buy Patriot missiles from Raytheon").status == "planning"
    assert one("Poland signed a deal to buy Patriot missiles from Raytheon.").status == "active"


def test_payment_concludes_a_purchase() -> None:
    d = one("Jordan has made its initial payment on a $2 billion program to buy 14 F-16 jets.")
    assert (d.buyer_country, d.status, d.quantity) == ("JO", "active", 14)


def test_not_deals() -> None:
    for body in (
        "The United States donated six patrol boats to Ghana.",  # aid
        "The defence budget includes $2 billion for new equipment.",  # budget
        "Washington signed a deal with Manila on access to four military bases.",  # not an arms deal
        "Peru may ultimately buy 20 more tanks.",  # a possibility
        "The accord will allow Israel to buy more F-35 jets.",  # a possibility
    ):
        assert deals(body) == [], body
    # near miss: a plan stated as such is a deal
    assert one("Peru will buy 20 more tanks from Russia.").status == "planning"


def test_leases_licensed_production_and_requests_for_proposals() -> None:
    d = one("Russia leased a nuclear submarine to India for $900 million in 2012.")
    assert (d.buyer_country, d.kind, d.status, d.year) == ("IN", "lease", "active", 2012)
    assert roles(d, "supplier") == {"Russia"}
    d = one("India leased two Akula submarines from Russia.")
    assert (d.buyer_country, d.quantity, d.status) == ("IN", 2, "active")
    d = one("India will manufacture 200 Ka-226T helicopters locally under licence from Russia.")
    assert (d.buyer_country, d.kind, d.status) == ("IN", "licence", "planning")
    d = one("Colombia issued a request for proposals for 20 fighter jets in March.")
    assert (d.buyer_country, d.status, d.quantity) == ("CO", "tender", 20)
    assert deals("The company leased office space in Paris.") == []


def test_two_deals_with_their_own_values_in_one_sentence() -> None:
    found = deals("Qatar signed a $6 billion deal for 24 Typhoon jets and a $12 billion deal for 36 F-15 jets.")
    assert sorted((d.quantity, d.value, d.buyer_country, d.status) for d in found) == [
        (24, Decimal(6_000_000_000), "QA", "active"),
        (36, Decimal(12_000_000_000), "QA", "active"),
    ]
    # near miss: one deal whose components are listed with "and" stays one
    assert len(deals("Qatar signed a $6 billion deal for 24 Typhoon jets and their missiles.")) == 1


def test_offset_agreement_is_a_deal_of_its_own() -> None:
    found = deals(
        "Romania will sign a deal on Friday to buy Patriot missiles from Raytheon. "
        "Last week Romania signed an accompanying offset deal worth 400 million lei ($90 million) with Raytheon."
    )
    by_kind = {d.kind: d for d in found}
    assert by_kind["offset"].status == "active" and by_kind["offset"].value_usd == Decimal(90_000_000)
    main = next(d for d in found if d.kind != "offset")
    assert main.status == "planning" and main.value is None


def test_cosigning_states_the_seller_is_the_one_that_exports() -> None:
    d = one("Turkey signed an MoU with Bangladesh for exports of armored vehicles worth $1 billion.")
    assert (d.buyer_country, d.status) == ("BD", "planning") and roles(d, "supplier") == {"Turkey"}
    d = one("Venezuela signed an arms deal with Russia for 92 tanks.")
    assert d.buyer_country == "VE" and roles(d, "supplier") == {"Russia"}
    # an order given to someone is no purchase
    assert deals("The minister ordered his ministry to inspect tank stockpiles.") == []


def test_cue_stems_cover_every_match() -> None:
    """A cue's stems are a pre-check that skips its regex on articles without them: every match of the
    cue on the fixture articles and on sentences of every shape above must contain one of its stems."""
    import re

    from etl.reference.lexicons import deal_lexicon

    texts = [p.read_text(encoding="utf-8") for p in (REFERENCE_DIR.parents[1] / "tests" / "fixtures").rglob("*.txt")]
    texts.append(Path(__file__).read_text(encoding="utf-8"))
    for cue in deal_lexicon().cues:
        if not cue.stems:
            continue
        rx = re.compile(cue.pattern, re.IGNORECASE)
        for text in texts:
            for m in rx.finditer(text):
                assert any(s in m.group(0).lower() for s in cue.stems), (cue.name, m.group(0))


def test_a_country_is_no_supplier_beside_its_own_named_company() -> None:
    """Issue 9: a country supplies only when no company of it is named; with no company it stays."""
    d = one("Ecuador bought $40 million of Chinese arms from China North Industries Corp. and Poly Technologies.")
    suppliers = roles(d, "supplier")
    assert "China" not in suppliers and len(suppliers) == 2 and "Poly Technologies" in suppliers
    assert roles(one("Peru will buy 10 helicopters from Russia for $80 million."), "supplier") == {"Russia"}


def test_a_signing_still_to_come_is_a_plan() -> None:
    """"will sign" / "is to be signed" states a plan; the near miss "signed" concludes the contract."""
    assert one("Hungary will sign a contract on Friday to buy 24 Gripen fighters from Saab.").status == "planning"
    assert one("Hungary signed a contract on Friday to buy 24 Gripen fighters from Saab.").status == "active"


def test_a_deal_with_no_stage_word_is_never_unknown() -> None:
    """A purchase told with no stage word is a plan; told in the past it was concluded."""
    assert one("The Kenyan purchase of 12 Puma helicopters from Airbus is worth $150 million.").status in (
        "planning", "active",
    )


def test_buyer_named_by_reference_to_the_latter() -> None:
    """"... alongside Y, his counterpart in Z, for the latter's purchase": Z buys, the signer's state sells."""
    d = one(
        "On 3 May the US defence secretary signed papers alongside Ali Khan, his counterpart in Oman, "
        "for the latter's possible purchase of Boeing F-15 fighters."
    )
    assert d.buyer_country == "OM"
    assert roles(d, "supplier") == {"Boeing"}  # the signer's state is Boeing's country, not a second supplier


def test_buyer_named_by_reference_to_the_former() -> None:
    d = one("Peru's defence minister met his counterpart from Spain for the former's purchase of 12 Leopard tanks.")
    assert d.buyer_country == "PE"


def test_no_referent_keeps_the_signers_state() -> None:
    """Near miss: with no "the latter's", the subject of the purchase stays the buyer."""
    d = one("Oman signed papers with Boeing for the purchase of 12 F-15 fighters.")
    assert d.buyer_country == "OM"


def test_demonym_before_a_purchase_noun_buys() -> None:
    """"Kenyan helicopter buy": the demonym of a purchase phrase is its buyer, and the notice merges."""
    d = one(
        "Kenyan Black Hawk buy wins approval\n\n"
        "The State Department approved a possible sale of 12 UH-60M Black Hawk helicopters to Kenya."
    )
    assert d.buyer_country == "KE"
    assert roles(d, "supplier") == {"United States"}


def test_demonym_before_the_item_still_names_the_maker() -> None:
    """Near miss: "Israeli Kfir fighters" bought by another state: Israel supplies."""
    d = one("Peru has bought 40 Israeli Kfir fighters.")
    assert d.buyer_country == "PE"
    assert roles(d, "supplier") == {"Israel"}


def test_offset_deal_naming_the_purchased_items_stays_apart() -> None:
    """An offset deal "with the Chinook makers" is its own deal, not the purchase it accompanies."""
    found = deals(
        "Spain says it will sign a deal on Friday to buy Chinook transport helicopters.\n\n"
        "Last month, Spain signed an accompanying offset deal worth 400 million euros with the "
        "Chinook helicopter makers Boeing and Leonardo."
    )
    assert len(found) == 2, [d.title for d in found]
    offset = next(d for d in found if d.kind == "offset")
    purchase = next(d for d in found if d.kind != "offset")
    assert offset.value == Decimal(400_000_000) and purchase.value is None
    assert roles(offset, "supplier") == {"Boeing", "Leonardo"}


def test_definite_items_without_side_word_join_the_purchase() -> None:
    """Near miss: "a contract worth ... for the Chinook helicopters" is the purchase told before."""
    d = one(
        "Spain says it will buy Chinook transport helicopters.\n\n"
        "Last month, Spain signed a contract worth 400 million euros for the Chinook helicopters."
    )
    assert d.value == Decimal(400_000_000)


def test_legislature_spending_on_items_is_a_planned_purchase() -> None:
    """"Romanian lawmakers agreed to spend X (Y dollars) for 50 tanks": Romania plans to buy, at that value."""
    d = one(
        "Romanian lawmakers agreed in May to spend 2.5 billion lei (0.6 billion dollars) for at least 50 new tanks."
    )
    assert (d.buyer_country, d.status) == ("RO", "planning")
    assert d.value == Decimal(2_500_000_000)


def test_not_enough_to_buy_is_no_deal() -> None:
    """Near miss: a sum "not enough to buy F-18s" is a measure of money, not a purchase."""
    assert deals("Experts said the sum of 900 million lei would not be enough to buy F-18 fighters.") == []


def test_spending_on_no_item_is_no_deal() -> None:
    assert deals("Romanian lawmakers agreed in May to spend 2.5 billion lei on the pay of soldiers.") == []


LISTED = (
    "Navantia on Monday signed a contract with Peru to build three 2,000-ton corvettes.\n\n"
    "The new deal follows Navantia's earlier contracts with Peru, which include 8 vessels comprising "
    "1,500-ton Rio-class corvettes, 3,000-ton Lima-class frigates and four 1,200-ton patrol boats.\n\n"
    "Navantia said the new corvettes follow the design of the Lima-class frigates delivered this year."
)


def test_list_of_earlier_contracts_is_one_deal_per_item() -> None:
    """"X's earlier contracts with Y include A, B and C": three signed deals of Y from X, the umbrella
    ("8 vessels comprising") none; a participle after named items tells of their deal."""
    found = {d.item_text: d for d in deals(LISTED)}
    assert set(found) == {"2,000-ton corvettes", "Rio-class corvettes", "Lima-class frigates", "1,200-ton patrol boats"}
    for d in found.values():
        assert d.buyer_country == "PE" and roles(d, "supplier") == {"Navantia"}
    assert found["Lima-class frigates"].status == "complete"
    assert found["2,000-ton corvettes"].status == "active"
    assert found["1,200-ton patrol boats"].quantity == 4


def test_purchases_told_as_a_total_are_no_list_of_earlier_deals() -> None:
    """Near miss: "the purchases include A, B and C" after a total tells no earlier contracts."""
    found = deals(
        "Peru has spent $2 billion on arms since 2005. The purchases include 12 Rio-class corvettes, "
        "3 Lima-class frigates and four patrol boats."
    )
    assert not any(d.status == "active" and d.item_text == "Lima-class frigates" for d in found)


def test_a_means_gerund_is_no_deal() -> None:
    """"We will keep helping the navy by delivering modern frigates": a means, not a deal."""
    assert deals("Navantia said it will keep supporting Peru's navy by delivering modern 2,000-ton frigates.") == []


def test_a_plain_gerund_delivery_stays_a_deal() -> None:
    """Near miss: "is delivering frigates to Peru" is a delivery."""
    d = one("Navantia is delivering four 2,000-ton frigates to Peru.")
    assert d.buyer_country == "PE"


def test_relative_clause_of_the_seller_gives_the_value() -> None:
    """"... from Boeing, which beat two rivals to land a contract worth X": the seller's award is this deal."""
    d = one(
        "Denmark has announced a proposal to buy 36 fighter jets from Boeing, which beat two rivals "
        "to land a contract worth 9.5 billion Danish kroner."
    )
    assert (d.buyer_country, d.value, d.status) == ("DK", Decimal(9_500_000_000), "awarded")
    assert roles(d, "supplier") == {"Boeing"}


def test_another_sellers_contract_is_not_merged() -> None:
    """Near miss: a contract won by another firm is not the purchase from Boeing."""
    found = deals(
        "Denmark will buy 36 fighter jets from Boeing. Airbus won a contract worth 2 billion Danish kroner."
    )
    boeing = next(d for d in found if "Boeing" in roles(d, "supplier"))
    assert boeing.value is None


def test_contract_value_and_total_cost_of_the_same_purchase_are_one_deal() -> None:
    """A contract for 150 vehicles and the total cost "to acquire the 150 vehicles" are one record with
    the contract's value; an announcement of that cost with a restatement in euros joins it too."""
    d = one(
        "Rheinmetall signed a €1.2 billion contract to supply Norway with 150 Boxer armored vehicles.\n\n"
        "In March the government announced the NOK 20 billion (€1.8 billion) acquisition.\n\n"
        "The government will spend NOK 20 billion to acquire the 150 vehicles, the minister said."
    )
    assert (d.buyer_country, d.value, d.currency, d.quantity) == ("NO", Decimal(1_200_000_000), "EUR", 150)


def test_purchases_of_different_counts_with_different_values_stay_apart() -> None:
    """Near miss: 150 vehicles for €1.2 billion and 40 vehicles for €300 million are two deals."""
    found = deals(
        "Rheinmetall signed a €1.2 billion contract to supply Norway with 150 Boxer armored vehicles.\n\n"
        "Norway will also spend €300 million to acquire 40 Boxer vehicles."
    )
    assert len(found) == 2, [d.title for d in found]


def test_same_count_bought_again_for_another_value_stays_apart() -> None:
    """Near miss: "12 F-16s for $200 million" and an earlier "12 F-16s ... worth $150 million" (no
    definite "the 12 F-16s") are two purchases."""
    found = deals(
        "Peru will buy 12 used F-16 jets from Belgium for $200 million.\n\n"
        "In 2010 Peru bought 12 F-16 jets from Belgium in a deal worth $150 million."
    )
    assert len(found) == 2, [d.title for d in found]


def test_deliveries_told_in_the_past_perfect_belong_to_the_cancelled_contract() -> None:
    """"Peru has terminated a contract with Airbus for H145 helicopters. Airbus had delivered four in
    2012": one cancelled deal, not a cancelled one and a delivered one."""
    d = one(
        "Peru has terminated a contract with Airbus for eight H145 helicopters.\n\n"
        "Following an order from the Peruvian Air Force for eight H145s, Airbus had delivered four in 2012."
    )
    assert (d.buyer_country, d.status) == ("PE", "cancelled")


def test_a_new_contract_after_a_cancelled_tender_stays_apart() -> None:
    """Near miss: a contract signed after the tender was cancelled is another deal."""
    found = deals(
        "In 2019 Peru cancelled its tender for eight H145 helicopters.\n\n"
        "In 2021 Peru signed a contract with Airbus for eight H145 helicopters."
    )
    assert len(found) == 2, [d.title for d in found]


def test_items_now_in_service_were_delivered() -> None:
    """"sold 12 jets to Peru, with these now flying from ...": a delivered sale."""
    d = one("Belgium sold 12 used F-16 jets to Peru in 2012, with these now flying from Lima air base.")
    assert (d.buyer_country, d.status) == ("PE", "complete")


def test_a_sale_without_in_service_stays_signed() -> None:
    """Near miss: a sale told alone is signed, not delivered."""
    assert one("Belgium sold 12 used F-16 jets to Peru in 2012.").status == "active"


def test_a_model_and_its_variant_are_the_same_items() -> None:
    """"12 more F-16s" and "a batch of F-16AM fighters" for one buyer are one deal; "F-1" is no "F-16"."""
    d = one(
        "Belgium agrees to sell 12 more F-16s to Peru\n\n"
        "Officials in Brussels say Belgium intends to sell Peru another lot of used Lockheed Martin F-16AM jets."
    )
    assert d.quantity == 12 and d.buyer_country == "PE"
    found = deals("Peru will buy 12 Mirage F-1 jets from France. Peru will also buy 6 F-16 jets from Belgium.")
    assert len(found) == 2, [x.title for x in found]


def test_a_letter_of_intent_signed_in_the_passive_is_a_plan() -> None:
    """"A letter of intent was signed with X to supply 24 jets": no contract yet."""
    assert one("A letter of intent was signed with BAE Systems to supply 24 Typhoon jets to Oman.").status == "planning"


def test_a_contract_signed_in_the_passive_is_signed() -> None:
    """Near miss: "A contract was signed" is a contract."""
    assert one("A contract was signed with BAE Systems to supply 24 Typhoon jets to Oman.").status == "active"
