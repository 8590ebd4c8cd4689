"""ETL runs and the inputs they rejected."""

import datetime as dt

from sqlalchemy import BigInteger, Boolean, CheckConstraint, DateTime, ForeignKey, Integer, SmallInteger, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, created_at, in_list, intpk

RUN_STATUSES = ("running", "succeeded", "partial", "failed", "interrupted")


class EtlRun(Base):
    __tablename__ = "etl_runs"
    __table_args__ = (
        CheckConstraint(in_list("status", RUN_STATUSES), name="status"),
        {"comment": "One execution of `armsledger etl run`, with its counts and outcome."},
    )

    id: Mapped[intpk]
    started_at: Mapped[created_at]
    finished_at: Mapped[dt.datetime | None] = mapped_column(
        DateTime(timezone=True), comment="When the run ended; NULL while running."
    )
    status: Mapped[str] = mapped_column(
        Text,
        server_default="running",
        comment="running, succeeded, partial (some input rejected), failed (killed or crashed) "
        "or interrupted (Ctrl-C).",
    )
    pid: Mapped[int | None] = mapped_column(Integer, comment="Process id of the `etl run` that owns the run.")
    host: Mapped[str | None] = mapped_column(Text, comment="Host name of the machine the run ran on.")
    inputs: Mapped[str] = mapped_column(Text, server_default="", comment="Paths the run was given.")
    extractor_version: Mapped[str] = mapped_column(Text, comment="Version of the extraction rules used.")
    read_count: Mapped[int] = mapped_column(Integer, server_default="0", comment="Documents read.")
    loaded_count: Mapped[int] = mapped_column(Integer, server_default="0", comment="Articles inserted or replaced.")
    unchanged_count: Mapped[int] = mapped_column(
        Integer, server_default="0", comment="Articles already loaded with the same content and rules."
    )
    rejected_count: Mapped[int] = mapped_column(Integer, server_default="0", comment="Inputs rejected.")


class RejectedInput(Base):
    __tablename__ = "rejected_inputs"
    __table_args__ = ({"comment": "An input file, line or reviewed fact that a run could not load, and why."},)

    id: Mapped[intpk]
    etl_run_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("etl_runs.id", ondelete="CASCADE"), index=True, comment="The run."
    )
    path: Mapped[str] = mapped_column(Text, comment="File that was rejected.")
    line: Mapped[int | None] = mapped_column(Integer, comment="Line number within the file, if any.")
    reason: Mapped[str] = mapped_column(Text, comment="Why it was rejected, in plain words.")
    rejected_at: Mapped[created_at]


class RefreshState(Base):
    __tablename__ = "refresh_state"
    __table_args__ = (
        CheckConstraint("id = 1", name="single_row"),
        {
            "comment": "Whether the facts derived from the whole corpus (discrepancies, deal statuses) are "
            "current. One row; the ETL marks it pending when it writes and recomputes only then."
        },
    )

    id: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=False, comment="Always 1.")
    pending: Mapped[bool] = mapped_column(
        Boolean,
        server_default="true",
        comment="True when articles, entities or aliases changed since the derived facts were last recomputed.",
    )
    inputs_digest: Mapped[str | None] = mapped_column(
        Text,
        comment="Digest of what else the last recompute depended on: the extraction rules, the reviewed-facts "
        "file and the recompute's own SQL. A different digest means recompute.",
    )
    refreshed_at: Mapped[dt.datetime | None] = mapped_column(
        DateTime(timezone=True), comment="When the derived facts were last recomputed."
    )
