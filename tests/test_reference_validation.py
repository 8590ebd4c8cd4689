"""Reviewed facts and the gazetteer are validated: a bad file fails with its file, line and
reason, and nothing of it is loaded."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from etl.errors import describe
from etl.pipeline import REFERENCE_DIR, run_pipeline
from etl.reference.facts import FactsFileError, load_reviewed_facts
from etl.reference.gazetteer import GazetteerError, load_gazetteer

SEEDS = Path(__file__).resolve().parents[1] / "data" / "seeds"
GOOD_FACT = """  - id: good-one
    article: 000_3c55420993545cef.txt
    evidence: "{evidence}"
    fact:
      kind: event
      event_type: meeting
      description: A meeting
"""
BAD_FACT = """  - id: bad-one
    article: 000_3c55420993545cef.txt
    evidence: "{evidence}"
    fact:
      kind: event
      event_type: party
      description: Not a known event type
"""


def evidence() -> str:
    body = (SEEDS / "000_3c55420993545cef.txt").read_text()
    return next(line for line in body.splitlines() if len(line) > 60)[:60].replace('"', "'")


@pytest.fixture
def reference(tmp_path: Path) -> Path:
    folder = tmp_path / "reference"
    shutil.copytree(REFERENCE_DIR, folder)
    return folder


def test_bad_facts_file_names_file_line_and_reason(tmp_path: Path) -> None:
    path = tmp_path / "facts.yaml"
    path.write_text("facts:\n" + GOOD_FACT.format(evidence="x" * 20) + BAD_FACT.format(evidence="y" * 20))
    with pytest.raises(FactsFileError) as caught:
        load_reviewed_facts(path)
    message = str(caught.value)
    assert message.startswith("facts.yaml:14: fact #2: fact.event_type: Input should be 'meeting'")
    assert "\n" not in message
    path.write_text("facts:\n  - id: a\n   article: [\n")
    with pytest.raises(FactsFileError, match=r"^facts\.yaml:3: invalid YAML"):
        load_reviewed_facts(path)
    path.write_text("facts:\n" + GOOD_FACT.format(evidence="x" * 20) * 2)
    with pytest.raises(FactsFileError, match=r"^facts\.yaml:9: fact id 'good-one' is used twice"):
        load_reviewed_facts(path)


def test_a_bad_facts_file_loads_none_of_its_facts(engine: Engine, reference: Path) -> None:
    quote = evidence()
    facts = "facts:\n" + GOOD_FACT.format(evidence=quote) + BAD_FACT.format(evidence=quote)
    (reference / "facts.yaml").write_text(facts)
    result = run_pipeline([SEEDS / "000_3c55420993545cef.txt"], engine=engine, progress=False, reference_dir=reference)
    assert result.loaded == 1
    [rejection] = result.rejections
    assert rejection.reason.startswith("facts.yaml:14: fact #2: fact.event_type:")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM events WHERE review_status = 'reviewed'")).scalar_one() == 0
    (reference / "facts.yaml").write_text("facts:\n" + GOOD_FACT.format(evidence=quote))  # fixed: it loads
    result = run_pipeline([SEEDS / "000_3c55420993545cef.txt"], engine=engine, progress=False, reference_dir=reference)
    assert result.rejections == []
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM events WHERE review_status = 'reviewed'")).scalar_one() == 1


def test_bad_gazetteer_names_file_line_and_reason_and_loads_nothing(engine: Engine, reference: Path) -> None:
    path = reference / "entities.yaml"
    lines = path.read_text().splitlines()
    first_type = next(i for i, line in enumerate(lines) if "{name: Canada, type: country" in line)
    lines[first_type] = lines[first_type].replace("type: country", "type: nonsense", 1)
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(GazetteerError) as caught:
        load_gazetteer(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:{first_type + 1}: entry #1 'Canada': type: Input should be")
    with pytest.raises(GazetteerError):
        run_pipeline([SEEDS], engine=engine, progress=False, reference_dir=reference)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM articles")).scalar_one() == 0
        assert conn.execute(text("SELECT count(*) FROM etl_runs")).scalar_one() == 0
    line, status = describe(caught.value)
    assert line.startswith(f"{path}:{first_type + 1}:") and "nothing was loaded" in line and status == 1
