"""Every named query on known rows (sample_facts), through Python, the CLI and psql."""

import json
import re
from pathlib import Path

import pandas as pd
import psycopg
import pytest
from cli_helpers import cli, psql, rows
from sample_facts import QUOTE, load_sample
from sqlalchemy import Engine, text

import queries
from etl.settings import libpq_url

# (query, parameters): every query with its defaults, and the parameters in other spellings.
CASES = [(name, {}) for name in sorted(queries.catalog()) if name != "entity_profile"] + [
    ("entity_profile", {"name": "cpmiec"}),
    ("entity_profile", {"name": "Leon Panetta"}),
    ("aid_by_year", {"recipient": "pe", "donor": "U.S."}),
    ("arms_deals", {"buyer": "Peru"}),
    ("supplier_market", {"buyer": "PE"}),
    ("article_entities", {"source_file": "004_e539bab1961ba871.txt"}),
    ("money_mentions", {"source_file": "000_3c55420993545cef.txt"}),
    ("entity_mentions", {"entity_type": "person"}),
    ("quotes", {"speaker": "panetta"}),
    ("co_mentions", {"min_articles": "3"}),
    ("corroboration", {"min_sources": "2"}),
    ("contract_timeline", {"deal_id": "1"}),
]


@pytest.fixture
def sample(engine: Engine, db_url: str) -> dict[str, int]:
    return load_sample(engine)


def run(engine: Engine, name: str, /, **params: str) -> pd.DataFrame:
    return queries.run(name, engine, **params)


@pytest.mark.parametrize(
    ("name", "params"), CASES, ids=[f"{n}-{'-'.join(p.values()) or 'defaults'}" for n, p in CASES]
)
def test_cli_and_psql_return_the_same_rows(
    name: str, params: dict[str, str], db_url: str, sample: dict[str, int]
) -> None:
    result = cli(db_url, "query", "run", name, *[f"-p{k}={v}" for k, v in params.items()], "--format", "csv")
    assert result.exit_code == 0, result.output
    by_psql = psql(db_url, name, **params)
    assert by_psql.returncode == 0, by_psql.stderr
    expected = rows(by_psql.stdout)
    assert rows(result.stdout) == expected
    assert expected[0] == [c.name for c in queries.get(name).columns]
    assert len(expected) > 1, f"{name} {params} returned no rows on the sample data"


def test_aid_by_year_filters_by_name_alias_or_code_and_hides_superseded_facts(
    engine: Engine, sample: dict[str, int]
) -> None:
    for spelling in ("Peru", "peru", "PE", "pe"):
        frame = run(engine, "aid_by_year", recipient=spelling)
        assert frame[["donor", "recipient", "fiscal_year", "amount_usd"]].values.tolist() == [
            ["United States", "Peru", 2012, 84_000_000]
        ], spelling
    assert run(engine, "aid_by_year", donor="US").shape[0] == 1
    assert run(engine, "aid_by_year", donor="U.S.").shape[0] == 1
    assert run(engine, "aid_by_year", donor="China").empty
    assert (
        8_400_000 not in run(engine, "aid_by_year")["amount_usd"].tolist()
    )  # superseded by the reviewed fact


def test_arms_deals_lists_suppliers_status_and_status_date(engine: Engine, sample: dict[str, int]) -> None:
    deal = run(engine, "arms_deals", buyer="peruvian defense ministry").iloc[0]
    assert deal["deal"] == "Triad air defense system contract"
    assert deal["suppliers"] == "Bumar Group, Northrop Grumman, Rafael Advanced Defense Systems"
    assert deal["supplier_countries"] == "Israel, Poland, United States"
    assert (deal["status"], str(deal["status_date"]), deal["value_usd"]) == (
        "cancelled",
        "2012-04-01",
        114_000_000,
    )
    assert (
        run(engine, "arms_deals", buyer="Peru").shape[0]
        == run(engine, "arms_deals", buyer="PE").shape[0]
        == 1
    )
    assert run(engine, "arms_deals", buyer="US").empty


def test_contract_timeline_orders_the_steps_and_quotes_the_evidence(
    engine: Engine, sample: dict[str, int]
) -> None:
    frame = run(engine, "contract_timeline", deal_id=str(sample["deal"]))
    assert frame["event"].tolist() == ["awarded", "cancelled", "bid", "protested"]
    cancelled = frame.set_index("event").loc["cancelled"]
    assert cancelled["evidence"] == "canceled a $114 million contract"
    assert cancelled["source_file"] == "004_e539bab1961ba871.txt"
    assert run(engine, "contract_timeline", deal_id="999").empty


def test_supplier_market_counts_each_member_country_of_a_consortium(
    engine: Engine, sample: dict[str, int]
) -> None:
    frame = run(engine, "supplier_market", buyer="Peru").set_index("supplier_country")
    assert sorted(frame.index) == ["Israel", "Poland", "United States"]
    assert (frame["deals"] == 1).all() and (frame["value_usd"] == 114_000_000).all()
    assert frame.loc["Israel", "statuses"] == "cancelled"


def test_corroboration_counts_a_syndicated_copy_as_the_same_source(
    engine: Engine, sample: dict[str, int]
) -> None:
    frame = run(engine, "corroboration", min_sources="2")
    assert frame[["kind", "articles", "sources"]].values.tolist() == [["quote", 3, 2]]
    assert frame.iloc[0]["publishers"] == "Reuters, The China Post, UPI"
    everything = run(engine, "corroboration")
    position = everything[everything["fact"] == "Leon Panetta, Defense Secretary"].iloc[0]
    assert (position["articles"], position["sources"]) == (2, 1)


def test_quotes_speaker_matches_part_of_the_name(engine: Engine, sample: dict[str, int]) -> None:
    frame = run(engine, "quotes", speaker="PANETTA")
    assert frame[["speaker", "quote", "articles", "sources"]].values.tolist() == [
        ["Leon Panetta", QUOTE, 3, 2]
    ]
    assert str(frame.iloc[0]["first_published_on"]) == "2012-10-06"
    assert run(engine, "quotes", speaker="Humala").empty


def test_co_mentions_entity_profile_officials_and_discrepancies(
    engine: Engine, sample: dict[str, int]
) -> None:
    pairs = run(engine, "co_mentions")
    assert ["Leon Panetta", "Peru", 3] in pairs[["entity_a", "entity_b", "articles"]].values.tolist()
    assert (pairs["articles"] >= 2).all()
    profile = run(engine, "entity_profile", name="CPMIEC")
    assert set(profile["entity"]) == {"China Precision Machinery Import Export Corp."}
    assert {"identity", "alias", "deal", "mentioned_in"} <= set(profile["aspect"])
    officials = run(engine, "officials")
    assert ["Pedro Cateriano", "Defense Minister", "Peru"] in officials[
        ["person", "position", "country"]
    ].values.tolist()
    disagreement = run(engine, "source_discrepancies").iloc[0]
    assert (disagreement["value_a"], disagreement["value_b"]) == ("Leo Panetta", "Leon Panetta")
    assert disagreement["source_a"] == "000_3c55420993545cef.txt"


def test_run_accepts_an_engine_a_connection_or_a_psycopg_connection(
    engine: Engine, db_url: str, sample: dict[str, int]
) -> None:
    by_engine = run(engine, "articles")
    with engine.connect() as conn:
        by_conn = queries.run("articles", conn)
    with psycopg.connect(libpq_url(db_url)) as pg:
        by_psycopg = queries.run("articles", pg)
    assert len(by_engine) == 4
    pd.testing.assert_frame_equal(by_engine, by_conn)
    assert by_psycopg.values.tolist() == by_engine.values.tolist()
    assert queries.run("entity_profile", engine, name="Peru").iloc[0]["aspect"] == "identity"


def test_json_output_is_one_array_of_objects_keyed_by_column(db_url: str, sample: dict[str, int]) -> None:
    result = cli(db_url, "query", "run", "aid_by_year", "-p", "recipient=Peru", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert isinstance(data, list) and len(data) == 1
    assert list(data[0]) == [c.name for c in queries.get("aid_by_year").columns]
    assert data[0]["amount_usd"] == 84_000_000 and data[0]["fiscal_year"] == 2012


def test_parquet_and_csv_output_files(db_url: str, sample: dict[str, int], tmp_path: Path) -> None:
    target = tmp_path / "deals.parquet"
    assert (
        cli(db_url, "query", "run", "arms_deals", "--format", "parquet", "--output", str(target)).exit_code
        == 0
    )
    assert pd.read_parquet(target)["deal"].tolist() == ["Triad air defense system contract"]
    target = tmp_path / "deals.csv"
    assert cli(db_url, "query", "run", "arms_deals", "-f", "csv", "-o", str(target)).exit_code == 0
    assert target.read_text().startswith("deal_id,deal,buyer,")


def test_table_output_list_and_show(db_url: str, sample: dict[str, int], tmp_path: Path) -> None:
    table = cli(db_url, "query", "run", "officials", "--output", str(tmp_path / "officials.txt"))
    assert table.exit_code == 0
    assert "Pedro Cateriano" in (tmp_path / "officials.txt").read_text()
    assert "officials" in cli(db_url, "query", "run", "officials").stdout
    listing = cli(db_url, "query", "list", "--format", "csv")
    assert listing.exit_code == 0
    assert {row[0] for row in rows(listing.stdout)[1:]} == set(queries.catalog())
    shown = cli(db_url, "query", "show", "aid_by_year")
    assert shown.exit_code == 0
    assert "-p recipient=<text>" in shown.stdout and "from analytics.aid" in shown.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["query", "run", "no_such_query"], "unknown query 'no_such_query'"),
        (["query", "show", "no_such_query"], "unknown query 'no_such_query'"),
        (["query", "run", "quotes", "-p", "colour=red"], "unknown parameter 'colour'"),
        (["query", "run", "entity_profile"], "needs parameter name"),
        (["query", "run", "co_mentions", "-p", "min_articles=many"], "min_articles must be int"),
        (["query", "run", "quotes", "-p", "speaker"], "-p takes key=value"),
        (["query", "run", "arms_deals", "--format", "parquet"], "needs --output"),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(args: list[str], message: str, db_url: str) -> None:
    result = cli(db_url, *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("error: ") and message in result.stderr


@pytest.mark.parametrize(
    "command", [["query", "list"], ["query", "show"], ["query", "run"], ["db", "grant-reader"], ["export"]]
)
def test_every_command_help_ends_with_an_example(command: list[str]) -> None:
    result = cli("postgresql://unused/db", *command, "--help")
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    assert re.search(r"Example: (ARMSLEDGER_READER_PASSWORD=\S+ )?armsledger ", text), text


def test_psql_without_a_required_variable_says_which_and_runs_nothing(db_url: str) -> None:
    result = psql(db_url, "entity_profile")
    assert "entity_profile needs a name" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("typed", "kind"),
    [("Leon Panetta", None), ("panetta", "surname"), ("Leo Panetta", "alias"), ("Leon Panneta", "close spelling")],
)
def test_entity_profile_finds_names_as_people_type_them(
    seeded_engine: Engine, typed: str, kind: str | None
) -> None:
    profile = queries.run("entity_profile", seeded_engine, name=typed)
    assert set(profile["entity"]) == {"Leon Panetta"}
    notes = profile[profile["aspect"] == "match"]["detail"].tolist()
    if kind is None:
        assert notes == []  # the canonical name needs no note
    else:
        assert len(notes) == 1 and f"matched Leon Panetta ({kind}" in notes[0]


def test_an_ambiguous_name_says_which_entity_it_chose(engine: Engine, sample: dict[str, int]) -> None:
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO entities (name, entity_type, origin) VALUES ('Sylvia Panetta', 'person', 'curated')")
        )
    profile = queries.run("entity_profile", engine, name="Panetta")
    assert set(profile["entity"]) == {"Leon Panetta"}  # the one the articles mention
    (note,) = profile[profile["aspect"] == "match"]["detail"]
    assert "also matches: Sylvia Panetta (surname)" in note
    assert set(queries.run("quotes", engine, speaker="Panneta")["speaker"]) == {"Leon Panetta"}
