"""The syndication index holds each original's publication date and all its shingle hashes

A new article's candidates are the originals that share a shingle hash with it and were published
within 31 days of it. The date lived only on ``articles``, so every lookup joined each posting to
its article, and the planner read every article of the two-month window (or, with the statistics
of the still empty tables a first load starts with, the whole table) to do it: the lookups cost
grew with the corpus, from 0.1 to 7.4 ms per article over a 3,000-article load. With the date
beside the hash, and both in the index on the hash, a lookup reads the postings of its hashes and
nothing else.

A candidate is then judged on all the shingle hashes of its body. Those were hashed again from
the body whenever the writer no longer held them in memory (it keeps the 4,096 originals it loaded
or judged last, and a corpus loaded out of date order finds its candidates among all of them),
which about 54,000 articles into a 100,000-article run was 42% of the writer's time.
``article_fingerprints.shingles`` stores them (about 4.8 KB an original in base64); this
revision hashes the bodies of the originals already indexed.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 22:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op
from etl.load.fingerprints import pack, shingle_set

CHUNK = 500  # originals hashed per round trip

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "article_fingerprints",
        sa.Column(
            "shingles",
            sa.Text(),
            nullable=True,
            comment="Every narrative shingle hash of its body (sorted, 8 bytes each, little-endian, in base64), so a "
            "new article is judged against it without re-reading the body.",
        ),
    )
    conn = op.get_bind()
    last = 0
    while rows := conn.execute(
        sa.text(
            "SELECT f.article_id, a.body FROM article_fingerprints f JOIN articles a ON a.id = f.article_id "
            "WHERE f.article_id > :last ORDER BY f.article_id LIMIT :n"
        ),
        {"last": last, "n": CHUNK},
    ).all():
        conn.execute(
            sa.text("UPDATE article_fingerprints SET shingles = :s WHERE article_id = :a"),
            [{"a": article_id, "s": pack(shingle_set(body))} for article_id, body in rows],
        )
        last = rows[-1][0]
    op.alter_column("article_fingerprints", "shingles", nullable=False)
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
    op.drop_column("article_fingerprints", "shingles")
