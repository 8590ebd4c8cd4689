"""The scorer's matching rules (docs/eval.md), on hand-built gold and predictions: no database."""

from __future__ import annotations

from etl.evaluation.gold import GoldArticle
from etl.evaluation.predictions import ArticlePrediction, PAid, PDeal, PEntity, PMoney, PQuote
from etl.evaluation.scoring import Scorer, norm


def _score(gold: dict, pred: ArticlePrediction) -> tuple[dict, list]:
    scorer = Scorer()
    scorer.score_article(GoldArticle.model_validate({"file": "a.txt", **gold}), pred)
    return scorer.report(), scorer.details


def test_norm_follows_the_gold_conventions() -> None:
    assert norm("U.S. Air-Force,  Inc.") == "us air force inc"


def test_money_matches_within_one_percent_and_same_currency() -> None:
    gold = {"money": [
        {"text": "$1.2 billion", "amount": 1.2e9, "currency": "USD", "kind": "sale_value", "year": 2019},
        {"text": "€100m", "amount": 1e8, "currency": "EUR", "kind": "contract_value", "year": 2009},
        {"text": "Rs 5 crore", "amount": 5e7, "currency": "INR", "kind": "budget", "year": None},
    ]}
    pred = ArticlePrediction(money=[
        PMoney("$1.205 billion", 1.205e9, "USD", "contract_value", 2019),  # within 1%, same class
        PMoney("100m", 1e8, "USD", "other", None),  # wrong currency: spurious, and the EUR row missed
        PMoney("Rs 5 crore", 5e7, "INR", "other", 2018),
    ])
    scores, details = _score(gold, pred)
    m = scores["money"]
    assert (m["matched"], m["gold"], m["predicted"]) == (2, 3, 3)
    assert m["kind_accuracy"] == 0.5  # sale_value == contract_value; budget != other
    assert m["year_accuracy"] == 1.0  # only gold rows with a year count
    problems = {(d.problem, d.text.split()[0]) for d in details}
    assert ("missed", "'€100m'") in problems and ("spurious", "'100m'") in problems


def test_entities_match_any_form_and_ignore_other_mentions() -> None:
    gold = {
        "entities": [
            {"name": "United States", "type": "country", "aliases_in_text": ["U.S.", "Washington"]},
            {"name": "Lockheed Martin", "type": "organization"},
        ],
        "other_mentions": ["Foreign Military Financing (program)"],
    }
    pred = ArticlePrediction(entities=[
        PEntity("USA", "country", {"Washington"}),
        PEntity("Lockheed Martin Corporation", "organization", {"Lockheed"}),  # no form equals the gold
        PEntity("Foreign Military Financing", "organization", {"FMF"}),  # an other mention: ignored
    ])
    scores, _ = _score(gold, pred)
    e = scores["entities"]
    assert (e["matched"], e["gold"], e["predicted"]) == (1, 2, 2)
    assert e["type_accuracy"] == 1.0


def test_deals_need_the_buyer_and_the_value_or_the_item() -> None:
    gold = {
        "entities": [{"name": "Poland", "type": "country", "aliases_in_text": ["Polish"]}],
        "deals": [
            {"buyer": "Poland", "item": "two Patriot batteries", "value_usd": 4.75e9, "status": "signed"},
            {"buyer": "Poland", "item": "32 F-35A jets", "status": "announced"},
        ],
    }
    pred = ArticlePrediction(deals=[
        PDeal("a", {"Polish government"}, [], "Patriot", 4.75e9, "USD", 4.75e9, "announced"),
        PDeal("b", {"Poland"}, [], "F-35A fighters", None, None, None, "announced"),
        PDeal("c", {"Romania"}, [], "F-35A", None, None, None, "announced"),  # wrong buyer
    ])
    scores, details = _score(gold, pred)
    d = scores["deals"]
    assert (d["matched"], d["predicted"]) == (2, 3)
    assert d["status_accuracy"] == 0.5
    assert d["value_accuracy"] == 1.0
    assert any(x.problem == "wrong status" for x in details)


def test_aid_and_quotes() -> None:
    gold = {
        "aid": [{"donor": "Japan", "recipient": "Philippines", "amount": 1.6e9, "currency": "JPY", "year": 2024}],
        "quotes": [{"speaker": "Maria Santos", "starts_with": "We will not back down from"}],
    }
    pred = ArticlePrediction(
        aid=[PAid("Japan", {"Philippines"}, 1.6e9, "JPY", None, 2023, "pledged")],
        quotes=[PQuote("We will not back down from our rights", "Maria Santos"), PQuote("x", None)],
    )
    scores, _ = _score(gold, pred)
    assert scores["aid"]["f1"] == 1.0 and scores["aid"]["year_accuracy"] == 0.0
    assert scores["quotes"]["recall"] == 1.0 and scores["quotes"]["precision"] == 0.5
