"""Summary refreshes during a run go on beside the loading (etl/load/refresher.py): batches are
written while one runs, one refresh of any run goes at a time and sees what the one before it
wrote, and a failed refresh is reported and leaves the lock free."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from benchmarks.generate_corpus import generate
from etl.load import batch, summaries
from etl.load.refresher import SUMMARY_LOCK, Refresher
from etl.pipeline import run_pipeline

TABLES = list(summaries.SUMMARY_TABLES)


def _state(engine: Engine) -> dict[str, list[tuple]]:
    with engine.connect() as conn:
        return {t: sorted(map(tuple, conn.execute(text(f"SELECT * FROM {t}")).all()), key=repr) for t in TABLES}


def _rebuilt(engine: Engine) -> dict[str, list[tuple]]:
    with engine.begin() as conn:
        summaries.rebuild(conn)
    return _state(engine)


def _corpus(tmp_path: Path, articles: int, name: str = "corpus", seed: int = 7) -> Path:
    folder = tmp_path / name
    generate(folder, articles, seed=seed)
    return folder


def test_batches_are_written_while_a_refresh_runs(engine: Engine, tmp_path: Path, monkeypatch) -> None:
    """The first refresh during the run waits until a batch after the one that asked for it has
    committed: it could not, if the loading waited for it. The summaries still equal a count from
    scratch."""
    loaded: list[int] = []
    asked: list[int] = []  # batches written when each refresh was asked for
    load_batch, refresh = batch.load_batch, summaries.refresh
    seen: list[bool] = []

    class Recording(Refresher):
        def request(self) -> bool:
            if self.idle.is_set():
                asked.append(len(loaded))
            return super().request()

    def counting_load(bind, items, ctx):
        outcomes = load_batch(bind, items, ctx)
        loaded.append(len(items))
        return outcomes

    def slow_refresh(conn, evidence_since=None, during_run=False):
        if during_run and not seen:
            deadline = time.monotonic() + 30
            while len(loaded) == asked[0] and time.monotonic() < deadline:
                time.sleep(0.02)
            seen.append(len(loaded) > asked[0])
        return refresh(conn, evidence_since, during_run)

    monkeypatch.setattr(batch, "Refresher", Recording)
    monkeypatch.setattr(batch, "load_batch", counting_load)
    monkeypatch.setattr(summaries, "refresh", slow_refresh)
    monkeypatch.setattr(summaries, "DURING_RUN_EVERY", 2)
    monkeypatch.setattr(summaries, "DURING_RUN_MAX_RECOUNT", float("inf"))
    result = run_pipeline([_corpus(tmp_path, 16)], engine=engine, progress=False, workers=0, batch_size=2)
    assert seen == [True]
    assert result.loaded >= 14 and len(loaded) >= 7
    assert _state(engine) == _rebuilt(engine)


def test_a_refresh_waits_for_another_and_sees_what_it_counted(engine: Engine, tmp_path: Path, monkeypatch) -> None:
    """A refresh that waits for another run's refresh counts nothing that one counted: its view of
    the database begins after the lock, not before it."""
    run_pipeline([_corpus(tmp_path, 6, "first")], engine=engine, progress=False, workers=0)
    counted = summaries.refresh
    with monkeypatch.context() as patched:  # a second corpus loaded but not counted
        patched.setattr(summaries, "refresh", lambda conn, evidence_since=None, during_run=False: 0)
        run_pipeline([_corpus(tmp_path, 6, "second", seed=8)], engine=engine, progress=False, workers=0)
    with engine.connect() as other:
        with other.begin():
            other.execute(text("SELECT pg_advisory_lock(:k)"), {"k": SUMMARY_LOCK})
        refresher = Refresher(engine)
        assert refresher.request()
        time.sleep(0.5)
        assert not refresher.idle.is_set()  # waiting for the lock
        with other.begin():
            assert counted(other) > 0  # the other run counts the second corpus
        with other.begin():
            other.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": SUMMARY_LOCK})
        refresher.close()
    assert refresher.recounted == 0
    assert _state(engine) == _rebuilt(engine)


def test_a_failed_refresh_is_reported_and_frees_the_lock(engine: Engine, db_url: str, monkeypatch) -> None:
    """The error reaches whoever asks next, and the lock does not stay with a pooled connection."""
    pooled = create_engine(db_url)  # as the CLI's: a closed connection stays open in the pool

    def broken(conn, evidence_since=None, during_run=False):
        raise RuntimeError("summary refresh broke")

    monkeypatch.setattr(summaries, "refresh", broken)
    refresher = Refresher(pooled)
    try:
        assert refresher.request()
        with pytest.raises(RuntimeError, match="summary refresh broke"):
            refresher.wait()
        with pytest.raises(RuntimeError, match="summary refresh broke"):
            refresher.close()
        with engine.connect() as conn:  # another session
            assert conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": SUMMARY_LOCK}).scalar_one()
    finally:
        pooled.dispose()


def test_two_refreshes_do_not_overlap(engine: Engine, monkeypatch) -> None:
    """Requests while one refresh runs are refused, not queued; the next one starts after it."""
    started, release = threading.Event(), threading.Event()

    def held(conn, evidence_since=None, during_run=False):
        started.set()
        release.wait(10)
        return 0

    monkeypatch.setattr(summaries, "refresh", held)
    refresher = Refresher(engine)
    assert refresher.request()
    assert started.wait(10)
    assert not refresher.request()
    release.set()
    refresher.wait()
    assert refresher.request()
    refresher.close()
    assert refresher.seconds > 0
