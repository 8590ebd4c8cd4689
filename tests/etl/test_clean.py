"""clean_text: normalisation, data-driven furniture removal and the generic header/trailer rules."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from etl.reference.furniture import FurnitureRules, load_furniture
from etl.transform.clean import clean_text, site_title, split_lines, strip_trailing_separators

SEEDS = Path(__file__).resolve().parents[2] / "data" / "seeds"
FURNITURE = [
    "You will be redirected",
    "Latest Headlines",
    "Subscribe for Print or Digital delivery today!",
    "More In World News",
    "More Headlines from",
    "Start your day with",
    "Login to This Week's Digital Edition",
    "Exclusive Events Coverage",
    "In-depth news and multimedia coverage",
    "Please read our comment policy",
    "Advertise",
    "RSS Feed",
    "Terms of Use",
    "Filed Under",
    "News Videos",
    "International Edition",
    "Breaking News, World News and Taiwan News.",
    "About Us",
    "Contact Us",
    "chinapost search",
    "Defensenews TV",
    "Sign-up to receive",
    "Reuters News",
    "August 23, 2017",
    "|",
    "\u00a0",
]


def seed(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def cleaned() -> dict[str, str]:
    return {p: clean_text(seed(p)) for p in ("000", "001", "002", "003", "004")}


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_no_furniture_survives(cleaned: dict[str, str], prefix: str):
    body = cleaned[prefix]
    assert [f for f in FURNITURE if f in body] == []
    assert "\n\n\n" not in body and body == body.strip()


def test_title_byline_dateline_and_body_are_kept(cleaned: dict[str, str]):
    assert cleaned["000"].startswith(
        "Peru sparks interest in defense industry\n\nLIMA, Oct. 8 (UPI) -- Renewed"
    )
    assert cleaned["000"].endswith("Defense Minister Alberto Otarola resigned.")
    assert cleaned["001"].startswith(
        "U.S., Peru Boost Military Ties To Fight Terrorism, Drugs\n\nOct. 7, 2012 - 01:46PM\n\nLIMA — "
    )
    assert cleaned["001"].endswith("known as MoDA.")
    assert "By David Alexander\n\nLIMA (Reuters) - Defense ministers" in cleaned["002"]
    assert cleaned["002"].endswith("(Reporting By David Alexander; Editing by Terry Wade and Vicki Allen)")
    assert cleaned["003"].startswith(
        "US, Peru to update 60-year-old defense accord\n\nLIMA -- The United States"
    )
    assert cleaned["003"].endswith("have taken root in recent decades.")
    assert cleaned["004"].startswith("LIMA, Peru — Trade between China and Peru")
    assert cleaned["004"].endswith("building the Patuca III hydroelectric project.")


def test_repeated_title_is_dropped(cleaned: dict[str, str]):
    assert cleaned["002"].count("Touring South America, Panetta renews defense ties with Peru") == 1


def test_subheads_inside_the_body_are_kept(cleaned: dict[str, str]):
    assert "\nAnti-U.S. army leaders\n" in cleaned["004"]
    assert "\nIncreasing investments\n" in cleaned["004"]


def test_idempotent(cleaned: dict[str, str]):
    assert all(clean_text(body) == body for body in cleaned.values())


def test_unicode_spaces_and_line_endings():
    raw = (
        "Cafe\u0301 talks\r\n\r\n\r\n\r\nLIMA\u00a0— Peru\u2009and\u200b Chile signed a deal "
        "on Monday after long talks.\rEnd\u00ad."
    )
    expected = "Café talks\n\nLIMA — Peru and Chile signed a deal on Monday after long talks.\nEnd."
    assert clean_text(raw) == expected


ARTICLE = (
    "Chile buys frigates from Britain\n\n"
    "SANTIAGO (AP) — Chile's navy signed a contract on Tuesday to buy two used frigates from Britain.\n\n"
    "The ships will replace older vessels that have been in service since the 1980s, officials said.\n\n"
    "He declined to comment."
)


def test_generic_nav_lines_before_headline_are_dropped():
    body = clean_text("World\nAmericas\nNaval warfare\n\n" + ARTICLE)
    assert body == ARTICLE


def test_nav_rows_are_dropped_anywhere():
    rows = "Home • Air • Land • Sea • Cyber\nPrivacy Policy | Terms of Use\n"
    assert clean_text(rows + ARTICLE + "\n" + rows) == ARTICLE


def test_trailing_non_sentences_dropped_but_short_last_sentence_kept():
    body = clean_text(ARTICLE + "\n\nDefense Weekly Radio\nTopics\nChile navy frigates")
    assert body == ARTICLE
    assert body.endswith("He declined to comment.")


def test_reporting_credit_line_is_kept_in_trailer():
    body = clean_text(ARTICLE + "\n(Reporting by Ana Rey; Editing by Tom Hogue)\nMore from Reuters")
    assert body.endswith("He declined to comment.\n(Reporting by Ana Rey; Editing by Tom Hogue)")


def test_end_marker_cuts_the_rest_only_after_most_of_the_prose():
    tail = "Related Stories\nPeru signs radar deal with Israel in a move that analysts did not expect."
    assert clean_text(ARTICLE + "\n\n" + tail) == ARTICLE
    top = clean_text("Latest Headlines\n" + ARTICLE)
    assert top == ARTICLE  # marker dropped, nothing after it cut


def test_plausible_date_line_is_kept_capture_date_dropped():
    article = ARTICLE.replace("1980s", "1980s and in 2014")
    assert "March 12, 2014" in clean_text("March 12, 2014\n\n" + article)
    assert "March 12, 2019" not in clean_text("March 12, 2019\n\n" + article)


def test_furniture_rules_are_data_driven_and_validated():
    rules = load_furniture()
    assert rules.is_drop("About Us") and rules.is_end_marker("More In World News")
    assert not rules.is_drop("Anti-U.S. army leaders")
    with pytest.raises(ValidationError):
        FurnitureRules.model_validate({"drop_patterns": ["(unclosed"]})


# ---------------------------------------------------------------- page copies of other sites
@pytest.mark.parametrize(
    "line",
    [
        "© Thomson Reuters 2013 All rights reserved",
        "Copyright © IHS Global Limited, 2009",
        "Copyright ©2008-2013 Latin American Herald Tribune",
        "Chile's navy chief Adm. Edmundo Gonzalez speaks in Valparaiso on Tuesday. (AP Photo/Luis Hidalgo)",
        "President Lula (R) greets Nicolas Sarkozy in Rio. (Photo: AFP/Vanderlei Almeida)",
        "We use cookies to improve your experience. By continuing to browse you agree to our use of cookies.",
        "Text size: A A A",
        "Edition: U.S.",
        "Venezuela Edition",
        "ISSN 2325-2537",
        "jwyss@MiamiHerald.com",
        "Source: http://www.reuters.com/article/2009/09/13/us-venezuela-russia-arms-idUSTRE58C0ZM20090913",
        "Related: WORLD, AEROSPACE & DEFENSE",
        "Tags: Peru, KAI, KT-1, trainer aircraft",
        "Full article 12 comments",
        "Comments (14)",
        "Click here to subscribe to DefenseWorld.net newsletter",
        "Write to Paulo Prada at paulo.prada@wsj.com",
        "To contact the reporter on this story: Eduardo Thomson in Santiago at ethomson1@bloomberg.net",
        "Follow @upi",
        "Home > News > Jane's Defence Weekly",
        "Read More: Mexico's Navy, the Cartels' Most Feared Enemy",
        "Share on Facebook Share on Twitter",
    ],
)
def test_more_furniture_is_dropped(line: str):
    assert clean_text(ARTICLE + "\n\n" + line) == ARTICLE
    assert line not in clean_text(line + "\n\n" + ARTICLE)


@pytest.mark.parametrize(
    "line",
    [
        "The Copyright Office registered the design in 2010 and said all rights were reserved.",
        "Related to the deal, Peru also agreed to buy two Italian transport aircraft this year.",
        "Peru said it would accept the offer, which includes training and a cookie-cutter logistics plan.",
    ],
)
def test_body_lines_that_look_like_furniture_stay(line: str):
    assert line in clean_text(ARTICLE + "\n\n" + line)


def test_page_title_and_site_lines_leave_the_header():
    head = "Chile buys frigates from Britain"
    page = f"{head} | Reuters\nReuters\nDefenseWorld.net\nIHS Jane's: Defense & Security Intelligence & Analysis\n"
    body = clean_text(page + ARTICLE)
    assert body.startswith(head + "\n") and "| Reuters" not in body and "DefenseWorld" not in body
    assert "IHS Jane's" not in body
    prefixed = clean_text(f"Latin American Herald Tribune - {head}\n" + ARTICLE)
    assert "Latin American Herald Tribune" not in prefixed and prefixed.startswith(head)


def test_site_title_splits_headline_and_site():
    assert site_title("Colombia receives two C-295 aircraft | Defense Daily") == (
        "Colombia receives two C-295 aircraft",
        "Defense Daily",
    )
    assert site_title("Guatemala Receives Super Tucano Aircraft - Diálogo Américas") == (
        "Guatemala Receives Super Tucano Aircraft",
        "Diálogo",
    )
    # an unknown site is accepted only next to a known headline
    assert site_title("Peru buys tanks | Example Gazette") is None
    split = site_title("Peru buys tanks | Example Gazette", ["Peru buys tanks"])
    assert split == ("Peru buys tanks", "Example Gazette")
    assert site_title("Peru, U.S. sign pact - officials") is None


def test_date_line_vouched_by_a_wire_copyright_is_not_a_capture_date():
    article = ARTICLE.replace("1980s", "1980s and in 2005")
    text = "Saturday, August 15, 2009 4:52 PM EDT\n\n" + article + "\n\nCopyright 2009 The Associated Press."
    assert "August 15, 2009" in clean_text(text)
    assert "August 15, 2009" not in clean_text("Saturday, August 15, 2009 4:52 PM EDT\n\n" + article)


def test_trailing_separators_are_stripped_as_the_pattern_strips_them() -> None:
    """The string version removes what ``(?:\\s*[seps])+$`` removed, on random lines."""
    seps = "".join(load_furniture().nav_separators)
    pattern = re.compile(rf"(?:\s*[{''.join(map(re.escape, seps))}])+$")
    rng = random.Random(11)
    alphabet = ["Home", "World", "a", "1", " ", "  ", "\t", "\u00a0", "-", ".", *seps]
    for _ in range(3000):
        line = " ".join("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 9))).split())
        assert strip_trailing_separators(line, seps) == pattern.sub("", line).strip(), repr(line)
    assert split_lines("Home | World | Defense |\nTanks sold \u00bb\nPrice > cost") == [
        "Home | World | Defense",
        "Tanks sold",
        "Price > cost",
    ]
