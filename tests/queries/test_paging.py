"""Paging of the row-listing queries (``-p limit=N|all``) on the seed corpus: ``limit=all`` gives
exactly the rows the queries gave before they were paged, a small limit the first rows of that
order, in Python, the CLI and psql; a bad limit is one error line; the CLI says when a default page
came back full."""

from __future__ import annotations

import dataclasses
import importlib
from typing import Any

import pytest
from cli_helpers import cli, psql, rows
from sample_facts import load_sample
from sqlalchemy import Engine, text

import queries

catalog_module = importlib.import_module("queries.catalog")  # the module; queries.catalog is its function

# The queries as they were before paging (revision 0007), as references for limit=all. Where the
# ORDER BY changed (a file's articles one after another, file names case-insensitively), the seed
# corpus (one article per file, lower-case names) gives the same order.
OLD_SQL = {
    "article_entities": """
        select source_file, entity, entity_type, count(*) as mentions,
               string_agg(distinct surface, ', ' order by surface) as surface_forms
        from analytics.mentions
        where lower(%(source_file)s) = 'all' or lower(source_file) = lower(%(source_file)s)
        group by article_id, source_file, entity_id, entity, entity_type
        order by source_file, mentions desc, entity, entity_type
    """,
    "money_mentions": """
        select source_file, text, amount, currency, amount_usd, kind, year, qualifier, amount_max, published_on
        from analytics.money
        where lower(%(source_file)s) = 'all' or lower(source_file) = lower(%(source_file)s)
        order by source_file, char_start, money_mention_id
    """,
    "co_mentions": """
        select entity_a, entity_b, articles, sources, entity_a_type, entity_b_type
        from analytics.entity_pairs
        where articles >= %(min_articles)s
        order by articles desc, entity_a, entity_b, entity_a_type, entity_b_type
    """,
    "corroboration": """
        select fact_type as kind, fact, articles, sources, publishers, first_published_on, source_files
        from analytics.corroboration
        where sources >= %(min_sources)s
        order by sources desc, articles desc, kind, fact, fact_id
    """,
    "articles": """
        select article_id, source_file, publisher, title, published_on, date_precision, byline, word_count,
               wire_service, original_source_file as syndicated_from
        from analytics.articles
        order by published_on nulls last, source_file, article_id
    """,
    "officials": """
        select person, position, organization, country, valid_from, valid_to, source_files as source_file,
               articles, sources
        from analytics.positions
        order by person, valid_from nulls last, position, position_id
    """,
}
CASES = [
    ("article_entities", {"source_file": "all"}),
    ("article_entities", {"source_file": "004_E539BAB1961BA871.txt"}),
    ("money_mentions", {"source_file": "all"}),
    ("money_mentions", {"source_file": "001_78839b0446df5105.txt"}),
    ("co_mentions", {"min_articles": 2}),
    ("co_mentions", {"min_articles": 1}),
    ("corroboration", {"min_sources": 1}),
    ("corroboration", {"min_sources": 0}),
    ("corroboration", {"min_sources": 3}),
    ("articles", {}),
    ("officials", {}),
]
IDS = [f"{name}-{'-'.join(str(v) for v in params.values()) or 'defaults'}" for name, params in CASES]


def _rows(engine: Engine, name: str, /, **params: Any) -> list[tuple]:
    sql, values = queries.get(name).bind(params)
    with engine.connect() as conn:
        return [tuple(r) for r in conn.exec_driver_sql(sql, values)]


def _old_rows(engine: Engine, name: str, sql: str | None = None, **params: Any) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.exec_driver_sql(sql or OLD_SQL[name], params)]


@pytest.mark.parametrize(("name", "params"), CASES, ids=IDS)
def test_limit_all_gives_the_rows_of_the_unpaged_query_and_a_limit_its_first_rows(
    name: str, params: dict[str, Any], seeded_engine: Engine
) -> None:
    old = _old_rows(seeded_engine, name, **params)
    assert old, f"{name} {params}: no rows on the seed corpus"
    assert _rows(seeded_engine, name, limit="all", **params) == old
    assert _rows(seeded_engine, name, **params) == old[:1000]
    for n in (1, 3):
        assert _rows(seeded_engine, name, limit=str(n), **params) == old[:n]


@pytest.mark.parametrize("name", sorted(q.name for q in queries.catalog().values() if q.param("limit")))
def test_psql_runs_each_file_with_and_without_a_limit(name: str, seeded_url: str) -> None:
    everything = psql(seeded_url, name, limit="all")
    assert everything.returncode == 0, everything.stderr
    assert rows(psql(seeded_url, name).stdout) == rows(everything.stdout)  # fewer than 1000 rows
    two = psql(seeded_url, name, limit="2")
    assert two.returncode == 0, two.stderr
    assert rows(two.stdout) == rows(everything.stdout)[:3]
    by_cli = cli(seeded_url, "query", "run", name, "-p", "limit=2", "-f", "csv")
    assert rows(by_cli.stdout) == rows(two.stdout)


@pytest.mark.parametrize("bad", ["ten", "0", "-1", "1.5"])
def test_a_bad_limit_is_one_error_line_and_exit_2(bad: str, seeded_url: str) -> None:
    result = cli(seeded_url, "query", "run", "articles", "-p", f"limit={bad}")
    assert result.exit_code == 2
    assert result.stderr.strip() == f"error: parameter limit must be a positive integer or all, not {bad!r}"
    assert "Traceback" not in result.output


def _default_limit(monkeypatch: pytest.MonkeyPatch, name: str, default: str) -> None:
    """The catalogue with ``name``'s default page size set to ``default``."""
    query = queries.get(name)
    params = tuple(dataclasses.replace(p, default=default) if p.name == "limit" else p for p in query.params)
    patched = {**queries.catalog(), name: dataclasses.replace(query, params=params)}
    monkeypatch.setattr(catalog_module, "catalog", lambda directory=catalog_module.QUERY_DIR: patched)


def test_the_cli_says_when_a_default_page_is_full_on_stderr_only(
    seeded_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    hint = "first 3 rows; -p limit=all for every row"
    untruncated = cli(seeded_url, "query", "run", "articles", "-f", "csv")
    assert untruncated.exit_code == 0 and "limit=all" not in untruncated.output  # 5 rows < 1000
    _default_limit(monkeypatch, "articles", "3")
    for fmt in ("csv", "json", "table"):
        result = cli(seeded_url, "query", "run", "articles", "-f", fmt)
        assert result.exit_code == 0, result.output
        assert result.stderr.strip() == hint and hint not in result.stdout
    assert len(rows(cli(seeded_url, "query", "run", "articles", "-f", "csv").stdout)) == 1 + 3
    asked = cli(seeded_url, "query", "run", "articles", "-p", "limit=3", "-f", "csv")
    assert len(rows(asked.stdout)) == 1 + 3 and not asked.stderr
    everything = cli(seeded_url, "query", "run", "articles", "-p", "limit=all", "-f", "csv")
    assert len(rows(everything.stdout)) == 1 + 5 and not everything.stderr


# One article's rows in the old order (the same as the old query's for a file of one article).
ONE_ARTICLE = {
    name: OLD_SQL[name].replace("where lower(%(source_file)s) = 'all' or", "where article_id = %(id)s and")
    for name in ("article_entities", "money_mentions")
}


@pytest.mark.parametrize("name", sorted(ONE_ARTICLE))
def test_articles_of_one_file_are_listed_one_after_another(name: str, engine: Engine) -> None:
    """Lines of a JSON-lines file share a file name: the old query's rows, article by article."""
    load_sample(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE articles SET source_file = 'Feed.jsonl'"))
        ids = list(conn.execute(text("SELECT id FROM articles ORDER BY id")).scalars())
    new = _rows(engine, name, limit="all", source_file="feed.JSONL")
    assert sorted(new, key=repr) == sorted(_old_rows(engine, name, source_file="all"), key=repr)
    by_article = [
        row for i in ids for row in _old_rows(engine, name, sql=ONE_ARTICLE[name], id=i, source_file="FEED.jsonl")
    ]
    assert new == by_article and len({r[0] for r in new}) == 1


def test_entity_profile_lists_each_kind_newest_first_and_pages(seeded_engine: Engine) -> None:
    """The articles that mention an entity come newest first (the last loaded first), one row each;
    a page is the first rows of the whole profile."""
    everything = _rows(seeded_engine, "entity_profile", name="Peru", limit="all")
    mentioned = [source_file for _entity, aspect, _detail, source_file in everything if aspect == "mentioned_in"]
    with seeded_engine.connect() as conn:
        loaded = list(
            conn.execute(
                text(
                    "SELECT a.source_file FROM articles a WHERE EXISTS (SELECT 1 FROM mentions m JOIN entities e "
                    "ON e.id = m.entity_id WHERE m.article_id = a.id AND e.name = 'Peru') ORDER BY a.id DESC"
                )
            ).scalars()
        )
    assert len(loaded) >= 4 and mentioned == loaded
    assert [aspect for _e, aspect, _d, _s in everything][-len(loaded) :] == ["mentioned_in"] * len(loaded)
    for n in range(1, len(everything) + 1):  # each kind is cut at what the kinds before it left of the page
        assert _rows(seeded_engine, "entity_profile", name="Peru", limit=str(n)) == everything[:n], n
