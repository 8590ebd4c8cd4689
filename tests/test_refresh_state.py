"""Discrepancies and deal statuses are recomputed at the end of a run only when their inputs
changed (etl/load/refresh_state.py): an unchanged re-run leaves them alone, while a new article,
a changed reviewed-facts file or a run that died before recomputing makes the next run recompute."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from etl.load import finalize as finalize_module
from etl.pipeline import REFERENCE_DIR, run_pipeline

SEEDS = Path(__file__).resolve().parents[1] / "data" / "seeds"
STORY = (
    "LIMA, March 3, 2013 - Peru's Defense Minister Pedro Cateriano said on Monday that the navy "
    "will buy two patrol vessels from South Korea's Daewoo Shipbuilding for $95 million.\n"
)


def _state(engine: Engine) -> tuple[bool, object]:
    with engine.connect() as conn:
        return tuple(conn.execute(text("SELECT pending, refreshed_at FROM refresh_state")).one())


def _discrepancies(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM discrepancies")).scalar_one()


def _forget_discrepancies(engine: Engine) -> None:
    """Empty the table behind the ETL's back: only a recompute fills it again."""
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM discrepancies"))


def _corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    return corpus


def test_unchanged_rerun_skips_recompute_and_a_new_article_triggers_it(engine: Engine, tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    run_pipeline([corpus], engine=engine, workers=0, progress=False)
    pending, refreshed = _state(engine)
    found = _discrepancies(engine)
    assert not pending and refreshed is not None and found > 0

    _forget_discrepancies(engine)
    run_pipeline([corpus], engine=engine, workers=0, progress=False)
    assert _state(engine) == (False, refreshed)
    assert _discrepancies(engine) == 0  # not recomputed: nothing it reads changed

    (corpus / "new_story.txt").write_text(STORY, encoding="utf-8")
    result = run_pipeline([corpus], engine=engine, workers=0, progress=False)
    assert result.loaded == 1
    pending, later = _state(engine)
    assert not pending and later > refreshed
    assert _discrepancies(engine) == found


def test_changed_reviewed_facts_file_triggers_recompute(engine: Engine, tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    reference = tmp_path / "reference"
    shutil.copytree(REFERENCE_DIR, reference)
    run_pipeline([corpus], engine=engine, workers=0, progress=False, reference_dir=reference)
    _, refreshed = _state(engine)
    found = _discrepancies(engine)

    _forget_discrepancies(engine)
    facts = reference / "facts.yaml"
    facts.write_text(facts.read_text(encoding="utf-8") + "\n# reviewed again\n", encoding="utf-8")
    result = run_pipeline([corpus], engine=engine, workers=0, progress=False, reference_dir=reference)
    assert result.loaded == 0
    assert _state(engine)[1] > refreshed
    assert _discrepancies(engine) == found


def test_run_that_died_before_recomputing_leaves_it_pending(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = _corpus(tmp_path)

    def crash(_conn):
        raise RuntimeError("killed while recomputing")

    with monkeypatch.context() as patch:
        patch.setattr(finalize_module.discrepancies, "refresh", crash)
        with pytest.raises(RuntimeError):
            run_pipeline([corpus], engine=engine, workers=0, progress=False)
    pending, refreshed = _state(engine)
    assert pending and refreshed is None  # the articles committed; the recompute did not
    assert _discrepancies(engine) == 0

    result = run_pipeline([corpus], engine=engine, workers=0, progress=False)
    assert result.loaded == 0  # every article already stored: only the mark says recompute
    assert not _state(engine)[0]
    assert _discrepancies(engine) > 0
