"""loading at scale: run liveness, raw digests, syndication fingerprints

- ``etl_runs``: the owning process (``pid``, ``host``) and the status ``interrupted`` (Ctrl-C);
  a run whose process died is closed as ``failed`` by the next run (see etl/load/runs.py).
- ``articles.raw_digest``: a re-run skips an unchanged input without cleaning or extracting it.
- ``article_fingerprints`` / ``article_shingles``: winnowed narrative-shingle hashes of original
  articles, so the syndication check looks up a new article's few candidates through an index.

- ``jit = off`` for the database: the catalogue queries are short, and JIT compiling their plans
  cost over a second each (1.46 s of 1.74 s for ``arms_deals`` on 300 articles).

Existing articles get their fingerprints from the next ``etl run`` (it backfills any original
without them), so this revision only changes the schema.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_STATUSES = "status IN ('running', 'succeeded', 'partial', 'failed')"
NEW_STATUSES = "status IN ('running', 'succeeded', 'partial', 'failed', 'interrupted')"
STATUS_COMMENT = "running, succeeded, partial (some input rejected), failed (killed or crashed) or interrupted (Ctrl-C)."


JIT = "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I {}', current_database()); END $$"


def upgrade() -> None:
    op.execute(JIT.format("SET jit = off"))
    op.drop_constraint(op.f("ck_etl_runs_status"), "etl_runs", type_="check")
    op.create_check_constraint("status", "etl_runs", NEW_STATUSES)
    op.alter_column("etl_runs", "status", comment=STATUS_COMMENT, existing_type=sa.Text())
    op.add_column("etl_runs", sa.Column("pid", sa.Integer(), comment="Process id of the `etl run` that owns the run."))
    op.add_column("etl_runs", sa.Column("host", sa.Text(), comment="Host name of the machine the run ran on."))
    op.add_column(
        "articles",
        sa.Column(
            "raw_digest",
            sa.Text(),
            comment="SHA-256 of the raw document, its metadata and the extraction rules: an unchanged input is "
            "skipped on a re-run without cleaning it.",
        ),
    )
    op.create_index(op.f("ix_articles_raw_digest"), "articles", ["raw_digest"])
    op.create_table(
        "article_fingerprints",
        sa.Column(
            "article_id",
            sa.BigInteger(),
            sa.ForeignKey("articles.id", ondelete="CASCADE", name=op.f("fk_article_fingerprints_article_id_articles")),
            primary_key=True,
            comment="The article (an original, not a syndicated copy).",
        ),
        sa.Column("shingle_count", sa.Integer(), nullable=False, comment="Distinct narrative shingles in its body."),
        sa.PrimaryKeyConstraint("article_id", name=op.f("pk_article_fingerprints")),
        comment="One row per original article whose narrative shingles are indexed.",
    )
    op.create_table(
        "article_shingles",
        sa.Column(
            "article_id",
            sa.BigInteger(),
            sa.ForeignKey("articles.id", ondelete="CASCADE", name=op.f("fk_article_shingles_article_id_articles")),
            nullable=False,
            comment="The article.",
        ),
        sa.Column(
            "shingle",
            sa.BigInteger(),
            nullable=False,
            comment="64-bit hash of one 8-word narrative shingle chosen by winnowing.",
        ),
        sa.PrimaryKeyConstraint("article_id", "shingle", name=op.f("pk_article_shingles")),
        comment="Winnowed hashes of an original article's narrative shingles (the syndication index).",
    )
    op.create_index(op.f("ix_article_shingles_shingle"), "article_shingles", ["shingle"])


def downgrade() -> None:
    op.execute(JIT.format("RESET jit"))
    op.drop_index(op.f("ix_article_shingles_shingle"), table_name="article_shingles")
    op.drop_table("article_shingles")
    op.drop_table("article_fingerprints")
    op.drop_index(op.f("ix_articles_raw_digest"), table_name="articles")
    op.drop_column("articles", "raw_digest")
    op.drop_column("etl_runs", "host")
    op.drop_column("etl_runs", "pid")
    op.execute("UPDATE etl_runs SET status = 'failed' WHERE status = 'interrupted'")  # keeps every row
    op.drop_constraint(op.f("ck_etl_runs_status"), "etl_runs", type_="check")
    op.create_check_constraint("status", "etl_runs", OLD_STATUSES)
    op.alter_column(
        "etl_runs",
        "status",
        comment="running, succeeded, partial (some input rejected) or failed.",
        existing_type=sa.Text(),
    )
