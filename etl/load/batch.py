"""Writing a batch of extracted articles: many articles per transaction, each still atomic.

A batch is written in one transaction that waits its turn on the database's write lock. If any
article of it fails, the transaction is rolled back and the batch is written again article by
article, each in its own transaction, so a bad article costs only itself. An article whose
content is already stored under the same rules (another file, another run) is left alone.
"""

from __future__ import annotations

import queue
import threading
import time
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, text

from etl.load import fingerprints
from etl.load.articles import existing_version, replace_article
from etl.load.faults import checkpoint
from etl.load.runs import lock_writes, record_rejection
from etl.records import CleanArticle, Extraction, Rejection
from etl.transform.extraction import Extractor


@dataclass
class Extracted:
    """One document's cleaned article and extraction, ready to load."""

    where: str
    article: CleanArticle
    extraction: Extraction
    raw_digest: str | None


@dataclass
class LoadContext:
    run_id: int
    version: str
    extractor: Extractor


def _write(conn: Connection, item: Extracted, ctx: LoadContext) -> str:
    art = item.article
    existing = existing_version(conn, art.content_hash)
    if existing and existing[1] == ctx.version:
        if item.raw_digest:  # remember this raw form too, so the next run skips it before cleaning
            conn.execute(
                text("UPDATE articles SET raw_digest = :d WHERE id = :i AND raw_digest IS NULL"),
                {"d": item.raw_digest, "i": existing[0]},
            )
        return "unchanged"
    hashes, count = fingerprints.shingle_hashes(art.body)
    original = fingerprints.find_original(conn, art, hashes)
    article_id = replace_article(
        conn,
        art,
        item.extraction,
        run_id=ctx.run_id,
        version=ctx.version,
        keys=ctx.extractor.keys,
        publisher_is_wire=ctx.extractor.is_wire(art.publisher),
        original_article_id=original,
        raw_digest=item.raw_digest,
    )
    if original is None:
        fingerprints.store(conn, article_id, hashes, count)
    checkpoint("article")
    return "loaded"


def load_batch(
    engine: Engine, items: list[Extracted | Rejection], ctx: LoadContext
) -> list[str | Rejection]:
    """Write ``items`` (rejections are recorded); return each one's outcome: "loaded",
    "unchanged" or its Rejection."""
    try:
        with engine.begin() as conn:
            lock_writes(conn)
            outcomes = [_one(conn, item, ctx) for item in items]
            checkpoint("commit")
        return outcomes
    except Exception:
        if len(items) == 1:
            return [_alone(engine, items[0], ctx)]
    return [_alone(engine, item, ctx) for item in items]


def _one(conn: Connection, item: Extracted | Rejection, ctx: LoadContext) -> str | Rejection:
    if isinstance(item, Rejection):
        record_rejection(conn, ctx.run_id, item)
        return item
    return _write(conn, item, ctx)


def _alone(engine: Engine, item: Extracted | Rejection, ctx: LoadContext) -> str | Rejection:
    try:
        with engine.begin() as conn:
            lock_writes(conn)
            return _one(conn, item, ctx)
    except Exception as exc:  # this article alone fails: record it, go on
        assert isinstance(item, Extracted)
        rejection = Rejection(
            item.article.source_path,
            f"could not be processed: {type(exc).__name__}: {exc}".split("\n")[0][:500],
            item.article.source_line,
        )
        with engine.begin() as conn:
            record_rejection(conn, ctx.run_id, rejection)
        return rejection


class BatchWriter:
    """Writes batches in a background thread, so that extraction goes on while a batch is
    written; at most ``depth`` batches wait. ``on_outcomes`` receives each batch's outcomes (in
    the writer thread). :meth:`close` waits for the last batch and re-raises a writer error."""

    def __init__(self, engine: Engine, ctx: LoadContext, on_outcomes, depth: int = 2) -> None:
        self.engine, self.ctx, self.on_outcomes = engine, ctx, on_outcomes
        self.queue: queue.Queue[list[Extracted | Rejection] | None] = queue.Queue(maxsize=depth)
        self.error: BaseException | None = None
        self.seconds = 0.0  # spent writing
        # started at the first batch, after the worker processes are forked
        self.thread = threading.Thread(target=self._run, name="armsledger-writer", daemon=True)

    def _run(self) -> None:
        while (batch := self.queue.get()) is not None:
            if self.error is None:
                try:
                    began = time.perf_counter()
                    outcomes = load_batch(self.engine, batch, self.ctx)
                    self.seconds += time.perf_counter() - began
                    self.on_outcomes(batch, outcomes)
                except BaseException as exc:  # handed to the main thread by submit() or close()
                    self.error = exc

    def submit(self, batch: list[Extracted | Rejection]) -> None:
        if self.error is not None:
            raise self.error
        if not self.thread.is_alive():
            self.thread.start()
        self.queue.put(batch)

    def close(self) -> None:
        """Write what is queued, stop the thread, re-raise its error if any."""
        if self.thread.is_alive():
            self.queue.put(None)
            self.thread.join()
        if self.error is not None:
            raise self.error
