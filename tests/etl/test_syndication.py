"""Syndicated copies share narrative text; stories that only share quotes are not copies."""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import pytest

from etl.records import CleanArticle
from etl.transform.clean import clean_text
from etl.transform.syndication import MIN_SHARED, find_syndicated, narrative_segments, overlap

SEEDS = Path(__file__).resolve().parents[2] / "data" / "seeds"


@pytest.fixture(scope="module")
def bodies() -> dict[str, str]:
    return {p.name[:3]: clean_text(p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt"))}


def art(body: str) -> CleanArticle:
    return CleanArticle("x", None, body, "h")


def test_reuters_copies_are_syndicated(bodies: dict[str, str]):
    found = overlap(bodies["002"], bodies["003"])
    assert found.syndicated and found.shared >= MIN_SHARED


def test_only_the_reuters_pair_is_syndicated(bodies: dict[str, str]):
    pairs = {(a, b) for a, b in combinations(sorted(bodies), 2) if overlap(bodies[a], bodies[b]).syndicated}
    assert pairs == {("002", "003")}


def test_shared_quotes_alone_do_not_count(bodies: dict[str, str]):
    assert overlap(bodies["000"], bodies["001"]).shared == 0
    quote = (
        "Our country will do whatever it can to work with our friends here in Peru to provide whatever "
        "assistance is necessary in order to make sure that Peru can provide better security"
    )
    a = f"LIMA -- Panetta met Humala on Saturday.\n\n“{quote},” Panetta said."
    b = f'Panetta spoke in Lima after talks with the president.\n\n"{quote}," he added.'
    assert not overlap(a, b).syndicated
    assert overlap(a.replace("“", "").replace("”", ""), b.replace('"', "")).syndicated


def test_quotes_removed_from_narrative_segments():
    text = 'He said "we will buy ten new tanks from Russia soon" and left the room without taking questions.'
    segments = narrative_segments(text)
    assert all("tanks" not in seg for seg in segments)
    assert any("tanks" in seg for seg in narrative_segments(text.replace('"', "")))
    assert all("tanks" not in s for s in segments)


def test_edited_copy_is_found_among_existing(bodies: dict[str, str]):
    paragraphs = bodies["002"].split("\n\n")
    edited = "\n\n".join(["Panetta in Peru", "LIMA -- " + paragraphs[4], *reversed(paragraphs[6:10])])
    existing = [(1, bodies["000"]), (2, bodies["002"]), (3, bodies["004"])]
    assert find_syndicated(art(edited), existing) == 2
    assert find_syndicated(art(bodies["003"]), existing) == 2
    assert find_syndicated(art(bodies["001"]), existing) is None
    assert find_syndicated(art(bodies["001"]), []) is None
