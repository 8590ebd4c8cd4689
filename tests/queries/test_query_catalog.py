"""The named-query files and their loader, without a database: headers, psql preamble, binding."""

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest

import queries
from queries.catalog import Query, QueryError, parse, to_pyformat
from queries.docs import render

REPO = Path(__file__).resolve().parents[2]
# The catalogue the issue asks for: query -> (parameters with defaults, columns it must return).
CONTRACT = {
    "articles": (
        {"limit": "1000"},
        "article_id source_file publisher title published_on date_precision byline word_count",
    ),
    "article_entities": (
        {"source_file": "all", "limit": "1000"},
        "source_file entity entity_type mentions surface_forms",
    ),
    "entity_mentions": ({"entity_type": "all"}, "entity entity_type country mentions articles sources"),
    "money_mentions": (
        {"source_file": "all", "limit": "1000"},
        "source_file text amount currency amount_usd kind year qualifier",
    ),
    "aid_by_year": (
        {"donor": "all", "recipient": "all", "limit": "1000"},
        "donor recipient fiscal_year purpose stage amount_usd articles sources",
    ),
    "arms_deals": (
        {"buyer": "all", "limit": "1000"},
        "deal_id deal buyer suppliers supplier_countries item value_usd status status_date articles sources",
    ),
    "contract_timeline": (
        {"deal_id": "all", "limit": "1000"},
        "deal_id deal event party event_date date_precision source_file evidence",
    ),
    "supplier_market": ({"buyer": "all"}, "supplier_country deals value_usd statuses"),
    "corroboration": ({"min_sources": "1", "limit": "1000"}, "kind fact articles sources publishers"),
    "source_discrepancies": ({"limit": "1000"}, "subject attribute value_a source_a value_b source_b"),
    "quotes": ({"speaker": "all"}, "speaker quote articles sources first_published_on"),
    "co_mentions": ({"min_articles": "2", "limit": "1000"}, "entity_a entity_b articles"),
    "entity_profile": ({"name": None, "limit": "1000"}, "entity aspect detail source_file"),
    "officials": ({"limit": "1000"}, "person position organization country valid_from valid_to source_file"),
    "rejected_inputs": ({}, "path reason run_id rejected_at"),
}
ALL = sorted(queries.catalog())


def test_catalogue_has_every_contract_query_with_its_parameters_and_columns() -> None:
    assert set(CONTRACT) <= set(ALL)
    for name, (params, columns) in CONTRACT.items():
        query = queries.get(name)
        assert {p.name: p.default for p in query.params} == params, name
        declared = [c.name for c in query.columns]
        assert columns.split() == declared[: len(columns.split())], name


@pytest.mark.parametrize("name", ALL)
def test_header_states_name_grain_parameters_and_columns(name: str) -> None:
    query = queries.get(name)
    assert query.path.stem == name
    assert "One row per" in query.description
    assert query.columns and all(c.description for c in query.columns)
    assert all(p.description for p in query.params)
    assert len({c.name for c in query.columns}) == len(query.columns)


@pytest.mark.parametrize("name", ALL)
def test_psql_preamble_gives_every_optional_parameter_its_declared_default(name: str) -> None:
    query = queries.get(name)
    psql_defaults = dict(re.findall(r"^\s*\\set (\w+) (\S+)\s*$", query.source, re.M))
    optional = {p.name: p.default for p in query.params if not p.required}
    assert psql_defaults == optional
    for p in query.params:
        assert f"\\if :{{?{p.name}}}" in query.source
        if p.required:
            assert re.search(rf"\\warn .*{p.name}", query.source) and "\\quit" in query.source


@pytest.mark.parametrize("name", ALL)
def test_every_psql_variable_is_declared_and_every_parameter_used(name: str) -> None:
    query = queries.get(name)
    sql, values = query.bind({p.name: p.default or "x" for p in query.params})
    assert sql.startswith(f"/* query:{name} */")
    assert set(values) == {p.name for p in query.params}
    for p in query.params:
        assert f"%({p.name})s" in sql
    assert "\\if" not in sql and "\\set" not in sql
    assert not re.search(r"(?<![:\w]):'?\w", re.sub(r"'(?:[^']|'')*'", "''", sql)), "unbound psql variable"


def _query(tmp_path: Path, body: str) -> Query:
    path = tmp_path / "probe.sql"
    path.write_text(
        "-- name: probe\n-- description: A probe. One row per probe.\n"
        "-- param: who text = all  -- a name\n-- param: n int = 2  -- a number\n"
        "-- param: day date required  -- a day\n-- column: x  -- x\n" + body
    )
    return parse(path)


def test_variables_become_typed_bind_parameters_but_literals_comments_and_casts_do_not(
    tmp_path: Path,
) -> None:
    query = _query(
        tmp_path, "select :'who'::text, :n, x::int, ':n', \":who\", 'a%b' -- :n\n/* :who */ where d = :'day'"
    )
    sql = to_pyformat(query.body, query)
    assert "CAST(%(who)s AS text)::text" in sql and "CAST(%(n)s AS integer)" in sql
    assert "CAST(%(day)s AS date)" in sql
    assert "x::int" in sql and "':n'" in sql and '":who"' in sql and "-- :n" in sql and "/* :who */" in sql
    assert "'a%%b'" in sql


def test_bind_fills_defaults_converts_types_and_rejects_bad_parameters(tmp_path: Path) -> None:
    query = _query(tmp_path, "select :'who', :n, :'day'")
    _, values = query.bind({"day": "2012-10-06"})
    assert values == {"who": "all", "n": 2, "day": dt.date(2012, 10, 6)}
    with pytest.raises(QueryError, match="unknown parameter 'nope'"):
        query.bind({"day": "2012-10-06", "nope": "1"})
    with pytest.raises(QueryError, match="needs parameter day"):
        query.bind({})
    with pytest.raises(QueryError, match="n must be int"):
        query.bind({"day": "2012-10-06", "n": "two"})


def test_limit_is_a_positive_integer_or_all_and_pages_the_row_listing_queries(tmp_path: Path) -> None:
    path = tmp_path / "paged.sql"
    path.write_text(
        "-- name: paged\n-- description: A probe. One row per probe.\n"
        "-- param: limit text = 1000  -- at most this many rows (all: every row)\n-- column: x  -- x\n"
        "select 1 as x limit case when lower(:'limit') = 'all' then null else cast(:'limit'::text as bigint) end"
    )
    query = parse(path)
    assert query.bind({})[1] == {"limit": "1000"}
    assert query.bind({"limit": " 25 "})[1] == {"limit": "25"} and query.bind({"limit": "ALL"})[1] == {"limit": "ALL"}
    for bad in ("ten", "0", "-5", "2.5", "", "1e3", "99999999999999999999"):
        with pytest.raises(QueryError, match="limit must be a positive integer or all"):
            query.bind({"limit": bad})
    paged = [name for name in ALL if queries.get(name).param("limit")]
    assert {"article_entities", "co_mentions", "corroboration", "money_mentions", "articles"} <= set(paged)
    for name in paged:
        p = queries.get(name).param("limit")
        assert (p.type, p.default, p.description) == ("text", "1000", "at most this many rows (all: every row)")
        assert "limit case when lower(:'limit') = 'all' then null else cast(:'limit'::text as bigint) end" in (
            queries.get(name).source
        )


def test_undeclared_variable_is_an_error(tmp_path: Path) -> None:
    query = _query(tmp_path, "select :'ghost'")
    with pytest.raises(QueryError, match="does not declare"):
        query.bind({"day": "2012-10-06"})


def test_param_conversion_of_numbers_and_booleans() -> None:
    numeric = queries.Param("v", "numeric", "0", "")
    assert numeric.convert("1.50") == Decimal("1.50")
    flag = queries.Param("f", "bool", "false", "")
    assert flag.convert("T") is True and flag.convert("0") is False


def test_unknown_query_is_an_error() -> None:
    with pytest.raises(QueryError, match="unknown query"):
        queries.get("no_such_query")


def test_docs_catalogue_is_generated_from_the_headers_and_up_to_date() -> None:
    expected = render()
    assert (REPO / "docs" / "queries.md").read_text() == expected, "run: python -m queries.docs > docs/queries.md"
    for name in ALL:
        assert f"## {name}" in expected
        for column in queries.get(name).columns:
            assert f"`{column.name}`" in expected
