"""Writing a batch of extracted articles: many articles per transaction, each still atomic.

A batch is written set-based (etl/load/bulk.py) in one transaction that waits its turn on the
database's write lock. If any article of it fails, the transaction is rolled back and the batch
is written again article by article, each in its own transaction, so a bad article costs only
itself. An article whose
content is already stored under the same rules (another file, another run) is left alone.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine

from etl.load import summaries
from etl.load.bulk import write_batch
from etl.load.faults import checkpoint
from etl.load.prepare import Prepared
from etl.load.refresher import Refresher
from etl.load.runs import lock_writes, record_rejection
from etl.records import CleanArticle, Extraction, Rejection
from etl.transform.extraction import Extractor


@dataclass
class Extracted:
    """One document's cleaned article and extraction, ready to load; ``prepared`` is computed
    from them by the writer when not given."""

    where: str
    article: CleanArticle
    extraction: Extraction
    raw_digest: str | None
    prepared: Prepared | None = None


@dataclass
class LoadContext:
    run_id: int
    version: str
    extractor: Extractor
    # seconds spent in parts of the load, summed over batches ("syndication": the lookups of
    # each new article's original, etl/load/fingerprints.py)
    seconds: dict[str, float] = field(default_factory=dict)


@contextmanager
def _transaction(bind: Engine | Connection) -> Iterator[Connection]:
    """A transaction on a new connection of ``bind`` (an Engine) or on ``bind`` itself."""
    if isinstance(bind, Engine):
        with bind.begin() as conn:
            yield conn
    else:
        with bind.begin():
            yield bind


def load_batch(
    bind: Engine | Connection, items: list[Extracted | Rejection], ctx: LoadContext
) -> list[str | Rejection]:
    """Write ``items`` (rejections are recorded); return each one's outcome: "loaded",
    "unchanged" or its Rejection. ``bind``: an engine, or the connection to write on."""
    try:
        with _transaction(bind) as conn:
            lock_writes(conn)
            outcomes = write_batch(conn, items, ctx)
            checkpoint("commit")
        return outcomes
    except Exception:
        if len(items) == 1:
            return [_alone(bind, items[0], ctx)]
    return [_alone(bind, item, ctx) for item in items]


def _alone(bind: Engine | Connection, item: Extracted | Rejection, ctx: LoadContext) -> str | Rejection:
    try:
        with _transaction(bind) as conn:
            lock_writes(conn)
            return write_batch(conn, [item], ctx)[0]
    except Exception as exc:  # this article alone fails: record it, go on
        assert isinstance(item, Extracted)
        rejection = Rejection(
            item.article.source_path,
            f"could not be processed: {type(exc).__name__}: {exc}".split("\n")[0][:500],
            item.article.source_line,
        )
        with _transaction(bind) as conn:
            record_rejection(conn, ctx.run_id, rejection)
        return rejection


class BatchWriter:
    """Writes batches in a background thread, so that extraction goes on while a batch is
    written; at most ``depth`` batches wait. ``on_outcomes`` receives each batch's outcomes (in
    the writer thread). After every ``summary_every`` loaded articles it has the summary tables
    refreshed (etl/load/summaries.py) beside the loading (etl/load/refresher.py), unless one
    refresh is still running; past twice that many it waits for that one, so no refresh, the
    run's last included, holds much more. :meth:`close` waits for the last batch and refresh and
    re-raises an error of either. The thread writes on one connection for its whole life (its
    staging tables stay)."""

    def __init__(
        self,
        engine: Engine,
        ctx: LoadContext,
        on_outcomes,
        depth: int = 2,
        summary_every: int | None = None,
    ) -> None:
        self.engine, self.ctx, self.on_outcomes = engine, ctx, on_outcomes
        self.queue: queue.Queue[list[Extracted | Rejection] | None] = queue.Queue(maxsize=depth)
        self.error: BaseException | None = None
        self.seconds = 0.0  # spent writing batches
        self.cpu_seconds = 0.0  # of which this thread's own CPU (the rest: the database, waiting)
        self.summary_every = summary_every or summaries.DURING_RUN_EVERY
        self.uncounted = 0  # articles loaded since the last summary refresh began
        self.refresher = Refresher(engine)
        # started at the first batch, after the worker processes are forked
        self.thread = threading.Thread(target=self._run, name="armsledger-writer", daemon=True)

    def _run(self) -> None:
        conn: Connection | None = None
        try:
            while (batch := self.queue.get()) is not None:
                if self.error is None:
                    try:
                        began, cpu = time.perf_counter(), time.thread_time()
                        conn = conn or self.engine.connect()
                        outcomes = load_batch(conn, batch, self.ctx)
                        self.seconds += time.perf_counter() - began
                        self.cpu_seconds += time.thread_time() - cpu
                        self.uncounted += outcomes.count("loaded")
                        if self.uncounted >= self.summary_every:
                            self._refresh_summaries()
                        self.on_outcomes(batch, outcomes)
                    except BaseException as exc:  # handed to the main thread by submit() or close()
                        self.error = exc
        finally:
            if conn is not None:
                conn.close()

    def _refresh_summaries(self) -> None:
        if self.uncounted >= 2 * self.summary_every:
            self.refresher.wait()
        if self.refresher.request():
            self.uncounted = 0

    @property
    def summary_seconds(self) -> float:
        """Seconds spent refreshing the summaries during the run (complete after :meth:`close`)."""
        return self.refresher.seconds

    @property
    def recounted(self) -> int:
        """Articles the refreshes during the run counted (complete after :meth:`close`)."""
        return self.refresher.recounted

    def submit(self, batch: list[Extracted | Rejection]) -> None:
        if self.error is not None:
            raise self.error
        if not self.thread.is_alive():
            self.thread.start()
        self.queue.put(batch)

    def close(self) -> None:
        """Write what is queued, wait for the refresh, stop the threads, re-raise an error if any."""
        if self.thread.is_alive():
            self.queue.put(None)
            self.thread.join()
        try:
            self.refresher.close()
        except BaseException as exc:
            self.error = self.error or exc
        if self.error is not None:
            raise self.error
