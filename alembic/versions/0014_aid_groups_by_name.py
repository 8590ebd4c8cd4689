"""Aid groups in name order, by index: aid_by_year reads a page of groups, not every allocation

``aid_by_year`` lists allocations by fiscal year, donor name and recipient name. Revision 0013
gave each fiscal year, donor and recipient a row in ``aid_groups``, but the names still came from
``entities``, so the groups had to be joined and sorted on every call. On generated news the groups
are many (15,849 groups for 29,240 allocations at 10,000 articles), so that sort was no cheaper
than sorting the allocations.

- ``aid_groups.donor_name`` and ``recipient_name``: the entities' names, written with the group
  (the ETL never renames an entity; after a hand edit of ``entities.name``, ``summaries.rebuild``
  writes them again).
- ``ix_aid_groups_listing``: the groups in the listing's order (fiscal year, NULL last, then donor
  and recipient name), so a page reads its groups from the index and each group's allocations
  through ``ix_aid_allocations_group``.
- ``analytics.aid_groups`` gives the stored names.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 05:30:00
"""

import importlib.util
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa

from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _revision(filename: str):  # an earlier revision's definitions
    spec = importlib.util.spec_from_file_location(filename[:-3], Path(__file__).with_name(filename))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


V2 = _revision("0002_analytics_views.py")
OLD_VIEW = _revision("0013_aid_groups.py").GROUPS_VIEW
NEW_SQL = """
    SELECT nullif(g.fiscal_year, 0) AS fiscal_year, nullif(g.donor_id, 0) AS donor_id, g.donor_name AS donor,
           nullif(g.recipient_id, 0) AS recipient_id, g.recipient_name AS recipient
    FROM public.aid_groups g
    """
NAMES = """
UPDATE aid_groups g SET donor_name = (SELECT e.name FROM entities e WHERE e.id = g.donor_id),
                        recipient_name = (SELECT e.name FROM entities e WHERE e.id = g.recipient_id)
"""


def _view(sql: str) -> None:
    view = OLD_VIEW
    op.execute(f"CREATE OR REPLACE VIEW analytics.{view.name} AS {sql.strip()}")
    op.execute(f"COMMENT ON VIEW analytics.{view.name} IS {V2._literal(view.comment)}")
    for column, comment in view.columns.items():
        op.execute(f"COMMENT ON COLUMN analytics.{view.name}.{column} IS {V2._literal(comment)}")


def upgrade() -> None:
    op.add_column(
        "aid_groups", sa.Column("donor_name", sa.Text(), nullable=True, comment="The donor's name; NULL for none.")
    )
    op.add_column(
        "aid_groups",
        sa.Column("recipient_name", sa.Text(), nullable=True, comment="The recipient's name; NULL for none."),
    )
    op.execute(NAMES)
    op.execute("CREATE INDEX ix_aid_groups_listing ON aid_groups (nullif(fiscal_year, 0), donor_name, recipient_name)")
    _view(NEW_SQL)


def downgrade() -> None:
    _view(OLD_VIEW.sql)
    op.execute("DROP INDEX ix_aid_groups_listing")
    op.drop_column("aid_groups", "recipient_name")
    op.drop_column("aid_groups", "donor_name")
