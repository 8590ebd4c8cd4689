"""The word tokens discovery, positions and quotes share: offsets, dots, possessives."""

from __future__ import annotations

from etl.transform.name_tokens import TokenIndex, tokenize


def _words(text: str) -> list[tuple[str, bool]]:
    return [(t.text, t.poss) for t in tokenize(text)]


def test_possessives_are_cut_and_marked() -> None:
    assert _words("Kalvaria's navy and Orvex Helicopters' plant near Jones’s yard.") == [
        ("Kalvaria", True), ("navy", False), ("and", False), ("Orvex", False), ("Helicopters", True),
        ("plant", False), ("near", False), ("Jones", True), ("yard", False),
    ]


def test_dots_stay_on_abbreviations_only() -> None:
    assert _words("Gen. Ruiz of the U.S. Army met Talon Corp. in Lima.") == [
        ("Gen.", False), ("Ruiz", False), ("of", False), ("the", False), ("U.S.", False), ("Army", False),
        ("met", False), ("Talon", False), ("Corp.", False), ("in", False), ("Lima", False),
    ]


def test_inner_hyphens_dots_and_ampersands() -> None:
    assert [t.text for t in tokenize("The Mi-171Sh, a S.A. unit, and R&D at Smith & Sons -- done")] == [
        "The", "Mi-171Sh", "a", "S.A.", "unit", "and", "R&D", "at", "Smith", "&", "Sons", "done",
    ]


def test_offsets_point_at_the_word_and_gaps_keep_the_possessive() -> None:
    text = "Boris Kettler's firm, Orvex."
    index = TokenIndex(text)
    assert [text[t.start : t.end] for t in index.toks] == [t.text for t in index.toks]
    assert index.gap(1) == "'s " and index.gap(2) == ", "
    assert index.glued(0, 1) and not index.glued(1, 2)  # a possessive ends the name
