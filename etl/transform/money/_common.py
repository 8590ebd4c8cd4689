"""Shared bits of the money package: the reference-data folder and regex alternation."""

from __future__ import annotations

import re

from etl.settings import REPO_ROOT

REF = REPO_ROOT / "data" / "reference"
AID_KINDS = ("military_aid", "economic_aid")


def _alt(items: list[str]) -> str:
    return "|".join(re.escape(x) for x in sorted(set(items), key=len, reverse=True))
