"""`armsledger entities list | promote` against a real database with the seeds loaded."""

from pathlib import Path

import pytest
import yaml
from sqlalchemy import Engine
from typer.testing import CliRunner

from etl.cli import app
from etl.pipeline import REFERENCE_DIR, run_pipeline
from etl.reference.gazetteer import load_gazetteer
from etl.settings import libpq_url

SEEDS = Path(__file__).resolve().parents[1] / "data" / "seeds"
runner = CliRunner()


@pytest.fixture
def loaded(engine: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Engine:
    run_pipeline([SEEDS], engine=engine, progress=False)
    monkeypatch.setenv("DATABASE_URL", libpq_url(db_url))
    return engine


def test_list_discovered_entities_as_json(loaded: Engine) -> None:
    result = runner.invoke(app, ["entities", "list", "--origin", "discovered", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = yaml.safe_load(result.output)
    assert rows and all(r["origin"] == "discovered" for r in rows)
    assert "Triad" in {r["name"] for r in rows}


def test_promote_appends_a_valid_entry(loaded: Engine, tmp_path: Path) -> None:
    gazetteer = tmp_path / "entities.yaml"
    gazetteer.write_text((REFERENCE_DIR / "entities.yaml").read_text())
    result = runner.invoke(
        app, ["entities", "promote", "triad", "--description", "Air defense consortium", "--gazetteer", str(gazetteer)]
    )
    assert result.exit_code == 0, result.output
    entity = load_gazetteer(gazetteer).get("Triad", "organization")
    assert entity is not None and entity.description == "Air defense consortium"


def test_promote_refuses_curated_and_unknown_names(loaded: Engine, tmp_path: Path) -> None:
    gazetteer = tmp_path / "entities.yaml"
    original = (REFERENCE_DIR / "entities.yaml").read_text()
    gazetteer.write_text(original)
    curated = runner.invoke(app, ["entities", "promote", "Leon Panetta", "--gazetteer", str(gazetteer)])
    assert curated.exit_code == 2 and "already in the gazetteer" in curated.output
    unknown = runner.invoke(app, ["entities", "promote", "Nobody Atall", "--gazetteer", str(gazetteer)])
    assert unknown.exit_code == 2 and "no entity named" in unknown.output
    assert gazetteer.read_text() == original
