"""`armsledger export`: CSV/Parquet per analytics view, FollowTheMoney entities, an OCDS package."""

import copy
import json
from pathlib import Path

import pandas as pd
import pycountry
import pytest
from cli_helpers import cli
from sample_facts import load_sample
from sqlalchemy import Engine, text

from etl.export.ocds import OCID_PREFIX, package, release, schema_registry, validation_errors


def analytics_views(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        names = (
            conn.execute(text("SELECT viewname FROM pg_views WHERE schemaname = 'analytics'")).scalars().all()
        )
        return {n: conn.execute(text(f'SELECT count(*) FROM analytics."{n}"')).scalar_one() for n in names}


def export(db_url: str, fmt: str, out: Path) -> None:
    result = cli(db_url, "export", "--format", fmt, "--output", str(out))
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_one_file_per_analytics_view(fmt: str, engine: Engine, db_url: str, tmp_path: Path) -> None:
    load_sample(engine)
    export(db_url, fmt, tmp_path)
    counts = analytics_views(engine)
    assert {p.stem for p in tmp_path.iterdir()} == set(counts)
    for name, count in counts.items():
        path = tmp_path / f"{name}.{fmt}"
        frame = pd.read_csv(path) if fmt == "csv" else pd.read_parquet(path)
        assert len(frame) == count, name
    deals = (
        pd.read_parquet(tmp_path / "deals.parquet")
        if fmt == "parquet"
        else pd.read_csv(tmp_path / "deals.csv")
    )
    assert deals.loc[0, "suppliers"] == "Bumar Group, Northrop Grumman, Rafael Advanced Defense Systems"
    assert float(deals.loc[0, "value_usd"]) == 114_000_000


def test_empty_database_exports_headers_only(db_url: str, tmp_path: Path) -> None:
    export(db_url, "parquet", tmp_path)
    assert pd.read_parquet(tmp_path / "deals.parquet").empty
    assert "deal_id" in pd.read_parquet(tmp_path / "deals.parquet").columns


def read_ftm(path: Path) -> list:
    from followthemoney import model  # the ftm extra

    return [model.get_proxy(json.loads(line), cleaned=False) for line in path.read_text().splitlines()]


def check_ftm(entities: list) -> None:
    """Re-parsed by the library: known schemata, ids unique, clean values, references resolve."""
    ids = [e.id for e in entities]
    assert all(ids) and len(ids) == len(set(ids))
    for entity in entities:
        for prop, value in entity.itervalues():
            assert prop.type.clean(value, proxy=entity) == value, (entity.schema.name, prop.name, value)
            if prop.type.name == "entity":
                assert value in ids, (entity.schema.name, prop.name)


def test_ftm_entities_reparse_and_link_articles_to_facts(engine: Engine, db_url: str, tmp_path: Path) -> None:
    load_sample(engine)
    export(db_url, "ftm", tmp_path / "a")
    entities = read_ftm(tmp_path / "a" / "armsledger.ftm.json")
    check_ftm(entities)
    by_schema: dict[str, list] = {}
    for e in entities:
        by_schema.setdefault(e.schema.name, []).append(e)
    assert len(by_schema["Article"]) == 4
    reuters = next(a for a in by_schema["Article"] if a.first("publisher") == "Reuters")
    assert reuters.first("publishedAt") == "2012-10-06" and "Leon Panetta" in reuters.first("bodyText")
    names = {e.id: e.caption for e in entities}
    contract = by_schema["Contract"][0]
    assert names[contract.first("authority")] == "Peruvian Defense Ministry"
    assert contract.first("amount") == "114000000.00" and contract.first("currency") == "USD"
    suppliers = {names[a.first("supplier")] for a in by_schema["ContractAward"]}
    assert suppliers == {"Bumar Group", "Northrop Grumman", "Rafael Advanced Defense Systems"}
    payment = by_schema["Payment"][0]
    assert (names[payment.first("payer")], names[payment.first("beneficiary")]) == ("United States", "Peru")
    assert payment.first("amountUsd") == "84000000.00"
    upi = {a.id for a in by_schema["Article"] if a.first("publisher") == "UPI"}
    assert set(payment.get("proof")) == upi  # the article that states the aid
    mentioned = {(names[d.first("document")], names[d.first("entity")]) for d in by_schema["Documentation"]}
    assert len(mentioned) == 16  # distinct article x entity pairs in the sample
    occupancy = next(o for o in by_schema["Occupancy"] if names[o.first("holder")] == "Pedro Cateriano")
    assert names[occupancy.first("post")] == "Defense Minister"
    assert by_schema["PublicBody"] and by_schema["Person"] and by_schema["Event"]

    export(db_url, "ftm", tmp_path / "b")  # stable ids: the same entities again
    assert (tmp_path / "a" / "armsledger.ftm.json").read_text() == (
        tmp_path / "b" / "armsledger.ftm.json"
    ).read_text()


def closed(schema: dict) -> dict:
    """A copy where every object with properties allows no others: each emitted field must be described."""
    schema = copy.deepcopy(schema)

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if "properties" in node:
                node["additionalProperties"] = False
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    return schema


def strict_errors(package: dict) -> list[str]:
    schema, registry = schema_registry()
    from referencing import Registry
    from referencing.jsonschema import DRAFT4

    resources = [(uri, DRAFT4.create_resource(closed(registry[uri].contents))) for uri in registry]
    return validation_errors(package, closed(schema), Registry().with_resources(resources))


def test_ocds_package_is_valid_and_records_the_cancelled_award(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    load_sample(engine)
    export(db_url, "ocds", tmp_path)
    package = json.loads((tmp_path / "release-package.json").read_text())
    assert validation_errors(package) == []
    assert strict_errors(package) == []
    assert package["version"] == "1.1"
    (deal,) = package["releases"]
    assert deal["ocid"].startswith(OCID_PREFIX) and deal["initiationType"] == "tender"
    assert deal["tag"] == ["awardCancellation"]
    assert deal["awards"][0]["status"] == "cancelled" and deal["awards"][0]["date"] == "2012-02-01T00:00:00Z"
    assert {s["name"] for s in deal["awards"][0]["suppliers"]} == {
        "Bumar Group",
        "Northrop Grumman",
        "Rafael Advanced Defense Systems",
    }
    assert deal["buyer"]["name"] == "Peruvian Defense Ministry"
    roles = {p["name"]: p["roles"] for p in deal["parties"]}
    assert roles["Peruvian Defense Ministry"] == ["buyer"]
    assert roles["Rosoboronexport"] == ["tenderer"] and "supplier" in roles["Bumar Group"]
    party_ids = {p["id"] for p in deal["parties"]}
    refs = [deal["buyer"], *deal["tender"]["tenderers"], *deal["awards"][0]["suppliers"]]
    assert {r["id"] for r in refs} <= party_ids
    assert deal["tender"]["documents"][0]["id"] == "004_e539bab1961ba871.txt"
    for party in deal["parties"]:
        assert pycountry.countries.lookup(party["address"]["countryName"])
    assert pycountry.currencies.get(alpha_3=deal["tender"]["value"]["currency"])


def _deal(status: str, **extra: object) -> dict:
    return {
        "fact_key": f"deal|{status}", "deal": "Tanks", "buyer_id": None, "buyer": None,
        "buyer_country_code": None, "item": "MBT-2000", "quantity": None, "value": 1.4e9, "currency": "USD",
        "status": status, "first_published_on": None, **extra,
    }  # fmt: skip


def test_ocds_cancellation_before_award_cancels_the_tender() -> None:
    bidder = {"party_id": 1, "party": "Norinco", "role": "bidder", "country_code": "CN"}
    rel = release(_deal("cancelled"), [bidder], [], [], {1: "armsledger-1"}, "2026-01-01T00:00:00Z")
    assert rel["tender"]["status"] == "cancelled" and rel["tag"] == ["tenderCancellation"]
    assert "awards" not in rel
    signed = release(
        _deal("active"), [{**bidder, "role": "supplier"}], [], [], {1: "x"}, "2026-01-01T00:00:00Z"
    )
    assert signed["contracts"][0]["status"] == "active" and signed["tag"] == ["contract"]
    assert validation_errors(package([rel, signed], "2026-01-01T00:00:00Z")) == []


def test_ocds_schema_rejects_what_ocds_rejects() -> None:
    rel = release(_deal("awarded"), [], [], [], {}, "2026-01-01T00:00:00Z")
    good = package([rel], "2026-01-01T00:00:00Z")
    assert validation_errors(good) == []
    for path, value in [
        (("releases", 0, "awards", 0, "status"), "won"),
        (("releases", 0, "tender", "status"), "open"),
        (("releases", 0, "date"), "2012-02-01"),
        (("releases", 0, "initiationType"), "auction"),
        (("version",), "1"),
        (("releases", 0, "tag"), ["awarded"]),  # releaseTag codelist
        (("releases", 0, "tender", "value", "currency"), "XYZ"),  # currency codelist
        (("releases", 0, "parties"), [{"id": "x", "name": "X", "roles": ["seller"]}]),  # partyRole codelist
        (("uri",), "not a uri"),
    ]:
        bad = copy.deepcopy(good)
        node = bad
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
        assert validation_errors(bad), path
    del good["releases"][0]["ocid"]
    assert validation_errors(good)


def test_exports_of_the_seed_corpus_validate(seeded_url: str, tmp_path: Path) -> None:
    export(seeded_url, "ocds", tmp_path)
    package = json.loads((tmp_path / "release-package.json").read_text())
    assert package["releases"] and validation_errors(package) == []  # the official 1.1.5 schema and codelists
    assert strict_errors(package) == []  # and no field the schema does not describe
    cancelled = [r for r in package["releases"] if r["tag"] == ["awardCancellation"]]
    assert any(r["tender"]["value"]["amount"] == 114_000_000 for r in cancelled)
    export(seeded_url, "ftm", tmp_path)
    entities = read_ftm(tmp_path / "armsledger.ftm.json")
    check_ftm(entities)
    assert sum(e.schema.name == "Article" for e in entities) == 5
    assert any(e.schema.name == "Payment" and e.first("amountUsd") == "84000000.00" for e in entities)


def test_ftm_exports_only_what_articles_mention_each_value_with_its_article(
    seeded_url: str, seeded_engine: Engine, tmp_path: Path
) -> None:
    from followthemoney.dataset import Dataset
    from followthemoney.statement import StatementEntity, read_path_statements

    from etl.export.ftm import DATASET, STATEMENTS_FILE

    export(seeded_url, "ftm", tmp_path)
    entities = read_ftm(tmp_path / "armsledger.ftm.json")
    check_ftm(entities)
    with seeded_engine.connect() as conn:
        mentioned = set(conn.execute(text("SELECT DISTINCT entity FROM analytics.mentions")).scalars())
        gazetteer = conn.execute(text("SELECT count(*) FROM analytics.entities")).scalar_one()
    named = {e.caption for e in entities if e.schema.name in ("Person", "Organization", "PublicBody", "Project")}
    assert named and named <= mentioned and len(named) < gazetteer / 2

    statements = list(read_path_statements(tmp_path / STATEMENTS_FILE, "json"))
    articles = {e.id for e in entities if e.schema.name == "Article"}
    by_entity: dict[str, list] = {}
    for stmt in statements:
        by_entity.setdefault(stmt.entity_id, []).append(stmt)
    assert set(by_entity) == {e.id for e in entities}
    for entity_id, stmts in by_entity.items():
        origins = {s.origin for s in stmts if s.prop != "id"}
        assert origins & articles, entity_id  # every entity has a source article
        for s in stmts:
            assert s.origin in articles | {"gazetteer"} or s.prop == "id", s
            assert s.dataset.startswith(DATASET)
    payment = next(e for e in entities if e.schema.name == "Payment")
    rebuilt = StatementEntity.from_statements(Dataset.make({"name": DATASET}), by_entity[payment.id])
    assert rebuilt.get("amountUsd") == payment.get("amountUsd")
    kinds = {e.schema.name for e in entities}
    assert {"Documentation", "Mention", "Contract", "ContractAward", "Payment", "Occupancy"} <= kinds


def test_ftm_export_without_the_extra_says_what_to_install(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "followthemoney", None)
    monkeypatch.delitem(sys.modules, "etl.export.ftm", raising=False)
    result = cli(db_url, "export", "--format", "ftm", "--output", str(tmp_path))
    assert result.exit_code == 2 and "pip install -e '.[ftm]'" in result.output
    assert len(result.output.strip().splitlines()) == 1
