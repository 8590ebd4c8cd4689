"""The table row of each extracted fact: one definition, used by the batch writer and by the
article-at-a-time writer of reviewed facts."""

from __future__ import annotations

import datetime as dt

from etl.records import AgreementRec, AidRec, DealEventRec, DealRec, EntityRef, EventRec, PositionRec


def ref_id(ids: dict[EntityRef, int], ref: EntityRef | None) -> int | None:
    """The stored id of an entity reference, None when there is none."""
    return ids.get(ref) if ref is not None else None


def stated_date(date: dt.date | None, precision: str | None) -> str | None:
    """A date as precise as the article gives it: 2012, 2012-04 or 2012-04-17."""
    if date is None:
        return None
    return {"year": date.strftime("%Y"), "month": date.strftime("%Y-%m")}.get(precision or "day", date.isoformat())


def position_row(p: PositionRec, ids: dict[EntityRef, int], published: dt.date | None) -> dict:
    return {
        "person_entity_id": ids[p.person],
        "title": p.title,
        "organization_entity_id": ref_id(ids, p.organization),
        "country_code": p.country_code,
        "valid_from": None if p.is_former else published,
        "valid_to": published if p.is_former else None,
    }


def aid_row(a: AidRec, ids: dict[EntityRef, int]) -> dict:
    return {
        "donor_entity_id": ref_id(ids, a.donor),
        "recipient_entity_id": ref_id(ids, a.recipient),
        "fiscal_year": a.fiscal_year,
        "amount": a.amount,
        "currency": a.currency,
        "amount_usd": a.amount_usd,
        "purpose": a.purpose,
        "stage": a.stage,
        "attributed_to": a.attributed_to,
        "qualifier": getattr(a, "qualifier", None),
    }


def deal_buyer_id(d: DealRec, ids: dict[EntityRef, int]) -> int | None:
    """The deal's buyer, else its first stored buyer party: a deal with a buyer party always has
    ``buyer_entity_id``, so the deals of one buyer are one index range (revision 0012)."""
    found = ref_id(ids, d.buyer)
    if found is None:
        found = next((ids[p.entity] for p in d.parties if p.role == "buyer" and p.entity in ids), None)
    return found


def deal_row(d: DealRec, ids: dict[EntityRef, int]) -> dict:
    return {
        "title": d.title,
        "buyer_entity_id": deal_buyer_id(d, ids),
        "item_entity_id": ref_id(ids, d.item),
        "item_text": d.item_text,
        "replaces": d.replaces,
        "quantity": d.quantity,
        "value": d.value,
        "currency": d.currency,
        "value_usd": d.value_usd,
        "status": d.status,
        "year": d.year,
    }


def deal_event_key(deal_key: str, ev: DealEventRec) -> str:
    return f"{deal_key}|{ev.event_type}|{ev.party.name if ev.party else ''}"


def deal_event_row(ev: DealEventRec, ids: dict[EntityRef, int]) -> dict:
    return {
        "event_type": ev.event_type,
        "event_date": ev.date,
        "date_precision": ev.precision,
        "party_entity_id": ref_id(ids, ev.party),
    }


def agreement_row(g: AgreementRec) -> dict:
    return {
        "title": g.title,
        "agreement_type": g.agreement_type,
        "signed_on": g.date,
        "date_precision": g.precision,
        "place": g.place,
    }


def event_row(e: EventRec) -> dict:
    return {
        "event_type": e.event_type,
        "description": e.description,
        "event_date": e.date,
        "date_precision": e.precision,
        "place": e.place,
        "fatalities": e.fatalities,
    }
