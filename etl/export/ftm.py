"""FollowTheMoney entities and statements for Aleph and OpenSanctions-style pipelines.

Needs the ``ftm`` extra (``pip install -e '.[ftm]'``). Writes two files:

- ``armsledger.ftm.json``: one entity per line (FtM JSON, what ``ftm``/``alephclient`` load);
- ``armsledger.statements.json``: the same values as FtM 4 statements (``followthemoney.statement``),
  one per value and article: its ``dataset`` is the article's (``armsledger_<file stem>``) and its
  ``origin`` is the Article entity's id, so each value says which article stated it. Gazetteer
  attributes (country, Wikidata id, description) have dataset ``armsledger`` and origin ``gazetteer``.

Only entities that articles mention (or that a fact links) are exported. Ids are hashed from natural
keys (entity type and name, article content hash, fact keys), never from database ids. Mapping:
person -> Person; organization, armed_group -> Organization; government_body, country -> PublicBody;
program -> Project (weapon systems name a Contract's item); article -> Article; a mention ->
Documentation (article, entity) and Mention (the name as written, resolved to the entity); deal ->
Contract + one ContractAward per supplier or consortium member; aid allocation -> Payment; position ->
Position + Occupancy, and Membership when the post is at a named organization; event -> Event.
No Ownership: the database records no ownership facts.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
from followthemoney import model
from followthemoney.dataset import Dataset
from followthemoney.statement import StatementEntity
from sqlalchemy import Connection, Engine

from etl.export.tables import read_view

SCHEMATA = {
    "person": "Person", "organization": "Organization", "armed_group": "Organization",
    "government_body": "PublicBody", "country": "PublicBody", "program": "Project",
}
DATASET = "armsledger"
GAZETTEER = "gazetteer"
ENTITIES_FILE = "armsledger.ftm.json"
STATEMENTS_FILE = "armsledger.statements.json"


def _value(value: Any) -> Any:
    return None if value is None or (not isinstance(value, list | tuple) and pd.isna(value)) else value


class Source:
    """An article as the origin of statements: its FtM id and its dataset name."""

    def __init__(self, entity_id: str, source_file: str) -> None:
        self.id = entity_id
        stem = source_file.rsplit(".", 1)[0].lower()
        self.dataset = DATASET + "_" + "".join(c if c.isalnum() else "_" for c in stem).strip("_")


def make(schema: str, *key: Any) -> StatementEntity:
    """An empty entity of ``schema`` with an id hashed from ``key``."""
    proxy = StatementEntity(Dataset.make({"name": DATASET, "title": "ArmsLedger"}), {"schema": schema})
    proxy.id = model.make_entity(schema).make_id(DATASET, schema, *(_value(k) for k in key))
    return proxy


def state(proxy: StatementEntity, sources: Iterable[Source], **props: Any) -> StatementEntity:
    """Add each (cleaned) property value once per source article, as that article's statement."""
    sources = list(sources)
    for name, values in props.items():
        prop = proxy.schema.get(name)
        assert prop is not None, name
        for value in values if isinstance(values, list | tuple | set) else [values]:
            value = _value(value)
            if value is None or value == "":
                continue
            for src in sources:
                proxy.unsafe_add(prop, str(value), dataset=src.dataset, origin=src.id, quiet=True)
    return proxy


def gazetteer(proxy: StatementEntity, **props: Any) -> None:
    """Attributes that come from the curated gazetteer, not from an article."""
    for name, value in props.items():
        if _value(value) is not None and value != "":
            proxy.unsafe_add(proxy.schema.get(name), str(value), dataset=DATASET, origin=GAZETTEER, quiet=True)


def _by(frame: pd.DataFrame, column: str) -> dict[Any, list[dict]]:
    groups: dict[Any, list[dict]] = defaultdict(list)
    for row in frame.to_dict("records"):
        groups[row[column]].append(row)
    return groups


def entities(conn: Connection) -> Iterator[StatementEntity]:
    """The articles, the entities they mention, and the facts linking them, each value with its article."""
    docs: dict[int, Source] = {}
    for row in read_view(conn, "articles").to_dict("records"):
        proxy = make("Article", row["content_hash"])
        docs[row["article_id"]] = src = Source(proxy.id, row["source_file"])
        yield state(proxy, [src], title=row["title"], publishedAt=row["published_on"], publisher=row["publisher"],
                    author=row["byline"], bodyText=row["body"], sourceUrl=row["url"], fileName=row["source_file"],
                    contentHash=row["content_hash"])

    proof: dict[tuple[str, int], list[Source]] = defaultdict(list)
    for row in read_view(conn, "evidence").to_dict("records"):
        if docs[row["article_id"]] not in proof[(row["fact_type"], row["fact_id"])]:
            proof[(row["fact_type"], row["fact_id"])].append(docs[row["article_id"]])
    mentions = read_view(conn, "mentions")
    origins: dict[int, list[Source]] = defaultdict(list)  # entity id -> articles naming it
    for (article_id, entity_id), _rows in mentions.groupby(["article_id", "entity_id"]):
        origins[entity_id].append(docs[article_id])
    for fact, entity_ids in _fact_entities(conn).items():
        for entity_id in entity_ids:
            origins[entity_id] += [s for s in proof[fact] if s not in origins[entity_id]]

    ids: dict[int, str] = {}
    for row in read_view(conn, "entities").to_dict("records"):
        schema = SCHEMATA.get(row["entity_type"])
        if schema is None or not origins.get(row["entity_id"]):
            continue
        proxy = make(schema, row["entity_type"], row["entity"])
        state(proxy, origins[row["entity_id"]], name=row["entity"])
        gazetteer(proxy, country=row["country_code"], wikidataId=row["wikidata_id"], description=row["description"])
        if row["entity_type"] == "country":
            gazetteer(proxy, jurisdiction=row["country_code"])
        ids[row["entity_id"]] = proxy.id
        yield proxy

    for (article_id, entity_id), rows in mentions.groupby(["article_id", "entity_id"]):
        if entity_id not in ids:
            continue
        src, surfaces = docs[article_id], sorted(set(rows["surface"]))
        yield state(make("Documentation", src.id, ids[entity_id]), [src], document=src.id, entity=ids[entity_id],
                    role="mentioned", summary=", ".join(surfaces))
        for surface in surfaces:
            yield state(make("Mention", src.id, ids[entity_id], surface), [src], document=src.id,
                        resolved=ids[entity_id], name=surface,
                        detectedSchema=model.get(SCHEMATA[rows["entity_type"].iloc[0]]).name)
    yield from _deals(conn, ids, proof)
    yield from _facts(conn, ids, proof)


def _fact_entities(conn: Connection) -> dict[tuple[str, int], set[int]]:
    """Entities each exported fact links to (so they are exported even if no span names them)."""
    links: dict[tuple[str, int], set[int]] = defaultdict(set)
    for d in read_view(conn, "deals").to_dict("records"):
        links[("deal", d["deal_id"])].add(_value(d["buyer_id"]))
    for p in read_view(conn, "deal_parties").to_dict("records"):
        if p["role"] in ("supplier", "consortium_member"):
            links[("deal", p["deal_id"])].add(p["party_id"])
    for a in read_view(conn, "aid").to_dict("records"):
        links[("aid_allocation", a["aid_allocation_id"])] |= {_value(a["donor_id"]), _value(a["recipient_id"])}
    for p in read_view(conn, "positions").to_dict("records"):
        links[("position", p["position_id"])] |= {p["person_id"], _value(p["organization_id"])}
    for e in read_view(conn, "event_participants").to_dict("records"):
        links[("event", e["event_id"])].add(e["participant_id"])
    return {k: {int(i) for i in v if i is not None} for k, v in links.items()}


def _deals(conn: Connection, ids: dict[int, str], proof: dict) -> Iterator[StatementEntity]:
    parties = _by(read_view(conn, "deal_parties"), "deal_id")
    awarded = _by(read_view(conn, "deal_events").query("event == 'awarded'"), "deal_id")
    for d in read_view(conn, "deals").to_dict("records"):
        src = proof[("deal", d["deal_id"])]
        contract = state(
            make("Contract", d["fact_key"]), src, title=d["deal"], name=d["deal"], authority=ids.get(d["buyer_id"]),
            amount=d["value"], currency=d["currency"], amountUsd=d["value_usd"], status=d["status"],
            description=d["item"], country=d["buyer_country_code"], contractDate=d["year"],
            cancelled="yes" if d["status"] == "cancelled" else None, proof=[s.id for s in src],
        )
        yield contract
        award_date = min((e["event_date"] for e in awarded.get(d["deal_id"], []) if _value(e["event_date"])),
                         default=None)
        for p in parties.get(d["deal_id"], []):
            if p["role"] in ("supplier", "consortium_member") and p["party_id"] in ids:
                yield state(make("ContractAward", d["fact_key"], p["party"]), src, contract=contract.id,
                            supplier=ids[p["party_id"]], role=p["role"], status=d["status"], date=award_date,
                            proof=[s.id for s in src])


def _facts(conn: Connection, ids: dict[int, str], proof: dict) -> Iterator[StatementEntity]:
    for a in read_view(conn, "aid").to_dict("records"):
        year, src = _value(a["fiscal_year"]), proof[("aid_allocation", a["aid_allocation_id"])]
        yield state(make("Payment", a["fact_key"]), src, payer=ids.get(a["donor_id"]),
                    beneficiary=ids.get(a["recipient_id"]), amount=a["amount"], currency=a["currency"],
                    amountUsd=a["amount_usd"], date=a["fiscal_year"], purpose=a["purpose"],
                    description=f"{a['stage']} aid" + (f", fiscal year {year}" if year else ""),
                    proof=[s.id for s in src])
    posts: dict[str, StatementEntity] = {}  # one Position per title, organization and country
    for p in read_view(conn, "positions").to_dict("records"):
        if p["person_id"] not in ids:
            continue
        src = proof[("position", p["position_id"])]
        post = make("Position", p["position"], p["organization"], p["country_code"])
        post = posts.setdefault(post.id, post)
        state(post, src, name=p["position"], organization=ids.get(p["organization_id"]), country=p["country_code"])
        yield state(make("Occupancy", p["fact_key"]), src, holder=ids[p["person_id"]], post=post.id,
                    startDate=p["valid_from"], endDate=p["valid_to"],
                    status="ended" if _value(p["valid_to"]) else "current", proof=[s.id for s in src])
        if ids.get(p["organization_id"]):
            yield state(make("Membership", p["fact_key"]), src, member=ids[p["person_id"]],
                        organization=ids[p["organization_id"]], role=p["position"], startDate=p["valid_from"],
                        endDate=p["valid_to"], proof=[s.id for s in src])
    yield from posts.values()
    participants = _by(read_view(conn, "event_participants"), "event_id")
    for e in read_view(conn, "events").to_dict("records"):
        src = proof[("event", e["event_id"])]
        yield state(make("Event", e["fact_key"]), src, name=e["description"], date=e["event_date"],
                    location=e["place"], summary=e["event_type"],
                    involved=[ids.get(p["participant_id"]) for p in participants[e["event_id"]]],
                    proof=[s.id for s in src])


def export_ftm(engine: Engine, out_dir: Path) -> Path:
    """Write the entity and statement files into ``out_dir``; return the entity file's path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / ENTITIES_FILE
    with engine.connect() as conn:
        proxies = sorted((p for p in entities(conn) if p.has_statements), key=lambda p: p.id)
    with path.open("w") as out, (out_dir / STATEMENTS_FILE).open("w") as stmts:
        for proxy in proxies:
            out.write(json.dumps(proxy.to_dict(), sort_keys=True, ensure_ascii=False) + "\n")
            for stmt in sorted(proxy.statements, key=lambda s: s.id or ""):
                data = stmt.to_dict()
                data.pop("first_seen", None), data.pop("last_seen", None)
                stmts.write(json.dumps(data, sort_keys=True, ensure_ascii=False) + "\n")
    return path
