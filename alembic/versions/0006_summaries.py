"""summary tables for catalogue queries at scale; country-code indexes

At a million articles, the views that aggregated every evidence or mention row on each call
(``corroboration`` and every fact view built on it, ``entities``, ``find_entities``, co-mentions)
read summary tables instead, which the ETL keeps right at the end of each run
(etl/load/summaries.py): ``fact_support``, ``entity_stats``, ``entity_surfaces``,
``entity_pairs``, and three ledgers of what was counted per article. The views keep their
columns, names and comments and give the same rows; ``analytics.entity_pairs`` is new (the
``co_mentions`` query reads it). Country-code indexes make the per-row country lookups of
``countries``, ``deal_parties`` and ``deals.buyer_country`` index scans.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 19:30:00
"""

import importlib.util
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa

from alembic import op
from etl.load.summaries import rebuild

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _revision(filename: str):  # an earlier revision's definitions, to restore them on downgrade
    spec = importlib.util.spec_from_file_location(filename[:-3], Path(__file__).with_name(filename))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


V2 = _revision("0002_analytics_views.py")
V4 = _revision("0004_bi_views.py")
OLD = {v.name: v for v in V2.VIEWS}
lit = V2._literal

COUNTRY_INDEXES = (("entities", "country_code"), ("deal_parties", "country_code"), ("positions", "country_code"))

NEW_SQL = {
    "corroboration": """
        SELECT f.fact_type, f.fact_id, f.fact, f.review_status, coalesce(s.articles, 0) AS articles,
               coalesce(s.sources, 0) AS sources, s.publishers, s.source_files, s.first_published_on,
               s.last_published_on
        FROM analytics.facts f
        LEFT JOIN public.fact_support s ON s.fact_type = f.fact_type AND s.fact_id = f.fact_id
        """,
    "entities": """
        SELECT e.id AS entity_id, e.name AS entity, e.entity_type, e.country_code, c.country, e.wikidata_id,
               e.description, e.origin,
               (SELECT string_agg(al.alias, ', ' ORDER BY al.alias)
                FROM public.entity_aliases al WHERE al.entity_id = e.id) AS aliases,
               coalesce(s.mentions, 0) AS mentions, coalesce(s.articles, 0) AS articles,
               coalesce(s.sources, 0) AS sources
        FROM public.entities e
        LEFT JOIN analytics.countries c ON c.country_code = e.country_code
        LEFT JOIN public.entity_stats s ON s.entity_id = e.id
        """,
}

PAIRS_VIEW = V2.View(
    "entity_pairs",
    "One row per pair of entities mentioned in the same articles (the first alphabetically is entity a).",
    {
        "entity_a_id": "Entity id of the first entity.", "entity_a": "First entity (alphabetically).",
        "entity_a_type": "Type of the first entity.", "entity_b_id": "Entity id of the second entity.",
        "entity_b": "Second entity.", "entity_b_type": "Type of the second entity.",
        "articles": "Distinct articles that mention both.",
        "sources": "Independent sources that mention both: syndicated copies of one wire story count once.",
    },
    """
    SELECT CASE WHEN o.a_first THEN a.id ELSE b.id END AS entity_a_id,
           CASE WHEN o.a_first THEN a.name ELSE b.name END AS entity_a,
           CASE WHEN o.a_first THEN a.entity_type ELSE b.entity_type END AS entity_a_type,
           CASE WHEN o.a_first THEN b.id ELSE a.id END AS entity_b_id,
           CASE WHEN o.a_first THEN b.name ELSE a.name END AS entity_b,
           CASE WHEN o.a_first THEN b.entity_type ELSE a.entity_type END AS entity_b_type,
           p.articles, p.sources
    FROM public.entity_pairs p
    JOIN public.entities a ON a.id = p.entity_a_id
    JOIN public.entities b ON b.id = p.entity_b_id
    CROSS JOIN LATERAL (SELECT (a.name, a.id) < (b.name, b.id) AS a_first) o
    """,
)

OLD_FIND = V4.FIND_ENTITIES.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1)
NEW_FIND = OLD_FIND.replace(
    "UNION ALL SELECT DISTINCT m.entity_id, m.surface, 4, 'as written' FROM public.mentions m",
    "UNION ALL SELECT s.entity_id, s.surface, 4, 'as written' FROM public.entity_surfaces s",
).replace(
    "(SELECT count(*) FROM public.mentions m WHERE m.entity_id = b.entity_id)",
    "coalesce((SELECT st.mentions FROM public.entity_stats st WHERE st.entity_id = b.entity_id), 0::bigint)",
)
assert NEW_FIND.count("entity_surfaces") == 1 and NEW_FIND.count("entity_stats") == 1


def _entity_fk(table: str, column: str) -> sa.ForeignKey:
    return sa.ForeignKey("entities.id", ondelete="CASCADE", name=op.f(f"fk_{table}_{column}_entities"))


def _create_tables() -> None:
    big, txt = sa.BigInteger(), sa.Text()
    op.create_table(
        "summary_articles",
        sa.Column("article_id", big, autoincrement=False, nullable=False,
                  comment="The article (no foreign key: kept until recounted)."),
        sa.Column("source_id", big, nullable=False,
                  comment="Its independent source when counted: the original of a copy, else itself."),
        sa.PrimaryKeyConstraint("article_id", name=op.f("pk_summary_articles")),
        comment="Ledger: each article the summary tables count, with its source when counted.",
    )
    op.create_index(op.f("ix_summary_articles_source_id"), "summary_articles", ["source_id"])
    op.create_table(
        "summary_article_surfaces",
        sa.Column("article_id", big, nullable=False, comment="The article."),
        sa.Column("entity_id", big, _entity_fk("summary_article_surfaces", "entity_id"), nullable=False,
                  comment="The entity."),
        sa.Column("surface", txt, nullable=False, comment="Text as it appears in the article."),
        sa.Column("mentions", sa.Integer(), nullable=False,
                  comment="Mentions of the entity in that form in the article."),
        sa.PrimaryKeyConstraint("article_id", "entity_id", "surface", name=op.f("pk_summary_article_surfaces")),
        comment="Ledger: mentions counted per article, entity and written form.",
    )
    op.create_index(op.f("ix_summary_article_surfaces_entity_id"), "summary_article_surfaces", ["entity_id"])
    op.create_table(
        "summary_article_facts",
        sa.Column("article_id", big, nullable=False, comment="The article."),
        sa.Column("fact_type", txt, nullable=False, comment="Type of the fact (as in evidence)."),
        sa.Column("fact_id", big, nullable=False, comment="Id in the fact's table."),
        sa.PrimaryKeyConstraint("article_id", "fact_type", "fact_id", name=op.f("pk_summary_article_facts")),
        comment="Ledger: facts and quotes each counted article gives evidence for.",
    )
    op.create_table(
        "entity_stats",
        sa.Column("entity_id", big, _entity_fk("entity_stats", "entity_id"), autoincrement=False,
                  nullable=False, comment="The entity."),
        sa.Column("mentions", big, nullable=False, comment="Times it is mentioned."),
        sa.Column("articles", big, nullable=False, comment="Distinct articles that mention it."),
        sa.Column("sources", big, nullable=False, comment="Independent sources that mention it."),
        sa.PrimaryKeyConstraint("entity_id", name=op.f("pk_entity_stats")),
        comment="Per entity: mentions, articles and independent sources (summary).",
    )
    op.create_table(
        "entity_surfaces",
        sa.Column("entity_id", big, _entity_fk("entity_surfaces", "entity_id"), nullable=False,
                  comment="The entity."),
        sa.Column("surface", txt, nullable=False, comment="Text as it appears in articles."),
        sa.Column("mentions", big, nullable=False, comment="Mentions written this way."),
        sa.PrimaryKeyConstraint("entity_id", "surface", name=op.f("pk_entity_surfaces")),
        comment="Per entity and written form: how often articles write it so (summary).",
    )
    op.create_table(
        "entity_pairs",
        sa.Column("entity_a_id", big, _entity_fk("entity_pairs", "entity_a_id"), nullable=False,
                  comment="Entity with the lower id."),
        sa.Column("entity_b_id", big, _entity_fk("entity_pairs", "entity_b_id"), nullable=False,
                  comment="Entity with the higher id."),
        sa.Column("articles", big, nullable=False, comment="Distinct articles that mention both."),
        sa.Column("sources", big, nullable=False, comment="Independent sources that mention both."),
        sa.CheckConstraint("entity_a_id < entity_b_id", name=op.f("ck_entity_pairs_ordered")),
        sa.PrimaryKeyConstraint("entity_a_id", "entity_b_id", name=op.f("pk_entity_pairs")),
        comment="Per pair of entities mentioned in the same articles: how many (summary).",
    )
    op.create_index(op.f("ix_entity_pairs_entity_b_id"), "entity_pairs", ["entity_b_id"])
    op.create_table(
        "fact_support",
        sa.Column("fact_type", txt, nullable=False,
                  comment="deal, deal_event, aid_allocation, position, agreement, event or quote."),
        sa.Column("fact_id", big, nullable=False, comment="Id in the fact's table."),
        sa.Column("articles", big, nullable=False, comment="Distinct articles that state it."),
        sa.Column("sources", big, nullable=False, comment="Independent sources that state it."),
        sa.Column("publishers", txt, comment="Publishers of those articles, comma-separated."),
        sa.Column("source_files", txt, comment="Files of those articles, comma-separated."),
        sa.Column("first_published_on", sa.Date(), comment="Earliest publication date among those articles."),
        sa.Column("last_published_on", sa.Date(), comment="Latest publication date among those articles."),
        sa.PrimaryKeyConstraint("fact_type", "fact_id", name=op.f("pk_fact_support")),
        comment="Per fact or quote: the articles, sources and publishers that state it (summary).",
    )


SUMMARY_TABLES = (
    "fact_support", "entity_pairs", "entity_surfaces", "entity_stats", "summary_article_facts",
    "summary_article_surfaces", "summary_articles",
)


def upgrade() -> None:
    for table, column in COUNTRY_INDEXES:
        op.create_index(op.f(f"ix_{table}_{column}"), table, [column])
    _create_tables()
    rebuild(op.get_bind())
    for name, sql in NEW_SQL.items():
        op.execute(f"CREATE OR REPLACE VIEW analytics.{name} AS {sql.strip()}")
    op.execute(f"CREATE VIEW analytics.{PAIRS_VIEW.name} AS {PAIRS_VIEW.sql.strip()}")
    op.execute(f"COMMENT ON VIEW analytics.{PAIRS_VIEW.name} IS {lit(PAIRS_VIEW.comment)}")
    for column, comment in PAIRS_VIEW.columns.items():
        op.execute(f"COMMENT ON COLUMN analytics.{PAIRS_VIEW.name}.{column} IS {lit(comment)}")
    op.execute(NEW_FIND)


def downgrade() -> None:
    op.execute(OLD_FIND)
    op.execute(f"DROP VIEW analytics.{PAIRS_VIEW.name}")
    for name in NEW_SQL:
        op.execute(f"CREATE OR REPLACE VIEW analytics.{name} AS {OLD[name].sql.strip()}")
    for table in SUMMARY_TABLES:
        op.drop_table(table)
    for table, column in COUNTRY_INDEXES:
        op.drop_index(op.f(f"ix_{table}_{column}"), table_name=table)
