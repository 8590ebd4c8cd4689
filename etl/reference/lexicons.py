"""Trigger lexicons for deal, agreement and event extraction, validated with pydantic.

The YAML files live in ``data/reference/``; every regex is compiled once at load time, so a bad
pattern fails loudly instead of silently matching nothing.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, model_validator

REFERENCE_DIR = Path(__file__).resolve().parents[2] / "data" / "reference"


def _valid_regex(value: str) -> str:
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"bad regex {value!r}: {exc}") from exc
    return value


Regex = Annotated[str, AfterValidator(_valid_regex)]
Frame = Literal[
    "buy", "sell", "award", "win", "beat", "sign", "contract", "tender", "bid", "cancel", "protest", "none"
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DealCue(_Model):
    name: str
    pattern: Regex
    frame: Frame
    event: str | None = None
    past_event: str | None = None
    status: str | None = None
    introduces: bool = False
    noun: bool = False
    kind: str | None = None
    needs_item: bool = False  # introduces a deal only with a specific item ("spend $50 million on ...")
    stems: list[str] = []  # lower-case strings one of which every match contains (a fast pre-check)


class DealLexicon(_Model):
    value_kinds: list[str]
    statuses: list[str]
    event_status: dict[str, str | None]
    cues: list[DealCue]
    planning_markers: list[Regex]
    negation_markers: list[Regex]
    past_markers: list[Regex]
    item_heads: list[str]
    generic_items: list[str]
    generic_modifiers: list[str]
    item_stopwords: list[str]
    state_nouns: list[str]
    company_nouns: list[str]
    descriptor_words: list[str]
    consortium_links: list[Regex]
    replace_marker: Regex
    made_suffix: Regex
    background_markers: list[Regex] = []
    nominal_marker: Regex = r"(?!)"
    non_item_followers: list[str] = []
    item_families: list[list[str]] = []
    attribution_marker: Regex = r"(?!)"
    aggregate_before: list[Regex] = []
    aggregate_goods: Regex = r"(?!)"
    aggregate_period: Regex = r"(?!)"
    since_marker: Regex = r"(?!)"
    state_sellers: dict[Regex, str] = {}
    head_aliases: dict[str, str] = {}
    usd_conversion: Regex = r"(?!)"
    possibility_markers: list[Regex] = []
    variant_words: list[str] = []
    state_bodies: Regex = r"(?!)"
    side_deal: Regex = r"(?!)"
    aid_markers: Regex = r"(?!)"

    @model_validator(mode="after")
    def _consistent(self) -> DealLexicon:
        for event, status in self.event_status.items():
            if status is not None and status not in self.statuses:
                raise ValueError(f"event {event!r} maps to unknown status {status!r}")
        for cue in self.cues:
            for event in (cue.event, cue.past_event):
                if event is not None and event not in self.event_status:
                    raise ValueError(f"cue {cue.name!r} emits unknown event {event!r}")
            if cue.status is not None and cue.status not in self.statuses:
                raise ValueError(f"cue {cue.name!r} sets unknown status {cue.status!r}")
        return self


class TypePattern(_Model):
    type: Literal["defense_cooperation", "mou", "free_trade", "other"]
    pattern: Regex


class ActionPattern(_Model):
    action: str
    pattern: Regex


class AgreementLexicon(_Model):
    noun: Regex
    plural_noun: Regex
    types: list[TypePattern]
    labels: dict[str, str]
    actions: list[ActionPattern]
    dating_actions: list[str]
    origin_patterns: list[Regex]
    age_pattern: Regex
    two_countries: Regex
    bilateral: Regex
    capitals: dict[str, str]


class EventCue(_Model):
    type: Literal["meeting", "attack", "resignation", "capture", "kidnapping", "other"]
    pattern: Regex
    plural: Regex
    min_participants: int = 1


class EventLexicon(_Model):
    events: list[EventCue]
    anaphors: dict[str, Regex]
    modal_markers: list[Regex]
    fatality_patterns: list[Regex]
    place_patterns: list[Regex]
    not_places: list[str]
    background: Regex = r"(?!)"
    background_nouns: Regex = r"(?!)"


def _read(name: str) -> dict:
    with (REFERENCE_DIR / name).open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@cache
def deal_lexicon() -> DealLexicon:
    """The arms-deal trigger lexicon (``deal_triggers.yaml``)."""
    return DealLexicon.model_validate(_read("deal_triggers.yaml"))


@cache
def agreement_lexicon() -> AgreementLexicon:
    """The agreement trigger lexicon (``agreement_triggers.yaml``)."""
    return AgreementLexicon.model_validate(_read("agreement_triggers.yaml"))


@cache
def event_lexicon() -> EventLexicon:
    """The event trigger lexicon (``event_triggers.yaml``)."""
    return EventLexicon.model_validate(_read("event_triggers.yaml"))
