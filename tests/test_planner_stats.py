"""A run that loads a good share of the corpus leaves the planner statistics current
(etl/load/planner_stats.py); small or unchanged runs leave them to autovacuum."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from benchmarks.generate_corpus import generate
from etl.load import planner_stats
from etl.pipeline import run_pipeline

SEEDS = Path(__file__).resolve().parents[1] / "data" / "seeds"
ESTIMATE = text("SELECT reltuples FROM pg_class WHERE oid = to_regclass(:table)")


@pytest.mark.parametrize(
    ("changed", "estimate", "never", "expected"),
    [
        (0, 1000.0, True, False),  # nothing changed: nothing to do, even never analyzed
        (5, 1000.0, True, True),  # a table was never analyzed
        (100, 1000.0, False, True),  # a tenth of the corpus
        (99, 1000.0, False, False),  # just under a tenth
        (1, -1.0, False, True),  # no estimate for articles
    ],
)
def test_stale_when_a_run_changed_a_share_of_the_corpus(
    changed: int, estimate: float, never: bool, expected: bool
) -> None:
    assert planner_stats.stale(changed, estimate, never) is expected


def test_a_first_load_leaves_row_estimates_current(engine: Engine) -> None:
    with engine.connect() as conn:
        assert conn.execute(ESTIMATE, {"table": "public.articles"}).scalar_one() < 0  # never analyzed
    run_pipeline([SEEDS], manifest=SEEDS / "manifest.csv", engine=engine, progress=False, workers=0)
    with engine.connect() as conn:
        for table in ("articles", "mentions", "evidence", "fact_support", "entity_stats"):
            counted = conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
            assert counted > 0, table
            assert conn.execute(ESTIMATE, {"table": f"public.{table}"}).scalar_one() == counted, table


def test_small_and_unchanged_runs_do_not_analyze(engine: Engine, tmp_path: Path) -> None:
    generate(tmp_path / "corpus", 30)
    run_pipeline([tmp_path / "corpus"], engine=engine, progress=False, workers=0)
    with engine.begin() as conn:
        articles = conn.execute(text("SELECT count(*) FROM articles")).scalar_one()
        assert articles >= 20
        assert conn.execute(ESTIMATE, {"table": "public.articles"}).scalar_one() == articles
        few = int(planner_stats.SHARE * articles) - 1  # under a tenth of the corpus
        assert planner_stats.refresh(conn, 0) is False
        assert planner_stats.refresh(conn, few) is False
        assert planner_stats.refresh(conn, few + 2) is True
