"""The summary tables the ETL keeps (etl/load/summaries.py) always equal a count from scratch, and
the views that read them give the rows of their old, aggregating definitions (revision 0002)."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError

from benchmarks.generate_corpus import generate
from etl.load import batch, summaries
from etl.load.refresher import Refresher
from etl.pipeline import run_pipeline

REPO_ROOT = Path(__file__).resolve().parents[1]
SEEDS = REPO_ROOT / "data" / "seeds"


def _v0002():
    path = REPO_ROOT / "alembic" / "versions" / "0002_analytics_views.py"
    spec = importlib.util.spec_from_file_location("v0002_for_tests", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return {v.name: v.sql for v in module.VIEWS}


OLD_VIEWS = _v0002()
# The co_mentions query before the summaries: every pair of entities mentioned in one article.
OLD_PAIRS = """
    WITH ae AS (SELECT DISTINCT article_id, source_id, entity_id, entity, entity_type FROM analytics.mentions)
    SELECT a.entity, b.entity, count(DISTINCT a.article_id), count(DISTINCT a.source_id), a.entity_type, b.entity_type
    FROM ae a JOIN ae b ON b.article_id = a.article_id AND (a.entity, a.entity_id) < (b.entity, b.entity_id)
    GROUP BY a.entity_id, a.entity, a.entity_type, b.entity_id, b.entity, b.entity_type
"""
NEW_PAIRS = "SELECT entity_a, entity_b, articles, sources, entity_a_type, entity_b_type FROM analytics.entity_pairs"
OLD_SURFACES = "SELECT entity_id, surface, count(*) FROM mentions GROUP BY entity_id, surface"
NEW_SURFACES = "SELECT entity_id, surface, mentions FROM entity_surfaces"
# The supplier market per buyer, supplier country and status, and per supplier, from the deal views.
OLD_MARKETS = """
    WITH dc AS (
        SELECT DISTINCT d.deal_id, d.buyer_id, d.status, d.value_usd, coalesce(p.country, 'unknown') AS country
        FROM analytics.deals d JOIN analytics.deal_parties p ON p.deal_id = d.deal_id
        WHERE p.role IN ('supplier', 'consortium_member')
    )
    SELECT buyer_id, country, status, count(*), sum(value_usd) FROM dc GROUP BY buyer_id, country, status
"""
NEW_MARKETS = "SELECT buyer_id, supplier_country, status, deals, value_usd FROM analytics.supplier_markets"
OLD_MARKET_PARTIES = """
    SELECT d.buyer_id, coalesce(p.country, 'unknown'), p.party_id, p.party, count(DISTINCT d.deal_id)
    FROM analytics.deals d JOIN analytics.deal_parties p ON p.deal_id = d.deal_id
    WHERE p.role IN ('supplier', 'consortium_member')
    GROUP BY d.buyer_id, coalesce(p.country, 'unknown'), p.party_id, p.party
"""
NEW_MARKET_PARTIES = (
    "SELECT buyer_id, supplier_country, supplier_id, supplier, deals FROM analytics.supplier_market_parties"
)
# Current aid allocations whose fiscal year, donor and recipient aid_groups lacks (aid_by_year would
# not list them).
UNGROUPED_AID = """
    SELECT count(*) FROM aid_allocations x WHERE x.superseded_by_id IS NULL AND NOT EXISTS (
        SELECT 1 FROM aid_groups g WHERE (g.fiscal_year, g.donor_id, g.recipient_id)
            = (coalesce(x.fiscal_year, 0), coalesce(x.donor_entity_id, 0), coalesce(x.recipient_entity_id, 0))
    )
"""


# Aid groups whose stored names are not their entities' names (aid_by_year orders by them).
MISNAMED_AID_GROUPS = """
    SELECT count(*) FROM aid_groups g
    LEFT JOIN entities dn ON dn.id = g.donor_id
    LEFT JOIN entities rc ON rc.id = g.recipient_id
    WHERE g.donor_name IS DISTINCT FROM dn.name OR g.recipient_name IS DISTINCT FROM rc.name
"""


def _rows(engine: Engine, sql: str) -> list[tuple]:
    with engine.connect() as conn:
        return sorted(map(tuple, conn.execute(text(sql)).all()), key=repr)


def assert_views_match_old_definitions(engine: Engine) -> None:
    for view in ("corroboration", "entities"):
        assert _rows(engine, f"SELECT * FROM analytics.{view}") == _rows(engine, OLD_VIEWS[view]), view
    assert _rows(engine, NEW_PAIRS) == _rows(engine, OLD_PAIRS)
    assert _rows(engine, NEW_SURFACES) == _rows(engine, OLD_SURFACES)
    assert _rows(engine, NEW_MARKETS) == _rows(engine, OLD_MARKETS)
    assert _rows(engine, NEW_MARKET_PARTIES) == _rows(engine, OLD_MARKET_PARTIES)
    assert _rows(engine, UNGROUPED_AID) == [(0,)]
    assert _rows(engine, MISNAMED_AID_GROUPS) == [(0,)]


def test_seed_load_then_article_replaced_and_deleted(engine: Engine, tmp_path: Path) -> None:
    corpus = tmp_path / "seeds"
    shutil.copytree(SEEDS, corpus)
    run_pipeline([corpus], manifest=corpus / "manifest.csv", engine=engine, progress=False, workers=0)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM entity_pairs")).scalar_one() > 0
        assert conn.execute(text("SELECT count(*) FROM fact_support")).scalar_one() > 0
        assert conn.execute(text("SELECT count(*) FROM supplier_market_parties")).scalar_one() > 0
        assert conn.execute(text("SELECT count(*) FROM aid_groups")).scalar_one() > 0
    assert_views_match_old_definitions(engine)

    # The same file with a changed body: replace_article deletes the old version and writes the new.
    first = sorted(corpus.glob("*.txt"))[0]
    body = first.read_text(encoding="utf-8")
    first.write_text(body.replace("Peru", "Chile"), encoding="utf-8")
    run_pipeline([corpus], manifest=corpus / "manifest.csv", engine=engine, progress=False, workers=0)
    assert_views_match_old_definitions(engine)

    # An article deleted by hand: the next refresh takes its share back out.
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM articles WHERE id = (SELECT min(id) FROM articles)"))
        assert summaries.refresh(conn) == 1
    assert_views_match_old_definitions(engine)

    # Deals changed in place (status, value, buyer), superseded and deleted: the next refresh recounts them.
    with engine.begin() as conn:
        ids = conn.execute(text("SELECT id FROM deals ORDER BY id")).scalars().all()
        assert len(ids) >= 4
        conn.execute(text("UPDATE deals SET status = 'cancelled', value_usd = NULL WHERE id = :i"), {"i": ids[0]})
        conn.execute(text("UPDATE deals SET value_usd = coalesce(value_usd, 0) + 1 WHERE id = :i"), {"i": ids[1]})
        conn.execute(text("UPDATE deals SET buyer_entity_id = NULL WHERE id = :i"), {"i": ids[2]})
        conn.execute(text("UPDATE deals SET superseded_by_id = :j WHERE id = :i"), {"i": ids[3], "j": ids[0]})
        conn.execute(text("DELETE FROM deals WHERE id = :i"), {"i": ids[-1]})
        summaries.refresh(conn)
    assert_views_match_old_definitions(engine)
    with engine.begin() as conn:  # superseded no longer: current again
        conn.execute(text("UPDATE deals SET superseded_by_id = NULL WHERE id = :i"), {"i": ids[3]})
        summaries.refresh(conn)
    assert_views_match_old_definitions(engine)


def test_generated_corpus_second_run_and_rebuild(engine: Engine, tmp_path: Path) -> None:
    files = generate(tmp_path / "all", 36)
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    for i, f in enumerate(sorted(files)):
        shutil.copy(f, (first if i % 2 else second) / f.name)
    run_pipeline([first], engine=engine, progress=False, workers=0)
    assert_views_match_old_definitions(engine)
    run_pipeline([first, second], engine=engine, progress=False, workers=0)  # adds articles, copies too
    assert_views_match_old_definitions(engine)
    before = {t: _rows(engine, f"SELECT * FROM {t}") for t in summaries.SUMMARY_TABLES}
    with engine.begin() as conn:
        assert summaries.refresh(conn) == 0  # nothing left to count
        summaries.rebuild(conn)
    assert {t: _rows(engine, f"SELECT * FROM {t}") for t in summaries.SUMMARY_TABLES} == before


def test_refreshes_during_a_run_count_what_one_refresh_at_the_end_counts(
    engine: Engine, tmp_path: Path, monkeypatch
) -> None:
    """A run refreshes the summaries every few loaded articles (here 3, in batches of 4), beside its
    loading: the result is the count from scratch, also when a second run replaces an article and
    adds copies."""
    calls: list[bool] = []
    refresh = summaries.refresh

    def counted(conn, evidence_since=None, during_run=False):
        calls.append(during_run)
        recounted = refresh(conn, evidence_since, during_run)
        if during_run:  # every article loaded so far is counted, with the deals it states
            for new_sql, old_sql in ((NEW_MARKETS, OLD_MARKETS), (NEW_MARKET_PARTIES, OLD_MARKET_PARTIES)):
                rows = [sorted(map(tuple, conn.execute(text(q)).all()), key=repr) for q in (new_sql, old_sql)]
                assert rows[0] == rows[1]
        return recounted

    monkeypatch.setattr(summaries, "DURING_RUN_EVERY", 3)
    monkeypatch.setattr(summaries, "DURING_RUN_MAX_RECOUNT", float("inf"))  # never wait for the end
    monkeypatch.setattr(summaries, "refresh", counted)
    files = sorted(generate(tmp_path / "all", 36))
    first = tmp_path / "first"
    first.mkdir()
    for f in files[::2]:
        shutil.copy(f, first / f.name)
    run_pipeline([first], engine=engine, progress=False, workers=0, batch_size=4)
    # during the run (beside the loading: a request while one runs is refused, but past twice the
    # interval the writer waits for it, so at least two here), then once at its end
    assert calls.count(True) >= 2 and calls[-1] is False
    assert_views_match_old_definitions(engine)

    changed = next(f for f in sorted(first.glob("*.txt")))
    changed.write_text(changed.read_text(encoding="utf-8").replace(" the ", " a ", 3), encoding="utf-8")
    for f in files[1::2]:
        shutil.copy(f, first / f.name)
    calls.clear()
    run_pipeline([first], engine=engine, progress=False, workers=0, batch_size=4)
    assert calls.count(True) >= 2
    assert_views_match_old_definitions(engine)
    before = {t: _rows(engine, f"SELECT * FROM {t}") for t in summaries.SUMMARY_TABLES}
    with engine.begin() as conn:
        assert refresh(conn) == 0
        summaries.rebuild(conn)
    assert {t: _rows(engine, f"SELECT * FROM {t}") for t in summaries.SUMMARY_TABLES} == before


class InStep(Refresher):
    """A refresher whose every refresh ends before the writer writes its next batch."""

    def request(self) -> bool:
        started = super().request()
        self.wait()
        return started


def test_a_refresh_during_a_run_leaves_large_syndication_groups_to_the_end(
    engine: Engine, tmp_path: Path, monkeypatch
) -> None:
    """A refresh during a run that would recount more counted articles of the touched groups than
    it has new ones counts nothing; the run's last refresh counts them, as a rebuild does."""
    outcomes: list[tuple[bool, int, int]] = []
    refresh = summaries.refresh

    def counted(conn, evidence_since=None, during_run=False):
        waiting = conn.execute(
            text("SELECT count(*) FROM articles a WHERE a.id NOT IN (SELECT article_id FROM summary_articles)")
        ).scalar_one()
        recounted = refresh(conn, evidence_since, during_run)
        outcomes.append((during_run, waiting, recounted))
        return recounted

    monkeypatch.setattr(summaries, "DURING_RUN_EVERY", 2)
    monkeypatch.setattr(summaries, "refresh", counted)
    # the writer waits for each refresh it asks for, so which ones see a large group is the same
    # every time
    monkeypatch.setattr(batch, "Refresher", InStep)
    story = "LIMA (Wire) - " + " ".join(
        f"Sentence {i} tells of patrol boats the navy of Peru ordered from Brightwater Dynamics." for i in range(12)
    )
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    head = "Boats for Peru\n\n{outlet}\nPosted: Mar 0{day}, 2024\n\n"
    (corpus / "a00.txt").write_text(head.format(outlet="Northern Ledger", day=2) + story + "\n", encoding="utf-8")
    for i in range(1, 9):  # copies of that story, each with a credit line of its own
        (corpus / f"a{i:02}.txt").write_text(
            head.format(outlet=f"Outlet {i}", day=2 + i % 3) + f"{story}\n\n(Outlet {i}, copy {i})\n",
            encoding="utf-8",
        )
    run_pipeline([corpus], engine=engine, progress=False, workers=0, batch_size=2)
    during = [(waiting, recounted) for run, waiting, recounted in outcomes if run]
    assert during and during[0][1] > 0  # the first one counts (nothing was counted before)
    assert any(waiting and not recounted for waiting, recounted in during[1:])  # later ones wait
    assert outcomes[-1][0] is False and outcomes[-1][2] > 0  # the last refresh counts what waited
    with engine.connect() as conn:
        copies = conn.execute(text("SELECT count(*) FROM articles WHERE original_article_id IS NOT NULL"))
        assert copies.scalar_one() == 8
    before = {t: _rows(engine, f"SELECT * FROM {t}") for t in summaries.SUMMARY_TABLES}
    with engine.begin() as conn:
        summaries.rebuild(conn)
    assert {t: _rows(engine, f"SELECT * FROM {t}") for t in summaries.SUMMARY_TABLES} == before


# The per-entity summary rows of one entity, in each table that holds them (revision 0018).
ENTITY_ROWS = {
    "entity_pairs": "entity_a_id = :e OR entity_b_id = :e",
    "entity_stats": "entity_id = :e",
    "entity_surfaces": "entity_id = :e",
    "summary_article_surfaces": "entity_id = :e",
}


def _entity_rows(conn, entity_id: int) -> dict[str, int]:
    return {
        t: conn.execute(text(f"SELECT count(*) FROM {t} WHERE {w}"), {"e": entity_id}).scalar_one()
        for t, w in ENTITY_ROWS.items()
    }


def test_a_deleted_entity_takes_its_summary_rows_with_it(engine: Engine) -> None:
    """The summary tables have no foreign key to entities; a trigger deletes an entity's rows (as
    ON DELETE CASCADE did), and emptying entities empties them."""
    run_pipeline([SEEDS], manifest=SEEDS / "manifest.csv", engine=engine, progress=False, workers=0)
    with engine.connect() as conn:
        paired = conn.execute(
            text("SELECT entity_a_id FROM entity_pairs UNION SELECT entity_b_id FROM entity_pairs ORDER BY 1")
        ).scalars()
        for entity_id in paired:  # the first that no fact references (those keep their entity)
            with conn.begin_nested() as attempt:
                try:
                    conn.execute(text("DELETE FROM entities WHERE id = :e"), {"e": entity_id})
                except IntegrityError:
                    attempt.rollback()
                    continue
            break
        else:
            raise AssertionError("every entity with co-mentions is referenced by a fact")
        conn.commit()
        assert set(_entity_rows(conn, entity_id).values()) == {0}
        others = conn.execute(text("SELECT min(entity_a_id) FROM entity_pairs")).scalar_one()
        assert all(_entity_rows(conn, others).values())  # another entity's rows stay
    assert _rows(engine, NEW_PAIRS) == _rows(engine, OLD_PAIRS)
    assert _rows(engine, NEW_SURFACES) == _rows(engine, OLD_SURFACES)
    with engine.begin() as conn:
        conn.execute(text("TRUNCATE entities CASCADE"))
        assert [conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in ENTITY_ROWS] == [0] * 4
