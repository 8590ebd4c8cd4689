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
    # a short partial quote that ends its attributed sentence is a quote (Gen. Guo said ... with “...”)
    assert speaker_of(quotes, "frequent high-level") == guo


# ---------------------------------------------------------------- unseen sentences
def test_colon_according_to_and_guillemets(gaz: Gazetteer) -> None:
    body = (
        "Brazilian Defense Minister Celso Amorim said: "
        '"We will not accept any deal without technology transfer."\n'
        "The plan is “a serious threat to regional stability and peace,” "
        "according to Maria Lopez, an analyst.\n"
        "“We are not going to be intimidated by anyone,” said Evo Morales. "
        "He added that «la soberanía no se negocia con nadie».\n"
        "The talks resume next week, Juan Perez wrote.\n"
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


# ---------------------------------------------------------------- organizations as speakers
DOD = EntityRef("United States Department of Defense", "government_body")
DSCA = EntityRef("Defense Security Cooperation Agency", "government_body")
LOCKHEED = EntityRef("Lockheed Martin", "organization")


def names(quotes: list[QuoteRec]) -> list[str | None]:
    return [q.speaker.name if q.speaker else None for q in quotes]


def test_generic_body_and_company_nouns_resolve_to_the_nearest_earlier_entity(gaz: Gazetteer) -> None:
    body = (
        "The Defense Security Cooperation Agency notified Congress of a possible sale of radars to Chile.\n"
        '"The proposed sale will improve the security of a close partner," the agency said in a statement.\n'
        "Colombia's Defense Ministry opened a tender in May.\n"
        "“All offers will be evaluated on cost and capability,” the ministry said.\n"
        "Lockheed Martin builds the radar in New York.\n"
        '"The radars will be delivered within three years of the signing," the company\'s statement read.'
    )
    quotes = quotes_of(body, gaz)
    assert names(quotes) == [DSCA.name, "Ministry of National Defense of Colombia", LOCKHEED.name]


def test_a_qualified_generic_noun_needs_an_entity_of_that_country(gaz: Gazetteer) -> None:
    body = (
        "Colombia's Defense Ministry opened a tender in May.\n"
        "“We will not take part in any tender this year,” the Peruvian ministry said."
    )
    assert names(quotes_of(body, gaz)) == [None]  # never Colombia's ministry


def test_unnamed_officials_speak_for_their_organization(gaz: Gazetteer) -> None:
    body = (
        '"We are proud to deliver the first aircraft on schedule," a Lockheed official said on Monday.\n'
        'A Pentagon spokesman said the funds were withheld "until the review is complete."\n'
        "The weekly Defense Digest quoted a senior Lockheed executive as saying "
        '"the line will stay open until 2030 at least."'
    )
    assert names(quotes_of(body, gaz)) == [LOCKHEED.name, DOD.name, LOCKHEED.name]


def test_a_government_source_speaks_for_its_country(gaz: Gazetteer) -> None:
    body = '"The offer arrived too late for this budget," said a Chilean government source.'
    assert names(quotes_of(body, gaz)) == ["Chile"]


# ---------------------------------------------------------------- people: order, pronouns, titles
def test_speaker_after_the_verb_with_an_apposition_and_told(gaz: Gazetteer) -> None:
    body = (
        '"We have chosen the best offer for our pilots," said Javier Ponce, the defence minister.\n'
        '"Deliveries start next year," Ponce told Reuters on Tuesday.\n'
        "The deal is “a turning point for the region,” according to Celso Amorim."
    )
    assert names(quotes_of(body, gaz)) == ["Javier Ponce", "Javier Ponce", "Celso Amorim"]


def test_she_and_he_follow_the_nearest_person_of_that_gender(gaz: Gazetteer) -> None:
    body = (
        "Ms. Ana Lopez, a senator, met Mr. Juan Perez, the army chief, in Lima.\n"
        '"The budget does not cover the new helicopters," she said.\n'
        '"We will find the money elsewhere," he replied.'
    )
    assert names(quotes_of(body, gaz)) == ["Ana Lopez", "Juan Perez"]


def test_a_joint_statement_is_attributed_to_its_first_author(gaz: Gazetteer) -> None:
    body = (
        "Senator Ana Lopez and Senator Juan Perez issued a statement on Friday.\n"
        '"This sale sends a clear message to our partners in the region," they said.'
    )
    assert names(quotes_of(body, gaz)) == ["Ana Lopez"]


def test_the_minister_is_the_nearest_earlier_holder_of_that_title(gaz: Gazetteer) -> None:
    body = (
        "The deal was closed during Defense Minister Luis Vidal's visit to Oslo with Gen. Pedro Soto.\n"
        "“You have given our pilots the aircraft they deserve,” the minister said at the ceremony. "
        "“Today our air force starts a new era.”\n"
        '"This is a good day," a minister said.'
    )
    quotes = quotes_of(body, gaz)
    assert names(quotes) == ["Luis Vidal", "Luis Vidal", None]  # a second passage keeps its speaker


def test_characterizing_verbs_take_only_their_subject(gaz: Gazetteer) -> None:
    body = (
        "Celso Amorim called the agreement “the most important step in a decade for our industry.”\n"
        "The air force calls the program “Sky Shield 2030” in its documents."
    )
    quotes = quotes_of(body, gaz)
    assert names(quotes) == ["Celso Amorim"]  # a program name in quotation marks is not a quote


def test_a_participle_after_a_quote_does_not_attribute_it(gaz: Gazetteer) -> None:
    body = (
        'Brazilian Defence Minister Celso Amorim said the boats were "vital for the defence of our coast," '
        "citing new offshore oil fields."
    )
    assert names(quotes_of(body, gaz)) == ["Celso Amorim"]


def test_a_person_the_entity_stage_missed_is_named_from_the_attribution(gaz: Gazetteer) -> None:
    body = (
        "The contract was signed by Yuri Sokolenko of the ministry.\n"
        '"We will receive the first ten helicopters in spring," Sokolenko said.'
    )
    assert names(quotes_of(body, gaz)) == ["Yuri Sokolenko"]


# ---------------------------------------------------------------- passages: continuation, partial, scare quotes
def test_quote_paragraphs_keep_the_last_speaker(gaz: Gazetteer) -> None:
    body = (
        '"The patrol boats will protect our fisheries," Javier Ponce said.\n\n'
        '"They are the first of twelve boats."\n\n'
        "The second boat arrives in June.\n\n"
        '"We thank our partners for their support."\n\n'
        "Celso Amorim attended the ceremony.\n\n"
        '"Nobody expected this outcome at the start of the talks."'
    )
    assert names(quotes_of(body, gaz)) == ["Javier Ponce", "Javier Ponce", "Javier Ponce", None]


def test_an_open_quote_takes_the_speaker_of_its_continuation(gaz: Gazetteer) -> None:
    body = (
        "“We need new frigates for the southern coast.\n\n"
        "“And we need them before the end of the decade,” Celso Amorim said."
    )
    assert names(quotes_of(body, gaz)) == ["Celso Amorim", "Celso Amorim"]


def test_short_partial_quotes_count_only_when_attributed_in_their_sentence(gaz: Gazetteer) -> None:
    body = (
        "Celso Amorim said the new frigates would patrol the coast in an “unprecedented way.”\n"
        "He would not give the price, but said it was “well negotiated”.\n"
        "The choice followed a “thorough technical review” of three bids, the ministry said.\n"
        "Celso Amorim said he was saluting “strategic partner” France.\n"
        'Critics said the so-called "peace dividend" was gone for good.\n'
        'The plan, known in the press as the "fast track to a new fleet", stalled in May.'
    )
    quotes = quotes_of(body, gaz)
    assert [q.text for q in quotes] == ["unprecedented way.", "well negotiated"]
    assert names(quotes) == ["Celso Amorim", "Celso Amorim"]


def test_marks_mixed_typo_and_sentences(gaz: Gazetteer) -> None:
    body = (
        "“The proposed sale will not alter the military balance in the region,\" the DSCA said, "
        'describing Chile as "a major partner in South America".\n'
        "‘We expect the first deliveries in 2026. The rest will follow,” Celso Amorim said.\n"
        "It is funded under the “Official Security Assistance (OSA)” framework."
    )
    quotes = quotes_of(body, gaz)
    assert [q.text[:20] for q in quotes] == ["The proposed sale wi", "a major partner in S", "We expect the first "]
    assert names(quotes) == [DSCA.name, DSCA.name, "Celso Amorim"]


def test_quote_lexicon_rejects_an_unknown_entity_type(tmp_path) -> None:
    from etl.reference.quote_lexicon import DEFAULT_PATH, load_quote_lexicon

    bad = tmp_path / "quote_attribution.yaml"
    bad.write_text(DEFAULT_PATH.read_text(encoding="utf-8").replace("company: [organization]", "company: [firm]"))
    with pytest.raises(ValueError, match="unknown entity types"):
        load_quote_lexicon(bad)


def test_the_subject_of_the_verb_not_the_last_name_before_it(gaz: Gazetteer) -> None:
    body = (
        "Celso Amorim met Javier Ponce in Quito and said the talks had gone “extremely well.”\n"
        "After a meeting with Celso Amorim, Javier Ponce said the offer was “the best we have seen.”\n"
        "Celso Amorim, who hosted Javier Ponce on Monday, criticized the delay as “a waste of everyone's time.”\n"
        'Celso Amorim and Javier Ponce said in a joint statement that "both navies will train together."'
    )
    assert names(quotes_of(body, gaz)) == ["Celso Amorim", "Javier Ponce", "Celso Amorim", "Celso Amorim"]


def test_a_closed_quote_is_not_attributed_to_the_next_sentence(gaz: Gazetteer) -> None:
    body = (
        'Celso Amorim said relations were developing "very well." Javier Ponce, who runs the navy, said '
        "the frigates would arrive in two batches over the next four years.\n"
        'Javier Ponce spoke on his weekly radio show "Hablemos Claro." "We cannot wait forever." Ponce said.'
    )
    quotes = quotes_of(body, gaz)
    assert [q.text for q in quotes] == ["very well.", "We cannot wait forever."]  # a show title is no quote
    assert names(quotes) == ["Celso Amorim", "Javier Ponce"]


def test_according_to_a_title_and_an_interrupted_quote(gaz: Gazetteer) -> None:
    body = (
        "Deputy Defense Minister Ivan Petrenko visited the shipyard on Monday.\n"
        '"We will sign," Petrenko said, "but only after the sea trials are over."\n'
        'According to the deputy minister, "the boats will be built at the northern yard."\n'
        '"Two more boats are planned for the Pacific fleet," according to the minister.'
    )
    quotes = quotes_of(body, gaz)
    assert [q.text for q in quotes][:2] == ["We will sign", "but only after the sea trials are over."]
    assert names(quotes) == ["Ivan Petrenko"] * 4


def test_a_verb_before_an_earlier_phrase_in_quotation_marks_still_attributes(gaz: Gazetteer) -> None:
    body = 'Chile said the sale broke the "one region" rule and would bring "serious and lasting damage".'
    quotes = quotes_of(body, gaz)
    assert [q.text for q in quotes] == ["serious and lasting damage"]  # "one region": a term, not a quote
    assert names(quotes) == ["Chile"]


def test_the_company_is_the_subject_of_the_last_sentence_naming_one(gaz: Gazetteer) -> None:
    body = (
        "Saab, which competes with Lockheed Martin in the tender, will open a plant in Brazil.\n"
        '"This is great news for our engineers," the company said.\n'
        'Lockheed Martin said it was "disappointed" by the decision.'
    )
    assert names(quotes_of(body, gaz)) == ["Saab", LOCKHEED.name]


def test_a_speaker_named_after_the_quote_across_a_paragraph_break(gaz: Gazetteer) -> None:
    body = (
        "The navy has waited a decade for new frigates.\n\n"
        '"We cannot keep sailing ships built in the seventies."\n\n'
        '"The new frigates must arrive before 2030," Celso Amorim told the senate on Tuesday.\n\n'
        '"Nobody in the fleet believes the schedule any more."\n\n'
        'On Wednesday Javier Ponce said the plan was "realistic and fully funded."'
    )
    assert names(quotes_of(body, gaz)) == ["Celso Amorim", "Celso Amorim", "Celso Amorim", "Javier Ponce"]
    near_miss = '"Nobody in the fleet believes the schedule any more."\n\n' + body.split("\n\n")[-1]
    assert names(quotes_of(near_miss, gaz)) == [None, "Javier Ponce"]  # a quote inside the next paragraph


def test_a_publication_the_entity_stage_missed_is_named_before_its_media_noun(gaz: Gazetteer) -> None:
    body = (
        '"The second batch will cost twice as much as the first," the Naval Trade Review magazine says.\n'
        'Tasnim news agency reported: "The frigate was launched on Sunday in the presence of officials."\n'
        '"The yard is working three shifts to finish the hull," a Russian magazine said.'
    )
    assert names(quotes_of(body, gaz)) == ["Naval Trade Review", "Tasnim", None]
