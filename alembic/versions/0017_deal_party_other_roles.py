"""An entity's deal roles other than buyer, read newest first by index

``entity_profile`` lists the deals an entity buys, then the deals where it has another role. The
second list read every deal party row of the entity, newest first, and skipped its buyer rows,
which for a frequent buyer are most of them (2,072 of 2,284 for the most-mentioned entity of a
1,000-article corpus). A partial index on the rows that are not buyer rows makes that list one
index range, cut at the page; it holds only those rows, so a load maintains a small index.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 02:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_deal_parties_other_roles"


def upgrade() -> None:
    op.create_index(INDEX, "deal_parties", ["entity_id", "deal_id"], postgresql_where=sa.text("role <> 'buyer'"))


def downgrade() -> None:
    op.drop_index(INDEX, table_name="deal_parties")
