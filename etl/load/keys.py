"""Natural keys that merge the same fact reported by several articles."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from etl.records import AgreementRec, AidRec, DealRec, EventRec, PositionRec, QuoteRec


def position_key(p: PositionRec) -> str:
    org = p.organization.name if p.organization else ""
    return f"position|{p.person.name}|{p.title.lower()}|{org}|{p.country_code or ''}"


@dataclass(frozen=True)
class FactKeys:
    """The key function of each fact type (the transform modules own the rules)."""

    quote: Callable[[QuoteRec], str]
    same_quote: Callable[[str, str], bool]
    position: Callable[[PositionRec], str]
    aid: Callable[[AidRec], str]
    deal: Callable[[DealRec], str]
    agreement: Callable[[AgreementRec], str]
    event: Callable[[EventRec], str]
