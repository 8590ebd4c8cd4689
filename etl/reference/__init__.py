"""Curated reference data (YAML under data/reference/) and their validated loaders."""

import re


def check_regexes(patterns: list[str]) -> list[str]:
    """Pydantic validator body: every pattern compiles, else a ValueError naming it."""
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"bad regex {pattern!r}: {exc}") from exc
    return patterns
