"""Set-based batch loading (etl/load/bulk.py): a batch written at once gives the database that
writing its articles one at a time gives, and a bad article in a batch costs only itself."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from benchmarks.generate_corpus import generate
from etl.extract.readers import iter_documents
from etl.load.batch import Extracted, LoadContext, load_batch
from etl.load.runs import RunHandle
from etl.parallel import process
from etl.pipeline import REFERENCE_DIR, extractor_version
from etl.records import RawDocument, Rejection
from etl.transform.extraction import Extractor

SEEDS = Path(__file__).resolve().parents[1] / "data" / "seeds"
CONTENT_TABLES = (  # (table, columns compared: content, not surrogate ids)
    ("articles", "content_hash, source_path, raw_digest, "
                 "(SELECT o.content_hash FROM articles o WHERE o.id = t.original_article_id)"),
    ("mentions", "(SELECT content_hash FROM articles a WHERE a.id = t.article_id), char_start, surface, method"),
    ("money_mentions", "(SELECT content_hash FROM articles a WHERE a.id = t.article_id), char_start, raw_text, amount"),
    ("entities", "entity_type, name, origin, country_code"),
    ("entity_aliases", "alias, kind, (SELECT content_hash FROM articles a WHERE a.id = t.source_article_id)"),
    ("deals", "fact_key, title, value_usd, status, quantity, year"),
    ("deal_events", "fact_key, event_type, event_date"),
    ("deal_parties", "(SELECT fact_key FROM deals d WHERE d.id = t.deal_id), "
                     "(SELECT name FROM entities e WHERE e.id = t.entity_id), role, country_code"),
    ("aid_allocations", "fact_key, amount_usd, stage"),
    ("positions", "fact_key, title, valid_from, valid_to"),
    ("agreements", "fact_key, title, signed_on"),
    ("events", "fact_key, event_type, fatalities"),
    ("quotes", "quote_key, text, (SELECT name FROM entities e WHERE e.id = t.speaker_entity_id)"),
    ("evidence", "fact_type, char_start, excerpt, stated_value, "
                 "(SELECT content_hash FROM articles a WHERE a.id = t.article_id), "
                 "(SELECT quote_key FROM quotes q WHERE t.fact_type = 'quote' AND q.id = t.fact_id), "
                 "(SELECT fact_key FROM deals d WHERE t.fact_type = 'deal' AND d.id = t.fact_id)"),
    ("article_fingerprints", "(SELECT content_hash FROM articles a WHERE a.id = t.article_id), shingle_count"),
    ("publishers", "name, is_wire"),
)  # fmt: skip


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor.from_reference(REFERENCE_DIR)


def _context(engine: Engine, extractor: Extractor) -> LoadContext:
    with engine.begin() as conn:
        extractor.sync_reference(conn)
    handle = RunHandle(engine, "test", extractor_version())
    handle.release()
    return LoadContext(handle.run_id, extractor_version(), extractor)


def _extracted(extractor: Extractor, doc: RawDocument) -> Extracted:
    outcome = process(extractor, doc)
    assert not isinstance(outcome, Rejection), outcome
    return Extracted(doc.source_path, outcome[0], outcome[1], None)


def _seed(extractor: Extractor, name: str, body: str | None = None) -> Extracted:
    text_ = body if body is not None else next(SEEDS.glob(f"{name}_*.txt")).read_text()
    return _extracted(extractor, RawDocument(f"/in/{name}.txt", None, "txt", text=text_))


def _snapshot(engine: Engine) -> dict[str, list]:
    with engine.connect() as conn:
        return {
            table: sorted(map(tuple, conn.execute(text(f"SELECT {cols} FROM {table} t")).all()), key=repr)
            for table, cols in CONTENT_TABLES
        }


def _clear(engine: Engine) -> None:
    with engine.begin() as conn:
        tables = conn.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'")
        ).scalars()
        conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))


def test_one_batch_gives_the_database_of_one_article_at_a_time(
    engine: Engine, extractor: Extractor, tmp_path: Path
) -> None:
    generate(tmp_path, 90, seed=3, size=(600, 1400))  # syndicated copies, quote variants, shared facts
    first = sorted(tmp_path.glob("*.txt"))[0]
    (tmp_path / "zz-duplicate.txt").write_text(first.read_text())  # an exact duplicate, later in the batch
    items = [_extracted(extractor, doc) for doc in iter_documents([tmp_path], None) if isinstance(doc, RawDocument)]
    ctx = _context(engine, extractor)
    alone = [load_batch(engine, [item], ctx)[0] for item in items]
    one_at_a_time = _snapshot(engine)
    _clear(engine)
    ctx = _context(engine, extractor)
    together = load_batch(engine, items[:40], ctx) + load_batch(engine, items[40:], ctx)  # the 2nd meets stored rows
    assert together == alone and "unchanged" in together  # exact duplicates found within the batch
    assert _snapshot(engine) == one_at_a_time
    with engine.connect() as conn:
        shared = conn.execute(
            text("SELECT count(*) FROM (SELECT 1 FROM evidence GROUP BY fact_type, fact_id "
                 "HAVING count(DISTINCT article_id) > 1) x")
        ).scalar_one()  # fmt: skip
        copies = conn.execute(text("SELECT count(*) FROM articles WHERE original_article_id IS NOT NULL")).scalar_one()
    assert shared > 0 and copies > 0  # the batch really had facts and originals in common


def test_a_syndicated_copy_and_its_original_in_one_batch(engine: Engine, extractor: Extractor) -> None:
    original = _seed(extractor, "004")
    body = original.article.body
    edited = "Reprinted with permission. " + body.replace("$114 million", "$114 million (about 350 million soles)")
    copy = _seed(extractor, "004-copy", edited)
    ctx = _context(engine, extractor)
    assert load_batch(engine, [original, copy], ctx) == ["loaded", "loaded"]
    with engine.connect() as conn:
        rows = dict(conn.execute(text("SELECT source_path, id FROM articles")).all())
        originals = dict(conn.execute(text("SELECT source_path, original_article_id FROM articles")).all())
        indexed = set(conn.execute(text("SELECT article_id FROM article_fingerprints")).scalars())
        deal = conn.execute(  # the same deal, reported by both articles: one fact, evidence from each
            text("SELECT d.id, count(DISTINCT e.article_id) FROM deals d JOIN evidence e "
                 "ON e.fact_type = 'deal' AND e.fact_id = d.id WHERE d.value_usd = 114000000 GROUP BY d.id")
        ).all()  # fmt: skip
    assert originals == {"/in/004.txt": None, "/in/004-copy.txt": rows["/in/004.txt"]}
    assert indexed == {rows["/in/004.txt"]}  # only originals are indexed
    assert [n for _, n in deal] == [2]


def test_a_bad_article_in_a_batch_costs_only_itself(engine: Engine, extractor: Extractor) -> None:
    good = [_seed(extractor, "000"), _seed(extractor, "002")]
    bad = _seed(extractor, "004")
    bad = dataclasses.replace(bad, article=dataclasses.replace(bad.article, title="A title with a \x00 in it"))
    ctx = _context(engine, extractor)
    outcomes = load_batch(engine, [good[0], bad, good[1]], ctx)
    assert outcomes[0] == outcomes[2] == "loaded"
    assert isinstance(outcomes[1], Rejection) and outcomes[1].source_path == "/in/004.txt"
    assert "could not be processed" in outcomes[1].reason
    with engine.connect() as conn:
        assert set(conn.execute(text("SELECT source_path FROM articles")).scalars()) == {"/in/000.txt", "/in/002.txt"}
        assert conn.execute(text("SELECT count(*) FROM deals WHERE value_usd = 114000000")).scalar_one() == 0
        assert conn.execute(text("SELECT path FROM rejected_inputs")).scalars().all() == ["/in/004.txt"]
    assert load_batch(engine, good, ctx) == ["unchanged", "unchanged"]  # and a re-run changes nothing


def test_shingle_hash_sets_judge_syndication_as_word_shingles_do(extractor: Extractor, tmp_path: Path) -> None:
    """The writer compares 64-bit shingle hashes (etl/load/prepare.py), not word tuples: same counts."""
    from etl.load.fingerprints import shingle_set
    from etl.load.prepare import prepare
    from etl.transform.syndication import fingerprint, overlap

    generate(tmp_path, 60, seed=3, size=(600, 1400))  # syndicated copies among them
    items = [_extracted(extractor, doc) for doc in iter_documents([tmp_path], None) if isinstance(doc, RawDocument)]
    bodies = [item.article.body for item in items]
    syndicated = 0
    for i, a in enumerate(bodies):
        prepared = prepare(items[i].article, items[i].extraction, extractor.keys)
        assert prepared.shingles == shingle_set(a) and len(prepared.shingles) == len(fingerprint(a))
        for b in bodies[:i]:
            assert overlap(prepared.shingles, shingle_set(b)) == overlap(fingerprint(a), fingerprint(b))
            syndicated += overlap(a, b).syndicated
    assert syndicated > 0


# Two passages of 14 words (7 narrative shingles each: fewer than MIN_SHARED, so originals that share
# one of them stay originals) and the own text of six articles, none of it shared.
STOCK = ("Officials described the purchase as the largest of its kind in a whole decade.",
         "Opposition lawmakers questioned whether the national budget could absorb another costly program next year.")
OWN = {
    "a": "Engineers at the river depot repainted eleven amphibious trucks before the spring floods reached the "
         "lower valley. A convoy of fuel tankers then crossed the pontoon bridge under the watch of military police.",
    "b": "A naval cadet choir performed at the harbor festival while frigate crews rested ashore after a long "
         "patrol. Local fishermen sold grilled sardines to the sailors and their families along the quay.",
    "c": "Customs inspectors weighed forty crates of rifle optics at the mountain border crossing on a cold "
         "morning. Their supervisor sealed the shipment until the importer produced a valid end-user certificate.",
    "e": "The desert garrison replaced its diesel generators with solar panels donated by a technical "
         "university. Soldiers learned to clean the dust from the arrays every second evening after drills.",
    "f": "Veterans marched through the old town square to mark the anniversary of the armistice with their "
         "grandchildren. A brass band from the cavalry school played hymns beside the restored memorial.",
    "d": "Pilots of the reserve squadron logged record flight hours over the coastal plain during a mild "
         "winter. Mechanics credited a new spare parts warehouse that opened beside the northern runway.",
}


@pytest.mark.parametrize("max_postings", [1000, 2])
def test_a_stock_phrase_names_no_candidate(
    engine: Engine, extractor: Extractor, monkeypatch: pytest.MonkeyPatch, max_postings: int
) -> None:
    """D shares both stock passages with A (14 shingles: a copy by the rule) and nothing else; once each
    passage is held by more than MAX_POSTINGS originals it is a stock phrase and D stays an original.
    G, a copy of B, is found either way."""
    from etl.load import fingerprints
    from etl.transform.syndication import MIN_SHARED, fingerprint

    assert all(len(fingerprint(s)) == MIN_SHARED - 1 for s in STOCK)
    monkeypatch.setattr(fingerprints, "MAX_POSTINGS", max_postings)

    def article(name: str, *parts: str) -> Extracted:
        return _seed(extractor, name, f"Report {name.upper()}\n\n" + " ".join(parts) + "\n")

    ctx = _context(engine, extractor)
    first = [article("a", OWN["a"], *STOCK), article("b", OWN["b"], STOCK[0]), article("c", OWN["c"], STOCK[0]),
             article("e", OWN["e"], STOCK[1]), article("f", OWN["f"], STOCK[1])]
    assert load_batch(engine, first, ctx) == ["loaded"] * 5
    later = [article("d", OWN["d"], *STOCK), article("g", OWN["b"], STOCK[0], "The festival ended at midnight.")]
    assert load_batch(engine, later, ctx) == ["loaded"] * 2
    with engine.connect() as conn:
        ids = dict(conn.execute(text("SELECT source_path, id FROM articles")).all())
        original = dict(conn.execute(text("SELECT source_path, original_article_id FROM articles")).all())
    assert [original[f"/in/{n}.txt"] for n in "abcef"] == [None] * 5
    assert original["/in/g.txt"] == ids["/in/b.txt"]
    assert original["/in/d.txt"] == (ids["/in/a.txt"] if max_postings > 3 else None)


def test_judged_originals_are_remembered_by_their_text_not_their_id(engine: Engine, extractor: Extractor) -> None:
    """The writer keeps recent originals' shingle hashes in memory; an id that now names another
    text (another database, or ids restarted) gets that text's hashes."""
    from etl.load.fingerprints import _prints, _stored_prints, pack, shingle_set

    first, second = _seed(extractor, "000"), _seed(extractor, "002")
    _prints.clear()
    for item in (first, second):
        _clear(engine)
        assert load_batch(engine, [item], _context(engine, extractor)) == ["loaded"]
        # an original is remembered as it is loaded, by the shingles its worker hashed
        assert set(_prints[item.article.content_hash]) == shingle_set(item.article.body)
        with engine.connect() as conn:
            (article_id,) = conn.execute(text("SELECT id FROM articles")).scalars()
            assert article_id == 1
            assert set(_stored_prints(conn, [1])[1]) == shingle_set(item.article.body)
            # out of memory, they are read as stored with the fingerprint, not hashed again
            stored = conn.execute(text("SELECT shingles FROM article_fingerprints")).scalar_one()
            assert stored == pack(shingle_set(item.article.body))
            _prints.clear()
            assert set(_stored_prints(conn, [1])[1]) == shingle_set(item.article.body)
    assert shingle_set(first.article.body) != shingle_set(second.article.body)


def test_a_stored_original_is_a_candidate_only_within_31_days(engine: Engine, extractor: Extractor) -> None:
    """The index holds each original's date: a copy published 20 days after it, or undated, is found;
    one published 40 days after it is an original of its own."""
    import datetime as dt

    def dated(name: str, body: str, day: int | None) -> Extracted:
        item = _seed(extractor, name, f"Report {name.upper()}\n\n{body}\n")
        when = None if day is None else dt.date(2024, 3, 1) + dt.timedelta(days=day)
        return dataclasses.replace(item, article=dataclasses.replace(item.article, published_on=when))

    ctx = _context(engine, extractor)
    assert load_batch(engine, [dated("b", OWN["b"], 0), dated("c", OWN["c"], None)], ctx) == ["loaded"] * 2
    later = [dated("near", OWN["b"] + " It rained.", 20), dated("far", OWN["b"] + " It snowed.", 40),
             dated("undated", OWN["b"] + " It hailed.", None), dated("c-copy", OWN["c"] + " It froze.", 300)]
    assert load_batch(engine, later, ctx) == ["loaded"] * 4
    with engine.connect() as conn:
        ids = dict(conn.execute(text("SELECT source_path, id FROM articles")).all())
        original = dict(conn.execute(text("SELECT source_path, original_article_id FROM articles")).all())
        indexed = dict(conn.execute(text("SELECT DISTINCT article_id, published_on FROM article_shingles")).all())
    b, c = ids["/in/b.txt"], ids["/in/c.txt"]
    assert [original[f"/in/{n}.txt"] for n in ("near", "far", "undated", "c-copy")] == [b, None, b, c]
    assert indexed[b] == dt.date(2024, 3, 1) and indexed[c] is None and ids["/in/far.txt"] in indexed


def test_a_copy_whose_original_is_gone_is_indexed_by_the_next_run(engine: Engine, extractor: Extractor) -> None:
    """``fingerprints.backfill`` indexes originals without fingerprints (a copy whose original was
    deleted) with their date and all their shingle hashes, as the loader indexes an original."""
    import datetime as dt

    from etl.load.fingerprints import backfill, pack, shingle_set

    original = _seed(extractor, "b", f"Report B\n\n{OWN['b']}\n")
    copy = _seed(extractor, "g", f"Report G\n\n{OWN['b']} It rained.\n")
    copy = dataclasses.replace(copy, article=dataclasses.replace(copy.article, published_on=dt.date(2024, 5, 2)))
    ctx = _context(engine, extractor)
    assert load_batch(engine, [original, copy], ctx) == ["loaded"] * 2
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM articles WHERE source_path = '/in/b.txt'"))
        assert backfill(conn) == 1 and backfill(conn) == 0
    with engine.connect() as conn:
        (article_id,) = conn.execute(text("SELECT id FROM articles WHERE original_article_id IS NULL")).scalars()
        stored = conn.execute(text("SELECT shingle_count, shingles FROM article_fingerprints")).one()
        dates = conn.execute(text("SELECT DISTINCT article_id, published_on FROM article_shingles")).all()
    assert stored == (len(shingle_set(copy.article.body)), pack(shingle_set(copy.article.body)))
    assert dates == [(article_id, dt.date(2024, 5, 2))]
