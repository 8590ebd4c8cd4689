"""The benchmark corpus generator: its copies read as copies, its unrelated stories do not."""

from __future__ import annotations

import collections
import datetime as dt
import itertools

from benchmarks.generate_corpus import _PERSON, stories
from etl.transform.syndication import fingerprint, overlap


def _split(count: int) -> tuple[list[dict], list[dict]]:
    """Originals (first appearance of each text) and near-duplicates ("Copy: ..." titles)."""
    seen: set[str] = set()
    originals, copies = [], []
    for story in stories(count):
        if story["title"].startswith("Copy: "):
            copies.append(story)
        elif story["text"] not in seen:
            seen.add(story["text"])
            originals.append(story)
    return originals, copies


def test_near_duplicates_are_judged_copies_of_their_story() -> None:
    originals, copies = _split(300)
    by_title = {s["title"]: s for s in originals}
    assert copies
    for copy in copies:
        assert overlap(copy["text"], by_title[copy["title"].removeprefix("Copy: ")]["text"]).syndicated


def test_unrelated_stories_of_the_same_weeks_rarely_read_as_copies() -> None:
    """Shared boilerplate would make the syndication check merge unrelated stories (the generator's
    first templates made every original a "copy" of some other at a few hundred stories)."""
    originals, _ = _split(600)
    prints = [fingerprint(s["text"]) for s in originals]
    days = [dt.date.fromisoformat(s["published"]) for s in originals]
    postings: dict[tuple, list[int]] = collections.defaultdict(list)
    for i, shingles in enumerate(prints):
        for shingle in shingles:
            postings[shingle].append(i)
    sharing = {pair for ids in postings.values() for pair in itertools.combinations(ids, 2)}
    merged = {
        i for a, b in sharing
        if abs((days[a] - days[b]).days) <= 31 and overlap(prints[a], prints[b]).syndicated for i in (a, b)
    }  # fmt: skip
    assert len(merged) < 0.05 * len(originals), f"{len(merged)} of {len(originals)} originals read as copies"


def test_a_person_is_named_in_full_once_per_story() -> None:
    originals, _ = _split(40)
    named = [[m.group(0) for m in _PERSON.finditer(s["text"])] for s in originals]
    assert all(len(names) == len(set(names)) for names in named) and sum(map(len, named)) > 40
