"""Direct quotes, speakers and cross-article quote grouping."""

from __future__ import annotations

import pytest
from seed_text import article

from etl.records import EntityRef, QuoteRec
from etl.reference.gazetteer import Gazetteer
from etl.transform.entities import extract_mentions
from etl.transform.quotes import extract_quotes, quote_key, same_quote

PANETTA = EntityRef("Leon Panetta", "person")




def quotes_of(body: str, gaz: Gazetteer) -> list[QuoteRec]:
    quotes = extract_quotes(body, extract_mentions(body, gaz))
    for q in quotes:
        assert body[q.span.start : q.span.end] == q.text
    return quotes


def speaker_of(quotes: list[QuoteRec], opening: str) -> EntityRef | None:
    (q,) = [q for q in quotes if q.text.startswith(opening)]
    return q.speaker


# ---------------------------------------------------------------- seeds
def test_straight_quotes_with_trailing_attribution(gaz: Gazetteer) -> None:
    quotes = quotes_of(article("000"), gaz)
    assert len(quotes) == 2 and all(q.speaker == PANETTA for q in quotes)
    assert quotes[0].text.endswith("of drug-trafficking")  # trailing comma and quote marks excluded


def test_curly_quotes_scare_quotes_and_he_added(gaz: Gazetteer) -> None:
    quotes = quotes_of(article("001"), gaz)
    assert not [q for q in quotes if q.text == "strategic partner"]  # fewer than 4 words
    assert (
        speaker_of(quotes, "The United States is part") == PANETTA
    )  # "..." U.S. Defense Secretary Leon Panetta said
    assert speaker_of(quotes, "at working with countries") == PANETTA  # partial quote, "he added"
    assert len(quotes) == 4


def test_told_title_and_before_quote_attribution(gaz: Gazetteer) -> None:
    quotes = quotes_of(article("003"), gaz)
    assert speaker_of(quotes, "We have agreed") == EntityRef(
        "Pedro Cateriano", "person"
    )  # ... told a conference
    assert speaker_of(quotes, "improve our ability") == PANETTA  # Panetta said updating ... would "..."
    assert speaker_of(quotes, "Ultimately that will help") == PANETTA  # the U.S. defense secretary said


def test_speakers_in_004(gaz: Gazetteer) -> None:
    quotes = quotes_of(article("004"), gaz)
    ellis = EntityRef("R. Evan Ellis", "person")
    assert speaker_of(quotes, "This contract cancellation") == ellis  # ," said R. Evan Ellis, an ...
    assert speaker_of(quotes, "They are applying tactics") == ellis  # same paragraph
    assert speaker_of(quotes, "inappropriate to respond") == EntityRef("Rudoy Ravit", "person")
    guo = EntityRef("Guo Boxiong", "person")
    assert speaker_of(quotes, "The current bilateral relations") == guo  # Gen. Guo told reporters
    assert speaker_of(quotes, "We emphasize") == guo
    assert speaker_of(quotes, "But the army leadership") == EntityRef("Luis Giacoma", "person")
    assert speaker_of(quotes, "Chinese armaments") == EntityRef("Daniel Mora", "person")  # he -> Mr. Mora
    assert speaker_of(quotes, "will force [China]") == ellis  # Mr. Ellis said in an email that ... "..."
    assert not [q for q in quotes if q.text.startswith("frequent high-level")]  # 3-word partial quote


# ---------------------------------------------------------------- unseen sentences
def test_colon_according_to_and_guillemets(gaz: Gazetteer) -> None:
    body = (
        "Brazilian Defense Minister Celso Amorim said: "
        '"We will not accept any deal without technology transfer."\n'
        "The plan is “a serious threat to regional stability and peace,” "
        "according to Maria Lopez, an analyst.\n"
        "“We are not going to be intimidated by anyone,” said Evo Morales. "
        "He added that «la soberanía no se negocia con nadie».\n"
        '"Nobody knows who wrote this anonymous note at all."'
    )
    quotes = quotes_of(body, gaz)
    assert speaker_of(quotes, "We will not accept") == EntityRef("Celso Amorim", "person")
    assert speaker_of(quotes, "a serious threat") == EntityRef("Maria Lopez", "person")
    assert speaker_of(quotes, "We are not going") == EntityRef("Evo Morales", "person")
    assert speaker_of(quotes, "la soberanía") == EntityRef("Evo Morales", "person")
    assert speaker_of(quotes, "Nobody knows") is None


def test_multi_paragraph_quote_keeps_its_speaker(gaz: Gazetteer) -> None:
    body = (
        'Chilean army chief Gen. Ricardo Martinez said: "We need new tanks for the northern border.\n'
        '"And we need them before the end of the decade," he added.'
    )
    quotes = quotes_of(body, gaz)
    assert [q.speaker.name for q in quotes if q.speaker] == ["Ricardo Martinez", "Ricardo Martinez"]
    assert quotes[0].text == "We need new tanks for the northern border."


def test_organization_speaker_and_no_demonym_speaker(gaz: Gazetteer) -> None:
    body = (
        '"The contract was awarded under the law and will be honored," the Pentagon said. '
        'The Danish navy said: "We have no plans to buy tanks at this time." '
        'The Chilean navy said: "We will buy frigates."'
    )
    quotes = quotes_of(body, gaz)
    assert speaker_of(quotes, "The contract") == EntityRef(
        "United States Department of Defense", "government_body"
    )
    # "Danish" modifies the speaker: the navy of Denmark speaks, not the country
    assert speaker_of(quotes, "We have no plans") == EntityRef("Danish Navy", "government_body")
    assert speaker_of(quotes, "We will buy") == EntityRef("Chilean Navy", "government_body")  # a curated body


# ---------------------------------------------------------------- grouping
def test_quote_key_ignores_case_punctuation_and_quotes() -> None:
    assert quote_key("  “We face  the challenge — of TERRORISM,”") == quote_key(
        "we face the challenge of terrorism"
    )
    assert quote_key("I’ve been told") == quote_key("I've been told")
    assert quote_key("Perú's army") == "perus army"


SAME = [
    (
        "Our country will do whatever it can to work with our friends here in Peru to provide whatever "
        "assistance is necessary in order to make sure that Peru can provide better security",
        "Our country will do whatever we can to work with our friends here in Peru to provide whatever "
        "assistance is necessary",
    ),
    (
        "The principle thrust of our ... new defense strategy is aimed at reaching out and developing "
        "partnerships and alliances throughout the world and particularly in this region",
        "The principle thrust of our defense strategy, our new defense strategy, is aimed at reaching out "
        "and developing partnerships and alliances throughout the world and particularly in this region",
    ),
    (
        "The United States is part of the family of the Americas and we face some common challenges, "
        "we face the challenge of terrorism, of drug-trafficking",
        "The United States is part of the family of the Americas and we face some common challenges. "
        "We face the challenge of terrorism, we face the challenge of drug trafficking",
    ),
]
DIFFERENT = [
    (
        SAME[2][0],
        "The United States stands ready to work with Peru on joint planning, on information sharing",
    ),
    (
        "In order to improve the lives of the people here, we have to provide for their security",
        "Ultimately that will help us deal with shared security challenges in the future",
    ),
    (
        "We face the challenge",
        "We face the challenge of terrorism, we face the challenge of drug trafficking and "
        "organized crime across the whole region",
    ),
]


@pytest.mark.parametrize(("a", "b"), SAME)
def test_same_quote_variants(a: str, b: str) -> None:
    assert same_quote(a, b) and same_quote(b, a)


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_different_quotes(a: str, b: str) -> None:
    assert not same_quote(a, b)


def test_seed_quotes_group_across_articles(gaz: Gazetteer) -> None:
    upi, defense_news = quotes_of(article("000"), gaz), quotes_of(article("001"), gaz)
    pairs = [
        (i, j) for i, a in enumerate(upi) for j, b in enumerate(defense_news) if same_quote(a.text, b.text)
    ]
    assert pairs == [(0, 0), (1, 1)]


# ---------------------------------------------------------------- British quotes, participles, Spanish
def test_british_single_quotes_and_plural_possessives(gaz: Gazetteer) -> None:
    body = (
        "Ecuadorian Defence Minister Javier Ponce attended the ceremony in Bangalore.\n"
        "'The Dhruv will give us a capability we have not had before,' Ponce said. "
        "'We chose it for its performance at high altitude.'\n"
        "The helicopters' avionics were integrated by the company's Bangalore division, officials' notes show."
    )
    quotes = quotes_of(body, gaz)
    assert [q.text for q in quotes] == [
        "The Dhruv will give us a capability we have not had before",
        "We chose it for its performance at high altitude.",
    ]
    assert {q.speaker.name for q in quotes if q.speaker} == {"Javier Ponce"}


def test_single_quotes_are_not_read_when_the_article_uses_double_quotes(gaz: Gazetteer) -> None:
    body = "Chavez warns of 'winds of war that will blow across the region'\n" '"We are ready," Chavez said.'
    assert [q.text for q in quotes_of(body, gaz)] == []  # "We are ready" has 3 words; no single-quote quote


def test_participle_speaker_is_the_sentence_subject(gaz: Gazetteer) -> None:
    body = (
        "President Hugo Chavez spoke on Monday. "
        "Chavez, an ally of Ecuador's leftist President Rafael Correa, ordered 10 battalions to the frontier and "
        'closed the embassy in Bogota on Sunday, warning that an incursion would be "a cause for war."'
    )
    assert speaker_of(quotes_of(body, gaz), "a cause for war") == EntityRef("Hugo Chavez", "person")
    unknown_subject = body.replace("President Hugo Chavez spoke on Monday. Chavez", "The leader")
    assert speaker_of(quotes_of(unknown_subject, gaz), "a cause for war") is None  # never Correa


def test_spanish_attribution(gaz: Gazetteer) -> None:
    body = (
        "El ministro de Defensa, Pedro Cateriano, visitó la base.\n"
        "«Estos helicópteros nos darán la capacidad de transportar tropas», afirmó Cateriano."
    )
    assert speaker_of(quotes_of(body, gaz), "Estos helicópteros") == EntityRef("Pedro Cateriano", "person")


def test_a_full_stop_quote_keeps_its_trailing_attribution(gaz: Gazetteer) -> None:
    body = '"We cannot wait forever." Agustin Rossi said. "We will look at every option."'
    quotes = quotes_of(body, gaz)
    assert [q.speaker.name if q.speaker else None for q in quotes] == ["Agustin Rossi", "Agustin Rossi"]
