"""Property-based tests (hypothesis) of the money, date, dateline, quote and entity-matching
functions: they never raise on arbitrary text, every span they return lies in the text and
matches its surface, long inputs finish (bounded size, generous deadline, no timing assertion),
and what a sentence states plainly comes back out."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.reference.gazetteer import Gazetteer, load_gazetteer
from etl.transform import datelines as dl
from etl.transform.dates import find_dates
from etl.transform.entities import extract_mentions
from etl.transform.money import find_money
from etl.transform.quotes import extract_quotes

PUBLISHED = dt.date(2013, 3, 6)
FUZZ = settings(
    max_examples=60, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow]
)
LONG = settings(
    max_examples=4, deadline=dt.timedelta(seconds=30), derandomize=True, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)  # fmt: skip
# Text that looks like news: words, numbers, currency signs, quotes, dashes, dates, new lines.
PIECES = st.sampled_from([
    "Peru", "the United States", "$", "€", "£", "US$", "million", "billion", "bn", "m", "soles", "riyals",
    " ", " ", " ", ", ", ". ", "\n", "\n\n", '"', "“", "”", "'", "‘", "’", " — ", "-", "(", ")", "%",
    "said", "says", "told", "March", "Oct.", "2012", "2013", "fiscal year", "last year", "next month",
    "in 2009", "LIMA (AP) -- ", "WASHINGTON (Reuters) - ", "about", "up to", "between", "and", "to",
])  # fmt: skip
NEWSY = st.lists(
    st.one_of(PIECES, st.integers(0, 10**9).map(str), st.decimals(0, 10**6, places=2).map(str), st.text(max_size=6)),
    max_size=120,
).map("".join)
ANY_TEXT = st.one_of(NEWSY, st.text(max_size=600))
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]  # fmt: skip


@cache
def gazetteer() -> Gazetteer:
    return load_gazetteer()


def in_bounds(body: str, span, surface: str | None = None) -> bool:
    ok = 0 <= span.start < span.end <= len(body)
    return ok and (surface is None or body[span.start : span.end] == surface)


@FUZZ
@given(ANY_TEXT)
def test_money_never_raises_and_spans_match(body: str) -> None:
    for m in find_money(body, PUBLISHED, "PE"):
        assert in_bounds(body, m.span, m.raw)
        assert m.amount >= 0 and len(m.currency) == 3
        assert m.amount_max is None or m.amount_max >= m.amount


@FUZZ
@given(st.integers(1, 999), st.sampled_from([("million", 10**6), ("billion", 10**9)]))
def test_money_round_trips_a_plain_amount(n: int, scale: tuple[str, int]) -> None:
    body = f"Peru will buy radars for ${n} {scale[0]}, officials said."
    found = find_money(body, PUBLISHED)
    assert [(m.amount, m.currency) for m in found] == [(Decimal(n * scale[1]), "USD")]


@FUZZ
@given(ANY_TEXT)
def test_dates_never_raise_and_spans_match(body: str) -> None:
    for d in find_dates(body, PUBLISHED):
        assert in_bounds(body, d.span, d.raw)
        assert isinstance(d.value, dt.date)


@FUZZ
@given(st.dates(dt.date(1950, 1, 1), dt.date(2049, 12, 31)))
def test_dates_round_trip_a_written_date(day: dt.date) -> None:
    written = f"{MONTHS[day.month - 1]} {day.day}, {day.year}"
    body = f"The contract was signed on {written} in Lima."
    assert [(d.raw, d.value, d.precision) for d in find_dates(body, PUBLISHED)] == [(written, day, "day")]
    assert dl.parse_date(written).value == day
    assert dl.parse_date(day.isoformat()).value == day


@FUZZ
@given(ANY_TEXT)
def test_datelines_never_raise(line: str) -> None:
    found = dl.parse_dateline(line)
    assert found is None or 0 < found.end <= len(line)
    dl.parse_date(line)
    dl.standalone_date(line)


@FUZZ
@given(st.sampled_from(["LIMA", "WASHINGTON", "BOGOTA", "MEXICO CITY"]), st.sampled_from(["AP", "Reuters", "UPI"]))
def test_datelines_round_trip_place_and_credit(place: str, credit: str) -> None:
    found = dl.parse_dateline(f"{place} ({credit}) - Peru bought radars.")
    assert found is not None and (found.place, found.credit) == (place, credit)


@FUZZ
@given(ANY_TEXT)
def test_quotes_and_mentions_never_raise_and_spans_match(body: str) -> None:
    mentions = extract_mentions(body, gazetteer())
    for m in mentions:
        assert in_bounds(body, m.span, m.surface)
    for q in extract_quotes(body, mentions):
        assert in_bounds(body, q.span, q.text)


@FUZZ
@given(st.lists(st.sampled_from(["radars", "ships", "we", "need", "new", "coastal", "patrol", "now"]), min_size=5,
                max_size=12))  # fmt: skip
def test_quotes_round_trip_a_quoted_sentence(words: list[str]) -> None:
    said = " ".join(words).capitalize()
    body = f'LIMA (AP) - Officials met on Monday. "{said}," said Pedro Cateriano.'
    quotes = extract_quotes(body, extract_mentions(body, gazetteer()))
    assert [q.text for q in quotes] == [said]
    assert quotes[0].speaker is not None and quotes[0].speaker.name == "Pedro Cateriano"


@FUZZ
@given(st.sampled_from(["Peru", "Colombia", "Chile", "Pedro Cateriano", "Leon Panetta"]))
def test_mentions_round_trip_a_gazetteer_name(name: str) -> None:
    body = f"Officials said {name} would decide on the purchase next year."
    found = [(m.surface, m.entity.name) for m in extract_mentions(body, gazetteer())]
    assert (name, name) in found


@LONG
@given(st.integers(40, 80), st.sampled_from(["for $1 million ", "in fiscal 2012 and 2013 ", '"so we said", '])
       )  # fmt: skip
def test_long_inputs_finish(repeats: int, phrase: str) -> None:
    body = "LIMA (AP) - Peru bought radars " + phrase * repeats + "officials said."
    assert len(body) <= 2_500  # kept short while find_money is superlinear (see docs/reliability.md)
    for m in find_money(body, PUBLISHED):
        assert in_bounds(body, m.span, m.raw)
    for d in find_dates(body, PUBLISHED):
        assert in_bounds(body, d.span, d.raw)
    mentions = extract_mentions(body, gazetteer())
    extract_quotes(body, mentions)
