"""BI views that are right when summed, date columns for time axes, and name lookup as people type

- ``aid`` gains ``figure_role`` (total, component of a total, change) and ``fiscal_year_start``;
  ``aid_totals`` gives one figure per donor, recipient, fiscal year and stage, safe to sum.
- ``money_figures``: one row per distinct figure (not per mention), with the articles stating it.
- ``deals`` gains ``buyer_country`` and ``year_start``; ``deal_suppliers`` puts suppliers one per row.
- ``money`` gains ``year_start``. Every amount column's comment says what may be summed.
- ``analytics.find_entities(text)``: entities whose name, alias, surname or written form matches, else
  the closest spellings (pg_trgm similarity), best first, so queries can take names as people type.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 17:00:00
"""

import importlib.util
from collections.abc import Sequence
from pathlib import Path

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _v0002():  # the 0002 view definitions, to extend them here and restore them on downgrade
    spec = importlib.util.spec_from_file_location("v0002", Path(__file__).with_name("0002_analytics_views.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


V2 = _v0002()
OLD = {v.name: v for v in V2.VIEWS}
lit = V2._literal

NOT_SUMMABLE = "Not summable across rows: "
SUMMABLE_USD = (
    "Summable: one figure per donor, recipient, fiscal year and stage; add across donors, recipients or years "
    "within one stage, never across stages (a request and its appropriation are the same money)."
)
FIGURE_ROLE = (
    "total (the whole aid of its donor, recipient, year and stage), component (a part of such a total, e.g. "
    "counternarcotics) or change (a difference from another figure): only one kind may be summed at a time."
)

# Extra columns appended to 0002 views (CREATE OR REPLACE VIEW keeps the old columns first).
EXTENDED = {
    "aid": (
        {"figure_role": FIGURE_ROLE,
         "fiscal_year_start": "January 1 of the fiscal year, as a date: use it as the time column."},
        "CASE WHEN x.stage = 'change' OR x.amount < 0 THEN 'change' WHEN x.purpose = 'total' THEN 'total' "
        "ELSE 'component' END AS figure_role, make_date(x.fiscal_year, 1, 1) AS fiscal_year_start",
    ),
    "money": (
        {"year_start": "January 1 of the year the amount applies to, as a date: use it as the time column."},
        "make_date(mm.year, 1, 1) AS year_start",
    ),
    "deals": (
        {"buyer_country": "Country name of the buyer.",
         "year_start": "January 1 of the deal's year, as a date: use it as the time column."},
        "(SELECT c.country FROM analytics.countries c WHERE c.country_code = b.country_code) AS buyer_country, "
        "make_date(d.year, 1, 1) AS year_start",
    ),
}

AMOUNT_COMMENTS = {
    ("aid", "amount"): NOT_SUMMABLE + "in its own currency, and totals, components and changes overlap; "
    "sum aid_totals.amount_usd instead. Negative for reductions.",
    ("aid", "amount_usd"): NOT_SUMMABLE + "amount in nominal USD; totals, components and changes overlap "
    "(see figure_role) and stages repeat the same money: sum aid_totals.amount_usd instead.",
    ("money", "amount"): NOT_SUMMABLE + "amount in whole units of its currency, once per mention in an article.",
    ("money", "amount_max"): NOT_SUMMABLE + "upper bound of a range, in its currency.",
    ("money", "amount_usd"): NOT_SUMMABLE + "amount in nominal USD, once per mention (the same figure in "
    "several articles repeats); sum money_figures.amount_usd instead.",
    ("money", "fx_rate"): NOT_SUMMABLE + "USD per unit of the currency (annual average of the amount's year).",
    ("deals", "value"): NOT_SUMMABLE + "value in the deal's own currency (currencies differ): sum value_usd.",
    ("deals", "value_usd"): "Summable: value in nominal USD, one row per deal (each deal counts once).",
}


class View:
    def __init__(self, name: str, comment: str, columns: dict[str, str], sql: str) -> None:
        self.name, self.comment, self.columns, self.sql = name, comment, columns, sql


NEW_VIEWS = (
    View(
        "aid_totals",
        "One row per donor, recipient, fiscal year and stage: the aid figure that can be summed safely (the "
        "stated total, else the sum of its components; changes left out).",
        {
            "donor_id": "Entity id of the donor.", "donor": "Donor country or body.",
            "recipient_id": "Entity id of the recipient.", "recipient": "Recipient country or body.",
            "fiscal_year": "Fiscal year the figure is for.",
            "fiscal_year_start": "January 1 of the fiscal year, as a date: use it as the time column.",
            "stage": "requested, appropriated, estimated, actual or projected.",
            "amount_usd": SUMMABLE_USD,
            "basis": "stated total, or sum of components (no total was stated).",
            "figures": "Aid figures (aid.aid_allocation_id) this row stands for, comma-separated.",
        },
        """
        WITH levels AS (
            SELECT a.*, (a.figure_role = 'total') AS is_total
            FROM analytics.aid a WHERE a.figure_role <> 'change' AND a.amount_usd IS NOT NULL
        ),
        grouped AS (
            SELECT donor_id, max(donor) AS donor, recipient_id, max(recipient) AS recipient, fiscal_year, stage,
                   bool_or(is_total) AS has_total,
                   max(amount_usd) FILTER (WHERE is_total) AS total_usd,
                   sum(amount_usd) FILTER (WHERE NOT is_total) AS parts_usd,
                   string_agg(aid_allocation_id::text, ', ' ORDER BY aid_allocation_id)
                       FILTER (WHERE is_total) AS total_ids,
                   string_agg(aid_allocation_id::text, ', ' ORDER BY aid_allocation_id) AS all_ids
            FROM levels
            GROUP BY donor_id, recipient_id, fiscal_year, stage
        )
        SELECT donor_id, donor, recipient_id, recipient, fiscal_year, make_date(fiscal_year, 1, 1) AS fiscal_year_start,
               stage, CASE WHEN has_total THEN total_usd ELSE parts_usd END AS amount_usd,
               CASE WHEN has_total THEN 'stated total' ELSE 'sum of components' END AS basis,
               CASE WHEN has_total THEN total_ids ELSE all_ids END AS figures
        FROM grouped
        """,
    ),
    View(
        "money_figures",
        "One row per distinct money figure (amount, currency, kind and year), however many articles state it.",
        {
            "amount": NOT_SUMMABLE + "amount in whole units of its currency (currencies differ).",
            "currency": "ISO 4217 currency code.",
            "amount_usd": "Summable with care: each distinct figure counts once, but a total and its parts are "
            "distinct figures too; sum within one kind (e.g. contract_value) and year.",
            "kind": "military_aid, economic_aid, contract_value, sale_value, budget or other.",
            "year": "Year the amount applies to.",
            "year_start": "January 1 of that year, as a date: use it as the time column.",
            "text": "The figure as first written.", "mentions": "Times it is mentioned.",
            "articles": "Distinct articles that state it.", "sources": "Independent sources that state it.",
            "source_files": "Files of those articles, comma-separated.",
            "first_published_on": "Earliest publication date among those articles.",
        },
        """
        SELECT m.amount, m.currency, max(m.amount_usd) AS amount_usd, m.kind, m.year,
               make_date(m.year, 1, 1) AS year_start,
               (array_agg(m.text ORDER BY m.published_on NULLS LAST, m.money_mention_id))[1] AS text,
               count(*) AS mentions, count(DISTINCT m.article_id) AS articles, count(DISTINCT m.source_id) AS sources,
               string_agg(DISTINCT m.source_file, ', ' ORDER BY m.source_file) AS source_files,
               min(m.published_on) AS first_published_on
        FROM analytics.money m
        GROUP BY m.amount, m.currency, m.kind, m.year
        """,
    ),
    View(
        "deal_suppliers",
        "One row per supplier (or consortium member) of a current deal, to group deals by supplier or country.",
        {
            "deal_id": "Id of the deal.", "deal": "Title of the deal.",
            "supplier_id": "Entity id of the supplier.", "supplier": "Supplier or consortium member.",
            "role": "supplier or consortium_member.", "supplier_country_code": V2.iso_code("the supplier"),
            "supplier_country": "Country name of the supplier.", "buyer": "Buying government, ministry or force.",
            "buyer_country": "Country name of the buyer.", "status": "Status of the deal.",
            "year_start": "January 1 of the deal's year, as a date: use it as the time column.",
            "deal_value_usd": NOT_SUMMABLE + "the whole deal's value, repeated on each supplier's row; sum "
            "deals.value_usd instead.",
        },
        """
        SELECT p.deal_id, p.deal, p.party_id AS supplier_id, p.party AS supplier, p.role,
               p.country_code AS supplier_country_code, p.country AS supplier_country, d.buyer, d.buyer_country,
               d.status, d.year_start, d.value_usd AS deal_value_usd
        FROM analytics.deal_parties p
        JOIN analytics.deals d ON d.deal_id = p.deal_id
        WHERE p.role IN ('supplier', 'consortium_member')
        """,
    ),
)

FIND_ENTITIES = r"""
CREATE FUNCTION analytics.find_entities(q text)
RETURNS TABLE (entity_id integer, entity text, entity_type text, matched text, match_kind text, score real,
               mentions bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $fn$
    WITH needle AS (SELECT lower(trim(q)) AS n),
    terms AS (
        SELECT e.id AS entity_id, e.name AS term, 1 AS kind_rank, 'name' AS kind FROM public.entities e
        UNION ALL SELECT al.entity_id, al.alias, 2, 'alias' FROM public.entity_aliases al
        UNION ALL SELECT e.id, regexp_replace(e.name, '^.*\s', ''), 3, 'surname'
                  FROM public.entities e WHERE e.entity_type = 'person' AND e.name ~ '\s'
        UNION ALL SELECT DISTINCT m.entity_id, m.surface, 4, 'as written' FROM public.mentions m
    ),
    scored AS (
        SELECT t.*, lower(t.term) = needle.n AS exact, similarity(lower(t.term), needle.n) AS sim
        FROM terms t, needle
        WHERE lower(t.term) = needle.n OR similarity(lower(t.term), needle.n) >= 0.4
    ),
    best AS (
        SELECT DISTINCT ON (s.entity_id) s.* FROM scored s ORDER BY s.entity_id, s.exact DESC, s.kind_rank, s.sim DESC
    )
    SELECT b.entity_id, e.name, e.entity_type, b.term,
           CASE WHEN b.exact THEN b.kind ELSE 'close spelling' END,
           CASE WHEN b.exact THEN 1.0::real ELSE b.sim END,
           (SELECT count(*) FROM public.mentions m WHERE m.entity_id = b.entity_id)
    FROM best b JOIN public.entities e ON e.id = b.entity_id
    WHERE b.exact OR NOT EXISTS (SELECT 1 FROM scored WHERE exact)
    ORDER BY b.exact DESC, CASE WHEN b.exact THEN b.kind_rank END, b.sim DESC, 7 DESC, e.name
$fn$
"""
FIND_COMMENT = (
    "Entities matching a name as typed: canonical name, alias, surname or a form written in an article "
    "(case-insensitive), else the closest spellings (trigram similarity >= 0.4); best first."
)


def _create(view: View | object) -> None:
    op.execute(f"CREATE VIEW analytics.{view.name} AS {view.sql.strip()}")
    op.execute(f"COMMENT ON VIEW analytics.{view.name} IS {lit(view.comment)}")
    for column, comment in view.columns.items():
        op.execute(f"COMMENT ON COLUMN analytics.{view.name}.{column} IS {lit(comment)}")


def _extended_sql(name: str) -> str:
    sql = OLD[name].sql.strip()
    head, sep, tail = sql.partition("\n        FROM public.")
    assert sep, name
    return f"{head},\n               {EXTENDED[name][1]}{sep}{tail}"


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
    for name, (columns, _) in EXTENDED.items():
        op.execute(f"CREATE OR REPLACE VIEW analytics.{name} AS {_extended_sql(name)}")
        for column, comment in columns.items():
            op.execute(f"COMMENT ON COLUMN analytics.{name}.{column} IS {lit(comment)}")
    for (view, column), comment in AMOUNT_COMMENTS.items():
        op.execute(f"COMMENT ON COLUMN analytics.{view}.{column} IS {lit(comment)}")
    for view in NEW_VIEWS:
        _create(view)
    op.execute(FIND_ENTITIES)
    op.execute(f"COMMENT ON FUNCTION analytics.find_entities(text) IS {lit(FIND_COMMENT)}")


def downgrade() -> None:
    op.execute("DROP FUNCTION analytics.find_entities(text)")
    for view in reversed(NEW_VIEWS):
        op.execute(f"DROP VIEW analytics.{view.name}")
    for name in EXTENDED:  # back to the 0002 columns and comments
        op.execute(f"DROP VIEW analytics.{name}")
        _create(OLD[name])
    op.execute("DROP EXTENSION IF EXISTS pg_trgm")
