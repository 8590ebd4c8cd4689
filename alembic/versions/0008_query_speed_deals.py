"""Deal, aid and discrepancy queries by index and set-based joins; a supplier-market summary

- ``deals``, ``deal_parties``, ``deal_events`` and ``aid`` read ``fact_support`` directly instead of
  the whole ``corroboration`` union; a deal's parties and dates are aggregated per deal (LATERAL over
  the deal-id indexes) instead of over every party of every deal; country names come from one
  set-based lookup of country entities (a partial index) instead of the ``countries`` view per row
  (which took 0.6 ms a row for ``deals.buyer_country``: 29 s of the 30 s of ``supplier_market`` at
  10,000 articles).
- Indexes that return the catalogue queries' rows in their own order, so a page of them is read
  without sorting the whole table.

- ``supplier_market`` reads the summary tables ``supplier_markets`` and ``supplier_market_parties``
  (deals and suppliers per buyer, supplier country and status, with two per-deal ledgers), kept by the
  ETL by difference (etl/load/deal_summaries.py) and shown, named, by the analytics views of the same
  names: it no longer aggregates every deal's parties on each call.

Every view keeps its name, columns, types and comments, and gives the same rows.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 09:30:00
"""

import importlib.util
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa

from alembic import op
from etl.load import deal_summaries

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _revision(filename: str):  # an earlier revision's definitions, to restore them on downgrade
    spec = importlib.util.spec_from_file_location(filename[:-3], Path(__file__).with_name(filename))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


V2 = _revision("0002_analytics_views.py")
V4 = _revision("0004_bi_views.py")
V6 = _revision("0006_summaries.py")
V2_SQL = {v.name: v.sql for v in V2.VIEWS}
OLD_SQL = {
    "deal_parties": V2_SQL["deal_parties"],
    "deal_events": V2_SQL["deal_events"],
    "aid": V4._extended_sql("aid"),
    "deals": V4._extended_sql("deals"),
    "entities": V6.NEW_SQL["entities"],
    "positions": V2_SQL["positions"],
}

# Position of a deal event's type in a deal's life (deal_events.event_order).
EVENT_ORDER = (
    "array_position(ARRAY['tendered', 'bid', 'awarded', 'protested', 'cancelled', 'signed', 'delivered', "
    "'never_materialized'], event_type)"
)

# (index name, table, indexed columns and expressions, predicate)
INDEXES = (
    # the first country entity of each code: the country name of every *_country column
    ("ix_entities_country_names", "entities", "country_code, id", "entity_type = 'country'"),
    # the order of arms_deals and contract_timeline (source_discrepancies has its unique key's)
    ("ix_deals_listing", "deals", "year, title, id", "superseded_by_id IS NULL"),
    ("ix_deal_events_timeline", "deal_events", f"deal_id, event_date, ({EVENT_ORDER}), id", "superseded_by_id IS NULL"),
)

# The name of each country code: its first country entity (as analytics.countries gives it).
COUNTRY_NAMES = """(
    SELECT DISTINCT ON (c.country_code) c.country_code, c.name FROM public.entities c
    WHERE c.entity_type = 'country' AND c.country_code IS NOT NULL ORDER BY c.country_code, c.id
)"""


def country_name(code: str) -> str:
    """The country of a code as analytics.countries names it (one index probe; NULL for no code)."""
    lookup = "SELECT c.name FROM public.entities c WHERE c.entity_type = 'country' AND c.country_code = "
    return f"CASE WHEN {code} IS NOT NULL THEN coalesce(({lookup}{code} ORDER BY c.id LIMIT 1), {code}) END"


SUPPORT = (
    "coalesce(s.articles, 0) AS articles, coalesce(s.sources, 0) AS sources, s.publishers, s.source_files, "
    "s.first_published_on"
)
STATUS_EVENT = """CASE d.status
    WHEN 'tender' THEN 'tendered' WHEN 'awarded' THEN 'awarded' WHEN 'active' THEN 'signed'
    WHEN 'complete' THEN 'delivered' WHEN 'cancelled' THEN 'cancelled'
    WHEN 'unsuccessful' THEN 'never_materialized' END"""


NEW_SQL = {
    "deal_parties": f"""
        SELECT d.id AS deal_id, d.title AS deal, e.id AS party_id, e.name AS party, e.entity_type AS party_type,
               dp.role, coalesce(dp.country_code, e.country_code) AS country_code,
               coalesce(cn.name, dp.country_code, e.country_code) AS country
        FROM public.deal_parties dp
        JOIN public.deals d ON d.id = dp.deal_id AND d.superseded_by_id IS NULL
        JOIN public.entities e ON e.id = dp.entity_id
        LEFT JOIN {COUNTRY_NAMES} cn ON cn.country_code = coalesce(dp.country_code, e.country_code)
        """,  # noqa: S608  (constants only)
    "deal_events": f"""
        SELECT de.id AS deal_event_id, d.id AS deal_id, d.title AS deal, de.event_type AS event,
               {EVENT_ORDER.replace("event_type", "de.event_type")} AS event_order,
               de.event_date, de.date_precision, pe.id AS party_id, pe.name AS party, de.review_status,
               de.fact_key, {SUPPORT}
        FROM public.deal_events de
        JOIN public.deals d ON d.id = de.deal_id AND d.superseded_by_id IS NULL
        LEFT JOIN public.entities pe ON pe.id = de.party_entity_id
        LEFT JOIN public.fact_support s ON s.fact_type = 'deal_event' AND s.fact_id = de.id
        WHERE de.superseded_by_id IS NULL
        """,  # noqa: S608
    "aid": f"""
        SELECT x.id AS aid_allocation_id, dn.id AS donor_id, dn.name AS donor,
               dn.country_code AS donor_country_code,
               rc.id AS recipient_id, rc.name AS recipient, rc.country_code AS recipient_country_code,
               x.fiscal_year, x.purpose, x.stage, x.amount, x.currency, x.amount_usd, x.qualifier,
               x.attributed_to, x.review_status, x.fact_key, {SUPPORT},
               CASE WHEN x.stage = 'change' OR x.amount < 0 THEN 'change' WHEN x.purpose = 'total' THEN 'total'
               ELSE 'component' END AS figure_role, make_date(x.fiscal_year, 1, 1) AS fiscal_year_start
        FROM public.aid_allocations x
        LEFT JOIN public.entities dn ON dn.id = x.donor_entity_id
        LEFT JOIN public.entities rc ON rc.id = x.recipient_entity_id
        LEFT JOIN public.fact_support s ON s.fact_type = 'aid_allocation' AND s.fact_id = x.id
        WHERE x.superseded_by_id IS NULL
        """,  # noqa: S608
    "deals": f"""
        SELECT d.id AS deal_id, d.title AS deal, b.id AS buyer_id, b.name AS buyer,
               b.country_code AS buyer_country_code, pa.suppliers, pa.supplier_countries, pa.bidders,
               coalesce(i.name, d.item_text) AS item, d.quantity, d.value, d.currency, d.value_usd, d.status,
               coalesce(ev.status_date, ev.last_date) AS status_date,
               d.year, d.review_status, d.fact_key, {SUPPORT},
               {country_name("b.country_code")} AS buyer_country,
               make_date(d.year, 1, 1) AS year_start
        FROM public.deals d
        LEFT JOIN public.entities b ON b.id = coalesce(
            d.buyer_entity_id,
            (SELECT dp.entity_id FROM public.deal_parties dp WHERE dp.deal_id = d.id AND dp.role = 'buyer'
             ORDER BY dp.id LIMIT 1))
        LEFT JOIN public.entities i ON i.id = d.item_entity_id
        LEFT JOIN LATERAL (
            SELECT string_agg(DISTINCT p.party, ', ' ORDER BY p.party)
                       FILTER (WHERE p.role IN ('supplier', 'consortium_member')) AS suppliers,
                   string_agg(DISTINCT p.country, ', ' ORDER BY p.country)
                       FILTER (WHERE p.role IN ('supplier', 'consortium_member')) AS supplier_countries,
                   string_agg(DISTINCT p.party, ', ' ORDER BY p.party) FILTER (WHERE p.role = 'bidder') AS bidders
            FROM analytics.deal_parties p WHERE p.deal_id = d.id
        ) pa ON true
        LEFT JOIN LATERAL (
            SELECT max(de.event_date) FILTER (WHERE de.event_type = {STATUS_EVENT}) AS status_date,
                   max(de.event_date) AS last_date
            FROM public.deal_events de WHERE de.deal_id = d.id AND de.superseded_by_id IS NULL
        ) ev ON true
        LEFT JOIN public.fact_support s ON s.fact_type = 'deal' AND s.fact_id = d.id
        WHERE d.superseded_by_id IS NULL
        """,  # noqa: S608
    "entities": f"""
        SELECT e.id AS entity_id, e.name AS entity, e.entity_type, e.country_code,
               {country_name("e.country_code")} AS country, e.wikidata_id, e.description, e.origin,
               (SELECT string_agg(al.alias, ', ' ORDER BY al.alias)
                FROM public.entity_aliases al WHERE al.entity_id = e.id) AS aliases,
               coalesce(s.mentions, 0) AS mentions, coalesce(s.articles, 0) AS articles,
               coalesce(s.sources, 0) AS sources
        FROM public.entities e
        LEFT JOIN public.entity_stats s ON s.entity_id = e.id
        """,  # noqa: S608
    "positions": f"""
        SELECT po.id AS position_id, pp.id AS person_id, pp.name AS person, po.title AS position,
               org.id AS organization_id, org.name AS organization, po.country_code,
               {country_name("po.country_code")} AS country,
               po.valid_from, po.valid_to, po.review_status, po.fact_key, {SUPPORT}
        FROM public.positions po
        JOIN public.entities pp ON pp.id = po.person_entity_id
        LEFT JOIN public.entities org ON org.id = po.organization_entity_id
        LEFT JOIN public.fact_support s ON s.fact_type = 'position' AND s.fact_id = po.id
        """,  # noqa: S608
}


# Summary views over the supplier-market tables: buyers and countries named, 0 and '' shown as NULL.
MARKET_COLUMNS = {
    "buyer_id": "Entity id of the buyer; NULL for deals without one.",
    "buyer": "Buying government, ministry or force.",
    "supplier_country_code": V2.iso_code("the suppliers"),
    "supplier_country": "Country name of the suppliers (unknown when not known).",
}
NEW_VIEWS = (
    V2.View(
        "deal_buyers",
        "One row per current deal that has a buyer, with the buyer's id as analytics.deals gives it: the "
        "deals of one buyer, looked up by index.",
        {"deal_id": "Id of the deal.", "buyer_id": "Entity id of the buyer."},
        """
        SELECT d.id AS deal_id, d.buyer_entity_id AS buyer_id
        FROM public.deals d WHERE d.superseded_by_id IS NULL AND d.buyer_entity_id IS NOT NULL
        UNION ALL
        SELECT d.id, fb.entity_id
        FROM public.deals d
        CROSS JOIN LATERAL (
            SELECT dp.entity_id FROM public.deal_parties dp WHERE dp.deal_id = d.id AND dp.role = 'buyer'
            ORDER BY dp.id LIMIT 1
        ) fb
        WHERE d.superseded_by_id IS NULL AND d.buyer_entity_id IS NULL
        """,
    ),
    V2.View(
        "supplier_markets",
        "One row per buyer, supplier country and deal status: the current deals in which suppliers from that "
        "country take part (as supplier or consortium member), and their value.",
        {
            **MARKET_COLUMNS,
            "status": "Status of those deals.",
            "deals": "Deals with at least one supplier from the country: a deal counts once per country, so a "
            "consortium deal counts for each member country.",
            "value_usd": "Not summable across supplier countries: total value in nominal USD of those deals, a "
            "consortium deal in full for each member country; sum within one country, or sum deals.value_usd.",
        },
        f"""
        SELECT nullif(m.buyer_id, 0) AS buyer_id, b.name AS buyer, nullif(m.country_code, '') AS supplier_country_code,
               CASE WHEN m.country_code = '' THEN 'unknown' ELSE coalesce(cn.name, m.country_code) END
                   AS supplier_country,
               m.status, m.deals, CASE WHEN m.valued > 0 THEN m.value_usd END AS value_usd
        FROM public.supplier_markets m
        LEFT JOIN public.entities b ON b.id = m.buyer_id
        LEFT JOIN {COUNTRY_NAMES} cn ON cn.country_code = m.country_code
        """,  # noqa: S608
    ),
    V2.View(
        "supplier_market_parties",
        "One row per buyer, supplier country and supplier (or consortium member): how many current deals of "
        "the buyer it supplies.",
        {
            **MARKET_COLUMNS,
            "supplier_id": "Entity id of the supplier.",
            "supplier": "Supplier or consortium member.",
            "deals": "Deals of the buyer it takes part in as supplier from that country.",
        },
        f"""
        SELECT nullif(m.buyer_id, 0) AS buyer_id, b.name AS buyer, nullif(m.country_code, '') AS supplier_country_code,
               CASE WHEN m.country_code = '' THEN 'unknown' ELSE coalesce(cn.name, m.country_code) END
                   AS supplier_country,
               m.party_id AS supplier_id, p.name AS supplier, m.deals
        FROM public.supplier_market_parties m
        JOIN public.entities p ON p.id = m.party_id
        LEFT JOIN public.entities b ON b.id = m.buyer_id
        LEFT JOIN {COUNTRY_NAMES} cn ON cn.country_code = m.country_code
        """,  # noqa: S608
    ),
)


def _create_tables() -> None:
    big, txt = sa.BigInteger(), sa.Text()
    buyer = "Entity id of the buyer; 0 for none."
    op.create_table(
        "summary_deals",
        sa.Column(
            "deal_id",
            big,
            autoincrement=False,
            nullable=False,
            comment="The deal (no foreign key: kept until recounted).",
        ),
        sa.Column("buyer_id", big, nullable=False, comment="Entity id of its buyer when counted; 0 for none."),
        sa.Column("status", txt, nullable=False, comment="Its status when counted."),
        sa.Column("value_usd", sa.Numeric(20, 2), comment="Its value in USD when counted."),
        sa.PrimaryKeyConstraint("deal_id", name=op.f("pk_summary_deals")),
        comment="Ledger: each current deal the supplier-market summary counts, as counted.",
    )
    op.create_table(
        "summary_deal_suppliers",
        sa.Column("deal_id", big, nullable=False, comment="The deal."),
        sa.Column(
            "country_code", txt, nullable=False, comment="The supplier's country code for the deal; empty when unknown."
        ),
        sa.Column("party_id", big, nullable=False, comment="Entity id of the supplier or consortium member."),
        sa.PrimaryKeyConstraint("deal_id", "country_code", "party_id", name=op.f("pk_summary_deal_suppliers")),
        comment="Ledger: suppliers and their countries counted per deal.",
    )
    op.create_table(
        "supplier_markets",
        sa.Column("buyer_id", big, nullable=False, comment=buyer),
        sa.Column(
            "country_code", txt, nullable=False, comment="Country code of suppliers of the deals; empty when unknown."
        ),
        sa.Column("status", txt, nullable=False, comment="Status of the deals."),
        sa.Column("deals", big, nullable=False, comment="Deals with at least one supplier from that country."),
        sa.Column("valued", big, nullable=False, comment="Those of them with a value in USD."),
        sa.Column("value_usd", sa.Numeric(), comment="Total value in USD of those deals; NULL when none has a value."),
        sa.PrimaryKeyConstraint("buyer_id", "country_code", "status", name=op.f("pk_supplier_markets")),
        comment="Per buyer, supplier country and deal status: deals and their value (summary).",
    )
    op.create_table(
        "supplier_market_parties",
        sa.Column("buyer_id", big, nullable=False, comment=buyer),
        sa.Column(
            "country_code",
            txt,
            nullable=False,
            comment="The supplier's country code for those deals; empty when unknown.",
        ),
        sa.Column("party_id", big, nullable=False, comment="Entity id of the supplier or consortium member."),
        sa.Column("deals", big, nullable=False, comment="Deals of the buyer it supplies from that country."),
        sa.PrimaryKeyConstraint("buyer_id", "country_code", "party_id", name=op.f("pk_supplier_market_parties")),
        comment="Per buyer, supplier country and supplier: the deals it supplies (summary).",
    )


def _index_sql(name: str, table: str, expressions: str, where: str | None) -> str:
    return f"CREATE INDEX {name} ON {table} ({expressions})" + (f" WHERE {where}" if where else "")


def upgrade() -> None:
    for index in INDEXES:
        op.execute(_index_sql(*index))
    for name, sql in NEW_SQL.items():
        op.execute(f"CREATE OR REPLACE VIEW analytics.{name} AS {sql.strip()}")
    _create_tables()
    deal_summaries.rebuild(op.get_bind())
    for view in NEW_VIEWS:
        op.execute(f"CREATE VIEW analytics.{view.name} AS {view.sql.strip()}")
        op.execute(f"COMMENT ON VIEW analytics.{view.name} IS {V2._literal(view.comment)}")
        for column, comment in view.columns.items():
            op.execute(f"COMMENT ON COLUMN analytics.{view.name}.{column} IS {V2._literal(comment)}")


def downgrade() -> None:
    for view in reversed(NEW_VIEWS):
        op.execute(f"DROP VIEW analytics.{view.name}")
    for table in reversed(deal_summaries.TABLES):
        op.drop_table(table)
    for name in reversed(NEW_SQL):
        op.execute(f"CREATE OR REPLACE VIEW analytics.{name} AS {OLD_SQL[name].strip()}")
    for name, *_ in INDEXES:
        op.execute(f"DROP INDEX {name}")
