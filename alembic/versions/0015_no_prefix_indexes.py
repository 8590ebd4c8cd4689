"""Drop five single-column indexes that a unique constraint's index already starts with

Each of these indexed one column that is also the first column of a unique constraint on the same
table, whose index serves the same lookups (an article's money mentions or claims, a deal's,
agreement's or event's parties, and the foreign keys' cascading deletes). Every loaded row paid
for both. Found with a catalogue query over ``pg_index`` on a 10,000-article database.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 05:45:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# table, column; the unique constraint that starts with the column stays
PREFIXES = (
    ("money_mentions", "article_id"),  # uq_money_mentions_article_id_char_start
    ("claims", "article_id"),  # uq_claims_article_id_char_start_attribute
    ("deal_parties", "deal_id"),  # uq_deal_parties_deal_id_entity_id_role
    ("agreement_parties", "agreement_id"),  # uq_agreement_parties_agreement_id_entity_id
    ("event_participants", "event_id"),  # uq_event_participants_event_id_entity_id
)


def upgrade() -> None:
    for table, column in PREFIXES:
        op.drop_index(op.f(f"ix_{table}_{column}"), table_name=table)


def downgrade() -> None:
    for table, column in PREFIXES:
        op.create_index(op.f(f"ix_{table}_{column}"), table, [column], unique=False)
