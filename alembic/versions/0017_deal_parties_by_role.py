"""An entity's deal parties by role, read newest first by index

``entity_profile`` lists the deals an entity buys and the deals where it has another role, newest
first. Both lists read the entity's deal party rows through ``(entity_id, deal_id)`` and skipped the
rows of the other kind: a frequent buyer's other roles skipped its buyer rows (2,072 of 2,284 for
the most-mentioned entity of a generated 1,000-article corpus, probing ``deals`` twice for each),
and a supplier's buyer rows skipped all of its rows when it bought nothing. The index on the entity
now has the role second, so an entity's buyer rows are one range in deal order, and a partial index
holds the rows that are not buyer rows, in deal order too: each list is one index range, cut at the
page. The entity still leads the first index, which serves deletes that cascade from ``entities``.

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

OLD = "ix_deal_parties_entity_id_deal_id"
BY_ROLE = "ix_deal_parties_entity_id_role_deal_id"
OTHER_ROLES = "ix_deal_parties_other_roles"


def upgrade() -> None:
    op.create_index(BY_ROLE, "deal_parties", ["entity_id", "role", "deal_id"])
    op.create_index(OTHER_ROLES, "deal_parties", ["entity_id", "deal_id"], postgresql_where=sa.text("role <> 'buyer'"))
    op.drop_index(OLD, table_name="deal_parties")


def downgrade() -> None:
    op.create_index(OLD, "deal_parties", ["entity_id", "deal_id"])
    op.drop_index(OTHER_ROLES, table_name="deal_parties")
    op.drop_index(BY_ROLE, table_name="deal_parties")
