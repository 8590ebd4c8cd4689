"""Site-furniture rules loaded from ``data/reference/furniture.yaml`` (pydantic-validated)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, Field, field_validator

from etl.reference import check_regexes
from etl.reference.publishers import REFERENCE_DIR


class FurnitureRules(BaseModel):
    """Line-level furniture rules; see the YAML file for their meaning."""

    drop_lines: list[str] = Field(default_factory=list)
    drop_patterns: list[str] = Field(default_factory=list)
    end_markers: list[str] = Field(default_factory=list)
    end_marker_min_prose: float = Field(default=0.5, ge=0.0, le=1.0)
    nav_separators: list[str] = Field(default_factory=lambda: ["|"])
    nav_row_min_items: int = Field(default=3, ge=2)
    nav_item_max_words: int = Field(default=4, ge=1)

    @field_validator("drop_patterns", "end_markers")
    @classmethod
    def _compiles(cls, patterns: list[str]) -> list[str]:
        return check_regexes(patterns)

    def is_drop(self, line: str) -> bool:
        """True when the (normalised) line is furniture wherever it occurs."""
        key = line.casefold()
        return key in _casefolded(tuple(self.drop_lines)) or _any_full(self.drop_patterns, line)

    def is_end_marker(self, line: str) -> bool:
        """True when the line marks the end of the article body."""
        return _any_full(self.end_markers, line)


@cache
def _casefolded(lines: tuple[str, ...]) -> frozenset[str]:
    return frozenset(x.casefold() for x in lines)


def _any_full(patterns: list[str], line: str) -> bool:
    return bool(patterns) and _combined(tuple(patterns)).fullmatch(line) is not None


@cache
def _combined(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """One compiled alternation of the patterns (each in its own group), matched case-insensitively."""
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


@cache
def load_furniture(path: Path | None = None) -> FurnitureRules:
    """Load and validate the furniture rules (cached per path)."""
    path = path or REFERENCE_DIR / "furniture.yaml"
    return FurnitureRules.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
