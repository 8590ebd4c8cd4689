"""The refresh state: recompute discrepancies and deal statuses only when their inputs changed

Until now every ``etl run`` recomputed every discrepancy and the latest status of every deal over
the whole database, even when it loaded nothing (11% of the first load's time at 10,000
articles). ``refresh_state`` holds one row: ``pending``, set in the same transaction as any write
of articles, entities or aliases and cleared in the transaction that recomputes, and the digest of
the rest of the recompute's inputs (rules, reviewed facts, its own SQL). The row starts pending,
so the first run after this revision recomputes.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "refresh_state",
        sa.Column("id", sa.SmallInteger(), autoincrement=False, nullable=False, comment="Always 1."),
        sa.Column("pending", sa.Boolean(), server_default="true", nullable=False,
                  comment="True when articles, entities or aliases changed since the derived facts were "
                  "last recomputed."),
        sa.Column("inputs_digest", sa.Text(), nullable=True,
                  comment="Digest of what else the last recompute depended on: the extraction rules, the "
                  "reviewed-facts file and the recompute's own SQL. A different digest means recompute."),
        sa.Column("refreshed_at", sa.DateTime(timezone=True), nullable=True,
                  comment="When the derived facts were last recomputed."),
        sa.CheckConstraint("id = 1", name=op.f("ck_refresh_state_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refresh_state")),
        comment="Whether the facts derived from the whole corpus (discrepancies, deal statuses) are current. "
        "One row; the ETL marks it pending when it writes and recomputes only then.",
    )
    op.execute("INSERT INTO refresh_state (id, pending) VALUES (1, true)")


def downgrade() -> None:
    op.drop_table("refresh_state")
