"""Aid groups: each fiscal year, donor and recipient of the current aid allocations, by index

``aid_by_year`` lists allocations by fiscal year, donor name and recipient name. Names live in
``entities``, so no index gives that order: every call joined and sorted every current allocation
(385,000 at 97,400 articles: 600 ms, growing with the corpus).

- ``aid_groups`` (summary, kept by etl/load/summaries.py): each fiscal year, donor and recipient
  that current allocations have, 0 for none. A few thousand rows, whatever the corpus.
- ``ix_aid_allocations_group``: the current allocations of one group, by index.
- ``analytics.aid_groups`` names them. (A query that sorts the groups by name and reads each
  group's allocations by index was measured and reverted: on real loads the planner left the
  incremental plan; the query file still sorts every allocation. See docs/benchmarks.md.)
- ``analytics.aid`` gives ``donor_id`` and ``recipient_id`` from the allocation's own columns
  instead of the joined entity's id. The values are the same (a foreign key, SET NULL on delete),
  and a filter on them can now use the allocation's indexes.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 03:20:00
"""

import importlib.util
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa

from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _revision(filename: str):  # an earlier revision's definitions
    spec = importlib.util.spec_from_file_location(filename[:-3], Path(__file__).with_name(filename))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


V2 = _revision("0002_analytics_views.py")
OLD_AID = _revision("0008_query_speed_deals.py").NEW_SQL["aid"]
NEW_AID = OLD_AID.replace("dn.id AS donor_id", "x.donor_entity_id AS donor_id").replace(
    "rc.id AS recipient_id", "x.recipient_entity_id AS recipient_id"
)
assert NEW_AID.count("x.donor_entity_id AS donor_id") == 1 and NEW_AID.count("x.recipient_entity_id AS") == 1

GROUP_KEY = "coalesce(fiscal_year, 0), coalesce(donor_entity_id, 0), coalesce(recipient_entity_id, 0)"
FILL = f"""
INSERT INTO aid_groups (fiscal_year, donor_id, recipient_id)
SELECT DISTINCT {GROUP_KEY} FROM aid_allocations WHERE superseded_by_id IS NULL
"""  # noqa: S608  (constants only)

GROUPS_VIEW = V2.View(
    "aid_groups",
    "One row per fiscal year, donor and recipient that current aid allocations have (it may also keep one "
    "whose allocations have since been superseded): aid listings page through it in name order.",
    {
        "fiscal_year": "Fiscal year; NULL for allocations without one.",
        "donor_id": "Entity id of the donor; NULL for none.",
        "donor": "Donor country or body.",
        "recipient_id": "Entity id of the recipient; NULL for none.",
        "recipient": "Recipient country or body.",
    },
    """
    SELECT nullif(g.fiscal_year, 0) AS fiscal_year, nullif(g.donor_id, 0) AS donor_id, dn.name AS donor,
           nullif(g.recipient_id, 0) AS recipient_id, rc.name AS recipient
    FROM public.aid_groups g
    LEFT JOIN public.entities dn ON dn.id = g.donor_id
    LEFT JOIN public.entities rc ON rc.id = g.recipient_id
    """,
)


def upgrade() -> None:
    op.create_table(
        "aid_groups",
        sa.Column("fiscal_year", sa.Integer(), nullable=False, comment="Fiscal year; 0 for none."),
        sa.Column("donor_id", sa.BigInteger(), nullable=False, comment="Entity id of the donor; 0 for none."),
        sa.Column("recipient_id", sa.BigInteger(), nullable=False, comment="Entity id of the recipient; 0 for none."),
        sa.PrimaryKeyConstraint("fiscal_year", "donor_id", "recipient_id", name=op.f("pk_aid_groups")),
        comment="Each fiscal year, donor and recipient that current aid allocations have (summary): aid listings "
        "can page through them in name order. May keep a group whose allocations have gone.",
    )
    op.execute(f"CREATE INDEX ix_aid_allocations_group ON aid_allocations ({GROUP_KEY}) WHERE superseded_by_id IS NULL")
    op.execute(FILL)
    op.execute(f"CREATE OR REPLACE VIEW analytics.aid AS {NEW_AID.strip()}")
    view = GROUPS_VIEW
    op.execute(f"CREATE VIEW analytics.{view.name} AS {view.sql.strip()}")
    op.execute(f"COMMENT ON VIEW analytics.{view.name} IS {V2._literal(view.comment)}")
    for column, comment in view.columns.items():
        op.execute(f"COMMENT ON COLUMN analytics.{view.name}.{column} IS {V2._literal(comment)}")


def downgrade() -> None:
    op.execute(f"DROP VIEW analytics.{GROUPS_VIEW.name}")
    op.execute(f"CREATE OR REPLACE VIEW analytics.aid AS {OLD_AID.strip()}")
    op.execute("DROP INDEX ix_aid_allocations_group")
    op.drop_table("aid_groups")
