"""The working records of deal extraction: a cue hit in a clause, and a deal being built."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from etl.records import DealEventRec, EntityRef, MoneyRec, PartyRec, Span
from etl.reference.lexicons import DealCue
from etl.transform.deals.parties import Party


@dataclass(slots=True)
class _Hit:
    cue: DealCue
    span: Span
    clause: Span
    definite: bool
    planned: bool
    negated: bool
    past: bool
    modifiers: str = ""
    nominal: bool = False  # a verb cue used as a noun ("its defense exports")
    gapped: bool = False  # the verb of the clause before, understood again ("..., and from Spain, eight vessels")


@dataclass(slots=True)
class _Deal:
    spans: list[Span] = field(default_factory=list)
    kind: str | None = None
    parties: list[PartyRec] = field(default_factory=list)
    events: list[DealEventRec] = field(default_factory=list)
    statuses: set[str] = field(default_factory=set)
    value: MoneyRec | None = None
    item: EntityRef | None = None
    item_text: str | None = None
    item_generic: bool = True
    quantity: int | None = None
    quantity_max: int | None = None
    topic_buyer: bool = False  # the buyer is the state the article is about, not one the deal's text names
    replaces: str | None = None
    item_rank: int = 0
    item_head: str = ""
    approximate: bool = False  # the quantity is a tally: "more than 80"
    weak_roles: set[tuple[EntityRef, str]] = field(default_factory=set)
    weak_events: set[int] = field(default_factory=set)  # ids of events dated only by a dateline/attribution
    cosigners: list[Party] = field(default_factory=list)  # states of "X and Y signed a deal"
    separate: bool = False  # told as another deal ("also", "separately"): never merged into an earlier one
    item_country: str | None = None  # where the deal's weapon system comes from
    amounts: list[Decimal] = field(default_factory=list)  # values of mentions merged in, beside ``value``
    told_before: bool = False  # its items are named as told before ("the 211 vehicles")
    told_past: bool = False  # a cue with no status of its own was told in the past ("had ... the purchase")



def _close(a: Decimal, b: Decimal) -> bool:
    return abs(a - b) <= Decimal("0.05") * max(abs(a), abs(b))


def _gap(a: Span, b: Span) -> int:
    return max(0, b.start - a.end, a.start - b.end)
