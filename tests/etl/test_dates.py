"""find_dates / resolve_date on the seed articles and on realistic non-seed sentences."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from etl.transform.dates import find_dates, resolve_date

SEEDS = Path(__file__).resolve().parents[2] / "data" / "seeds"
D = dt.date


def _seed(prefix: str) -> tuple[str, dt.date]:
    rows = {r["file"]: r for r in csv.DictReader((SEEDS / "manifest.csv").open(encoding="utf-8"))}
    name = next(n for n in rows if n.startswith(prefix))
    return (SEEDS / name).read_text(encoding="utf-8"), D.fromisoformat(rows[name]["published"])


def _by_context(body: str, published: dt.date, context: str) -> tuple[dt.date, str]:
    """The date found inside the first occurrence of ``context`` in ``body``."""
    start = body.index(context)
    hits = [r for r in find_dates(body, published) if start <= r.span.start < start + len(context)]
    assert len(hits) == 1, (context, hits)
    return hits[0].value, hits[0].precision


@pytest.mark.parametrize(
    ("prefix", "context", "value", "precision"),
    [
        ("004", "Last month, for example", D(2012, 4, 1), "month"),
        ("004", "awarded the contract in February", D(2012, 2, 1), "month"),
        ("004", "In November, his defense minister", D(2011, 11, 1), "month"),
        ("004", "kidnapped last June", D(2011, 6, 1), "month"),
        ("004", "In 2009, CPMIEC", D(2009, 1, 1), "year"),
        ("004", "met last year with", D(2011, 1, 1), "year"),
        ("004", "took effect in 2010", D(2010, 1, 1), "year"),
        ("002", "agreed on Saturday", D(2012, 10, 6), "day"),
        ("002", "Posted: Oct 06, 2012", D(2012, 10, 6), "day"),
        ("003", "Statement on Thursday", D(2012, 10, 4), "day"),
        ("003", "decided on Saturday", D(2012, 10, 6), "day"),
        ("003", "approved earlier this year", D(2012, 1, 1), "year"),
        ("003", "updating the 1952 bilateral", D(1952, 1, 1), "year"),
        ("001", "chiefs said Oct. 6.", D(2012, 10, 6), "day"),
        ("001", "$74 million next year", D(2013, 1, 1), "year"),
        ("001", "In 2012, Washington", D(2012, 1, 1), "year"),
        ("000", "LIMA, Oct. 8 (UPI)", D(2012, 10, 8), "day"),
        ("000", "$84 million this year", D(2012, 1, 1), "year"),
        ("000", "captured in 1992", D(1992, 1, 1), "year"),
        ("000", "In August rebels", D(2012, 8, 1), "month"),
        ("000", "In May a failed", D(2012, 5, 1), "month"),
    ],
)
def test_seed_expressions(prefix: str, context: str, value: dt.date, precision: str) -> None:
    body, published = _seed(prefix)
    assert _by_context(body, published, context) == (value, precision)


@pytest.mark.parametrize(
    ("prefix", "context"),
    [
        ("002", "toppled the state in the 1990s"),  # decade: no supported precision
        ("002", "several times over the last year"),  # a duration, not a date
        ("004", "batch of MBT 2000 Chinese-made tanks"),  # a model number, not a year
        ("000", "Last week Peru and the United States"),  # week precision unsupported
        ("000", "against the government 1980 but"),  # bare number without a preposition
    ],
)
def test_seed_non_dates(prefix: str, context: str) -> None:
    body, published = _seed(prefix)
    start = body.index(context)
    assert not [r for r in find_dates(body, published) if start <= r.span.start < start + len(context)]


def test_spans_match_raw_on_all_seeds() -> None:
    for prefix in ("000", "001", "002", "003", "004"):
        body, published = _seed(prefix)
        recs = find_dates(body, published)
        assert recs
        for r in recs:
            assert body[r.span.start : r.span.end] == r.raw
            if r.precision == "month":
                assert r.value.day == 1
            if r.precision == "year":
                assert (r.value.month, r.value.day) == (1, 1)


@pytest.mark.parametrize(
    ("expr", "published", "expected"),
    [
        ("Last month", D(2012, 5, 30), (D(2012, 4, 1), "month")),
        ("in February", D(2012, 5, 30), (D(2012, 2, 1), "month")),
        ("In November", D(2012, 5, 30), (D(2011, 11, 1), "month")),
        ("in May", D(2012, 5, 30), (D(2012, 5, 1), "month")),
        ("last June", D(2012, 5, 30), (D(2011, 6, 1), "month")),
        ("last May", D(2012, 5, 30), (D(2011, 5, 1), "month")),
        ("next June", D(2012, 5, 30), (D(2012, 6, 1), "month")),
        ("this June", D(2012, 10, 6), (D(2012, 6, 1), "month")),
        ("last year", D(2012, 5, 30), (D(2011, 1, 1), "year")),
        ("this year", D(2012, 5, 30), (D(2012, 1, 1), "year")),
        ("next year", D(2012, 5, 30), (D(2013, 1, 1), "year")),
        ("earlier this year", D(2012, 10, 8), (D(2012, 1, 1), "year")),
        ("later this month", D(2012, 10, 8), (D(2012, 10, 1), "month")),
        ("next month", D(2012, 12, 3), (D(2013, 1, 1), "month")),
        ("in 2009", D(2012, 5, 30), (D(2009, 1, 1), "year")),
        ("early 2012", D(2012, 10, 8), (D(2012, 1, 1), "year")),
        ("mid-May 2011", D(2012, 10, 8), (D(2011, 5, 1), "month")),
        ("on Saturday", D(2012, 10, 6), (D(2012, 10, 6), "day")),
        ("on Thursday", D(2012, 10, 6), (D(2012, 10, 4), "day")),
        ("last Saturday", D(2012, 10, 6), (D(2012, 9, 29), "day")),
        ("next Saturday", D(2012, 10, 6), (D(2012, 10, 13), "day")),
        ("Oct. 6", D(2012, 10, 7), (D(2012, 10, 6), "day")),
        ("Oct. 8", D(2012, 10, 6), (D(2011, 10, 8), "day")),
        ("Dec. 25, 2011", D(2012, 10, 6), (D(2011, 12, 25), "day")),
        ("6 October 2012", D(2013, 1, 1), (D(2012, 10, 6), "day")),
        ("6 de octubre de 2012", D(2013, 1, 1), (D(2012, 10, 6), "day")),
        ("two years ago", D(2012, 5, 30), (D(2010, 1, 1), "year")),
        ("yesterday", D(2012, 3, 1), (D(2012, 2, 29), "day")),
        ("in the 1990s", D(2012, 5, 30), None),
    ],
)
def test_resolve_date(expr: str, published: dt.date, expected: tuple | None) -> None:
    assert resolve_date(expr, published) == expected


def test_future_tense_resolves_forward() -> None:
    pub = D(2012, 10, 6)
    assert resolve_date("in February", pub, future=True) == (D(2013, 2, 1), "month")
    assert resolve_date("on Monday", pub, future=True) == (D(2012, 10, 8), "day")
    assert resolve_date("Oct. 20", pub, future=True) == (D(2012, 10, 20), "day")
    body = "Humala will travel to Washington in November. The minister visited Beijing in November."
    values = [r.value for r in find_dates(body, pub)]
    assert values == [D(2012, 11, 1), D(2011, 11, 1)]


def test_tense_is_read_near_the_date() -> None:
    pub = D(2013, 12, 18)  # a Wednesday
    found = lambda text: [(r.raw, r.value) for r in find_dates(text, pub)]  # noqa: E731
    assert found("Mexico will receive the aid, Washington said Tuesday.") == [("Tuesday", D(2013, 12, 17))]
    assert found("Talks will proceed on Monday.") == [("Monday", D(2013, 12, 23))]
    assert found("In March, the ministry will sign the deal.") == [("March", D(2014, 3, 1))]
    assert found("Peru agreed on Saturday to buy jets, which will arrive in May.") == [
        ("Saturday", D(2013, 12, 14)),
        ("May", D(2014, 5, 1)),
    ]


def test_without_publication_date_only_absolute_dates() -> None:
    assert resolve_date("last year", None) is None
    assert resolve_date("in 2009", None) == (D(2009, 1, 1), "year")
    body = "The accord was signed on Oct. 6, 2012, and updated last year."
    assert [(r.raw, r.value) for r in find_dates(body, None)] == [("Oct. 6, 2012", D(2012, 10, 6))]


def test_non_seed_sentences() -> None:
    body = (
        "Brazil signed the contract in December 2013 and expects the first Gripen in late 2019. "
        "The Shining Path waged war from 1980 to 2000, and the pact dates back to 1952. "
        "May officials resign? The talks ran Oct. 6-8."
    )
    found = {r.raw: (r.value, r.precision) for r in find_dates(body, D(2014, 1, 15))}
    assert found["December 2013"] == (D(2013, 12, 1), "month")
    assert found["late 2019"] == (D(2019, 1, 1), "year")
    assert found["1980"] == (D(1980, 1, 1), "year")
    assert found["2000"] == (D(2000, 1, 1), "year")
    assert found["1952"] == (D(1952, 1, 1), "year")
    assert found["Oct. 6"] == (D(2013, 10, 6), "day")
    assert "May" not in found  # a modal verb, not a month
    assert find_dates("The summit in Mar del Plata ended. Jan Smith spoke.", D(2014, 1, 15)) == []


def test_anaphoric_periods_count_from_the_sentence_date() -> None:
    pub = D(2013, 6, 1)
    found = lambda text: {r.raw: (r.value, r.precision) for r in find_dates(text, pub)}  # noqa: E731
    assert found("In 2011 aid fell to $40 million from $55 million the previous year.")[
        "the previous year"
    ] == (
        D(2010, 1, 1),
        "year",
    )
    assert found("Peru bought jets in 2009 and tanks the following year.")["the following year"] == (
        D(2010, 1, 1),
        "year",
    )
    assert found("The deal was signed in March 2012; a month later it collapsed.")["a month later"] == (
        D(2012, 4, 1),
        "month",
    )
    assert found("The previous year it spent less.")["The previous year"] == (D(2012, 1, 1), "year")
    assert "the following year" not in found("Deliveries start the following year.")  # no anchor


def test_tense_of_the_governing_verb() -> None:
    # The request was sent on Wednesday although the sentence is about what "will" happen.
    body = "Aid will shrink under the budget request the White House sent to Congress on Wednesday."
    assert [(r.raw, r.value) for r in find_dates(body, D(2013, 4, 11))] == [("Wednesday", D(2013, 4, 10))]
    body = "The aircraft was handed over in Turin on April 24 and is due to fly to Lima next month."
    assert find_dates(body, D(2015, 4, 27))[0].value == D(2015, 4, 24)
    # A dateline month-day is the publication day, whatever the tense of the sentence.
    body = "CARACAS, Nov. 6 (Xinhua) -- China will donate military equipment to Venezuela."
    assert find_dates(body, D(2012, 11, 6))[0].value == D(2012, 11, 6)
    assert resolve_date("Nov. 6", D(2012, 11, 6), future=True) == (D(2012, 11, 6), "day")
    assert resolve_date("Nov. 7", D(2012, 11, 6)) == (D(2011, 11, 7), "day")


@pytest.mark.parametrize(
    "expr",
    ["March 5, 2012", "5 March 2012", "Sept. 3, 2011", "Jan. 2012", "August 2024", "2012-03-05",
     "5 March, 2012", "february 29, 2024"],
)
def test_plain_reading_agrees_with_dateparser(expr: str) -> None:
    """The fast path for full dates gives exactly what dateparser gives, whatever the base."""
    from etl.transform.dates import _parsed, _plain

    assert _plain(expr) is not None
    for base in (None, dt.date(2013, 6, 1)):
        assert _plain(expr) == _parsed(expr, base, False)


@pytest.mark.parametrize("expr", ["February 30, 2012", "Mayo 2012", "March, 2012", "Spring 2012", "2012-13-01"])
def test_plain_reading_leaves_the_rest_to_dateparser(expr: str) -> None:
    from etl.transform.dates import _plain

    assert _plain(expr) is None
