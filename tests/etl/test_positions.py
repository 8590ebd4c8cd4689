"""Positions from titles and appositions around person mentions."""

from __future__ import annotations

import pytest
from seed_text import article

from etl.records import PositionRec
from etl.reference.gazetteer import Gazetteer
from etl.transform.entities import extract_mentions
from etl.transform.positions import extract_positions

Row = tuple[str, str, str | None, str | None, bool]


def rows(body: str, gaz: Gazetteer) -> list[Row]:
    positions = extract_positions(body, extract_mentions(body, gaz))
    return [_row(p) for p in positions]


def _row(p: PositionRec) -> Row:
    return (
        p.person.name,
        p.title,
        p.organization.name if p.organization else None,
        p.country_code,
        p.is_former,
    )


def test_titles_before_names_in_000(gaz: Gazetteer) -> None:
    body = article("000")
    positions = extract_positions(body, extract_mentions(body, gaz))
    got = [_row(p) for p in positions]
    assert (
        "Leon Panetta",
        "Defense Secretary",
        None,
        "US",
        False,
    ) in got  # "U.S. Defense Secretary Leo Panetta"
    assert ("Pedro Cateriano", "Defense Minister", None, "PE", False) in got  # "Peruvian Defense Minister"
    assert ("Ollanta Humala", "President", None, "PE", False) in got  # country from the person
    assert (
        "Daniel Lozada",
        "Interior Minister",
        None,
        "PE",
        False,
    ) in got  # "... Lozada and Defense Minister"
    assert ("Alberto Otarola", "Defense Minister", None, "PE", False) in got
    assert ("Abimael Guzman", "Leader", "Shining Path", "PE", False) in got  # "its leader"
    first = positions[0]
    assert body[first.span.start : first.span.end] == "U.S. Defense Secretary Leo Panetta"


def test_appositions_in_004(gaz: Gazetteer) -> None:
    got = rows(article("004"), gaz)
    assert ("R. Evan Ellis", "Assistant Professor", "National Defense University", "US", False) in got
    assert ("Rudoy Ravit", "Spokesman", "Rafael Advanced Defense Systems", "IL", False) in got
    assert ("Luis Giacoma", "Instructor", "Peruvian Army", "PE", True) in got  # "a former instructor at"
    assert (
        "Daniel Mora",
        "Defense Minister",
        None,
        "PE",
        False,
    ) in got  # "his defense minister, Daniel Mora"
    assert ("Daniel Mora", "Congressman", None, "PE", False) in got  # "Mr. Mora, now a congressman"
    guo = ("Guo Boxiong", "Vice Chairman", "Central Military Commission", "CN", False)
    assert guo in got  # "vice chairman of China’s Central Military Commission"
    assert ("Guo Boxiong", "General", None, "CN", False) in got  # "Gen. Guo"
    assert not [r for r in got if r[1] in {"Mr.", "Mr", "Populist Leader"}]  # honorifics are no titles


def test_former_officer_in_002(gaz: Gazetteer) -> None:
    got = rows(article("002"), gaz)
    assert ("Ollanta Humala", "Army Officer", None, "PE", True) in got  # "Humala, a former army officer"
    assert ("Ollanta Humala", "President", None, "PE", False) in got  # "Peruvian President Ollanta Humala"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Brazilian Defense Minister Celso Amorim said the deal was signed.",
            ("Celso Amorim", "Defense Minister", None, "BR", False),
        ),
        (
            "The deal was signed, said Evo Morales, Bolivia’s president.",
            ("Evo Morales", "President", None, "BO", False),
        ),
        (
            "Former Peruvian President Alan García bought jets.",
            ("Alan Garcia", "President", None, "PE", True),
        ),
        (
            "Former President Alan García ruled. García's then-Defense Minister Allan Wagner signed it.",
            ("Allan Wagner", "Defense Minister", None, "PE", True),
        ),  # country of the possessor
        (
            "Shining Path founder Abimael Guzman was captured.",
            ("Abimael Guzman", "Founder", "Shining Path", "PE", False),
        ),
        (
            "Jorge Villalobos, a spokesman for the Andean Defense Industry Association, declined to comment.",
            ("Jorge Villalobos", "Spokesman", "Andean Defense Industry Association", None, False),
        ),
        (
            "Peru's Energy and Mines Minister Eleodoro Mayorga resigned.",
            ("Eleodoro Mayorga", "Energy and Mines Minister", None, "PE", False),
        ),
        (
            "U.S. Secretary of State John Kerry met Peru's Minister of Defense Jakke Valakivi.",
            ("Jakke Valakivi", "Minister of Defense", None, "PE", False),
        ),
        (
            "Lt. Gen. Ricardo Moncada inspected the troops.",
            ("Ricardo Moncada", "Lieutenant General", None, None, False),
        ),
    ],
)
def test_unseen_titles(gaz: Gazetteer, text: str, expected: Row) -> None:
    assert expected in rows(text, gaz)


@pytest.mark.parametrize(
    "text",
    [
        "Mr. Jorge Villalobos declined to comment.",
        "President Ollanta Humala, a populist leader whose father is an activist, spoke.",
        "He met Celso Amorim, a major contractor in the area.",
    ],
)
def test_no_position_without_a_title(gaz: Gazetteer, text: str) -> None:
    got = rows(text, gaz)
    assert not [r for r in got if r[0] in {"Jorge Villalobos", "Celso Amorim"} or "Leader" in r[1]]


# ---------------------------------------------------------------- unseen title shapes
def test_office_before_a_rank_after_a_comma(gaz: Gazetteer) -> None:
    body = (
        "Colombia's national police chief, Gen. Oscar Naranjo, said the laptops were genuine. "
        "Mexico's Secretary of National Defense, Gen. Salvador Cienfuegos Zepeda, spoke later."
    )
    got = rows(body, gaz)
    assert ("Oscar Naranjo", "National Police Chief", None, "CO", False) in got
    assert ("Salvador Cienfuegos", "Secretary of National Defense", None, "MX", False) in got


def test_joined_heads_and_spanish_titles(gaz: Gazetteer) -> None:
    body = (
        '"Today is a historic day," said Jackson Schneider, President and CEO of Embraer Defense & Security.\n'
        "El ministro de Defensa, Pedro Cateriano, dijo que las aeronaves llegarán en 2014."
    )
    got = rows(body, gaz)
    assert ("Jackson Schneider", "President and CEO", "Embraer", "BR", False) in got
    assert ("Pedro Cateriano", "Ministro de Defensa", None, "PE", False) in got


DATELINED = (
    "BOGOTA, Colombia (AP) — Colombia's military chief said Saturday the accord poses no threat to neighbors.\n"
    "Defense Minister Gabriel Silva said the text was nearly finished.\n"
    "In Washington, Assistant Secretary of State Arturo Valenzuela said the United States was watching.\n"
    "Rear Adm. Joseph Kernan, the commander of the U.S. Navy's Fourth Fleet, visited Cartagena in July.\n"
    '"Mr. Defense Minister, move 10 battalions to the border with Colombia," said Gen. Jorge Mora.'
)


def test_dateline_country_for_unqualified_offices(gaz: Gazetteer) -> None:
    got = {(r[0], r[1]): r[3] for r in rows(DATELINED, gaz)}
    assert got[("Gabriel Silva", "Defense Minister")] == "CO"
    assert got[("Jorge Mora", "General")] == "CO"  # the other country is inside the quote
    assert got[("Arturo Valenzuela", "Assistant Secretary of State")] is None  # "In Washington,"
    assert got[("Joseph Kernan", "Rear Admiral")] is None  # the U.S. Navy's officer


def test_dateline_country_needs_the_country_in_the_body(gaz: Gazetteer) -> None:
    body = (
        "ROME — Argentina is negotiating the purchase of 14 refurbished fighters, industry sources said.\n"
        "Defense Minister Agustin Rossi confirmed the talks. The former minister, Ricardo Lopez Murphy, objected."
    )
    got = {r[0]: r[3] for r in rows(body, gaz)}
    assert got["Ricardo Lopez Murphy"] is None  # Italy is never mentioned: ROME is only where the writer is


def test_a_firms_origin_does_not_block_the_dateline_country(gaz: Gazetteer) -> None:
    body = (
        "JAKARTA, Nov. 14 (ANTARA) - Indonesia has signed a contract with Finland's Patria for 50 vehicles, "
        "Deputy Defence Minister Sjafrie Sjamsoeddin said. Indonesia will pay over five years.\n"
        "The vehicles, like drones made by Israel's Elbit Systems, are needed, Defence Minister Ryamizard "
        "Ryacudu said. Defence Minister Marise Payne met Australian officers."
    )
    got = {r[0]: r[3] for r in rows(body, gaz)}
    assert got["Sjafrie Sjamsoeddin"] == "ID" and got["Ryamizard Ryacudu"] == "ID"
    assert got["Marise Payne"] is None  # "Australian officers" are no firm: the sentence names another country


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the country comes from the person's own title, not from the country the sentence is about
        ("In Qatar, Saudi Foreign Minister Adel Jubeir praised Doha.",
         ("Adel Jubeir", "Foreign Minister", None, "SA", False)),
        ("Turning to Pakistan, U.S. Senator Lindsey Graham said aid would stop.",
         ("Lindsey Graham", "Senator", None, "US", False)),
        ("Mattis met Khalid bin Saad al-Hashimi, Oman's defense minister, in Kenya.",
         ("Khalid bin Saad al-Hashimi", "Defense Minister", None, "OM", False)),
    ],
)
def test_country_from_the_officials_own_title(gaz: Gazetteer, text: str, expected: Row) -> None:
    assert expected in rows(text, gaz)


def test_a_list_of_officials_is_no_appositive(gaz: Gazetteer) -> None:
    text = "It was attended by US Ambassador Paul Hale, the Minister of Defense, and the army commander."
    found = rows(text, gaz)
    assert ("Paul Hale", "Ambassador", None, "US", False) in found
    assert not [r for r in found if r[1] == "Minister"]  # the minister is another (unnamed) person
    text = "Prime Minister Tony Abbott, Minister for Defence Kevin Andrews and others met."
    assert not [r for r in rows(text, gaz) if r[0] == "Tony Abbott" and r[1] == "Minister"]
