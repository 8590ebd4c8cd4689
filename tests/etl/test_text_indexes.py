"""Shortcuts the extractors take: a bisected mention lookup and pre-sorted fuzzy choices give what
the plain scans give."""

from __future__ import annotations

import itertools
import random

from rapidfuzz import fuzz, process

from etl.records import EntityRef, MentionRec, Span
from etl.reference.gazetteer import load_gazetteer
from etl.transform.resolution import NAME_MIN, _core_index, org_core, resolve_name
from etl.transform.textrel import mentions_in, start_index

BODY = "Ruritania's navy signed with Borduria Works for two Kestrel-7 boats; Syldavia objected."


def _mention(name: str, kind: str = "organization") -> MentionRec:
    start = BODY.index(name)
    return MentionRec(Span(start, start + len(name)), name, EntityRef(name, kind), "gazetteer")  # type: ignore[arg-type]


MENTIONS = [
    _mention("Ruritania", "country"),
    _mention("Borduria Works"),
    _mention("Kestrel-7", "weapon_system"),
    _mention("Syldavia", "country"),
]


def test_bisected_lookup_matches_the_full_scan_for_every_window() -> None:
    starts = start_index(MENTIONS)
    assert starts == [m.span.start for m in MENTIONS]
    for start, end in itertools.combinations_with_replacement(range(0, len(BODY) + 1, 3), 2):
        assert mentions_in(MENTIONS, start, end, starts) == mentions_in(MENTIONS, start, end)
    window = (BODY.index("with"), BODY.index(" boats"))
    assert [m.surface for m in mentions_in(MENTIONS, *window, starts)] == ["Borduria Works", "Kestrel-7"]


def test_mentions_out_of_text_order_get_no_index() -> None:
    assert start_index(list(reversed(MENTIONS))) is None
    assert mentions_in(list(reversed(MENTIONS)), 0, len(BODY), None)[0].surface == "Syldavia"


def test_fuzzy_name_resolution_agrees_with_token_sort_ratio_over_every_choice() -> None:
    """The pre-sorted choices give what rapidfuzz's token_sort_ratio gives over the raw ones."""
    gazetteer = load_gazetteer()
    _cores, choices = _core_index(gazetteer, "organization")
    names = sorted(choices)[:150]
    rng = random.Random(3)
    probes = []
    for name in names:
        words = name.split()
        rng.shuffle(words)
        typo = name[: len(name) // 2] + name[len(name) // 2 + 1 :]
        probes += [" ".join(words), typo, f"{name} Holdings", "Borduria Naval Works"]
    hits = 0
    for probe in probes:
        want = process.extractOne(org_core(probe), list(choices), scorer=fuzz.token_sort_ratio, score_cutoff=NAME_MIN)
        got = resolve_name(probe, "organization", gazetteer)
        cores = _cores.get(org_core(probe))
        expected = cores if cores is not None else (choices[want[0]] if want else None)
        if expected is None:
            continue  # unresolved as an organization: other types' names may still take it
        assert got == expected, probe
        hits += 1
    assert hits > len(probes) // 2
