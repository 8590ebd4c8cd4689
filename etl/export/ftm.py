"""FollowTheMoney entities (JSON lines) for Aleph and OpenSanctions tooling.

Every entity gets a stable id made from our natural keys (never from database ids): entity type
and name, article content hash, fact keys. Values go through the library's property cleaning, which
drops what its types reject. Mapping:

- person -> Person; organization, armed_group -> Organization; government_body, country ->
  PublicBody (a state acting as buyer or donor); program -> Project; weapon systems are not
  exported as entities (FtM has no schema for them) but name the item of a Contract.
- article -> Article; mention -> Documentation (article, entity, role "mentioned").
- deal -> Contract (authority = buyer) and one ContractAward per supplier or consortium member.
- aid allocation -> Payment (payer = donor, beneficiary = recipient).
- position -> Position + Occupancy; event -> Event (involved = participants).
Facts carry ``proof``: the articles that state them.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
from followthemoney import EntityProxy, model
from sqlalchemy import Connection, Engine

from etl.export.tables import read_view

SCHEMATA = {
    "person": "Person", "organization": "Organization", "armed_group": "Organization",
    "government_body": "PublicBody", "country": "PublicBody", "program": "Project",
}
DATASET = "armsledger"


def _value(value: Any) -> Any:
    return None if value is None or pd.isna(value) else value


def make(schema: str, *key: Any, **props: Any) -> EntityProxy:
    """An entity of ``schema`` with an id hashed from ``key`` and the given (cleaned) properties."""
    proxy = model.make_entity(schema)
    proxy.make_id(DATASET, schema, *(_value(k) for k in key))
    for prop, values in props.items():
        for value in values if isinstance(values, list | tuple) else [values]:
            value = _value(value)
            if value is not None and value != "":
                proxy.add(prop, str(value))
    return proxy


def _by(frame: pd.DataFrame, column: str) -> dict[Any, list[dict]]:
    groups: dict[Any, list[dict]] = defaultdict(list)
    for row in frame.to_dict("records"):
        groups[row[column]].append(row)
    return groups


def entities(conn: Connection) -> Iterator[EntityProxy]:
    """Every FtM entity, articles and named entities first, then the facts linking them."""
    ids: dict[int, str] = {}
    for row in read_view(conn, "entities").to_dict("records"):
        schema = SCHEMATA.get(row["entity_type"])
        if schema is None:
            continue
        aliases = [a.strip() for a in (_value(row["aliases"]) or "").split(",") if a.strip()]
        proxy = make(schema, row["entity_type"], row["entity"], name=row["entity"], alias=aliases,
                     country=row["country_code"], wikidataId=row["wikidata_id"],
                     description=row["description"])
        if row["entity_type"] == "country":
            proxy.add("jurisdiction", _value(row["country_code"]))
        ids[row["entity_id"]] = proxy.id
        yield proxy

    docs: dict[int, str] = {}
    for row in read_view(conn, "articles").to_dict("records"):
        proxy = make("Article", row["content_hash"], title=row["title"], publishedAt=row["published_on"],
                     publisher=row["publisher"], author=row["byline"], bodyText=row["body"],
                     sourceUrl=row["url"], fileName=row["source_file"])
        docs[row["article_id"]] = proxy.id
        yield proxy

    mentions = read_view(conn, "mentions")
    for (article_id, entity_id), rows in mentions.groupby(["article_id", "entity_id"]):
        if entity_id in ids:
            surfaces = sorted(set(rows["surface"]))
            yield make("Documentation", docs[article_id], ids[entity_id], document=docs[article_id],
                       entity=ids[entity_id], role="mentioned", summary=", ".join(surfaces))

    proof: dict[tuple[str, int], list[str]] = defaultdict(list)
    for row in read_view(conn, "evidence").to_dict("records"):
        proof[(row["fact_type"], row["fact_id"])].append(docs[row["article_id"]])
    yield from _deals(conn, ids, proof)
    yield from _facts(conn, ids, proof)


def _deals(conn: Connection, ids: dict[int, str], proof: dict) -> Iterator[EntityProxy]:
    parties = _by(read_view(conn, "deal_parties"), "deal_id")
    awarded = _by(read_view(conn, "deal_events").query("event == 'awarded'"), "deal_id")
    for d in read_view(conn, "deals").to_dict("records"):
        contract = make(
            "Contract", d["fact_key"], title=d["deal"], name=d["deal"], authority=ids.get(d["buyer_id"]),
            amount=d["value"], currency=d["currency"], amountUsd=d["value_usd"], status=d["status"],
            description=d["item"], country=d["buyer_country_code"], contractDate=d["year"],
            cancelled="yes" if d["status"] == "cancelled" else None, proof=proof[("deal", d["deal_id"])],
        )
        yield contract
        award_date = min((e["event_date"] for e in awarded.get(d["deal_id"], []) if _value(e["event_date"])),
                         default=None)
        for p in parties.get(d["deal_id"], []):
            if p["role"] in ("supplier", "consortium_member") and p["party_id"] in ids:
                yield make("ContractAward", d["fact_key"], p["party"], contract=contract.id,
                           supplier=ids[p["party_id"]], role=p["role"], status=d["status"], date=award_date,
                           proof=proof[("deal", d["deal_id"])])


def _facts(conn: Connection, ids: dict[int, str], proof: dict) -> Iterator[EntityProxy]:
    for a in read_view(conn, "aid").to_dict("records"):
        year = _value(a["fiscal_year"])
        yield make("Payment", a["fact_key"], payer=ids.get(a["donor_id"]),
                   beneficiary=ids.get(a["recipient_id"]), amount=a["amount"], currency=a["currency"],
                   amountUsd=a["amount_usd"], date=a["fiscal_year"], purpose=a["purpose"],
                   description=f"{a['stage']} aid" + (f", fiscal year {year}" if year else ""),
                   proof=proof[("aid_allocation", a["aid_allocation_id"])])
    posts: set[str] = set()  # one Position per title, organization and country, held by many people
    for p in read_view(conn, "positions").to_dict("records"):
        if p["person_id"] not in ids:
            continue
        post = make("Position", p["position"], p["organization"], p["country_code"], name=p["position"],
                    organization=ids.get(p["organization_id"]), country=p["country_code"])
        if post.id not in posts:
            posts.add(post.id)
            yield post
        yield make("Occupancy", p["fact_key"], holder=ids[p["person_id"]], post=post.id,
                   startDate=p["valid_from"], endDate=p["valid_to"],
                   status="ended" if _value(p["valid_to"]) else "current",
                   proof=proof[("position", p["position_id"])])
    participants = _by(read_view(conn, "event_participants"), "event_id")
    for e in read_view(conn, "events").to_dict("records"):
        yield make("Event", e["fact_key"], name=e["description"], date=e["event_date"], location=e["place"],
                   summary=e["event_type"],
                   involved=[ids.get(p["participant_id"]) for p in participants[e["event_id"]]],
                   proof=proof[("event", e["event_id"])])


def export_ftm(engine: Engine, out_dir: Path) -> Path:
    """Write ``armsledger.ftm.json`` (one entity per line) into ``out_dir``; return its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "armsledger.ftm.json"
    with engine.connect() as conn, path.open("w") as out:
        for proxy in entities(conn):
            out.write(json.dumps(proxy.to_dict(), sort_keys=True, ensure_ascii=False) + "\n")
    return path
