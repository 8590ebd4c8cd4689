"""`armsledger eval` end to end: a small gold file and articles written by the test, loaded by the
real ETL into a real Postgres, scored, and printed for people and machines."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from typer.testing import CliRunner

from etl.cli import app
from etl.evaluation.runner import evaluate

runner = CliRunner()

ARTICLE = (
    "Ruritania orders patrol boats\n"
    "The Ruritanian navy signed a $120 million contract with Damen Shipyards on Monday for four patrol boats.\n"
    "Japan also pledged 2 billion yen in security assistance to Ruritania for fiscal year 2024.\n"
)


def _corpus(tmp_path: Path) -> Path:
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "a1.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "manifest.csv").write_text("file,publisher,published\na1.txt,Test Wire,2024-03-04\n")
    gold = [{
        "file": "a1.txt",
        "entities": [{"name": "Japan", "type": "country"}],
        "money": [
            {"text": "$120 million", "amount": 120e6, "currency": "USD", "kind": "contract_value", "year": 2024},
            {"text": "2 billion yen", "amount": 2e9, "currency": "JPY", "kind": "military_aid", "year": 2024},
            # Not in the text: must show as a miss, never as a match.
            {"text": "€9 million", "amount": 9e6, "currency": "EUR", "kind": "other", "year": None},
        ],
    }]
    path = tmp_path / "gold.yaml"
    path.write_text(yaml.safe_dump(gold), encoding="utf-8")
    return path


def test_eval_loads_through_the_database_and_scores(tmp_path: Path, db_url: str) -> None:
    result = evaluate(_corpus(tmp_path), database_url=db_url)
    money = result.scores["money"]
    assert money["gold"] == 3 and money["matched"] == 2
    assert money["recall"] == round(2 / 3, 3)
    assert result.scores["entities"]["matched"] == 1
    assert result.scores["mode"] == "database" and result.scores["chars_per_s"] > 0
    assert any(d.problem == "missed" and "€9 million" in d.text for d in result.details)


def test_eval_json_has_the_documented_keys(tmp_path: Path, db_url: str) -> None:
    out = runner.invoke(app, ["eval", str(_corpus(tmp_path)), "--database-url", db_url, "-f", "json", "--details"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    for fact in ("money", "entities", "deals", "aid", "quotes"):
        assert {"precision", "recall", "f1"} <= set(data[fact])
    for key in ("kind_accuracy", "year_accuracy"):
        assert key in data["money"]
    assert {"buyer_accuracy", "status_accuracy", "value_accuracy"} <= set(data["deals"])
    assert "year_accuracy" in data["aid"] and data["chars_per_s"] > 0
    assert any(d["problem"] == "missed" for d in data["details"])


def test_eval_table_and_details_for_people(tmp_path: Path) -> None:
    out = runner.invoke(app, ["eval", str(_corpus(tmp_path)), "--in-memory", "--details"])
    assert out.exit_code == 0, out.output
    assert "money" in out.stdout and "a1.txt" in out.stdout and "missed" in out.stdout


def test_a_malformed_gold_file_is_one_line_with_the_article_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "gold.yaml"
    bad.write_text(yaml.safe_dump([{"file": "x.txt", "money": [{"amount": "lots", "currency": "USD"}]}]))
    (tmp_path / "articles").mkdir()
    out = runner.invoke(app, ["eval", str(bad)])
    assert out.exit_code == 2
    assert "x.txt" in out.output and "money.0.amount" in out.output and "Traceback" not in out.output
