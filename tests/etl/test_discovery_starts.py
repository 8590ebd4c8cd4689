"""Discovery tries its person and organization rules only at the words where one can fire
(``Discoverer.rule_starts``); trying them at every word must find exactly the same candidates."""

from __future__ import annotations

import pytest

from etl.reference.entity_lexicon import load_lexicon
from etl.transform.discovery import Discoverer, Known
from etl.transform.name_tokens import TokenIndex

# invented sentences, one or more per rule of _persons_at and _orgs_at
TEXTS = [
    "Defense Minister Pedro Alvarez signed the accord with Gen. Ruiz on Monday.",
    "Secretary of State Laura Benton met Dr. Hall, and his defense minister, Tomas Varga, signed.",
    "Minister for Defence Helen Carter and Ambassador to Kalvaria Li Wen spoke first.",
    "Boris Kettler arrived late. Ramon Quist said the deal was done, said Anita Solberg.",
    "The price was high, according to Miriam Ostrova of the institute.",
    "Jorge Ibarra, a former instructor, said the helicopters were old.",
    "Zoltán Ördög and Søren Ågård visited the plant.",
    "Talon Dynamics Corp. won the tender over the Vesta Air Force and Orvex Group.",
    "The Ministry of Defense of Kalvaria bought trucks from the company Brenmark.",
    "A rebel group calling itself the Red Dawn Front and the think tank Arden Institute objected.",
    "In the lower hall, nine people waited; nobody spoke until the end of the day.",
]


def _candidates(d: Discoverer, starts) -> list:
    return [c for i in starts for c in d._persons_at(i) + d._orgs_at(i)]


@pytest.mark.parametrize("text", TEXTS)
def test_rule_starts_lose_no_candidate(text: str) -> None:
    lex = load_lexicon()
    index = TokenIndex(text)
    d = Discoverer(text, index, [], lex)
    starts = list(d.rule_starts())
    assert _candidates(d, starts) == _candidates(d, range(len(index)))
    assert len(starts) < len(index)  # the point: most words are skipped


def test_rule_starts_with_known_spans() -> None:
    """Known spans (a country before a title, a company alias) change what the rules find, not where
    they can start."""
    text = "Kalvarian Defense Minister Rafael Ortiz met Rafael Correa, chief of Talon Dynamics Corp."
    known = [Known(0, 9, "country", "KV", adjectival=True), Known(43, 49, "organization", None)]
    lex = load_lexicon()
    index = TokenIndex(text)
    d = Discoverer(text, index, known, lex)
    assert _candidates(d, d.rule_starts()) == _candidates(d, range(len(index)))


def test_the_texts_exercise_every_rule() -> None:
    """The sentences above reach every person and organization rule, so the equality is not empty."""
    lex = load_lexicon()
    rules = set()
    for text in TEXTS:
        d = Discoverer(text, TokenIndex(text), [], lex)
        rules |= {c.rule for c in _candidates(d, d.rule_starts())}
    assert {"title", "given", "said", "appositive", "suffix", "prefix", "cue"} <= rules
