"""aid stages: pledged, delivered, withheld, cancelled; money year basis "context"

An aid allocation's stage gains the steps news reports between a request and a payment: pledged
(announced, agreed or committed: MoU, aid package, credit line), delivered (equipment handed over
or funds paid), withheld (suspended or conditioned) and cancelled (cancelled or reprogrammed away).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 17:45:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD = ("requested", "appropriated", "estimated", "actual", "projected", "change")
NEW = (*OLD, "pledged", "delivered", "withheld", "cancelled")
COMMENT_OLD = "requested, appropriated, estimated, actual, projected or change."
COMMENT_NEW = (
    "requested, pledged, appropriated, delivered, withheld, cancelled, estimated, actual, projected or change."
)

BASIS_OLD = "How the year was found: explicit, relative, fiscal, publication."
BASIS_NEW = (
    "How the year was found: explicit, relative, fiscal, publication, or context (an undated article's"
    " latest dated event before the amount)."
)


def _check(stages: tuple[str, ...]) -> str:
    return "stage IN (" + ", ".join(f"'{s}'" for s in stages) + ")"


def upgrade() -> None:
    op.drop_constraint(op.f("ck_aid_allocations_stage"), "aid_allocations", type_="check")
    op.create_check_constraint(op.f("ck_aid_allocations_stage"), "aid_allocations", _check(NEW))
    op.alter_column("aid_allocations", "stage", comment=COMMENT_NEW, existing_comment=COMMENT_OLD)
    op.alter_column("money_mentions", "year_basis", comment=BASIS_NEW, existing_comment=BASIS_OLD)


def downgrade() -> None:
    op.execute("UPDATE aid_allocations SET stage = 'projected' WHERE stage = 'pledged'")
    op.execute("UPDATE aid_allocations SET stage = 'actual' WHERE stage IN ('delivered', 'withheld', 'cancelled')")
    op.drop_constraint(op.f("ck_aid_allocations_stage"), "aid_allocations", type_="check")
    op.create_check_constraint(op.f("ck_aid_allocations_stage"), "aid_allocations", _check(OLD))
    op.alter_column("aid_allocations", "stage", comment=COMMENT_OLD, existing_comment=COMMENT_NEW)
    op.alter_column("money_mentions", "year_basis", comment=BASIS_OLD, existing_comment=BASIS_NEW)
