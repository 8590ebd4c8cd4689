"""The syndication index holds each original's publication date

A new article's candidates are the originals that share a shingle hash with it and were published
within 31 days of it. The date lived only on ``articles``, so every lookup joined each posting to
its article, and the planner read every article of the two-month window (or, with the statistics
of the still empty tables a first load starts with, the whole table) to do it: the lookups cost
grew with the corpus, from 0.1 to 7.4 ms per article over a 3,000-article load. With the date
beside the hash, and both in the index on the hash, a lookup reads the postings of its hashes and
nothing else.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 22:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "article_shingles",
        sa.Column(
            "published_on",
            sa.Date(),
            nullable=True,
            comment="The article's publication date (a copy of articles.published_on), so a lookup needs no join.",
        ),
    )
    op.execute(
        "UPDATE article_shingles s SET published_on = a.published_on FROM articles a "
        "WHERE a.id = s.article_id AND a.published_on IS NOT NULL"
    )
    op.drop_index(op.f("ix_article_shingles_shingle"), table_name="article_shingles")
    op.create_index(
        op.f("ix_article_shingles_shingle"),
        "article_shingles",
        ["shingle"],
        postgresql_include=["published_on", "article_id"],
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_article_shingles_shingle"), table_name="article_shingles")
    op.create_index(op.f("ix_article_shingles_shingle"), "article_shingles", ["shingle"])
    op.drop_column("article_shingles", "published_on")
