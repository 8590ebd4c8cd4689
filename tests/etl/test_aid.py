"""extract_aid, aid_key and check_changes on the seed articles and on non-seed sentences."""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from etl.records import AidRec, EntityRef, Span
from etl.transform.aid import aid_key, check_changes, extract_aid
from etl.transform.money import find_money

SEEDS = Path(__file__).resolve().parents[2] / "data" / "seeds"
M = Decimal(1_000_000)
US, PERU = EntityRef("United States", "country"), EntityRef("Peru", "country")
# Stand-in for the entity matcher's output: (span, canonical country name), demonyms included.
NAMES = {
    "U.S.": "United States",
    "United States": "United States",
    "American": "United States",
    "Peru": "Peru",
    "Peruvian": "Peru",
    "Colombia": "Colombia",
    "Bolivia": "Bolivia",
    "Brazil": "Brazil",
    "Mexico": "Mexico",
    "China": "China",
    "Chinese": "China",
}


def _countries(body: str) -> list[tuple[Span, str]]:
    pattern = "|".join(re.escape(n) for n in sorted(NAMES, key=len, reverse=True))
    return [(Span(m.start(), m.end()), NAMES[m.group(0)]) for m in re.finditer(rf"\b(?:{pattern})", body)]


def _seed(prefix: str) -> tuple[str, dt.date]:
    rows = {r["file"]: r for r in csv.DictReader((SEEDS / "manifest.csv").open(encoding="utf-8"))}
    name = next(n for n in rows if n.startswith(prefix))
    return (SEEDS / name).read_text(encoding="utf-8"), dt.date.fromisoformat(rows[name]["published"])


def _aid(body: str, published: dt.date | None = dt.date(2012, 10, 7)) -> list[AidRec]:
    return extract_aid(body, published, find_money(body, published), _countries(body))


def _summary(r: AidRec) -> tuple:
    return (r.donor.name, r.recipient.name, r.fiscal_year, r.purpose, r.stage, r.amount)


def test_seed_000_estimate_and_change() -> None:
    body, pub = _seed("000")
    recs = _aid(body, pub)
    assert [_summary(r) for r in recs] == [
        ("United States", "Peru", 2012, "total", "estimated", 84 * M),
        ("United States", "Peru", 2013, "total", "change", -10 * M),
    ]
    assert [r.qualifier for r in recs] == ["top", "at least"]
    assert all(body[r.span.start : r.span.end].startswith("$") for r in recs)


def test_seed_001_total_suballocations_and_carried_projection() -> None:
    body, pub = _seed("001")
    recs = _aid(body, pub)
    assert [_summary(r) for r in recs] == [
        ("United States", "Peru", 2012, "total", "estimated", 84 * M),
        ("United States", "Peru", 2012, "counternarcotics", "estimated", 29 * M),
        ("United States", "Peru", 2012, "defense_and_counterterrorism", "estimated", Decimal(4_500_000)),
        ("United States", "Peru", 2013, "total", "projected", 74 * M),
    ]
    assert [r.attributed_to for r in recs] == ["Congressional Research Service"] * 3 + [None]
    assert all(r.currency == "USD" and r.amount_usd == r.amount for r in recs)


def test_seeds_without_aid() -> None:
    for prefix in ("002", "003", "004"):
        body, pub = _seed(prefix)
        assert _aid(body, pub) == []


def test_metonymy_given_by_the_matcher_is_used() -> None:
    body = "In 2012, Washington is devoting $84 million of aid to Peru."
    money = find_money(body, dt.date(2012, 10, 7))
    given = [(Span(9, 19), "United States"), (Span(body.index("Peru"), body.index("Peru") + 4), "Peru")]
    (rec,) = extract_aid(body, dt.date(2012, 10, 7), money, given)
    assert (rec.donor, rec.recipient, rec.fiscal_year) == (US, PERU, 2012)


def test_same_figure_from_two_articles_has_one_key() -> None:
    a = _aid(_seed("000")[0], dt.date(2012, 10, 8))[0]
    b = _aid(_seed("001")[0], dt.date(2012, 10, 7))[0]
    assert a.span != b.span and aid_key(a) == aid_key(b) == "United States|Peru|2012|total|estimated|84000000"


def test_check_changes_on_the_seeds_is_consistent() -> None:
    allocs = _aid(_seed("000")[0], dt.date(2012, 10, 8)) + _aid(_seed("001")[0], dt.date(2012, 10, 7))
    findings = check_changes(allocs)
    change = [f for f in findings if f.check == "change"]
    assert len(change) == 1
    (f,) = change
    assert f.status == "consistent" and f.expected == -10 * M and f.observed == -10 * M
    assert {e.fiscal_year for e in f.evidence} == {2012, 2013}
    parts = [f for f in findings if f.check == "parts_within_total"]
    assert [p.status for p in parts] == ["consistent"] and parts[0].observed == Decimal(33_500_000)


def test_check_changes_reports_a_discrepancy_with_both_sides() -> None:
    allocs = _aid(_seed("000")[0], dt.date(2012, 10, 8)) + _aid(_seed("001")[0], dt.date(2012, 10, 7))
    allocs = [replace(a, amount=80 * M, amount_usd=80 * M) if a.stage == "projected" else a for a in allocs]
    (f,) = [f for f in check_changes(allocs) if f.check == "change"]
    assert f.status == "discrepancy" and f.observed == -4 * M
    assert {e.stage for e in f.evidence} == {"estimated", "projected"}
    assert "discrepancy" in str(f)


def test_parts_exceeding_total_is_a_discrepancy() -> None:
    body = (
        "In 2011, the U.S. gave Peru $50 million in aid, with $40 million for counternarcotics "
        "and $30 million for counterterrorism."
    )
    (f,) = check_changes(_aid(body))
    assert (f.check, f.status, f.observed, f.expected) == (
        "parts_within_total",
        "discrepancy",
        70 * M,
        50 * M,
    )


def test_donor_recipient_patterns() -> None:
    cases = {
        "The United States gave Colombia $300 million in military aid last year.": (
            "United States",
            "Colombia",
            2011,
            "military",
            "actual",
        ),
        "Colombia received $465 million in U.S. assistance in 2010.": (
            "United States",
            "Colombia",
            2010,
            "total",
            "actual",
        ),
        "China donated $2 million worth of military equipment to Peru's army.": (
            "China",
            "Peru",
            2012,
            "military",
            "delivered",
        ),
        "The Obama administration requested $1.2 million in FMF for Peru for FY2013.": (
            "United States",
            "Peru",
            2013,
            "military",
            "requested",
        ),
        "Under the Merida Initiative, Congress appropriated $1.6 billion for Mexico in 2008.": (
            "United States",
            "Mexico",
            2008,
            "total",
            "appropriated",
        ),
    }
    for text, expected in cases.items():
        (rec,) = _aid(text)
        assert _summary(rec)[:5] == expected, text


def test_changes_and_series() -> None:
    (cut,) = _aid("Washington cut its aid to Bolivia by $5 million in 2009.")
    assert (cut.stage, cut.amount, cut.recipient.name) == ("change", -5 * M, "Bolivia")
    (rise,) = _aid("American aid to Mexico will rise by about $20 million next year.")
    assert (rise.stage, rise.amount, rise.fiscal_year, rise.qualifier) == ("change", 20 * M, 2013, "about")
    now, before = _aid(
        "U.S. counternarcotics assistance to Peru fell to $40 million in 2011, down from $55 million in 2010."
    )
    assert (now.purpose, now.fiscal_year, now.amount) == ("counternarcotics", 2011, 40 * M)
    assert (before.purpose, before.fiscal_year, before.amount) == ("counternarcotics", 2010, 55 * M)


def test_attribution_and_carry_window() -> None:
    body = (
        "U.S. aid to Bolivia reached $20 million in 2011, according to figures from the State Department. "
        "Officials met in La Paz. Trade grew. Exports rose. The aid will fall to $15 million next year."
    )
    recs = _aid(body)
    assert [r.attributed_to for r in recs] == ["State Department"]  # the last sentence is too far to carry


def test_a_named_country_beats_one_carried_from_before() -> None:
    body = (
        "The United States provided Brazil with $1.2 million in IMET funds in fiscal 2013. "
        "Colombia, the largest recipient of U.S. security aid, received some $8 billion under Plan Colombia."
    )
    first, second = _aid(body)
    assert (first.recipient.name, first.purpose, first.fiscal_year) == ("Brazil", "military", 2013)
    assert (second.donor.name, second.recipient.name, second.qualifier) == (
        "United States",
        "Colombia",
        "about",
    )


def test_non_aid_money_and_self_aid_are_ignored() -> None:
    assert _aid("Peru signed a $114 million contract with a U.S. consortium.") == []
    assert _aid("U.S. aid to the United States was $5 million.") == []


def test_restatement_in_another_currency_is_one_allocation() -> None:
    body = "China will donate military equipment worth 20 million yuan (about $3.2 million) to Peru's army."
    (rec,) = _aid(body)
    assert (rec.donor.name, rec.recipient.name, rec.currency, rec.amount) == ("China", "Peru", "CNY", 20 * M)


def test_roles_per_amount_and_per_clause() -> None:
    recs = _aid("The U.S. budget request includes $12 million in aid for Peru and $8 million for Bolivia.")
    assert [(r.recipient.name, r.amount) for r in recs] == [("Peru", 12 * M), ("Bolivia", 8 * M)]
    recs = _aid("China gave Bolivia $5 million in military aid, and Mexico gave Peru $3 million in food aid.")
    assert [(r.donor.name, r.recipient.name, r.purpose) for r in recs] == [
        ("China", "Bolivia", "military"),
        ("Mexico", "Peru", "humanitarian"),
    ]
    recs = _aid(
        "China has made similar gifts elsewhere in the region. In 2011 it donated 30 million yuan of "
        "equipment to Bolivia's military, and late last year it gave Peru's army a $6 million package of "
        "engineering vehicles."
    )
    assert [(r.donor.name, r.recipient.name, r.fiscal_year) for r in recs] == [
        ("China", "Bolivia", 2011),
        ("China", "Peru", 2011),
    ]


def test_ambiguous_or_unmarked_roles_give_no_allocation() -> None:
    # Several coordinated recipients: a regional programme, no single recipient.
    assert _aid("The United States gave Mexico and Colombia $50 million in security aid.") == []
    # "from"/"by" without an aid word or participle do not make a donor.
    body = "Children from Mexico and Colombia crowd shelters; Peru received $20 million in U.S. aid."
    assert [(r.donor.name, r.recipient.name) for r in _aid(body)] == [("United States", "Peru")]
    # "by" after a noun is no donor: the frozen money is still U.S. aid to Peru.
    body = (
        "Peru received $60.5 million in U.S. security aid in 2013. "
        "Congress froze part of that money -- about $10 million -- over concerns about abuses by Peruvian police."
    )
    assert [(r.donor.name, r.recipient.name, r.fiscal_year) for r in _aid(body)] == [
        ("United States", "Peru", 2013),
        ("United States", "Peru", 2013),
    ]


def test_dateline_is_not_an_actor() -> None:
    body = (
        "MEXICO CITY (Reuters) - The United States has delivered only a fraction of the $1.6 billion in "
        "anti-drug aid it promised Mexico under the Merida Initiative."
    )
    (rec,) = _aid(body)
    assert (rec.donor, rec.recipient, rec.purpose) == (US, EntityRef("Mexico", "country"), "counternarcotics")


def test_request_sentence_with_past_levels_and_changes() -> None:
    body = (
        "The administration requested $41.5 million in International Narcotics Control and Law Enforcement "
        "(INCLE) funds for Peru for fiscal 2014, compared with $48.2 million in fiscal 2012."
    )
    req, past = _aid(body, dt.date(2013, 4, 11))
    assert (req.fiscal_year, req.purpose, req.stage) == (2014, "counternarcotics", "requested")
    assert (past.fiscal_year, past.purpose, past.stage) == (2012, "counternarcotics", "actual")
    body = "For fiscal 2016, the administration requested $80 million in INCLE aid for Peru, a cut of $35 million."
    _, cut = _aid(body, dt.date(2015, 10, 19))
    assert (cut.stage, cut.amount, cut.fiscal_year, cut.purpose) == (
        "change",
        -35 * M,
        2016,
        "counternarcotics",
    )
    (_, up) = _aid("In 2012, U.S. aid to Peru was $84 million, up $10 million from a year earlier.")
    assert (up.stage, up.amount, up.fiscal_year) == ("change", 10 * M, 2012)


def test_purpose_stops_at_a_subordinate_clause_and_congress_is_a_donor() -> None:
    body = (
        "The State Department has withheld $5 million in security aid to Mexico after concluding it could "
        "not certify human rights conditions."
    )
    (rec,) = _aid(body)
    assert (rec.donor, rec.purpose) == (US, "security")
    (rec,) = _aid("For fiscal years 2010 through 2012, Congress provided $1.2 billion to Mexico.")
    assert (rec.donor, rec.recipient.name, rec.stage) == (US, "Mexico", "actual")
