"""The catalogue on the seed corpus (data/seeds, loaded by the ETL pipeline): every query gives the
same rows through the CLI and through psql, and returns the facts the five 2012 articles state.

Assertions name facts, not database ids or exact row counts, so better extraction rules that add
facts do not break them; a fact the rules stop finding does.
"""

import pandas as pd
import pytest
from cli_helpers import cli, psql, rows
from sqlalchemy import Engine

import queries

SEED_FILES = {
    "000_3c55420993545cef.txt": "UPI",
    "001_78839b0446df5105.txt": "Defense News",
    "002_b795cc3f13f4728f.txt": "Reuters",
    "003_a931aa88721324b1.txt": "The China Post",
    "004_e539bab1961ba871.txt": "The Washington Times",
}
CASES = [(name, {}) for name in sorted(queries.catalog()) if name != "entity_profile"] + [
    ("entity_profile", {"name": "Peru"}),
    ("entity_profile", {"name": "panetta"}),
    ("aid_by_year", {"recipient": "PE", "donor": "united states"}),
    ("arms_deals", {"buyer": "pe"}),
    ("supplier_market", {"buyer": "Peru"}),
    ("article_entities", {"source_file": "004_e539bab1961ba871.txt"}),
    ("money_mentions", {"source_file": "001_78839b0446df5105.txt"}),
    ("entity_mentions", {"entity_type": "person"}),
    ("quotes", {"speaker": "Panetta"}),
    ("co_mentions", {"min_articles": "4"}),
    ("corroboration", {"min_sources": "3"}),
]


def run(engine: Engine, name: str, /, **params: str) -> pd.DataFrame:
    return queries.run(name, engine, **params)


@pytest.mark.parametrize(
    ("name", "params"), CASES, ids=[f"{n}-{'-'.join(p.values()) or 'defaults'}" for n, p in CASES]
)
def test_cli_and_psql_agree_on_the_seed_corpus(name: str, params: dict[str, str], seeded_url: str) -> None:
    result = cli(seeded_url, "query", "run", name, *[f"-p{k}={v}" for k, v in params.items()], "-f", "csv")
    assert result.exit_code == 0, result.output
    by_psql = psql(seeded_url, name, **params)
    assert by_psql.returncode == 0, by_psql.stderr
    assert rows(result.stdout) == rows(by_psql.stdout)
    assert rows(by_psql.stdout)[0] == [c.name for c in queries.get(name).columns]


def test_contract_timeline_for_each_deal_agrees(seeded_engine: Engine, seeded_url: str) -> None:
    for deal_id in run(seeded_engine, "arms_deals")["deal_id"]:
        result = cli(seeded_url, "query", "run", "contract_timeline", "-p", f"deal_id={deal_id}", "-f", "csv")
        assert rows(result.stdout) == rows(psql(seeded_url, "contract_timeline", deal_id=str(deal_id)).stdout)


def test_articles_are_the_five_seeds_with_manifest_metadata(seeded_engine: Engine) -> None:
    frame = run(seeded_engine, "articles")
    assert dict(zip(frame["source_file"], frame["publisher"], strict=True)) == SEED_FILES
    assert str(frame.set_index("source_file").loc["004_e539bab1961ba871.txt", "published_on"]) == "2012-05-30"
    copy = frame.set_index("source_file").loc["003_a931aa88721324b1.txt"]
    assert copy["syndicated_from"] == "002_b795cc3f13f4728f.txt"  # The China Post ran the Reuters story


def test_entities_and_their_mentions(seeded_engine: Engine) -> None:
    counts = run(seeded_engine, "entity_mentions").set_index("entity")
    for name in (
        "Peru",
        "United States",
        "Leon Panetta",
        "Ollanta Humala",
        "Pedro Cateriano",
        "Northrop Grumman",
    ):
        assert name in counts.index, name
    assert counts.loc["Peru", "articles"] == 5 and counts.loc["Peru", "sources"] == 4
    people = run(seeded_engine, "entity_mentions", entity_type="person")
    assert set(people["entity_type"]) == {"person"} and "Leon Panetta" in set(people["entity"])
    wt = run(seeded_engine, "article_entities", source_file="004_e539bab1961ba871.txt")
    assert {"Northrop Grumman", "Rafael Advanced Defense Systems", "Peru"} <= set(wt["entity"])
    upi = run(seeded_engine, "article_entities", source_file="000_3c55420993545cef.txt").set_index("entity")
    assert "Leo Panetta" in upi.loc["Leon Panetta", "surface_forms"]  # UPI's misspelling resolved


def test_money_mentions_of_the_seeds(seeded_engine: Engine) -> None:
    money = run(seeded_engine, "money_mentions")
    found = set(zip(money["source_file"], money["text"], money["amount_usd"], strict=True))
    assert ("004_e539bab1961ba871.txt", "$114 million", 114_000_000) in found
    assert ("001_78839b0446df5105.txt", "$84 million", 84_000_000) in found
    assert ("004_e539bab1961ba871.txt", "$1.4 billion", 1_400_000_000) in found


def test_us_aid_to_peru_by_year(seeded_engine: Engine) -> None:
    aid = run(seeded_engine, "aid_by_year", recipient="Peru", donor="US")
    total_2012 = aid[(aid["fiscal_year"] == 2012) & (aid["purpose"] == "total")].iloc[0]
    assert total_2012["amount_usd"] == 84_000_000
    assert total_2012["sources"] == 2  # UPI and Defense News, independently
    assert set(aid["recipient"]) == {"Peru"} and set(aid["donor"]) == {"United States"}
    assert (2013, 74_000_000) in set(zip(aid["fiscal_year"], aid["amount_usd"], strict=True))
    assert run(seeded_engine, "aid_by_year", recipient="Colombia").empty


def test_the_cancelled_triad_air_defense_contract(seeded_engine: Engine) -> None:
    deals = run(seeded_engine, "arms_deals", buyer="PE")
    assert len(deals) == len(run(seeded_engine, "arms_deals", buyer="Peru")) >= 1
    triad = deals[deals["value_usd"] == 114_000_000].iloc[0]
    assert triad["status"] == "cancelled" and str(triad["status_date"]) == "2012-04-01"
    for supplier in ("Northrop Grumman", "Rafael Advanced Defense Systems", "Bumar Group"):
        assert supplier in triad["suppliers"]
    assert "Israel" in triad["supplier_countries"] and "Poland" in triad["supplier_countries"]
    steps = run(seeded_engine, "contract_timeline", deal_id=str(triad["deal_id"]))
    assert {"awarded", "protested", "cancelled"} <= set(steps["event"])
    assert "Rosoboronexport" in triad["bidders"]
    assert steps["evidence"].notna().all() and set(steps["source_file"]) == {"004_e539bab1961ba871.txt"}
    assert run(seeded_engine, "arms_deals", buyer="US").empty


def test_supplier_market_shows_china_and_the_triad_countries(seeded_engine: Engine) -> None:
    market = run(seeded_engine, "supplier_market", buyer="Peru").set_index("supplier_country")
    assert {"China", "Israel", "Poland", "United States"} <= set(market.index)
    assert "cancelled" in market.loc["Israel", "statuses"]


def test_corroboration_and_quotes(seeded_engine: Engine) -> None:
    strong = run(seeded_engine, "corroboration", min_sources="3")
    assert not strong.empty and (strong["sources"] >= 3).all()
    assert strong["fact"].str.contains("family of the Americas").any()
    syndicated = run(seeded_engine, "corroboration")
    thrust = syndicated[syndicated["fact"].str.contains("principle thrust")].iloc[0]
    assert (thrust["articles"], thrust["sources"]) == (2, 1)  # Reuters and its China Post copy
    quotes = run(seeded_engine, "quotes", speaker="panetta")
    assert set(quotes["speaker"]) == {"Leon Panetta"} and len(quotes) >= 3


def test_people_pairs_profiles_and_discrepancies(seeded_engine: Engine) -> None:
    officials = run(seeded_engine, "officials")
    posts = set(zip(officials["person"], officials["position"], strict=True))
    assert {("Pedro Cateriano", "Defense Minister"), ("Leon Panetta", "Defense Secretary")} <= posts
    pairs = run(seeded_engine, "co_mentions")
    assert ("Peru", "United States") in set(zip(pairs["entity_a"], pairs["entity_b"], strict=True))
    profile = run(seeded_engine, "entity_profile", name="peru")
    assert {"identity", "aid", "agreement", "mentioned_in"} <= set(profile["aspect"])
    discrepancies = run(seeded_engine, "source_discrepancies")
    spelling = set(zip(discrepancies["value_a"], discrepancies["value_b"], strict=True))
    assert ("Leo Panetta", "Leon Panetta") in spelling
    assert run(seeded_engine, "rejected_inputs").empty  # the seeds all load
