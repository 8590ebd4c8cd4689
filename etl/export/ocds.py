"""An OCDS 1.1 release package of the arms deals, validated against the official OCDS 1.1.5 schema.

data/schemas/ocds holds the official release and release-package schemas and codelists as data
(no network): ``$ref``s resolve to those local files, and every field the schema ties to a codelist
is checked against its CSV when shipped (closed ones such as tenderStatus, releaseTag, awardStatus,
currency; and partyRole, open in 1.1.5, whose values we also keep to the list).

One release per deal: ``ocid`` = prefix + a hash of the deal's natural key; the buyer; a tender
with its tenderers (suppliers, consortium members and other bidders) and the articles stating it
as documents; an award to the suppliers when the deal got that far; a contract once signed.
A deal cancelled after its award has ``awards[].status`` cancelled (tag awardCancellation); one
cancelled before has ``tender.status`` cancelled (tag tenderCancellation).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import jsonschema
import pandas as pd
import pycountry
from jsonschema.exceptions import ValidationError
from referencing import Registry
from referencing.jsonschema import DRAFT4
from sqlalchemy import Connection, Engine

from etl.export.tables import read_view
from etl.settings import REPO_ROOT

OCID_PREFIX = "ocds-armsledger-"
SCHEMA_DIR = REPO_ROOT / "data" / "schemas" / "ocds"
PACKAGE_SCHEMA = "release-package-schema.json"
AWARDED = {"awarded", "active", "complete"}
TENDER_STATUS = {"planning": "planning", "tender": "active", "awarded": "complete", "active": "complete",
                 "complete": "complete", "unsuccessful": "unsuccessful"}
AWARD_STATUS = {"awarded": "active", "active": "active", "complete": "active", "cancelled": "cancelled"}
ROLES = {"buyer": ["buyer"], "supplier": ["supplier", "tenderer"],
         "consortium_member": ["supplier", "tenderer"], "bidder": ["tenderer"],
         "protester": ["interestedParty"], "intermediary": ["interestedParty"]}
FORMATS = jsonschema.FormatChecker()


@FORMATS.checks("date-time", raises=ValueError)
def _is_datetime(value: object) -> bool:
    return not isinstance(value, str) or bool(dt.datetime.fromisoformat(value.replace("Z", "+00:00")).tzinfo)


@FORMATS.checks("uri", raises=ValueError)
def _is_uri(value: object) -> bool:
    return not isinstance(value, str) or bool(urlparse(value).scheme)


def _v(value: Any) -> Any:
    return None if value is None or pd.isna(value) else value


def _key(*parts: Any) -> str:
    return hashlib.sha1("|".join(str(p) for p in parts).encode()).hexdigest()[:12]  # an id, not a secret


def _datetime(value: Any) -> str | None:
    return f"{value.isoformat()}T00:00:00Z" if isinstance(_v(value), dt.date) else None


def _value(amount: Any, currency: Any) -> dict | None:
    return {"amount": float(amount), "currency": _v(currency)} if _v(amount) is not None else None


def _address(country_code: Any) -> dict | None:
    """An OCDS Address with the country's name (OCDS 1.1 has ``countryName``, no country code field)."""
    country = pycountry.countries.get(alpha_2=country_code) if _v(country_code) else None
    return {"countryName": getattr(country, "common_name", None) or country.name} if country else None


def _drop_empty(obj: dict) -> dict:
    return {k: v for k, v in obj.items() if v not in (None, [], {})}


def release(deal: dict, parties: list[dict], events: list[dict], documents: list[dict], entity_keys: dict,
            published: str) -> dict:
    """The OCDS release of one deal (a row of analytics.deals with its parties, events, articles)."""
    ocid = OCID_PREFIX + _key(deal["fact_key"])
    status = deal["status"]
    refs: dict[int, dict] = {}
    roles: dict[int, list[str]] = defaultdict(list)
    org: dict[int, dict] = {}
    for p in parties:
        pid = p["party_id"]
        refs[pid] = {"id": entity_keys[pid], "name": p["party"]}
        org[pid] = _drop_empty({**refs[pid], "address": _address(p["country_code"])})
        roles[pid] += [r for r in ROLES.get(p["role"], []) if r not in roles[pid]]
    buyer = deal["buyer_id"] if _v(deal["buyer_id"]) is not None else None
    if buyer is not None:
        refs.setdefault(buyer, {"id": entity_keys[buyer], "name": deal["buyer"]})
        country = _v(deal["buyer_country_code"])
        org.setdefault(buyer, _drop_empty({**refs[buyer], "address": _address(country)}))
        roles[buyer] = ["buyer", *[r for r in roles[buyer] if r != "buyer"]]
    suppliers = [refs[p["party_id"]] for p in parties if p["role"] in ("supplier", "consortium_member")]
    tenderers = [refs[pid] for pid in refs if "tenderer" in roles[pid]]
    awarded = bool(suppliers) or status in AWARDED or any(e["event"] == "awarded" for e in events)
    dates = {e["event"]: _datetime(e["event_date"]) for e in events if _v(e["event_date"])}
    items = [_drop_empty({"id": "1", "description": _v(deal["item"]), "quantity": _v(deal["quantity"])})]
    value = _value(deal["value"], deal["currency"])
    cancelled_tender = "complete" if awarded else "cancelled"  # an award was made, then cancelled
    tender_status = cancelled_tender if status == "cancelled" else TENDER_STATUS.get(status)
    tender = _drop_empty({
        "id": f"{ocid}-tender", "title": deal["deal"], "status": tender_status, "items": items,
        "value": value, "mainProcurementCategory": "goods", "tenderers": tenderers,
        "numberOfTenderers": len(tenderers) or None, "documents": documents,
    })
    awards = []
    if awarded:
        awards.append(_drop_empty({
            "id": f"{ocid}-award-1", "title": deal["deal"], "status": AWARD_STATUS.get(status, "pending"),
            "date": dates.get("awarded"), "value": value, "suppliers": suppliers, "items": items,
        }))
    contracts = []
    if status in ("active", "complete"):
        contracts.append(_drop_empty({
            "id": f"{ocid}-contract-1", "awardID": f"{ocid}-award-1", "title": deal["deal"],
            "status": "active" if status == "active" else "terminated", "dateSigned": dates.get("signed"),
            "value": value,
        }))
    if status == "cancelled":
        tag = ["awardCancellation"] if awarded else ["tenderCancellation"]
    else:
        tag = ["contract"] if contracts else ["award"] if awards else ["tender"]
    date = _datetime(deal["first_published_on"]) or published
    return _drop_empty({
        "ocid": ocid, "id": f"{ocid}-{date[:10]}", "date": date, "tag": tag, "initiationType": "tender",
        "language": "en", "parties": [{**org[pid], "roles": roles[pid]} for pid in org],
        "buyer": refs.get(buyer) if buyer is not None else None, "tender": tender, "awards": awards,
        "contracts": contracts,
    })


def release_package(conn: Connection, published: dt.datetime | None = None) -> dict:
    """The release package of every current deal."""
    stamp = (published or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    entities = read_view(conn, "entities")
    entity_keys = {r.entity_id: f"armsledger-{_key(r.entity_type, r.entity)}" for r in entities.itertuples()}
    parties = defaultdict(list)
    for p in read_view(conn, "deal_parties").to_dict("records"):
        parties[p["deal_id"]].append(p)
    events = defaultdict(list)
    for e in read_view(conn, "deal_events").to_dict("records"):
        events[e["deal_id"]].append(e)
    articles = read_view(conn, "articles").set_index("article_id")
    documents = defaultdict(dict)
    for ev in read_view(conn, "evidence").query("fact_type == 'deal'").to_dict("records"):
        a = articles.loc[ev["article_id"]]
        documents[ev["fact_id"]][a["source_file"]] = _drop_empty({
            "id": a["source_file"], "title": _v(a["title"]),
            "url": _v(a["url"]), "datePublished": _datetime(a["published_on"]), "language": "en",
            "description": f"News article ({_v(a['publisher']) or 'unknown publisher'}) stating the deal.",
        })
    releases = [
        release(d, parties[d["deal_id"]], events[d["deal_id"]], list(documents[d["deal_id"]].values()),
                entity_keys, stamp)
        for d in read_view(conn, "deals").to_dict("records")
    ]
    return package(releases, stamp)


def package(releases: list[dict], published: str) -> dict:
    """A release package around ``releases``; its ``uri`` is a URN (the file is not served anywhere)."""
    return {"uri": f"urn:x-armsledger:ocds:release-package:{published}", "version": "1.1",
            "publishedDate": published, "publisher": {"name": "ArmsLedger"}, "releases": releases}


@lru_cache(maxsize=8)
def codelist(name: str, directory: Path = SCHEMA_DIR / "codelists") -> frozenset[str] | None:
    """The codes of an OCDS codelist CSV, or None when that codelist is not shipped."""
    path = directory / name
    if not path.exists():
        return None
    with path.open(encoding="utf-8", newline="") as f:
        return frozenset(row["Code"] for row in csv.DictReader(f))


def _codelist_keyword(validator: Any, name: str, instance: Any, schema: dict) -> Iterator[ValidationError]:
    codes = codelist(name)
    if codes is None:
        return
    for value in instance if isinstance(instance, list) else [instance]:
        if isinstance(value, str) and value not in codes:
            yield ValidationError(f"{value!r} is not in the OCDS codelist {name}")


Validator = jsonschema.validators.extend(jsonschema.Draft4Validator, {"codelist": _codelist_keyword})


def schema_registry(directory: Path = SCHEMA_DIR) -> tuple[dict, Registry]:
    """The release package schema and a registry resolving its references to local files."""
    schemas = [json.loads(p.read_text()) for p in sorted(directory.glob("*.json"))]
    for schema in schemas:  # all draft 4: without "$schema" a $ref keeps our validator (and its codelists)
        schema.pop("$schema", None)
    registry = Registry().with_resources((s["id"], DRAFT4.create_resource(s)) for s in schemas)
    package = next(s for s in schemas if s["id"].endswith(PACKAGE_SCHEMA))
    return package, registry


def validation_errors(package: dict, schema: dict | None = None,
                      registry: Registry | None = None) -> list[str]:
    """Messages of every way ``package`` breaks the release package schema (empty when valid)."""
    if schema is None or registry is None:
        schema, registry = schema_registry()
    validator = Validator(schema, registry=registry, format_checker=FORMATS)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(package)]


def export_ocds(engine: Engine, out_dir: Path) -> Path:
    """Write ``release-package.json`` into ``out_dir``; ValueError if it fails the schema."""
    with engine.connect() as conn:
        package = release_package(conn)
    errors = validation_errors(package)
    if errors:
        raise ValueError("OCDS package fails the schema: " + "; ".join(errors[:5]))
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "release-package.json"
    path.write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n")
    return path
