"""Entity matching, discovery and resolution on seed-article sentences and unseen sentences."""

from __future__ import annotations

import itertools

import pytest
from seed_text import ARTICLES, article

from etl.records import EntityRef, MentionRec
from etl.reference.gazetteer import Gazetteer
from etl.transform.entities import extract_mentions
from etl.transform.resolution import (
    NameObservation,
    observations_from,
    person_score,
    resolve_variants,
    split_person,
)


@pytest.fixture(scope="module")
def countries_only(gaz: Gazetteer) -> Gazetteer:
    """A gazetteer that knows countries only: everything else must be discovered."""
    return Gazetteer(entities=[e for e in gaz.entities if e.type == "country"])


def by_surface(mentions: list[MentionRec], surface: str) -> list[MentionRec]:
    return [m for m in mentions if m.surface == surface]


def entity_of(mentions: list[MentionRec], surface: str) -> EntityRef:
    found = {m.entity for m in by_surface(mentions, surface)}
    assert len(found) == 1, (surface, found)
    return found.pop()


PANETTA = EntityRef("Leon Panetta", "person")


# ---------------------------------------------------------------- invariants on every seed
@pytest.mark.parametrize("prefix", sorted(ARTICLES))
def test_mentions_are_sorted_exact_and_disjoint(prefix: str, gaz: Gazetteer) -> None:
    body = article(prefix)
    mentions = extract_mentions(body, gaz)
    assert mentions
    for m in mentions:
        assert body[m.span.start : m.span.end] == m.surface
    for a, b in itertools.pairwise(mentions):
        assert a.span.end <= b.span.start


# ---------------------------------------------------------------- seed 000: fuzzy person and surnames
def test_leo_panetta_resolves_fuzzily_and_surnames_follow(gaz: Gazetteer) -> None:
    ms = extract_mentions(article("000"), gaz)
    (leo,) = by_surface(ms, "Leo Panetta")
    assert (leo.entity, leo.method, leo.origin, leo.country_code) == (PANETTA, "fuzzy", "curated", "US")
    surnames = by_surface(ms, "Panetta")
    assert len(surnames) == 3 and all(m.entity == PANETTA and m.method == "surname" for m in surnames)
    assert entity_of(ms, "Humala") == EntityRef("Ollanta Humala", "person")
    assert entity_of(ms, "Cateriano") == EntityRef("Pedro Cateriano", "person")


def test_demonyms_link_to_countries(gaz: Gazetteer) -> None:
    ms = extract_mentions(article("000"), gaz)
    peruvian = by_surface(ms, "Peruvian")
    assert peruvian and all(
        m.entity == EntityRef("Peru", "country") and m.method == "demonym" for m in peruvian
    )
    assert all(m.country_code == "PE" for m in peruvian)
    (poss,) = by_surface(ms, "Peru's")  # "a larger share of Peru's aviation ... market"
    assert poss.method == "demonym"
    assert entity_of(ms, "Shining Path") == EntityRef("Shining Path", "armed_group")


# ---------------------------------------------------------------- seed 004: companies, acronyms, titles
def test_chinese_companies_and_their_acronyms(gaz: Gazetteer) -> None:
    ms = extract_mentions(article("004"), gaz)
    cpmiec = EntityRef("China Precision Machinery Import-Export Corp.", "organization")
    assert entity_of(ms, "China Precision Machinery Import Export Corp.") == cpmiec
    assert len(by_surface(ms, "CPMIEC")) == 4 and entity_of(ms, "CPMIEC") == cpmiec
    assert entity_of(ms, "Norinco") == entity_of(ms, "China North Industries Corp.")
    assert entity_of(ms, "Norinco") == EntityRef("China North Industries Corp.", "organization")
    assert entity_of(ms, "Northrop Group") == EntityRef("Northrop Grumman", "organization")
    assert by_surface(ms, "Northrop Group")[0].method == "fuzzy"


def test_possessive_country_and_titles_in_004(gaz: Gazetteer) -> None:
    ms = extract_mentions(article("004"), gaz)
    (israel,) = by_surface(ms, "Israel’s")
    assert (israel.entity.name, israel.method) == ("Israel", "demonym")
    assert entity_of(ms, "Guo") == EntityRef("Guo Boxiong", "person")  # "Gen. Guo": family name first
    assert entity_of(ms, "Mora") == EntityRef("Daniel Mora", "person")  # "Mr. Mora"
    assert entity_of(ms, "Ellis") == EntityRef("R. Evan Ellis", "person")  # "Mr. Ellis"
    assert entity_of(ms, "Rafael") == EntityRef("Rafael Advanced Defense Systems", "organization")
    assert entity_of(ms, "Peruvian army") == EntityRef("Peruvian Army", "government_body")
    assert entity_of(ms, "MBT 2000") == EntityRef("MBT-2000", "weapon_system")
    assert entity_of(ms, "T55") == EntityRef("T-55", "weapon_system")
    assert entity_of(ms, "Soviet") == EntityRef("Soviet Union", "country")


def test_unknown_organizations_in_004_are_discovered(gaz: Gazetteer) -> None:
    ms = extract_mentions(article("004"), gaz)
    triad = by_surface(ms, "Triad")  # "the Triad consortium", then "Triad won", "the Triad contract"
    assert len(triad) == 3 and all(m.origin == "discovered" for m in triad)
    assert triad[0].entity == EntityRef("Triad", "organization")
    (republica,) = by_surface(ms, "La Republica")  # "the Peruvian newspaper La Republica"
    assert (republica.entity.entity_type, republica.country_code) == ("organization", "PE")
    assert entity_of(ms, "Defensa.com").entity_type == "organization"
    assert not by_surface(ms, "Patuca III")


def test_discovery_without_gazetteer_help(countries_only: Gazetteer) -> None:
    ms = extract_mentions(article("004"), countries_only)
    people = {m.entity.name for m in ms if m.entity.entity_type == "person"}
    assert {
        "R. Evan Ellis",
        "Rudoy Ravit",
        "Luis Giacoma",
        "Daniel Mora",
        "Guo Boxiong",
        "Ollanta Humala",
    } <= people
    assert all(m.origin == "discovered" for m in ms if m.entity.entity_type != "country")
    long_form = EntityRef("China Precision Machinery Import Export Corp.", "organization")
    assert entity_of(ms, "CPMIEC") == long_form  # defined in parentheses
    assert {m.method for m in by_surface(ms, "CPMIEC")} == {"acronym"}
    assert entity_of(ms, "Norinco") == EntityRef("China North Industries Corp.", "organization")  # "known as"
    assert entity_of(ms, "Guo") == EntityRef("Guo Boxiong", "person")
    assert entity_of(ms, "Giacoma") == EntityRef("Luis Giacoma", "person")
    assert entity_of(ms, "Central Military Commission").entity_type == "government_body"
    assert entity_of(ms, "Bumar Group").entity_type == "organization"
    assert by_surface(ms, "Bumar Group")[0].country_code == "PL"  # "the Polish Bumar Group"
    assert entity_of(ms, "Rafael Advanced Defense Systems").entity_type == "organization"
    assert by_surface(ms, "Rafael Advanced Defense Systems")[0].country_code == "IL"  # "Israel’s"
    assert entity_of(ms, "MBT 2000") == EntityRef("MBT-2000", "weapon_system")
    assert entity_of(ms, "T55") == EntityRef("T-55", "weapon_system")


def test_discovery_on_000_without_gazetteer(countries_only: Gazetteer) -> None:
    ms = extract_mentions(article("000"), countries_only)
    (leo,) = by_surface(ms, "Leo Panetta")
    assert (leo.entity, leo.country_code) == (EntityRef("Leo Panetta", "person"), "US")
    assert entity_of(ms, "Panetta") == leo.entity
    assert by_surface(ms, "Pedro Cateriano")[0].country_code == "PE"  # "Peruvian Defense Minister"
    assert {"Daniel Lozada", "Alberto Otarola", "Abimael Guzman"} <= {m.entity.name for m in ms}


def test_001_bodies_and_programs(gaz: Gazetteer, countries_only: Gazetteer) -> None:
    ms = extract_mentions(article("001"), gaz)
    assert entity_of(ms, "U.S. Drug Enforcement Administration").name == "Drug Enforcement Administration"
    assert entity_of(ms, "Peruvian Defense Ministry") == EntityRef(
        "Ministry of Defense of Peru", "government_body"
    )
    assert entity_of(ms, "MoDA") == entity_of(ms, "Ministry of Defense Advisers program")
    bare = extract_mentions(article("001"), countries_only)
    dea = by_surface(bare, "Drug Enforcement Administration")  # "U.S." cut off as a qualifier
    assert dea and dea[0].entity.entity_type == "government_body" and dea[0].country_code == "US"


# ---------------------------------------------------------------- matching rules
@pytest.mark.parametrize(
    ("text", "surface", "expected"),
    [
        ("Officials told us nothing.", "us", None),  # acronyms are case-sensitive
        ("The US and Peru agreed.", "US", "United States"),
        ("They drank from fine china cups.", "china", None),  # names need their capital
        ("PERU SPARKS INTEREST", "PERU", "Peru"),
        ("Many Peruvians voted.", "Peruvians", "Peru"),  # derived plural demonym
        ("a Latin American country", "American", None),  # blocked phrase
        ("Anti-U.S. army leaders", "U.S.", "United States"),  # not the U.S. Army
        ("Alberto Otárola resigned.", "Alberto Otárola", "Alberto Otarola"),  # accents folded
        ("The South Korean firm won.", "South Korean", "South Korea"),  # longest match
        ("It bought MiG-21 jets.", "MiG", None),  # a name glued to a designation is not the name
    ],
)
def test_matching_rules(gaz: Gazetteer, text: str, surface: str, expected: str | None) -> None:
    found = by_surface(extract_mentions(text, gaz), surface)
    assert [m.entity.name for m in found] == ([expected] if expected else [])


# ---------------------------------------------------------------- unseen sentences
def test_ap_style_minister_is_discovered_with_country(gaz: Gazetteer) -> None:
    text = (
        "BRASILIA (AP) — Brazilian Defense Minister Raul Jungmann said Thursday that Brazil would buy 36 "
        "Gripen fighters from Sweden's Saab. Jungmann told reporters the deal was fair."
    )
    ms = extract_mentions(text, gaz)
    (jungmann,) = by_surface(ms, "Raul Jungmann")
    assert (jungmann.entity, jungmann.origin, jungmann.country_code) == (
        EntityRef("Raul Jungmann", "person"),
        "discovered",
        "BR",
    )
    assert entity_of(ms, "Jungmann") == jungmann.entity and by_surface(ms, "Jungmann")[0].method == "surname"
    assert entity_of(ms, "Saab") == EntityRef("Saab", "organization")


def test_unknown_company_agency_and_acronym(gaz: Gazetteer) -> None:
    text = (
        "Spain’s Indra Sistemas S.A. won a radar contract, said Jorge Villalobos, a spokesman for the Andean "
        "Defense Industry Association (ADIA). ADIA members protested, Human Rights Watch said."
    )
    ms = extract_mentions(text, gaz)
    (indra,) = by_surface(ms, "Indra Sistemas S.A.")
    assert (indra.entity.entity_type, indra.country_code, indra.origin) == (
        "organization",
        "ES",
        "discovered",
    )
    assert entity_of(ms, "Jorge Villalobos").entity_type == "person"
    adia = entity_of(ms, "Andean Defense Industry Association")
    assert entity_of(ms, "ADIA") == adia and len(by_surface(ms, "ADIA")) == 2
    assert entity_of(ms, "Human Rights Watch").entity_type == "organization"


def test_person_discovered_over_company_alias(gaz: Gazetteer) -> None:
    ms = extract_mentions(
        "Ecuador's President Rafael Correa met Gen. Raul Gonzalez of the Ecuadorian Army.", gaz
    )
    assert entity_of(ms, "Rafael Correa") == EntityRef("Rafael Correa", "person")
    assert entity_of(ms, "Raul Gonzalez") == EntityRef("Raul Gonzalez", "person")
    army = by_surface(ms, "Ecuadorian Army")
    assert army and army[0].entity.entity_type == "government_body" and army[0].country_code == "EC"
    assert not by_surface(ms, "Rafael")


def test_other_family_member_is_not_the_known_person(gaz: Gazetteer) -> None:
    ms = extract_mentions("Leon Panetta arrived. His wife Sylvia Panetta stayed home, Panetta said.", gaz)
    assert [m.surface for m in ms if m.entity == PANETTA] == ["Leon Panetta", "Panetta"]


@pytest.mark.parametrize(
    ("text", "designations"),
    [
        ("Peru bought Mi-171Sh helicopters, C-27J planes and KT-1 trainers.", ["Mi-171Sh", "C-27J", "KT-1"]),
        ("Its Su-25 and MiG-29 jets, F-16s and AK-47 rifles.", ["Su-25", "MiG-29", "F-16", "AK-47"]),
        (
            "They ordered Mi-17V-5 transports, JF-17 fighters and a BTR 80 armored vehicle.",
            ["Mi-17V-5", "JF-17", "BTR-80"],
        ),
        ("Amid COVID-19 the G-20 met in 2012 on 21st-century threats; the No. 1 producer.", []),
        ("Sinohydro is building the Patuca III dam; results for Q3 2013; the MH17 crash; a CO2 tax.", []),
        ("In May 2012, ISO 9001 and FY2013 budgets.", []),
    ],
)
def test_weapon_designations_and_guards(
    countries_only: Gazetteer, text: str, designations: list[str]
) -> None:
    found = [
        m.entity.name
        for m in extract_mentions(text, countries_only)
        if m.entity.entity_type == "weapon_system"
    ]
    assert found == designations


# ---------------------------------------------------------------- across articles
def test_person_name_similarity() -> None:
    leon = split_person("Leon Panetta")
    assert person_score(split_person("Leo Panetta"), leon) >= 80
    assert person_score(split_person("L. Panetta"), leon) >= 80
    assert person_score(split_person("Evan Ellis"), split_person("R. Evan Ellis")) >= 80
    assert person_score(split_person("Carla Perez"), split_person("Carlos Perez")) < 80
    assert person_score(split_person("Leon Pineda"), leon) == 0


def test_variant_spellings_resolve_across_articles(countries_only: Gazetteer) -> None:
    observations = []
    for prefix in ("000", "001", "002"):
        observations += observations_from(prefix, extract_mentions(article(prefix), countries_only))
    variants = resolve_variants(observations)
    leo = variants[EntityRef("Leo Panetta", "person")]
    assert leo.canonical == PANETTA and leo.articles == ["000"]
    assert EntityRef("Leon Panetta", "person") not in variants
    assert EntityRef("Ollanta Humala", "person") not in variants


def test_variants_prefer_curated_and_keep_distinct_names_apart() -> None:
    obs = [
        NameObservation("Leon Panetta", "person", "a", curated=True),
        NameObservation("Leo Panetta", "person", "b", context=frozenset({"title:defense secretary"})),
        NameObservation("Northrop Grumman Corp.", "organization", "c"),
        NameObservation("Northrop Grumman", "organization", "d", curated=True),
        NameObservation("Northrop Group", "organization", "e"),
        NameObservation("T55", "weapon_system", "f"),
        NameObservation("T-55", "weapon_system", "g", curated=True),
        NameObservation("Juan Perez", "person", "h"),
        NameObservation("Jose Perez", "person", "i"),
    ]
    variants = resolve_variants(obs)
    assert variants[EntityRef("Leo Panetta", "person")].canonical == PANETTA
    assert variants[EntityRef("Northrop Grumman Corp.", "organization")].canonical.name == "Northrop Grumman"
    assert variants[EntityRef("T55", "weapon_system")].canonical.name == "T-55"
    assert EntityRef("Northrop Group", "organization") not in variants  # too different without context
    assert (
        EntityRef("Juan Perez", "person") not in variants
        and EntityRef("Jose Perez", "person") not in variants
    )


def test_weak_person_similarity_needs_shared_context() -> None:
    apart = [NameObservation("Luis Perez", "person", "a"), NameObservation("Luiz Perez", "person", "b")]
    assert resolve_variants(apart) == {}
    shared = frozenset({"organization:Indumil"})
    together = [NameObservation(o.name, o.entity_type, o.article, context=shared) for o in apart]
    assert len(resolve_variants(together)) == 1


# ---------------------------------------------------------------- unseen articles: precision and surnames
def test_spanish_first_surname_and_family_first_names(gaz: Gazetteer) -> None:
    text = (
        "Ecuadorian Defence Minister Javier Ponce Cevallos attended. Ponce said the aircraft would help.\n"
        "KAI President and CEO Kim Hong-kyung signed the contract. Kim said it opened a new market."
    )
    ms = extract_mentions(text, gaz)
    assert entity_of(ms, "Ponce") == EntityRef("Javier Ponce Cevallos", "person")
    assert entity_of(ms, "Kim") == EntityRef("Kim Hong-kyung", "person")


def test_no_person_from_product_names_or_organization_names(gaz: Gazetteer) -> None:
    text = (
        "The navy ordered Beechcraft King Air 350ER surveillance aircraft. Rocío San Miguel, president of "
        "Control Ciudadano, a Caracas-based group, criticized the purchase."
    )
    names = {m.entity.name for m in extract_mentions(text, gaz)}
    assert "Air" not in names and "Ciudadano" not in names
    assert "Rocío San Miguel" in names


def test_company_home_towns_ranks_in_company_names_and_credits(gaz: Gazetteer) -> None:
    text = (
        "Mexico City, 24/04/2014 (Infodefensa.com) – The principal contractor will be Sikorsky Aircraft Corp. "
        "of Stratford, Connecticut, and engines will be supplied by General Electric Aviation of Lynn, "
        "Massachusetts. The Bank of Tokyo, the lender, and Defensa.com reported it."
    )
    names = {m.entity.name for m in extract_mentions(text, gaz)}
    assert {"Sikorsky Aircraft", "General Electric Aviation", "Bank of Tokyo", "Defensa.com"} <= names
    assert not names & {"Sikorsky Aircraft Corp. of Stratford", "Electric Aviation of Lynn", "Infodefensa.com"}


def test_long_form_of_a_known_acronym_is_the_curated_entity(gaz: Gazetteer) -> None:
    text = "The Secretariat of National Defense (SEDENA) said the Secretariat of National Defense would buy them."
    ms = extract_mentions(text, gaz)
    sedena = EntityRef("Secretariat of National Defense of Mexico", "government_body")
    assert entity_of(ms, "SEDENA") == sedena and entity_of(ms, "Secretariat of National Defense") == sedena


def test_designations_of_tenders_variants_and_units(gaz: Gazetteer) -> None:
    text = (
        "Dassault hopes Brazil will choose the Rafale for its FX-2 tender for 36 jets. Colombia's fleet was "
        "upgraded to the C-10 standard. The drones go to the Army Aviation Brigade. The F/A-18E/F competes."
    )
    ms = extract_mentions(text, gaz)
    assert entity_of(ms, "FX-2") == EntityRef("FX-2", "program")
    assert entity_of(ms, "C-10") == EntityRef("Kfir", "weapon_system")
    assert entity_of(ms, "Army Aviation Brigade") == EntityRef("Army Aviation Brigade", "government_body")
    assert entity_of(ms, "F/A-18E/F") == EntityRef("F/A-18E/F Super Hornet", "weapon_system")


def test_known_body_keeps_its_country_word_apart(gaz: Gazetteer) -> None:
    ms = extract_mentions("Revelations that the U.S. National Security Agency spied on Brazil hurt Boeing.", gaz)
    assert entity_of(ms, "National Security Agency") == EntityRef("National Security Agency", "government_body")
    assert entity_of(ms, "U.S.") == EntityRef("United States", "country")


def test_city_names_are_not_their_countries(gaz: Gazetteer) -> None:
    ms = extract_mentions("GUATEMALA CITY – The air force met in Mexico City and Panama City.", gaz)
    assert not [m for m in ms if m.entity.entity_type == "country"]


def test_no_discovery_in_title_case_headlines_or_bylines(gaz: Gazetteer) -> None:
    text = (
        "Mexico Boosts Navy Fleet With Dutch-Designed Patrol Ships As Cartel Violence Persists\n"
        "Written by Staff Writer Tuesday, 10 November 2015\n"
        "Mexico's navy launched the first of six patrol vessels built under license from Kestrel Marine Group."
    )
    ms = extract_mentions(text, gaz)
    assert {m.entity.name for m in ms if m.origin == "discovered"} == {"Kestrel Marine Group"}
    assert entity_of(ms, "Mexico") == EntityRef("Mexico", "country")  # the gazetteer still reads headlines


def test_variant_designations_are_systems_of_their_own(gaz: Gazetteer) -> None:
    # analysts list a variant beside its family ("F-16C" and "F-16"), so a variant is not its base system
    text = "Chile bought F-16C/D and F-16AM jets, T-72B1 tanks and F-161 drones for USD150 million; F-16s too."
    ms = extract_mentions(text, gaz)
    assert entity_of(ms, "F-16C/D") == EntityRef("F-16C/D", "weapon_system")
    assert entity_of(ms, "F-16AM") == EntityRef("F-16AM", "weapon_system")
    assert entity_of(ms, "F-16") == EntityRef("F-16 Fighting Falcon", "weapon_system")  # "F-16s", plural cut
    assert entity_of(ms, "T-72B1") == EntityRef("T-72B1", "weapon_system")
    assert entity_of(ms, "F-161") == EntityRef("F-161", "weapon_system")  # another number, not a variant
    assert not by_surface(ms, "USD150")


# ---------------------------------------------------------------- currencies, person-like country names, world
@pytest.mark.parametrize(
    "text",
    [
        "The budget is up to US$120 million.",
        "It paid US$ 1 billion in 2015.",
        "A US $5 million grant.",
        "They paid $US 40 million.",
        "Venezuela paid 500 million US dollars.",
        "A contract worth 39.3 billion Swedish crowns and 20 billion Chinese yuan.",
    ],
)
def test_currencies_are_no_country_mentions(gaz: Gazetteer, text: str) -> None:
    countries = {m.entity.name for m in extract_mentions(text, gaz) if m.entity.entity_type == "country"}
    assert countries <= {"Venezuela"}


def test_country_words_next_to_currencies_still_count_elsewhere(gaz: Gazetteer) -> None:
    ms = extract_mentions("The US approved it; Swedish firm Saab and the Chinese won the tender.", gaz)
    assert {m.surface for m in ms if m.entity.entity_type == "country"} == {"US", "Swedish", "Chinese"}


@pytest.mark.parametrize(
    ("text", "countries"),
    [
        ("Michael Jordan met Mr. Jordan in Jordan.", ["Jordan"]),
        ("Chad Smith and Israel Katz visited Chad and Israel.", ["Chad", "Israel"]),
        ("The Israel Defense Forces and Jordan Armed Forces trained; Chad President Idriss Deby came.", ["Chad"]),
        ("Jordan Buys Cobra Helicopters From Israel", ["Jordan", "Israel"]),  # Title Case headline
        ("Lockheed's plant in Marietta, Georgia, and the Georgia Tech lab; Georgia bought drones.", ["Georgia"]),
    ],
)
def test_person_like_country_names(gaz: Gazetteer, text: str, countries: list[str]) -> None:
    found = [m.surface for m in extract_mentions(text, gaz) if m.entity.entity_type == "country"]
    assert found == countries


def test_places_that_contain_country_names(gaz: Gazetteer) -> None:
    text = "Ships patrol the South China Sea and the Gulf of Guinea; Northern Ireland; the Niger Delta."
    assert not [m for m in extract_mentions(text, gaz) if m.entity.entity_type == "country"]


def test_world_countries_demonyms_and_companies(gaz: Gazetteer) -> None:
    text = (
        "The Finnish firm Patria and Indonesian Aerospace signed a deal; Emirati, Filipino and Saudi officials, "
        "Turkish drone maker Baykar, S. Korea's Hanwha Techwin and N. Korea's army. Peru's Defence Ministry agreed."
    )
    ms = extract_mentions(text, gaz)
    assert entity_of(ms, "Finnish") == EntityRef("Finland", "country")
    assert entity_of(ms, "Emirati") == EntityRef("United Arab Emirates", "country")
    assert entity_of(ms, "Filipino") == EntityRef("Philippines", "country")
    assert entity_of(ms, "S. Korea's") == EntityRef("South Korea", "country")
    assert entity_of(ms, "N. Korea's") == EntityRef("North Korea", "country")
    assert entity_of(ms, "Hanwha Techwin") == EntityRef("Hanwha Aerospace", "organization")
    assert entity_of(ms, "Indonesian Aerospace") == EntityRef("Indonesian Aerospace", "organization")
    assert entity_of(ms, "Peru's Defence Ministry") == EntityRef("Ministry of Defense of Peru", "government_body")


# ---------------------------------------------------------------- discovery typing and precision
def test_a_person_after_an_ambiguous_cue_noun(gaz: Gazetteer) -> None:
    ms = extract_mentions("Documents leaked by former NSA contractor Edward Snowden showed the spying.", gaz)
    assert entity_of(ms, "Edward Snowden") == EntityRef("Edward Snowden", "person")
    ms = extract_mentions("The contract went to the defense contractor Acme Dynamics Inc. last year.", gaz)
    assert entity_of(ms, "Acme Dynamics Inc.") == EntityRef("Acme Dynamics Inc.", "organization")


def test_organization_words_are_no_person(gaz: Gazetteer) -> None:
    ms = extract_mentions("The Air Force said it would suspend work. The Coast Guard said so too.", gaz)
    assert not [m for m in ms if m.entity.entity_type == "person"]


def test_plural_designations_with_letter_suffixes(gaz: Gazetteer) -> None:
    ms = extract_mentions("Peru will buy two C-27Js and Su-30MKs, not Mi-171Sh helicopters.", gaz)
    assert entity_of(ms, "C-27J") == EntityRef("C-27J Spartan", "weapon_system")
    assert entity_of(ms, "Su-30MK") == EntityRef("Su-30MK", "weapon_system")
    assert entity_of(ms, "Mi-171Sh") == EntityRef("Mi-171Sh", "weapon_system")


def test_unqualified_generic_bodies_and_bodies_of_a_country(gaz: Gazetteer) -> None:
    text = (
        "Spending fell, according to the Finance Ministry and the Central Bank. The Central Bank of Venezuela "
        "and the Bank of China did not comment. Chile's Finance Ministry did."
    )
    ms = extract_mentions(text, gaz)
    names = {m.entity.name for m in ms}
    assert "Finance Ministry" not in names and "Central Bank" not in names
    assert entity_of(ms, "Central Bank of Venezuela") == EntityRef("Central Bank of Venezuela", "organization")
    assert [m.country_code for m in by_surface(ms, "Bank of China")] == ["CN"]
    assert [m.country_code for m in by_surface(ms, "Chile's Finance Ministry")] == ["CL"]


def test_company_locations_are_no_part_of_names(gaz: Gazetteer) -> None:
    text = "Lockheed Martin Corp. of Bethesda and Acme Defense Corp. of Tampa and Sikorsky Aircraft Corp. won."
    names = {m.entity.name for m in extract_mentions(text, gaz)}
    assert {"Lockheed Martin", "Acme Defense Corp.", "Sikorsky Aircraft"} <= names
    assert not [n for n in names if "Bethesda" in n or "Tampa" in n]


# ---------------------------------------------------------------- Spanish and Portuguese compound names
CFK = EntityRef("Cristina Fernandez de Kirchner", "person")


def test_compound_surname_parts_refer_to_the_person(gaz: Gazetteer) -> None:
    text = (
        "China, Argentina sign pact during Fernandez visit\n"
        "Argentine President Cristina Fernández de Kirchner arrived. Fernández met Xi. Kirchner said it. "
        "Later Fernandez left."
    )
    ms = extract_mentions(text, gaz)
    assert [m.entity for m in ms if m.surface in ("Fernandez", "Fernández", "Kirchner")] == [CFK] * 4


def test_paternal_surname_not_a_middle_given_name(gaz: Gazetteer) -> None:
    text = (
        "President Juan Manuel Santos spoke. Santos said Manuel was wrong. Peruvian President Ollanta Humala "
        "Tasso won. Humala said so. Guatemalan President Otto Pérez Molina agreed; Pérez left, and Pérez Molina "
        "too. Lula da Silva's heir, Luiz Inácio Lula da Silva, spoke; Silva said so."
    )
    ms = extract_mentions(text, gaz)
    assert entity_of(ms, "Santos") == EntityRef("Juan Manuel Santos", "person")
    assert not by_surface(ms, "Manuel")
    assert entity_of(ms, "Humala") == EntityRef("Ollanta Humala", "person")
    assert entity_of(ms, "Pérez") == entity_of(ms, "Pérez Molina") == EntityRef("Otto Pérez Molina", "person")
    assert entity_of(ms, "Silva") == EntityRef("Luiz Inacio Lula da Silva", "person")


def test_a_surname_prefix_is_no_surname(gaz: Gazetteer) -> None:
    text = "Rocío San Miguel, president of Control Ciudadano, said it. Then Miguel, a colleague, agreed."
    ms = extract_mentions(text, gaz)
    assert not [m for m in ms if m.surface in ("Miguel", "San")]


def test_gazetteer_fallback_needs_the_whole_family_name(gaz: Gazetteer) -> None:
    ms = extract_mentions("Gen. Fernandez said the army was ready.", gaz)
    assert CFK not in {m.entity for m in ms}


def test_sentence_openers_and_prepositional_objects_are_no_names(gaz: Gazetteer) -> None:
    text = (
        "Neither Dassault Aviation nor Embraer responded. Analysts at Credit Suisse said the economy would shrink. "
        "On Tuesday Juan Perez said the deal was off."
    )
    ms = extract_mentions(text, gaz)
    assert entity_of(ms, "Dassault Aviation") == EntityRef("Dassault Aviation", "organization")
    assert not [m for m in ms if m.surface.startswith("Neither") or m.surface == "Credit Suisse"]
    assert entity_of(ms, "Juan Perez") == EntityRef("Juan Perez", "person")


# ---------------------------------------------------------------- real-article shapes (own sentences)
def _names(ms: list[MentionRec], entity_type: str) -> set[str]:
    return {m.entity.name for m in ms if m.entity.entity_type == entity_type}


def test_news_organizations_and_armed_groups_are_entities(gaz: Gazetteer) -> None:
    text = (
        "LISBON (Reuters) - The Taliban and al-Shabab were discussed, Tass and the Associated Press reported, "
        "citing an interview with Janes."
    )
    ms = extract_mentions(text, gaz)
    assert {"Reuters", "Tass", "Associated Press", "Janes"} <= _names(ms, "organization")
    assert {"Taliban", "Al-Shabaab"} <= _names(ms, "armed_group")


@pytest.mark.parametrize(
    ("text", "surface", "name"),
    [
        ("The Norwegian coast guard said the Danish defence ministry agreed.", "defence ministry",
         "Danish Defence Ministry"),
        ("Officials said Uruguay's air force would retire the jets.", "air force", "Uruguayan Air Force"),
        ("Peru bought boats. The Defense Ministry said the Navy was pleased.", "Defense Ministry",
         "Ministry of Defense of Peru"),  # the main country's, resolved to the curated body
        ("Ghana bought boats. The Defense Ministry said so.", "Defense Ministry", "Ghanaian Defense Ministry"),
        ("Spending rose, and the Armed Forces of Ghana got trucks in Ghana.", "Armed Forces",
         "Armed Forces of Ghana"),
        ("The request went to Congress after the Pentagon and the United States agreed.", "Congress",
         "United States Congress"),
        ("Norway's Finance Ministry said Norway would pay.", "Norway’s Finance Ministry", "Norwegian Finance Ministry"),
    ],
)
def test_country_qualified_and_bare_bodies(gaz: Gazetteer, text: str, surface: str, name: str) -> None:
    ms = extract_mentions(text.replace("Norway's", "Norway’s"), gaz)
    assert entity_of(ms, surface).name == name


def test_bare_body_words_need_a_country_or_a_body(gaz: Gazetteer) -> None:
    ms = extract_mentions("The company plans to modernize its armed forces, the ministry said.", gaz)
    assert not _names(ms, "government_body")
    ms = extract_mentions("Air Force Commander Jorge Lima spoke for Chile.", gaz)
    assert not by_surface(ms, "Air Force")  # part of a title, not a mention of a body


@pytest.mark.parametrize(
    ("text", "surface", "name"),
    [
        ("Oman ordered F-16Vs and Su-30 Block 2 jets.", "F-16V", "F-16V"),
        ("Oman ordered F-16Vs and Su-30 Block 2 jets.", "Su-30 Block 2", "Su-30 Block 2"),
        ("Canada will buy six P-8A Poseidon aircraft.", "P-8A Poseidon", "P-8A Poseidon"),
        ("Chile wants two Gripens and four Black Hawk helicopters.", "Gripen", "JAS 39 Gripen"),
        ("Chile wants two Gripens and four Black Hawk helicopters.", "Black Hawk", "UH-60 Black Hawk"),
        ("Peru ordered three Halcon-class patrol boats.", "Halcon-class patrol boats", "Halcon-class patrol boat"),
        ("Iran operates three Kilo class diesel submarines.", "Kilo class diesel submarines", "Kilo-class submarine"),
        ("The frigate BNS Umar Farooq sailed; Umar Farooq docked later.", "Umar Farooq", "BNS Umar Farooq"),
        ("Egypt bought Rafales, Patriot batteries and IRIS-T launchers.", "Patriot", "Patriot"),
    ],
)
def test_weapon_systems_with_variants_plurals_classes_and_ships(
    gaz: Gazetteer, text: str, surface: str, name: str
) -> None:
    ms = extract_mentions(text, gaz)
    assert entity_of(ms, surface) == EntityRef(name, "weapon_system")


def test_weapon_near_misses(gaz: Gazetteer) -> None:
    ms = extract_mentions("Jordan Signs $2bn F-16 Deal\nThe class of 2012 graduated.", gaz)
    assert _names(ms, "weapon_system") == {"F-16 Fighting Falcon"}  # no "F-16 Deal" in a Title Case headline


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("By Tomasz Nowak\nPoland signed the deal.", "Tomasz Nowak"),
        ("BY ANNA KOWALSKA / May 3, 2019\nPoland signed.", "Anna Kowalska"),
        ("Hagel met Faisal bin Salman al-Harbi in Riyadh.", "Faisal bin Salman al-Harbi"),
        ("The sale was confirmed by Dutch official Hans van der Berg yesterday.", "Hans van der Berg"),
        ("He met Minister for Defence Industry Peter Dutton.", "Peter Dutton"),
        ("Ties grew under Minister of Defence and Veterans Affairs Ratu Josaia Tora.", "Ratu Josaia Tora"),
        ("Maria Lopez is a Latin America correspondent for the site.", "Maria Lopez"),
    ],
)
def test_people_with_full_names(gaz: Gazetteer, text: str, name: str) -> None:
    assert name in _names(extract_mentions(text, gaz), "person")


def test_people_near_misses(gaz: Gazetteer) -> None:
    ms = extract_mentions("By Staff Writer\nTourists visited Victoria Falls with George Washington's statue.", gaz)
    names = _names(ms, "person")
    assert "Staff Writer" not in names and "Victoria Falls" not in names
    ms = extract_mentions("Officials named Wagner Moura and Allan Wagner as advisers.", gaz)
    assert not _names(ms, "armed_group")  # a surname is no "Wagner Group"


def test_capitals_standing_for_governments(gaz: Gazetteer) -> None:
    text = (
        "CANBERRA, Dec 3 - Washington approved the sale while Moscow protested. Officials flew to Moscow and "
        "read The Washington Post."
    )
    ms = extract_mentions(text, gaz)
    assert entity_of(ms, "Washington") == EntityRef("United States", "country")
    assert [m.span.start for m in by_surface(ms, "Moscow")] == [text.index("Moscow")]  # not "to Moscow"
    assert not by_surface(ms, "CANBERRA")  # a dateline is a place


def test_company_units_and_leaders_governments(gaz: Gazetteer) -> None:
    text = (
        "Boeing Australia and Lockheed Martin Aeronautics bid; Boeing Defense Secretary-level talks failed. "
        "The Trudeau government and the Obama administration agreed. Al-shabaab and Rolls-royce were named."
    )
    ms = extract_mentions(text, gaz)
    assert entity_of(ms, "Boeing Australia") == EntityRef("Boeing Australia", "organization")
    assert entity_of(ms, "Lockheed Martin Aeronautics") == EntityRef("Lockheed Martin Aeronautics", "organization")
    assert entity_of(ms, "Boeing") == EntityRef("Boeing", "organization")  # a title follows: no "Boeing Defense"
    assert entity_of(ms, "Trudeau") == EntityRef("Justin Trudeau", "person")
    assert entity_of(ms, "Obama") == EntityRef("Barack Obama", "person")
    assert entity_of(ms, "Al-shabaab") == EntityRef("Al-Shabaab", "armed_group")  # not matched as an acronym


def test_one_class_is_one_entity(gaz: Gazetteer) -> None:
    text = "Manila ordered two Rizal-class frigates. The Rizal-class vessels were delivered in 2020."
    ms = extract_mentions(text, gaz)
    assert {m.entity for m in ms if "Rizal" in m.surface} == {EntityRef("Rizal-class frigate", "weapon_system")}


def test_units_of_state_forces_and_numbered_names(gaz: Gazetteer) -> None:
    text = "The Jordanian Armed Forces (JAF) armed the JAF Special Brigade; the Red Hand Brigade did not. "
    text += "F-5 Tiger III."
    ms = extract_mentions(text, gaz)
    assert entity_of(ms, "JAF Special Brigade").entity_type == "government_body"
    assert entity_of(ms, "Red Hand Brigade").entity_type == "armed_group"
    assert entity_of(ms, "F-5 Tiger III") == EntityRef("F-5 Tiger III", "weapon_system")


def test_military_units_and_a_paragraph_opening_body(gaz: Gazetteer) -> None:
    text = "The United States sold jets.\nCongress, which must approve, was told. The 3rd Infantry Division left."
    ms = extract_mentions(text, gaz)
    assert entity_of(ms, "Congress") == EntityRef("United States Congress", "government_body")
    assert entity_of(ms, "3rd Infantry Division").entity_type == "government_body"
    assert not by_surface(extract_mentions("The jets left.\nNavy Day is celebrated.", gaz), "Navy")
