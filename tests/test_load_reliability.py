"""Crash safety, Ctrl-C, concurrent runs and the per-article time budget of `etl run`.

A small generated corpus is loaded once cleanly as the reference. Loads that are killed (SIGKILL
mid-transaction, mid-COPY, before a commit, in finalize, and at timed moments) and resumed, or
that run two at a time, must end in the same database: same row counts and content checksums per
table (surrogate keys, run ids and timestamps left out), every article with all of its rows."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_postgresql.janitor import DatabaseJanitor
from sqlalchemy import Engine, create_engine, pool, text

from benchmarks.generate_corpus import distinct_stories, generate
from etl.pipeline import run_pipeline
from etl.settings import libpq_url

ARMSLEDGER = str(Path(sys.executable).parent / "armsledger")
SMALL = (600, 1400)  # bytes per article: enough for every kind of fact, fast to extract
ARTICLES = 90
SKIPPED_COLUMNS = {"id", "ingested_at", "started_at", "finished_at", "rejected_at", "created_at", "refreshed_at"}
SKIPPED_TABLES = {"etl_runs", "rejected_inputs", "alembic_version"}
PER_ARTICLE = """
SELECT a.content_hash,
       (SELECT count(*) FROM mentions m WHERE m.article_id = a.id),
       (SELECT count(*) FROM money_mentions m WHERE m.article_id = a.id),
       (SELECT count(*) FROM evidence e WHERE e.article_id = a.id),
       (SELECT count(*) FROM article_provenance p WHERE p.article_id = a.id),
       (SELECT o.content_hash FROM articles o WHERE o.id = a.original_article_id)
FROM articles a ORDER BY a.content_hash
"""


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    generate(root, ARTICLES, seed=3, size=SMALL)
    return root


@pytest.fixture(scope="module")
def new_db(migrated_server) -> Iterator:
    """Makes fresh migrated databases by name, dropped at the end of the module."""
    janitors = []

    def make(name: str) -> str:
        janitor = DatabaseJanitor(
            user=migrated_server.user,
            host=migrated_server.host,
            port=migrated_server.port,
            dbname=name,
            template_dbname=migrated_server.template_dbname,
            password=migrated_server.password,
        )
        janitor.init()
        janitors.append(janitor)
        return f"postgresql+psycopg://{migrated_server.user}@{migrated_server.host}:{migrated_server.port}/{name}"

    yield make
    for janitor in janitors:
        janitor.drop()


def snapshot(engine: Engine) -> dict[str, object]:
    """Row count and content checksum of every table, plus every article's own row counts."""
    out: dict[str, object] = {}
    with engine.connect() as conn:
        tables = conn.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        ).scalars()
        for table in [t for t in tables if t not in SKIPPED_TABLES]:
            columns = [
                c
                for c in conn.execute(
                    text(
                        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' "
                        "AND table_name = :t ORDER BY ordinal_position"
                    ),
                    {"t": table},
                ).scalars()
                if c not in SKIPPED_COLUMNS and not c.endswith("_id")
            ]
            row = ", ".join(f'"{c}"' for c in columns)
            if table == "discrepancies":
                # The same disagreement (kind, subject, attribute, the two values), whichever side came
                # first; when several articles state one value, which of them is cited depends on the
                # load order, so the cited spans are not compared here.
                row = "kind, subject, attribute, LEAST(value_a, value_b), GREATEST(value_a, value_b)"
            out[table] = conn.execute(
                text(
                    f"SELECT count(*), md5(coalesce(string_agg(r::text, '|' ORDER BY r::text), '')) "
                    f'FROM (SELECT ROW({row}) AS r FROM "{table}") x'
                )
            ).one()
        out["per_article"] = conn.execute(text(PER_ARTICLE)).all()
        out["facts_without_evidence"] = conn.execute(
            text(
                "SELECT count(*) FROM deals d WHERE d.review_status = 'automatic' AND NOT EXISTS "
                "(SELECT 1 FROM evidence e WHERE e.fact_type = 'deal' AND e.fact_id = d.id)"
            )
        ).scalar_one()
        out["evidence_without_fact"] = conn.execute(
            text(
                "SELECT count(*) FROM evidence e WHERE e.fact_type = 'deal' "
                "AND NOT EXISTS (SELECT 1 FROM deals d WHERE d.id = e.fact_id)"
            )
        ).scalar_one()
    return out


@pytest.fixture(scope="module")
def reference(corpus: Path, new_db) -> dict[str, object]:
    engine = create_engine(new_db("reference_load"), poolclass=pool.NullPool)
    result = run_pipeline([corpus], engine=engine, progress=False, workers=2)
    assert result.rejections == [] and result.loaded == distinct_stories(ARTICLES, seed=3, size=SMALL)
    snap = snapshot(engine)
    engine.dispose()
    return snap


def _ctrl_c_default() -> None:
    """A shell starts a background job with Ctrl-C ignored, and Python keeps an inherited
    ``SIG_IGN`` (as ``nohup`` expects): the run then never sees the injected SIGINT. The test's
    run is a foreground run, as a user's Ctrl-C reaches it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _etl(url: str, corpus: Path, fault: str | None = None, *extra: str) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": libpq_url(url), "ARMSLEDGER_FAULT": fault or ""}
    return subprocess.Popen(
        [ARMSLEDGER, "etl", "run", str(corpus), "--no-progress", "--workers", "2", *extra],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_ctrl_c_default,
    )


def _statuses(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.execute(text("SELECT status FROM etl_runs ORDER BY id")).scalars())


def test_killed_loads_resume_to_the_same_database(corpus: Path, new_db, reference: dict) -> None:
    url = new_db("killed_load")
    # SIGKILL mid-COPY, with an article's rows written but its batch open, just before a commit,
    # inside finalize, and at timed moments (whatever the run is doing then).
    # Small counts, so that each killed run gets only a few batches further and the corpus lasts.
    # Timed kills come last: they may land anywhere, even after the run has loaded everything.
    plan = ["copy:30", "article:12", "commit:2", "copy:4", "article:3", "commit:1", "copy:9", "article:7",
            "commit:1", "copy:2", "article:2", 4.5, 6.0, "finalize:1"]  # fmt: skip
    killed: list[int] = []
    for moment in plan:
        proc = _etl(url, corpus, moment if isinstance(moment, str) else None, "--batch-size", "5")
        if isinstance(moment, float):
            time.sleep(moment)
            proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=120)
        if proc.returncode == -signal.SIGKILL:
            killed.append(proc.pid)
    assert len(killed) >= 10
    final = _etl(url, corpus)
    out, err = final.communicate(timeout=120)
    assert final.returncode == 0, out + err
    engine = create_engine(url, poolclass=pool.NullPool)
    assert snapshot(engine) == reference
    with engine.connect() as conn:
        runs = dict(conn.execute(text("SELECT pid, status FROM etl_runs")).all())
    # every killed run is closed as failed by the next one (a timed kill may land before a run
    # starts, or after it has finished its work and recorded it)
    outcomes = [runs[pid] for pid in killed if pid in runs]
    assert set(outcomes) <= {"failed", "succeeded"} and outcomes.count("failed") >= 9
    assert "running" not in runs.values()
    assert _statuses(engine)[-1] == "succeeded"
    engine.dispose()


def test_ctrl_c_marks_the_run_interrupted_and_a_rerun_resumes(corpus: Path, new_db, reference: dict) -> None:
    url = new_db("interrupted_load")
    proc = _etl(url, corpus, "article:12:INT", "--batch-size", "5")
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, out + err
    assert "interrupted" in err and "run the same command again to resume" in err and "Traceback" not in err
    engine = create_engine(url, poolclass=pool.NullPool)
    assert _statuses(engine) == ["interrupted"]
    final = _etl(url, corpus)
    final.communicate(timeout=120)
    assert final.returncode == 0
    assert snapshot(engine) == reference
    engine.dispose()


def test_two_runs_of_one_corpus_at_once_give_the_result_of_one(corpus: Path, new_db, reference: dict) -> None:
    url = new_db("same_corpus_twice")
    runs = [_etl(url, corpus, None, "--batch-size", "10") for _ in range(2)]
    outputs = [p.communicate(timeout=180) for p in runs]
    for proc, (out, err) in zip(runs, outputs, strict=True):
        assert proc.returncode == 0, out + err
        assert "IntegrityError" not in out + err and "deadlock" not in (out + err).lower()
    engine = create_engine(url, poolclass=pool.NullPool)
    assert snapshot(engine) == reference
    assert _statuses(engine) == ["succeeded", "succeeded"]
    engine.dispose()


def test_two_runs_of_different_corpora_at_once_while_queries_run(
    corpus: Path, new_db, tmp_path: Path, reference: dict
) -> None:
    other = tmp_path / "other"
    generate(other, 40, seed=11, size=SMALL)
    url = new_db("two_corpora")
    runs = [_etl(url, corpus), _etl(url, other)]
    engine = create_engine(url, poolclass=pool.NullPool)
    reads = 0
    while any(p.poll() is None for p in runs):  # BI reads keep working during the loads
        with engine.connect() as conn:
            conn.execute(text("SET statement_timeout = '10s'"))
            conn.execute(text("SELECT count(*) FROM analytics.deals")).scalar_one()
            conn.execute(text("SELECT count(*) FROM articles")).scalar_one()
        reads += 1
        time.sleep(0.3)
    for proc in runs:
        out, err = proc.communicate()
        assert proc.returncode == 0, out + err
    assert reads > 0
    expected = distinct_stories(ARTICLES, seed=3, size=SMALL) + distinct_stories(40, seed=11, size=SMALL)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM articles")).scalar_one() == expected
        per_article = {row[0]: row[1:5] for row in conn.execute(text(PER_ARTICLE))}
    for row in reference["per_article"]:  # type: ignore[union-attr]
        assert per_article[row[0]] == tuple(row[1:5])  # each article of the first corpus complete
    engine.dispose()


def test_an_article_over_the_time_budget_is_rejected_and_the_rest_load(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import etl.transform.extraction as extraction

    generate(tmp_path, 6, seed=5, size=SMALL)
    slow = sorted(tmp_path.glob("*.txt"))[0]
    marker = slow.read_text().split("\n\n")[-1][:40]
    real = extraction.extract_quotes

    def stuck(body: str, *args: object) -> list:
        if marker in body:
            time.sleep(60)
        return real(body, *args)

    monkeypatch.setattr(extraction, "extract_quotes", stuck)  # workers are forked: they see it
    began = time.monotonic()
    result = run_pipeline([tmp_path], engine=engine, progress=False, workers=2, article_timeout=10)
    assert time.monotonic() - began < 50  # not the 60 s the stuck article would take
    rejected = {Path(r.source_path).name for r in result.rejections}
    assert slow.name in rejected and all("10 s time budget" in r.reason for r in result.rejections)
    assert result.loaded == distinct_stories(6, seed=5, size=SMALL) - len(rejected) > 0
