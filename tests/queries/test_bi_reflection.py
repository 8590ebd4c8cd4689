"""What a BI tool does: connect as the `db grant-reader` role, reflect `analytics` with SQLAlchemy's
inspector, chart columns by their types, read their comments, and sum the columns marked summable."""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

import psycopg
import pytest
from cli_helpers import cli
from sqlalchemy import Engine, create_engine, inspect, pool, text
from sqlalchemy import types as sa
from sqlalchemy.engine import make_url

from etl.settings import libpq_url

CHARTABLE = (sa.Integer, sa.Numeric, sa.Float, sa.String, sa.Date, sa.DateTime, sa.Boolean, sa.Interval)


@pytest.fixture(scope="module")
def reader(seeded_url: str) -> Iterator[Engine]:
    """An engine logged in as a fresh reader role on the seeded database (role dropped afterwards)."""
    role = f"bi_{uuid.uuid4().hex[:8]}"
    password = "not-a-secret-x1"
    result = cli(seeded_url, "db", "grant-reader", role, env={"ARMSLEDGER_READER_PASSWORD": password})
    assert result.exit_code == 0, result.output
    eng = create_engine(make_url(seeded_url).set(username=role, password=password), poolclass=pool.NullPool)
    yield eng
    eng.dispose()
    with psycopg.connect(libpq_url(seeded_url), autocommit=True) as conn:
        conn.execute(psycopg.sql.SQL("DROP OWNED BY {0}; DROP ROLE {0}").format(psycopg.sql.Identifier(role)))


def test_every_reflected_column_has_a_comment_and_a_chartable_type(reader: Engine) -> None:
    inspector = inspect(reader)
    views = inspector.get_view_names(schema="analytics")
    assert {"aid_totals", "money_figures", "deal_suppliers", "deals", "aid"} <= set(views)
    for view in views:
        for col in inspector.get_columns(view, schema="analytics"):
            assert col["comment"], (view, col["name"])
            assert isinstance(col["type"], CHARTABLE) and not isinstance(col["type"], sa.ARRAY | sa.JSON), (
                view, col["name"], col["type"],
            )  # fmt: skip
    time_columns = {(v, c["name"]) for v in views for c in inspector.get_columns(v, schema="analytics")
                    if isinstance(c["type"], sa.Date) and c["name"].endswith("_start")}
    assert {("aid", "fiscal_year_start"), ("aid_totals", "fiscal_year_start"), ("money", "year_start"),
            ("deals", "year_start")} <= time_columns
    with reader.connect() as conn:  # the role's session is UTC: a year grain keeps the year
        assert conn.execute(text("SHOW timezone")).scalar_one() == "UTC"
        years = conn.execute(text("SELECT DISTINCT fiscal_year, date_trunc('year', fiscal_year_start::timestamptz) "
                                  "FROM analytics.aid WHERE fiscal_year IS NOT NULL")).all()
        assert years and all(grain.year == year for year, grain in years)


def _summable(reader: Engine) -> set[tuple[str, str]]:
    inspector = inspect(reader)
    return {(v, c["name"]) for v in inspector.get_view_names(schema="analytics")
            for c in inspector.get_columns(v, schema="analytics") if (c["comment"] or "").startswith("Summable")}


def test_every_amount_column_says_whether_it_may_be_summed(reader: Engine) -> None:
    inspector = inspect(reader)
    amounts = [(v, c["name"], c["comment"]) for v in inspector.get_view_names(schema="analytics")
               for c in inspector.get_columns(v, schema="analytics")
               if isinstance(c["type"], sa.Numeric) and re.search(r"amount|value|usd|fx_rate", c["name"])]
    assert len(amounts) >= 10
    for view, column, comment in amounts:
        assert re.match(r"(Summable|Not summable)", comment), (view, column, comment)


def test_summable_columns_add_up_to_the_facts_they_stand_for(reader: Engine, seeded_engine: Engine) -> None:
    assert _summable(reader) == {("aid_totals", "amount_usd"), ("money_figures", "amount_usd"),
                                 ("deals", "value_usd")}
    with seeded_engine.connect() as admin:
        aid = admin.execute(text(
            "SELECT x.donor_entity_id, x.recipient_entity_id, x.fiscal_year, x.stage, x.purpose, x.amount_usd "
            "FROM aid_allocations x WHERE x.superseded_by_id IS NULL AND x.amount_usd IS NOT NULL")).all()
        mentions = admin.execute(text("SELECT amount, currency, kind, year, amount_usd FROM money_mentions")).all()
        deals = admin.execute(text("SELECT value_usd FROM deals WHERE superseded_by_id IS NULL")).scalars().all()
    levels: dict[tuple, dict[str, list[Decimal]]] = defaultdict(lambda: {"total": [], "parts": []})
    for donor, recipient, year, stage, purpose, usd in aid:
        if stage != "change" and usd >= 0:  # changes are differences, not levels
            levels[(donor, recipient, year, stage)]["total" if purpose == "total" else "parts"].append(usd)
    by_stage: dict[str, Decimal] = defaultdict(Decimal)
    for (_, _, _, stage), f in levels.items():
        by_stage[stage] += max(f["total"]) if f["total"] else sum(f["parts"])
    figures = {(a, c, k, y): usd for a, c, k, y, usd in mentions if usd is not None}
    with reader.connect() as conn:
        got = dict(conn.execute(text("SELECT stage, sum(amount_usd) FROM analytics.aid_totals GROUP BY stage")).all())
        assert got == dict(by_stage) and got
        naive = conn.execute(text("SELECT sum(amount_usd) FROM analytics.aid WHERE fiscal_year = 2012")).scalar()
        safe = conn.execute(text("SELECT sum(amount_usd) FROM analytics.aid_totals WHERE fiscal_year = 2012")).scalar()
        assert safe < naive  # components no longer add to their total
        assert conn.execute(text("SELECT sum(amount_usd) FROM analytics.money_figures")).scalar() == sum(
            figures.values()
        )
        assert conn.execute(text("SELECT sum(value_usd) FROM analytics.deals")).scalar() == sum(
            v for v in deals if v is not None
        )
        assert conn.execute(text("SELECT count(*) FROM analytics.money_figures")).scalar() < len(mentions)
