"""The seed load end to end: aid, deals, agreements, events, quotes, corroboration and
discrepancies, each with evidence spans; and reviewed facts from data/reference/facts.yaml."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import Engine, text

from etl.pipeline import REFERENCE_DIR, run_pipeline

SEEDS = Path(__file__).resolve().parents[1] / "data" / "seeds"

AID = """
SELECT a.fiscal_year, a.purpose, a.stage, a.amount, a.qualifier, a.attributed_to,
       count(DISTINCT e.article_id) AS articles,
       count(DISTINCT coalesce(ar.original_article_id, ar.id)) AS sources
FROM aid_allocations a
JOIN entities d ON d.id = a.donor_entity_id AND d.name = 'United States'
JOIN entities r ON r.id = a.recipient_entity_id AND r.name = 'Peru'
JOIN evidence e ON e.fact_type = 'aid_allocation' AND e.fact_id = a.id
JOIN articles ar ON ar.id = e.article_id
WHERE a.superseded_by_id IS NULL
GROUP BY 1, 2, 3, 4, 5, 6
"""


def _rows(engine: Engine, sql: str, **params: object) -> list:
    with engine.connect() as conn:
        return conn.execute(text(sql), params).all()


def test_us_aid_to_peru(seeded_engine: Engine) -> None:
    aid = {(r.fiscal_year, r.purpose, r.stage): r for r in _rows(seeded_engine, AID)}
    total = aid[(2012, "total", "estimated")]
    assert total.amount == 84_000_000 and (total.articles, total.sources) == (2, 2)
    assert total.attributed_to == "Congressional Research Service"
    assert aid[(2012, "counternarcotics", "estimated")].amount == 29_000_000
    assert aid[(2012, "defense_and_counterterrorism", "estimated")].amount == 4_500_000
    assert aid[(2013, "total", "projected")].amount == 74_000_000
    change = aid[(2013, "total", "change")]
    assert (change.amount, change.qualifier) == (-10_000_000, "at least")


def test_aid_change_is_checked_against_the_projection(seeded_engine: Engine) -> None:
    # 84 - 74 = 10 >= "at least 10": consistent, so no figure discrepancy is reported for it.
    assert _rows(seeded_engine, "SELECT * FROM discrepancies WHERE attribute LIKE '%aid change%'") == []


def _deal(engine: Engine, like: str) -> tuple:
    rows = _rows(
        engine,
        "SELECT id, status, value_usd, year, item_text, replaces FROM deals "
        "WHERE superseded_by_id IS NULL AND (title ILIKE :like OR item_text ILIKE :like)",
        like=like,
    )
    assert len(rows) == 1, rows
    return rows[0]


def _parties(engine: Engine, deal_id: int) -> set[tuple[str, str]]:
    return set(
        _rows(
            engine,
            "SELECT e.name, p.role FROM deal_parties p JOIN entities e ON e.id = p.entity_id WHERE p.deal_id = :d",
            d=deal_id,
        )
    )


def _events(engine: Engine, deal_id: int) -> dict[str, tuple]:
    rows = _rows(
        engine,
        "SELECT event_type, event_date::text, date_precision FROM deal_events WHERE deal_id = :d",
        d=deal_id,
    )
    return {r[0]: (r[1], r[2]) for r in rows}


def test_air_defense_contract(seeded_engine: Engine) -> None:
    deal_id, status, value, year, *_ = _deal(seeded_engine, "%air defense system contract%")
    assert (status, value, year) == ("cancelled", 114_000_000, 2012)
    parties = _parties(seeded_engine, deal_id)
    assert {
        ("Triad", "supplier"),
        ("Rafael Advanced Defense Systems", "consortium_member"),
        ("Bumar Group", "consortium_member"),
        ("Northrop Grumman", "consortium_member"),
        ("Rosoboronexport", "bidder"),
        ("China Precision Machinery Import-Export Corp.", "protester"),
    } <= parties
    events = _events(seeded_engine, deal_id)
    assert events["awarded"] == ("2012-02-01", "month")
    assert events["cancelled"] == ("2012-04-01", "month")
    assert "protested" in events


def test_automatic_air_defense_deal_finds_the_chinese_bidders_too(seeded_engine: Engine) -> None:
    rows = _rows(
        seeded_engine,
        "SELECT d.id FROM deals d WHERE d.review_status = 'automatic' AND d.value_usd = 114000000",
    )
    assert len(rows) == 1
    parties = _parties(seeded_engine, rows[0][0])
    assert ("Rosoboronexport", "bidder") in parties
    assert any(role == "bidder" and "Chinese" in name for name, role in parties)
    assert _events(seeded_engine, rows[0][0])["awarded"] == ("2012-02-01", "month")


def test_automatic_air_defense_events_cite_their_own_sentences(seeded_engine: Engine) -> None:
    """Without the reviewed correction, each lifecycle event of the automatic deal is dated and cites
    its own clause: the award, the protest and the cancellation never share an evidence excerpt."""
    (deal_id,) = _rows(
        seeded_engine,
        "SELECT d.id FROM deals d WHERE d.review_status = 'automatic' AND d.value_usd = 114000000",
    )[0]
    rows = _rows(
        seeded_engine,
        "SELECT e.event_type, e.event_date::text, v.excerpt FROM deal_events e "
        "JOIN evidence v ON v.fact_type = 'deal_event' AND v.fact_id = e.id WHERE e.deal_id = :d",
        d=deal_id,
    )
    cited = {kind: (day, excerpt) for kind, day, excerpt in rows}
    assert cited["awarded"][0] == "2012-02-01" and "awarded" in cited["awarded"][1]
    assert cited["cancelled"][0] == "2012-04-01" and "cancel" in cited["cancelled"][1]
    assert "convinced" in cited["protested"][1]
    assert len({excerpt for _, excerpt in cited.values()}) == len(cited)


def test_mbt_2000_tanks_never_materialized(seeded_engine: Engine) -> None:
    deal_id, status, value, _year, _item_text, replaces = _deal(seeded_engine, "%MBT 2000%")
    assert (status, value) == ("unsuccessful", 1_400_000_000)
    assert "T55" in replaces or "T-55" in replaces
    assert "never_materialized" in _events(seeded_engine, deal_id)
    assert ("China", "supplier") in _parties(seeded_engine, deal_id)


def test_chinese_sales_of_2009(seeded_engine: Engine) -> None:
    deal_id, _status, value, year, *_ = _deal(seeded_engine, "%arms and equipment%")
    assert (value, year) == (34_000_000, 2009)
    assert {("China North Industries Corp.", "supplier"), ("Poly Technologies", "supplier")} <= _parties(
        seeded_engine, deal_id
    )
    deal_id, _status, _value, year, _item_text, _ = _deal(seeded_engine, "%portable air defense%")
    assert year == 2009
    assert ("China Precision Machinery Import-Export Corp.", "supplier") in _parties(seeded_engine, deal_id)


def test_the_1952_accord_is_one_agreement_reported_by_four_articles(seeded_engine: Engine) -> None:
    rows = _rows(
        seeded_engine,
        "SELECT g.signed_on::text, count(DISTINCT e.article_id) FROM agreements g "
        "JOIN evidence e ON e.fact_type = 'agreement' AND e.fact_id = g.id "
        "WHERE g.agreement_type = 'defense_cooperation' GROUP BY 1",
    )
    assert rows == [("1952-01-01", 4)]
    kinds = {r[0] for r in _rows(seeded_engine, "SELECT agreement_type FROM agreements")}
    assert {"mou", "free_trade"} <= kinds


def test_events_with_dates_and_fatalities(seeded_engine: Engine) -> None:
    events = {
        r[0]: r[1:]
        for r in _rows(seeded_engine, "SELECT event_type, event_date::text, date_precision, fatalities FROM events")
    }
    assert events["attack"] == ("2012-08-01", "month", 5)
    assert events["capture"][:2] == ("1992-01-01", "year")
    assert events["resignation"][:2] == ("2012-05-01", "month")


QUOTES = """
SELECT q.text, count(DISTINCT e.article_id) AS articles,
       count(DISTINCT coalesce(a.original_article_id, a.id)) AS sources,
       count(DISTINCT a.publisher_id) AS publishers
FROM quotes q JOIN evidence e ON e.fact_type = 'quote' AND e.fact_id = q.id
JOIN articles a ON a.id = e.article_id
JOIN entities s ON s.id = q.speaker_entity_id AND s.name = 'Leon Panetta'
WHERE q.text LIKE :start
GROUP BY q.id, q.text
"""


def test_quote_corroboration(seeded_engine: Engine) -> None:
    family = _rows(seeded_engine, QUOTES, start="The United States is part of the family%")
    assert [(r.articles, r.sources, r.publishers) for r in family] == [(3, 3, 3)]
    thrust = _rows(seeded_engine, QUOTES, start="The principle thrust%")
    assert [(r.articles, r.sources) for r in thrust] == [(2, 1)]
    whatever = _rows(seeded_engine, QUOTES, start="Our country will do whatever%")
    assert len(whatever) == 1 and whatever[0].articles == 3


def test_discrepancies_between_sources(seeded_engine: Engine) -> None:
    rows = _rows(seeded_engine, "SELECT kind, subject, value_a, value_b FROM discrepancies")
    kinds = {r.kind for r in rows}
    assert {"claim", "spelling", "wording"} <= kinds
    claim = next(r for r in rows if r.kind == "claim")
    assert claim.subject == "Peru" and {claim.value_a, claim.value_b} == {
        "No. 1, ahead of Colombia",
        "No. 1, tied with Colombia",
    }
    assert any(r.kind == "spelling" and {r.value_a, r.value_b} == {"Leo Panetta", "Leon Panetta"} for r in rows)
    assert any(r.kind == "wording" and "whatever it can" in r.value_a and "whatever we can" in r.value_b for r in rows)


def test_every_fact_has_evidence(seeded_engine: Engine) -> None:
    for table, fact_type in (
        ("deals", "deal"), ("deal_events", "deal_event"), ("aid_allocations", "aid_allocation"),
        ("agreements", "agreement"), ("events", "event"), ("positions", "position"), ("quotes", "quote"),
    ):  # fmt: skip
        orphans = _rows(
            seeded_engine,
            f"SELECT id FROM {table} t WHERE NOT EXISTS "
            f"(SELECT 1 FROM evidence e WHERE e.fact_type = '{fact_type}' AND e.fact_id = t.id)",
        )
        assert orphans == [], table


def test_reviewed_fact_supersedes_the_automatic_one(seeded_engine: Engine) -> None:
    rows = _rows(
        seeded_engine,
        "SELECT a.fact_key, a.review_status, r.fact_key, r.review_status, r.extractor_version "
        "FROM deals a JOIN deals r ON r.id = a.superseded_by_id",
    )
    assert rows == [
        ("deal|pe|air-defense-system|110m", "automatic", "reviewed:peru-air-defense-contract-2012", "reviewed",
         "facts.yaml")
    ]  # fmt: skip


def test_reviewed_fact_with_a_quote_not_in_the_article_is_rejected(engine: Engine, tmp_path: Path) -> None:
    reference = tmp_path / "reference"
    shutil.copytree(REFERENCE_DIR, reference)
    (reference / "facts.yaml").write_text(
        """
facts:
  - id: invented
    article: 000_3c55420993545cef.txt
    evidence: "Peru bought forty submarines from Narnia last week."
    fact: {kind: event, event_type: other, description: invented}
  - id: good-one
    article: 000_3c55420993545cef.txt
    evidence: "In August rebels killed five army officers"
    fact: {kind: event, event_type: attack, description: ambush of army officers, fatalities: 5}
"""
    )
    result = run_pipeline([SEEDS], engine=engine, progress=False, reference_dir=reference)
    assert [r.reason for r in result.rejections] == [
        "reviewed fact 'invented': evidence quote not found in 000_3c55420993545cef.txt: "
        "'Peru bought forty submarines from Narnia last week.'"
    ]
    rows = _rows(engine, "SELECT fact_key, review_status FROM events WHERE review_status = 'reviewed'")
    assert rows == [("reviewed:good-one", "reviewed")]
    stored = _rows(engine, "SELECT reason FROM rejected_inputs")
    assert len(stored) == 1 and "invented" in stored[0][0]


def test_invalid_facts_file_is_one_clear_rejection(engine: Engine, tmp_path: Path) -> None:
    reference = tmp_path / "reference"
    shutil.copytree(REFERENCE_DIR, reference)
    (reference / "facts.yaml").write_text("facts:\n  - id: Bad Id\n    article: x\n")
    result = run_pipeline([SEEDS / "000_3c55420993545cef.txt"], engine=engine, progress=False, reference_dir=reference)
    assert len(result.rejections) == 1
    assert result.rejections[0].source_path.endswith("facts.yaml") and "facts.yaml" in result.rejections[0].reason


def test_sources_that_disagree_on_a_deal_status(engine: Engine) -> None:
    """Two independent reports of one contract: signed (March) and cancelled (June). The deal takes
    the latest report's status, and the disagreement is recorded with both sides."""
    corpus = Path(__file__).parent / "fixtures" / "sources_disagree"
    result = run_pipeline([corpus], engine=engine, progress=False)
    assert (result.loaded, result.rejections) == (2, [])
    deal = _rows(engine, "SELECT id, status FROM deals WHERE value_usd = 120000000")
    assert len(deal) == 1 and deal[0].status == "cancelled"
    rows = _rows(
        engine,
        "SELECT d.value_a, a.source_file, d.value_b, b.source_file FROM discrepancies d "
        "JOIN articles a ON a.id = d.article_a_id JOIN articles b ON b.id = d.article_b_id WHERE d.kind = 'status'",
    )
    assert rows == [("active", "signed.txt", "cancelled", "cancelled.txt")]
