"""Reviewed facts (``data/reference/facts.yaml``): facts analysts add or correct by hand.

Each cites an article by file name and a verbatim evidence quote; the loader checks the quote is
in that article. ``corrects`` names the ``fact_key`` of the automatic fact it supersedes."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from etl.records import (
    AgreementRec,
    AidRec,
    DealEventRec,
    DealRec,
    EntityRef,
    EntityType,
    EventRec,
    PartyRec,
    Span,
)
from etl.reference.yaml_lines import at, locator, yaml_problem
from etl.settings import REPO_ROOT
from models.facts import AID_STAGES

FACTS_FILE = REPO_ROOT / "data" / "reference" / "facts.yaml"
Precision = Literal["day", "month", "year"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Ref(_Strict):
    name: str
    type: EntityType

    def ref(self) -> EntityRef:
        return EntityRef(self.name, self.type)


class Party(_Strict):
    entity: Ref
    role: Literal["buyer", "supplier", "consortium_member", "bidder", "protester", "intermediary"]
    country: str | None = None


class DealStep(_Strict):
    event_type: Literal[
        "tendered", "bid", "awarded", "protested", "cancelled", "signed", "delivered", "never_materialized"
    ]
    date: dt.date | None = None
    precision: Precision | None = None
    party: Ref | None = None


class DealValues(_Strict):
    kind: Literal["deal"]
    title: str
    buyer: Ref | None = None
    item: Ref | None = None
    item_text: str | None = None
    quantity: int | None = None
    value: Decimal | None = None
    currency: str | None = None
    status: Literal[
        "planning", "tender", "awarded", "active", "complete", "cancelled", "unsuccessful", "unknown"
    ]
    year: int | None = None
    parties: list[Party] = []
    events: list[DealStep] = []


class AidValues(_Strict):
    kind: Literal["aid_allocation"]
    donor: Ref
    recipient: Ref
    fiscal_year: int | None = None
    amount: Decimal
    currency: str = "USD"
    purpose: str
    stage: Literal[AID_STAGES]  # the CHECK constraint's list, from the model
    attributed_to: str | None = None


class AgreementValues(_Strict):
    kind: Literal["agreement"]
    title: str
    agreement_type: Literal["defense_cooperation", "mou", "free_trade", "other"]
    date: dt.date | None = None
    precision: Precision | None = None
    parties: list[Ref] = []
    place: str | None = None


class EventValues(_Strict):
    kind: Literal["event"]
    event_type: Literal["meeting", "attack", "resignation", "capture", "kidnapping", "protest", "other"]
    description: str
    date: dt.date | None = None
    precision: Precision | None = None
    place: str | None = None
    fatalities: int | None = None
    participants: list[Ref] = []


Values = Annotated[DealValues | AidValues | AgreementValues | EventValues, Field(discriminator="kind")]


class ReviewedFact(_Strict):
    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    article: str
    evidence: Annotated[str, Field(min_length=10)]
    corrects: str | None = None
    note: str | None = None
    fact: Values

    @property
    def fact_type(self) -> str:
        return self.fact.kind


class FactsFile(_Strict):
    facts: list[ReviewedFact] = []


class FactsFileError(ValueError):
    """facts.yaml is not valid; the message names the entry and the reason."""


def load_reviewed_facts(path: Path = FACTS_FILE) -> list[ReviewedFact]:
    """The reviewed facts of ``path``; FactsFileError naming file, line and reason of every
    problem (the whole file is refused, so nothing of a bad file is loaded)."""
    if not path.exists():
        return []
    text = path.read_text(encoding="utf-8")
    try:
        parsed = FactsFile.model_validate(yaml.safe_load(text) or {})
    except yaml.YAMLError as exc:
        raise FactsFileError(yaml_problem(exc, path.name)) from exc
    except ValidationError as exc:
        line = locator(text)
        problems = []
        for err in exc.errors():
            loc = tuple(err["loc"])
            steps = [p for i, p in enumerate(loc[2:]) if not (i == 1 and loc[2] == "fact")]  # no kind tag
            field = ".".join(str(p) for p in steps) or "fact"
            label = f"fact #{loc[1] + 1}" if len(loc) > 1 and isinstance(loc[1], int) else "file"
            problems.append(f"{at(path.name, line(loc))}: {label}: {field}: {err['msg']}")
        raise FactsFileError("; ".join(problems)) from exc
    seen: set[str] = set()
    for index, fact in enumerate(parsed.facts):
        if fact.id in seen:
            where = at(path.name, locator(text)(("facts", index, "id")))
            raise FactsFileError(f"{where}: fact id {fact.id!r} is used twice")
        seen.add(fact.id)
    return parsed.facts


def locate(body: str, quote: str) -> Span | None:
    """Span of ``quote`` in ``body``: exact, else ignoring differences in white space and quote marks."""
    start = body.find(quote)
    if start >= 0:
        return Span(start, start + len(quote))
    fold = str.maketrans("“”‘’", "\"\"''")
    words = quote.translate(fold).split()
    pattern = r"\s+".join(re.escape(w) for w in words)
    match = re.search(pattern, body.translate(fold))
    return Span(match.start(), match.end()) if match else None


def to_record(fact: ReviewedFact, span: Span) -> DealRec | AidRec | AgreementRec | EventRec:
    """The extraction record a reviewed fact stands for, with its located evidence span."""
    v = fact.fact
    if isinstance(v, DealValues):
        return DealRec(
            title=v.title,
            spans=[span],
            buyer=v.buyer.ref() if v.buyer else None,
            item=v.item.ref() if v.item else None,
            item_text=v.item_text,
            quantity=v.quantity,
            value=v.value,
            currency=v.currency,
            value_usd=v.value if v.currency == "USD" else None,
            status=v.status,
            year=v.year,
            parties=[PartyRec(p.entity.ref(), p.role, p.country) for p in v.parties],
            events=[
                DealEventRec(e.event_type, span, e.date, e.precision, e.party.ref() if e.party else None)
                for e in v.events
            ],
        )
    if isinstance(v, AidValues):
        return AidRec(
            span=span,
            donor=v.donor.ref(),
            recipient=v.recipient.ref(),
            fiscal_year=v.fiscal_year,
            amount=v.amount,
            currency=v.currency,
            amount_usd=v.amount if v.currency == "USD" else None,
            purpose=v.purpose,
            stage=v.stage,
            attributed_to=v.attributed_to,
        )
    if isinstance(v, AgreementValues):
        return AgreementRec(
            title=v.title,
            agreement_type=v.agreement_type,
            spans=[span],
            date=v.date,
            precision=v.precision,
            parties=[p.ref() for p in v.parties],
            place=v.place,
        )
    return EventRec(
        event_type=v.event_type,
        description=v.description,
        spans=[span],
        date=v.date,
        precision=v.precision,
        place=v.place,
        fatalities=v.fatalities,
        participants=[p.ref() for p in v.participants],
    )
