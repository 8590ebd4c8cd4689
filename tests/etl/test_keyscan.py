"""The keyword scanner finds exactly what its regex finds, at a fraction of the tries."""

import re

import pytest

from etl.transform.keyscan import KeywordScanner, fold_case

KEYWORDS = ["military aid", "aid", "grant*", "FMF", "Security Assistance", "loan", "arms"]
TEXTS = [
    "The U.S. granted FMF and military aid; aid-related loans, a grant and Grants followed.",
    "Security Assistance (SECURITY ASSISTANCE) and security assistance for the AID office.",
    "ſecurity aſſistance and İstanbul AİD with a Kelvin sign: \u212aarms, ARMS, \u0130AID.",
    "faid maid aidan arms-length said: ØAID, aid's aid’s, aid.",
    "",
]


def _pattern(keywords: list[str]) -> re.Pattern[str]:
    parts = []
    for kw in sorted(keywords, key=len, reverse=True):
        core = re.escape(kw.rstrip("*")) + (r"\w*" if kw.endswith("*") else r"(?![\w-])")
        parts.append(core if kw.isupper() else f"(?i:{core})")
    return re.compile(rf"(?<![\w-])(?:{'|'.join(parts)})")


@pytest.mark.parametrize("text", TEXTS)
def test_scanner_matches_the_regex_in_every_window(text: str) -> None:
    pattern = _pattern(KEYWORDS)
    scanner = KeywordScanner(pattern, [k.rstrip("*") for k in KEYWORDS])
    for lo in range(0, len(text) + 1, 7):
        for hi in (lo + 12, lo + 40, len(text)):
            want = [(m.start(), m.end()) for m in pattern.finditer(text, lo, hi)]
            assert [(m.start(), m.end()) for m in scanner.finditer(text, lo, hi)] == want
            first = pattern.search(text, lo, hi)
            got = scanner.search(text, lo, hi)
            assert (got.span() if got else None) == (first.span() if first else None)


def test_fold_case_keeps_length_and_follows_the_regex_engine() -> None:
    text = "İSTANBUL ſ ΟΣ Straße \u212a"
    folded = fold_case(text)
    assert len(folded) == len(text)
    assert folded.startswith("istanbul s ")
    assert re.fullmatch("(?i)s", "ſ") and folded[9] == folded[9].lower() == fold_case("s")


def test_an_empty_literal_is_refused() -> None:
    with pytest.raises(ValueError):
        KeywordScanner(re.compile("x?"), [""])
