"""Recording ETL runs and rejected inputs, and knowing which runs are still alive.

A run holds a session advisory lock on its own id for as long as its process lives. A run left
``running`` whose lock is free belongs to a process that was killed (SIGKILL, power loss): the
next run closes it as ``failed``. Every write of a batch takes :data:`LOAD_LOCK` for its
transaction, so several runs on several machines can extract in parallel and take turns to
write, coordinated by the database itself (summary refreshes take a lock of their own:
etl/load/refresher.py).
"""

from __future__ import annotations

import contextlib
import os
import socket

from sqlalchemy import Connection, Engine, insert, text, update
from sqlalchemy.sql import func

from etl.records import Rejection
from models import EtlRun, RejectedInput

RUN_LOCK_SPACE = 0x41524D  # advisory-lock namespace of run ids ("ARM")
LOAD_LOCK = 0x41524D534C4F4144  # one advisory lock serialising the write transactions of all runs


class RunHandle:
    """A started run: its id and the connection whose advisory lock says it is alive."""

    def __init__(self, engine: Engine, inputs: str, extractor_version: str) -> None:
        self.closed_stale = close_stale_runs(engine)
        self.conn = engine.connect()
        with self.conn.begin():
            self.run_id = self.conn.execute(
                insert(EtlRun)
                .values(inputs=inputs, extractor_version=extractor_version, pid=os.getpid(), host=socket.gethostname())
                .returning(EtlRun.id)
            ).scalar_one()
            self.conn.execute(
                text("SELECT pg_advisory_lock(CAST(:s AS integer), CAST(:r AS integer))"),
                {"s": RUN_LOCK_SPACE, "r": self.run_id},
            )

    def release(self) -> None:
        with contextlib.suppress(Exception):  # the server may be gone: the lock died with the session
            self.conn.close()  # closing the session releases its advisory lock


def close_stale_runs(engine: Engine) -> list[int]:
    """Mark ``failed`` every ``running`` run whose process is gone; return their ids."""
    closed = []
    with engine.begin() as conn:
        running = conn.execute(text("SELECT id FROM etl_runs WHERE status = 'running' ORDER BY id")).scalars().all()
        for run_id in running:
            free = conn.execute(
                text("SELECT pg_try_advisory_xact_lock(CAST(:s AS integer), CAST(:r AS integer))"),
                {"s": RUN_LOCK_SPACE, "r": run_id},
            ).scalar_one()
            if free:
                conn.execute(
                    update(EtlRun)
                    .where(EtlRun.id == run_id, EtlRun.status == "running")
                    .values(status="failed", finished_at=func.now())
                )
                closed.append(run_id)
    return closed


def lock_writes(conn: Connection) -> None:
    """Wait for this transaction's turn to write (released at commit or rollback)."""
    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": LOAD_LOCK})


def record_rejection(conn: Connection, run_id: int, rejection: Rejection) -> None:
    conn.execute(
        insert(RejectedInput).values(
            etl_run_id=run_id, path=rejection.source_path, line=rejection.source_line, reason=rejection.reason
        )
    )


def finish_run(
    engine: Engine,
    run_id: int,
    *,
    read: int,
    loaded: int,
    unchanged: int,
    rejected: int,
    failed: bool = False,
    interrupted: bool = False,
) -> None:
    status = "interrupted" if interrupted else "failed" if failed else ("partial" if rejected else "succeeded")
    with engine.begin() as conn:
        conn.execute(
            update(EtlRun)
            .where(EtlRun.id == run_id)
            .values(
                finished_at=func.now(),
                status=status,
                read_count=read,
                loaded_count=loaded,
                unchanged_count=unchanged,
                rejected_count=rejected,
            )
        )
