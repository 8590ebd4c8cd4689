"""Cleaning and extraction in worker processes, with a time budget per article.

The main process streams documents in and results out in input order, with at most a bounded
window of documents in flight, so memory stays flat however large the corpus. Each worker holds
one document at a time, so an article that exceeds the time budget is known exactly: its worker
is killed and replaced, and the article is rejected with that reason while the run goes on.
Workers are forked from the main process, so the extractor (gazetteer automaton, lexicons) is
loaded once and shared copy-on-write. Workers run at a lower CPU priority: the batch writer
(which holds the database's write lock while it writes) and the database server go first when
they compete with extraction for the cores; idle cores still go to extraction. ``workers=0``
runs everything in the calling process (no time budget).
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing as mp
import os
import signal
import stat
import time
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

from etl.load.prepare import Prepared, prepare
from etl.records import CleanArticle, Extraction, RawDocument, Rejection
from etl.transform.extraction import Extractor
from etl.transform.metadata import article_from_document

Outcome = tuple[CleanArticle, Extraction, Prepared] | Rejection
WINDOW_PER_WORKER = 8
WORKER_NICENESS = 10  # extraction yields the cores to the writer and the database when both want them


def process(extractor: Extractor, doc: RawDocument, seconds: dict[str, float] | None = None) -> Outcome:
    """Clean and extract one document and prepare its rows for the writer (etl/load/prepare.py);
    any failure becomes a rejection naming the document. Adds the time spent cleaning
    (``extract``), extracting (``transform``) and preparing (``prepare``) to ``seconds``."""
    seconds = {} if seconds is None else seconds
    try:
        began = time.perf_counter()
        article = article_from_document(doc)
        cleaned = time.perf_counter()
        seconds["extract"] = seconds.get("extract", 0.0) + cleaned - began
        if not article.body.strip():
            raise ValueError("no article text left after removing site furniture")
        extraction = extractor.extract(article)
        extracted = time.perf_counter()
        seconds["transform"] = seconds.get("transform", 0.0) + extracted - cleaned
        prepared = prepare(article, extraction, extractor.keys)
        seconds["prepare"] = seconds.get("prepare", 0.0) + time.perf_counter() - extracted
        return article, extraction, prepared
    except Exception as exc:  # one bad article must not stop the others
        return Rejection(doc.source_path, f"could not be processed: {type(exc).__name__}: {exc}", doc.source_line)


def _close_inherited_sockets(keep: int) -> None:
    """Close the sockets a forked worker inherited (the parent's database connections and the
    other workers' pipes): otherwise a killed main process would leave its database session, its
    locks and its workers alive through these copies."""
    for name in os.listdir("/proc/self/fd") if os.path.isdir("/proc/self/fd") else []:
        fd = int(name)
        if fd > 2 and fd != keep:
            with contextlib.suppress(OSError):
                if stat.S_ISSOCK(os.fstat(fd).st_mode):
                    os.close(fd)


def _serve(conn: Connection, extractor: Extractor) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle
    with contextlib.suppress(OSError):
        os.nice(WORKER_NICENESS)
    _close_inherited_sockets(conn.fileno())
    try:
        first = True  # the wait for the first document is the run's start, not idling
        while True:
            began = time.perf_counter()
            if (job := conn.recv()) is None:
                break
            seq, doc = job
            # the wait for this document: the main process was busy, e.g. waiting for the writer
            seconds: dict[str, float] = {} if first else {"idle": time.perf_counter() - began}
            first = False
            outcome = process(extractor, doc, seconds)
            conn.send((seq, outcome, seconds))
    except (EOFError, OSError):  # the main process is gone (killed): nothing left to do
        pass


@dataclass
class _Worker:
    process: Any
    conn: Connection
    job: tuple[int, RawDocument, float] | None = None  # (seq, document, started)


class ExtractionPool:
    """``workers`` forked processes running :func:`process`; use as a context manager."""

    def __init__(self, extractor: Extractor, workers: int, timeout: float, seconds: dict[str, float]) -> None:
        self.extractor, self.size, self.timeout, self.seconds = extractor, workers, timeout, seconds
        self.context = mp.get_context("fork")
        self.workers: list[_Worker] = []

    def __enter__(self) -> ExtractionPool:
        gc.collect()
        gc.freeze()  # the children's garbage collector leaves the shared reference data untouched
        try:
            self.workers = [self._spawn() for _ in range(self.size)]
        finally:
            gc.unfreeze()
        return self

    def __exit__(self, *exc: object) -> None:
        for w in self.workers:
            try:
                if w.job is None:
                    w.conn.send(None)
            except OSError:
                pass
        deadline = time.monotonic() + 2
        for w in self.workers:
            w.process.join(max(0.0, deadline - time.monotonic()) if w.job is None else 0)
            if w.process.is_alive():
                w.process.kill()
                w.process.join()
            w.conn.close()

    def _spawn(self) -> _Worker:
        parent, child = self.context.Pipe()
        proc = self.context.Process(target=_serve, args=(child, self.extractor), daemon=True, name="armsledger-extract")
        proc.start()
        child.close()
        return _Worker(proc, parent)

    def _replace(self, worker: _Worker) -> None:
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join()
        worker.conn.close()
        self.workers[self.workers.index(worker)] = self._spawn()

    def map(self, items: Iterator[tuple[Any, RawDocument | None]]) -> Iterator[tuple[Any, Outcome | None]]:
        """(tag, document) pairs in, (tag, outcome) pairs out in the same order; a ``None``
        document passes through with a ``None`` outcome (already decided, nothing to extract)."""
        window = self.size * WINDOW_PER_WORKER
        tags: dict[int, Any] = {}
        done: dict[int, Outcome | None] = {}
        todo: list[tuple[int, RawDocument]] = []
        next_seq = next_out = 0
        exhausted = False
        while True:
            while not exhausted and next_seq - next_out < window:
                try:
                    tag, doc = next(items)
                except StopIteration:
                    exhausted = True
                    break
                tags[next_seq] = tag
                if doc is None:
                    done[next_seq] = None
                else:
                    todo.append((next_seq, doc))
                next_seq += 1
            for w in self.workers:
                if w.job is None and todo:
                    seq, doc = todo.pop(0)
                    w.conn.send((seq, doc))
                    w.job = (seq, doc, time.monotonic())
            while next_out in done:
                yield tags.pop(next_out), done.pop(next_out)
                next_out += 1
            busy = [w for w in self.workers if w.job is not None]
            if not busy:
                if exhausted and not todo and next_out == next_seq:
                    return
                continue
            now = time.monotonic()
            first_deadline = min(w.job[2] for w in busy) + self.timeout  # type: ignore[index]
            ready = wait([w.conn for w in busy], timeout=max(0.0, first_deadline - now))
            for w in busy:
                seq, doc, started = w.job  # type: ignore[misc]
                if w.conn in ready:
                    try:
                        got_seq, outcome, spent = w.conn.recv()
                        done[got_seq] = outcome
                        for stage, value in spent.items():
                            self.seconds[stage] = self.seconds.get(stage, 0.0) + value
                        w.job = None
                        continue
                    except (EOFError, OSError):
                        reason = f"the extraction process died (exit code {w.process.exitcode})"
                elif time.monotonic() - started >= self.timeout:
                    reason = f"extraction took longer than the {self.timeout:g} s time budget per article"
                else:
                    continue
                done[seq] = Rejection(doc.source_path, f"could not be processed: {reason}", doc.source_line)
                self._replace(w)


def extract_all(
    items: Iterator[tuple[Any, RawDocument | None]],
    extractor: Extractor,
    workers: int,
    timeout: float,
    seconds: dict[str, float] | None = None,
) -> Iterator[tuple[Any, Outcome | None]]:
    """:meth:`ExtractionPool.map` with ``workers`` processes, or in this process when 0.
    Worker-side stage times (summed over articles) are added to ``seconds``, and ``idle``: the
    seconds workers waited between one document and their next (summed over workers)."""
    seconds = {} if seconds is None else seconds
    if workers <= 0:
        for tag, doc in items:
            yield tag, (process(extractor, doc, seconds) if doc is not None else None)
        return
    with ExtractionPool(extractor, workers, timeout, seconds) as pool:
        yield from pool.map(items)
