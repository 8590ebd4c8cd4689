"""Indexes that serve the row-listing queries' order, so their first page is cheap

``article_entities``, ``money_mentions``, ``articles``, ``co_mentions`` and ``corroboration`` list
one row per mention, article, pair or fact, and now return their first ``limit`` rows (1000 by
default, ``all`` for every row). Each ORDER BY is served by an index, so Postgres reads that many
rows in order and stops instead of aggregating and sorting the whole corpus:

- ``articles (lower(source_file), id)``: article by article in file-name order, and the
  case-insensitive ``source_file`` lookup; ``articles (published_on, source_file, id)``;
- ``entity_pairs (articles)``: pairs most co-mentioned first;
- ``fact_support (sources, articles)``: facts with the most sources first, through the new view
  ``analytics.stated_facts`` (the rows of ``analytics.corroboration`` that at least one article
  states, joined to their fact one by one rather than to every fact at once).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 09:30:00
"""

import importlib.util
from collections.abc import Sequence
from pathlib import Path

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_spec = importlib.util.spec_from_file_location("rev0002", Path(__file__).with_name("0002_analytics_views.py"))
_rev0002 = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_rev0002)
View, lit = _rev0002.View, _rev0002._literal
CORROBORATION = next(v for v in _rev0002.VIEWS if v.name == "corroboration")

# (index name, table, indexed columns or expressions)
INDEXES = (
    ("ix_articles_source_file_lower", "articles", "lower(source_file), id"),
    ("ix_articles_published_on", "articles", "published_on, source_file, id"),
    ("ix_entity_pairs_articles", "entity_pairs", "articles"),
    ("ix_fact_support_sources", "fact_support", "sources, articles"),
)

STATED_FACTS = View(
    "stated_facts",
    "One row per current fact or quote that at least one article states, with how many articles and "
    "independent sources state it (the rows of corroboration with sources > 0).",
    CORROBORATION.columns,
    # LIMIT 1 keeps the fact lookup a per-row index probe into each branch of analytics.facts
    # ((fact_type, fact_id) is unique there), so reading fact_support in index order stops early.
    """
    SELECT s.fact_type, s.fact_id, f.fact, f.review_status, s.articles, s.sources, s.publishers,
           s.source_files, s.first_published_on, s.last_published_on
    FROM public.fact_support s
    CROSS JOIN LATERAL (
        SELECT x.fact, x.review_status FROM analytics.facts x
        WHERE x.fact_type = s.fact_type AND x.fact_id = s.fact_id
        LIMIT 1
    ) f
    """,
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.execute(f"CREATE INDEX {name} ON {table} ({columns})")
    view = STATED_FACTS
    op.execute(f"CREATE VIEW analytics.{view.name} AS {view.sql.strip()}")
    op.execute(f"COMMENT ON VIEW analytics.{view.name} IS {lit(view.comment)}")
    for column, comment in view.columns.items():
        op.execute(f"COMMENT ON COLUMN analytics.{view.name}.{column} IS {lit(comment)}")


def downgrade() -> None:
    op.execute(f"DROP VIEW analytics.{STATED_FACTS.name}")
    for name, _table, _columns in INDEXES:
        op.execute(f"DROP INDEX {name}")
