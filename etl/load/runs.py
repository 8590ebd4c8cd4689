"""Recording ETL runs and rejected inputs."""

from __future__ import annotations

from sqlalchemy import Connection, Engine, insert, update
from sqlalchemy.sql import func

from etl.records import Rejection
from models import EtlRun, RejectedInput


def start_run(engine: Engine, inputs: str, extractor_version: str) -> int:
    with engine.begin() as conn:
        return conn.execute(
            insert(EtlRun).values(inputs=inputs, extractor_version=extractor_version).returning(EtlRun.id)
        ).scalar_one()


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
) -> None:
    status = "failed" if failed else ("partial" if rejected else "succeeded")
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
