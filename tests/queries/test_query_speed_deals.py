"""The deal, aid and discrepancy queries of revision 0008 give the rows of their old definitions.

For each query, the new file (views of revision 0008, ``limit=all``) and the old one (its SQL below or
the file without its ``limit`` clause, on the views as revision 0007 left them, recreated in a
transaction that is rolled back) run on the same rows: the seed corpus loaded by the ETL, and the
sample facts (superseded and reviewed facts, a syndicated copy). A page (``limit=2``) is the old
rows' beginning.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import re

import pytest
from sample_facts import load_sample
from sqlalchemy import Connection, Engine

import queries
from etl.settings import REPO_ROOT
from queries.catalog import Query

_spec = importlib.util.spec_from_file_location(
    "rev0008", REPO_ROOT / "alembic" / "versions" / "0008_query_speed_deals.py"
)
REV = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(REV)

OLD_SUPPLIER_MARKET = """
with chosen_deals as (
    select d.*
    from analytics.deals as d
    where
        lower(:'buyer') = 'all'
        or exists (
            select 1 from analytics.entity_terms as t
            where t.entity_id = d.buyer_id and t.term = lower(:'buyer')
        )
        or d.buyer_id in (select f.entity_id from analytics.find_entities(:'buyer') as f)
),

deal_countries as (
    select distinct
        d.deal_id,
        d.value_usd,
        d.status,
        coalesce(p.country, 'unknown') as supplier_country
    from chosen_deals as d
    inner join analytics.deal_parties as p on p.deal_id = d.deal_id
    where p.role in ('supplier', 'consortium_member')
),

suppliers as (
    select
        coalesce(p.country, 'unknown') as supplier_country,
        string_agg(distinct p.party, ', ' order by p.party) as suppliers
    from chosen_deals as d
    inner join analytics.deal_parties as p on p.deal_id = d.deal_id
    where p.role in ('supplier', 'consortium_member')
    group by 1
)

select
    c.supplier_country,
    count(*) as deals,
    sum(c.value_usd) as value_usd,
    string_agg(distinct c.status, ', ' order by c.status) as statuses,
    s.suppliers
from deal_countries as c
inner join suppliers as s on s.supplier_country = c.supplier_country
group by c.supplier_country, s.suppliers
order by value_usd desc nulls last, c.supplier_country
"""

# aid_by_year before revision 0014: every allocation, sorted
OLD_AID_BY_YEAR = """
select
    a.donor,
    a.recipient,
    a.fiscal_year,
    a.purpose,
    a.stage,
    a.amount_usd,
    a.articles,
    a.sources,
    a.publishers,
    a.amount,
    a.currency,
    a.qualifier,
    a.attributed_to
from analytics.aid as a
where
    (
        lower(:'donor') = 'all'
        or a.donor_id in (
            select t.entity_id from analytics.entity_terms as t where t.term = lower(:'donor')
            union
            select f.entity_id from analytics.find_entities(:'donor') as f
        )
    )
    and (
        lower(:'recipient') = 'all'
        or a.recipient_id in (
            select t.entity_id from analytics.entity_terms as t where t.term = lower(:'recipient')
            union
            select f.entity_id from analytics.find_entities(:'recipient') as f
        )
    )
order by a.fiscal_year nulls last, a.donor, a.recipient, a.purpose, a.stage, a.amount_usd, a.aid_allocation_id
"""

OLD_CONTRACT_TIMELINE = """
with events as (
    select e.*
    from analytics.deal_events as e
    where lower(:'deal_id') = 'all' or e.deal_id::text = trim(:'deal_id')
),

first_evidence as (
    select distinct on (ev.fact_id)
        ev.fact_id,
        ev.source_file,
        ev.excerpt
    from analytics.evidence as ev
    where ev.fact_type = 'deal_event' and ev.fact_id in (select deal_event_id from events)
    order by ev.fact_id, ev.published_on nulls last, ev.source_file, ev.char_start
)

select
    e.deal_id,
    e.deal,
    e.event,
    e.party,
    e.event_date,
    e.date_precision,
    f.source_file,
    f.excerpt as evidence,
    e.articles,
    e.source_files
from events as e
left join first_evidence as f on f.fact_id = e.deal_event_id
order by e.deal_id, e.event_date nulls last, e.event_order, e.deal_event_id
"""

LIMIT = re.compile(r"\nlimit case when lower\(:'limit'\) = 'all' then null else cast\(:'limit'::text as bigint\) end")


PAGE_SIZE = "case when lower(:'limit') = 'all' then null else cast(:'limit'::text as bigint) end as n"


def old_query(name: str) -> Query:
    """The query as it was before revision 0008: its old SQL, or the file without its limit."""
    new = queries.get(name)
    source = {
        "supplier_market": OLD_SUPPLIER_MARKET,
        "contract_timeline": OLD_CONTRACT_TIMELINE,
        "aid_by_year": OLD_AID_BY_YEAR,
    }.get(name)
    if source is None:
        source, count = LIMIT.subn("", new.source)
        assert count == (1 if new.param("limit") else 0), name
        source = source.replace(PAGE_SIZE, "null::bigint as n")  # entity_profile's page of articles
    return dataclasses.replace(new, source=source, params=tuple(p for p in new.params if p.name != "limit"))


def _rows(conn: Connection, query: Query, params: dict[str, str]) -> list[tuple]:
    sql, values = query.bind(params)
    return [tuple(r) for r in conn.exec_driver_sql(sql, values)]


def assert_same_rows(engine: Engine, name: str, params: dict[str, str]) -> list[tuple]:
    new_query, old = queries.get(name), old_query(name)
    paged = {**params, "limit": "all"} if new_query.param("limit") else params
    with engine.connect() as conn:
        new = _rows(conn, new_query, paged)
        page = _rows(conn, new_query, {**params, "limit": "2"}) if new_query.param("limit") else new[:2]
        for view, sql in REV.OLD_SQL.items():  # the views as 0007 left them, rolled back below
            conn.exec_driver_sql(f"CREATE OR REPLACE VIEW analytics.{view} AS {sql.strip()}")
        expected = _rows(conn, old, params)
        conn.rollback()
    assert new == expected, (name, params)
    assert page == expected[:2]
    return new


CASES = [
    ("supplier_market", {}),
    ("supplier_market", {"buyer": "PE"}),
    ("supplier_market", {"buyer": "Peruvian Defense Ministry"}),
    ("supplier_market", {"buyer": "nobody at all"}),
    ("arms_deals", {}),
    ("arms_deals", {"buyer": "Peru"}),
    ("contract_timeline", {}),
    ("contract_timeline", {"deal_id": "1"}),
    ("contract_timeline", {"deal_id": " 2 "}),
    ("contract_timeline", {"deal_id": "01"}),
    ("contract_timeline", {"deal_id": "not a number"}),
    ("aid_by_year", {}),
    ("aid_by_year", {"recipient": "pe", "donor": "U.S."}),
    ("aid_by_year", {"donor": "U.S."}),
    ("aid_by_year", {"recipient": "nobody at all"}),
    ("source_discrepancies", {}),
    ("entity_profile", {"name": "Peru"}),
    ("entity_profile", {"name": "Northrop Grumman"}),
    ("entity_profile", {"name": "panetta"}),
    ("entity_profile", {"name": "Peruvian Defense Ministry"}),
]
IDS = [f"{n}-{'-'.join(p.values()) or 'defaults'}" for n, p in CASES]


@pytest.mark.parametrize(("name", "params"), CASES, ids=IDS)
def test_sample_facts_same_rows(engine: Engine, name: str, params: dict[str, str]) -> None:
    load_sample(engine)
    assert_same_rows(engine, name, params)


@pytest.mark.parametrize(("name", "params"), CASES, ids=IDS)
def test_seed_corpus_same_rows(seeded_engine: Engine, name: str, params: dict[str, str]) -> None:
    assert_same_rows(seeded_engine, name, params)


def test_pages_are_read_in_index_order(seeded_engine: Engine) -> None:
    """A page of deals, deal events, discrepancies, officials, aid groups or of the articles that
    mention an entity is read through the index of its order."""
    with seeded_engine.begin() as conn:
        conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
        conn.exec_driver_sql("SET LOCAL enable_sort = off")
        for name, index in (
            ("arms_deals", "ix_deals_listing"),
            ("contract_timeline", "ix_deal_events_timeline"),
            ("source_discrepancies", "uq_discrepancies_subject_attribute_value_a_value_b"),
            ("officials", "ix_entities_name_id"),
            ("aid_by_year", "ix_aid_groups_listing"),
        ):
            sql, values = queries.get(name).bind({"limit": "10"})
            plan = "\n".join(r[0] for r in conn.exec_driver_sql("EXPLAIN " + sql, values))
            assert index in plan, (name, plan)
        sql, values = queries.get("entity_profile").bind({"name": "Peru", "limit": "10"})
        plan = "\n".join(r[0] for r in conn.exec_driver_sql("EXPLAIN " + sql, values))
        assert "Index Scan Backward using ix_mentions_entity_id_article_id" in plan, plan
