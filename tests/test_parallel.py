"""The extraction pool reports how long its workers waited for work."""

from __future__ import annotations

import time

import pytest

import etl.parallel as parallel
from etl.records import RawDocument


def _quick(extractor: object, doc: RawDocument, seconds: dict[str, float]) -> tuple:
    return (doc.source_path, None, None)  # extraction done at once: the test times the waiting only


def _docs(n: int):
    return ((i, RawDocument(f"doc-{i}.txt", None, "txt", text="A short text.")) for i in range(n))


def test_workers_waiting_while_the_run_is_busy_elsewhere_is_counted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "process", _quick)  # the workers are forked: they run it
    seconds: dict[str, float] = {}
    tags = []
    for tag, outcome in parallel.extract_all(_docs(40), None, workers=2, timeout=10, seconds=seconds):  # type: ignore[arg-type]
        tags.append(tag)
        assert outcome == (f"doc-{tag}.txt", None, None)
        if tag == 20:
            time.sleep(0.6)  # the writer falls behind once: the workers have nothing to do meanwhile
    assert tags == list(range(40))  # in input order
    assert seconds["idle"] >= 0.6  # at least one worker waited the whole pause (both did)


def test_no_waiting_is_counted_without_pauses_or_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "process", _quick)
    seconds: dict[str, float] = {}
    out = parallel.extract_all(_docs(5), None, workers=0, timeout=10, seconds=seconds)  # type: ignore[arg-type]
    assert [tag for tag, _ in out] == list(range(5))
    assert "idle" not in seconds  # in this process: nobody waits for work
