"""Indexes that page the officials listing and an entity's profile; one redundant index fewer

- ``entities (name, id)``: ``officials`` reads people in name order and stops after its first
  ``limit`` posts, instead of sorting every post (110k posts at 100k articles: 285 ms).
- ``entity_profile`` lists each kind of fact about an entity, and the articles that mention it,
  newest first, and stops after ``limit`` of each: every single-column index from an entity to
  its facts becomes ``(entity column, fact id)`` (the single-column one is its prefix, so it goes),
  and ``positions (organization_entity_id, id)`` is new (posts at an organization had no index).
  Before, the profile of an entity in 219k articles grouped every mention (2.6 s).
- ``mentions (article_id)`` is dropped: the unique ``(article_id, char_start, entity_id)`` serves
  the same lookups, and every loaded mention paid for both.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 00:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, new index, its columns, the index it replaces or None)
INDEXES = (
    ("entities", "ix_entities_name_id", ("name", "id"), None),
    ("mentions", "ix_mentions_entity_id_article_id", ("entity_id", "article_id"), "ix_mentions_entity_id"),
    ("positions", "ix_positions_person_entity_id_id", ("person_entity_id", "id"), "ix_positions_person_entity_id"),
    ("positions", "ix_positions_organization_entity_id_id", ("organization_entity_id", "id"), None),
    ("quotes", "ix_quotes_speaker_entity_id_id", ("speaker_entity_id", "id"), "ix_quotes_speaker_entity_id"),
    ("deals", "ix_deals_buyer_entity_id_id", ("buyer_entity_id", "id"), "ix_deals_buyer_entity_id"),
    ("deal_parties", "ix_deal_parties_entity_id_deal_id", ("entity_id", "deal_id"), "ix_deal_parties_entity_id"),
    (
        "aid_allocations",
        "ix_aid_allocations_donor_entity_id_id",
        ("donor_entity_id", "id"),
        "ix_aid_allocations_donor_entity_id",
    ),
    (
        "aid_allocations",
        "ix_aid_allocations_recipient_entity_id_id",
        ("recipient_entity_id", "id"),
        "ix_aid_allocations_recipient_entity_id",
    ),
    (
        "agreement_parties",
        "ix_agreement_parties_entity_id_agreement_id",
        ("entity_id", "agreement_id"),
        "ix_agreement_parties_entity_id",
    ),
    (
        "event_participants",
        "ix_event_participants_entity_id_event_id",
        ("entity_id", "event_id"),
        "ix_event_participants_entity_id",
    ),
)
REDUNDANT = ("mentions", "ix_mentions_article_id", ("article_id",))


def upgrade() -> None:
    for table, name, columns, replaces in INDEXES:
        op.create_index(name, table, list(columns))
        if replaces:
            op.drop_index(replaces, table_name=table)
    op.drop_index(REDUNDANT[1], table_name=REDUNDANT[0])


def downgrade() -> None:
    op.create_index(REDUNDANT[1], REDUNDANT[0], list(REDUNDANT[2]))
    for table, name, columns, replaces in reversed(INDEXES):
        if replaces:
            op.create_index(replaces, table, [columns[0]])
        op.drop_index(name, table_name=table)
