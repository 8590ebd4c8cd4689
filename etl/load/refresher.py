"""Refreshing the summary tables while a run goes on loading, on a thread and connection of their own.

A refresh during a run (etl/load/summaries.py) used to hold the write lock (``LOAD_LOCK``) and the
writer thread: no batch was written while it ran, the writer's queue filled, and the extraction
workers waited (275 s of theirs in a 20k run). Loading writes no summary table and a refresh writes
nothing else, so they need not take turns. A refresh here runs in one ``REPEATABLE READ``
transaction: it counts the articles committed before it began, as they were then, and its ledger
(``summary_articles``) records just those, so what commits meanwhile is left to the next refresh.

:data:`SUMMARY_LOCK` serialises the refreshes of every run on the database. A refresh takes it for
its session *before* its transaction begins: the snapshot of a ``REPEATABLE READ`` transaction is
taken at its first statement, so a lock awaited inside it would leave the refresh blind to the one
it waited for. A run's last refresh (its finalize transaction, etl/pipeline.py) takes it as well,
under the write lock.
"""

from __future__ import annotations

import queue
import threading
import time

from sqlalchemy import Connection, Engine, text

from etl.load import summaries

SUMMARY_LOCK = 0x41524D53554D4D41  # advisory lock serialising the summary refreshes of all runs ("ARMSUMMA")


def lock_summaries(conn: Connection) -> None:
    """Wait for this transaction's turn to refresh the summaries (released at commit or rollback)."""
    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": SUMMARY_LOCK})


class Refresher:
    """One summary refresh at a time, beside the loading. :meth:`request` starts one unless one is
    running and says whether it did; :meth:`wait` waits for the running one; :meth:`close` waits
    and stops the thread. Each re-raises the error of a failed refresh."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.requests: queue.SimpleQueue[bool | None] = queue.SimpleQueue()
        self.idle = threading.Event()
        self.idle.set()
        self.error: BaseException | None = None
        self.seconds = 0.0  # spent refreshing, waiting for the lock included
        self.recounted = 0  # articles the refreshes counted
        self.thread = threading.Thread(target=self._run, name="armsledger-refresher", daemon=True)

    def request(self) -> bool:
        self._raise()
        if not self.idle.is_set():
            return False
        self.idle.clear()
        if not self.thread.is_alive():
            self.thread.start()
        self.requests.put(True)
        return True

    def wait(self) -> None:
        self.idle.wait()
        self._raise()

    def close(self) -> None:
        if self.thread.is_alive():
            self.requests.put(None)
            self.thread.join()
        self._raise()

    def _raise(self) -> None:
        if self.error is not None:
            raise self.error

    def _run(self) -> None:
        conn: Connection | None = None
        try:
            while self.requests.get() is not None:
                try:  # no request follows an error: request() raises it instead
                    conn = conn or self.engine.connect().execution_options(isolation_level="REPEATABLE READ")
                    self._refresh(conn)
                except BaseException as exc:  # handed on by request(), wait() or close()
                    self.error = exc
                    if conn is not None:  # the session's lock goes with it (not back to the pool)
                        conn.invalidate()
                        conn.close()
                        conn = None
                finally:
                    self.idle.set()
        finally:
            if conn is not None:
                conn.close()

    def _refresh(self, conn: Connection) -> None:
        began = time.perf_counter()
        with conn.begin():
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": SUMMARY_LOCK})
        with conn.begin():
            self.recounted += summaries.refresh(conn, during_run=True)
        with conn.begin():
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": SUMMARY_LOCK})
        self.seconds += time.perf_counter() - began
