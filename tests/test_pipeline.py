"""`etl run` end to end on a real Postgres: seed metadata, entity resolution, idempotency,
atomicity, replacement of changed articles and bad input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from etl.cli import app
from etl.pipeline import run_pipeline
from etl.settings import libpq_url

SEEDS = Path(__file__).resolve().parents[1] / "data" / "seeds"
FURNITURE = [
    "You will be redirected",
    "Latest Headlines",
    "Subscribe for Print or Digital delivery today!",
    "More In World News",
    "Please read our comment policy",
    "Advertise",
    "RSS Feed",
    "Filed Under",
    "Defensenews TV",
    "chinapost search",
    "August 23, 2017",
    "Breaking News, World News and Taiwan News",
]


def _rows(engine: Engine, sql: str, **params: object) -> list:
    with engine.connect() as conn:
        return conn.execute(text(sql), params).all()


def test_seed_articles_have_publisher_title_and_date(seeded_engine: Engine) -> None:
    rows = _rows(
        seeded_engine,
        "SELECT a.source_file, p.name, a.title, a.published_on::text, a.date_precision "
        "FROM articles a JOIN publishers p ON p.id = a.publisher_id ORDER BY a.source_file",
    )
    assert [(r[0][:3], r[1], r[3], r[4]) for r in rows] == [
        ("000", "UPI", "2012-10-08", "day"),
        ("001", "Defense News", "2012-10-07", "day"),
        ("002", "Reuters", "2012-10-06", "day"),
        ("003", "The China Post", "2012-10-08", "day"),
        ("004", "The Washington Times", "2012-05-30", "day"),
    ]
    titles = {r[0][:3]: r[2] for r in rows}
    assert titles["002"] == "Touring South America, Panetta renews defense ties with Peru"
    assert titles["004"] == "China steals $114 million U.S. defense deal with Peru"


def test_no_site_furniture_survives(seeded_engine: Engine) -> None:
    for source_file, body in _rows(seeded_engine, "SELECT source_file, body FROM articles"):
        for phrase in FURNITURE:
            assert phrase not in body, (source_file, phrase)
        assert body == body.strip() and "\u00a0" not in body


def test_entities_resolve_across_sources(seeded_engine: Engine) -> None:
    rows = _rows(
        seeded_engine,
        "SELECT m.surface, e.name, m.method FROM mentions m JOIN entities e ON e.id = m.entity_id",
    )
    resolved = {(surface, name) for surface, name, _ in rows}
    assert ("Leo Panetta", "Leon Panetta") in resolved
    assert ("Panetta", "Leon Panetta") in resolved
    assert ("CPMIEC", "China Precision Machinery Import-Export Corp.") in resolved
    assert ("Norinco", "China North Industries Corp.") in resolved
    assert ("Peruvian", "Peru") in resolved
    variant = _rows(
        seeded_engine,
        "SELECT al.kind, a.source_file FROM entity_aliases al JOIN entities e ON e.id = al.entity_id "
        "JOIN articles a ON a.id = al.source_article_id WHERE e.name = 'Leon Panetta' AND al.alias = 'Leo Panetta'",
    )
    assert variant == [("variant", "000_3c55420993545cef.txt")]


def test_syndicated_copy_points_at_the_wire_original(seeded_engine: Engine) -> None:
    rows = dict(
        _rows(
            seeded_engine,
            "SELECT a.source_file, o.source_file FROM articles a LEFT JOIN articles o ON o.id = a.original_article_id",
        )
    )
    assert rows["003_a931aa88721324b1.txt"] == "002_b795cc3f13f4728f.txt"
    assert rows["002_b795cc3f13f4728f.txt"] is None
    assert rows["000_3c55420993545cef.txt"] is None and rows["001_78839b0446df5105.txt"] is None


def test_every_span_points_at_its_characters(seeded_engine: Engine) -> None:
    bad = _rows(
        seeded_engine,
        """
        SELECT 'mention', m.id FROM mentions m JOIN articles a ON a.id = m.article_id
         WHERE substr(a.body, m.char_start + 1, m.char_end - m.char_start) <> m.surface
        UNION ALL
        SELECT 'evidence', e.id FROM evidence e JOIN articles a ON a.id = e.article_id
         WHERE substr(a.body, e.char_start + 1, e.char_end - e.char_start) <> e.excerpt
        UNION ALL
        SELECT 'money', x.id FROM money_mentions x JOIN articles a ON a.id = x.article_id
         WHERE substr(a.body, x.char_start + 1, x.char_end - x.char_start) <> x.raw_text
        """,
    )
    assert bad == []
    assert _rows(seeded_engine, "SELECT count(*) FROM mentions")[0][0] > 100


def _snapshot(engine: Engine) -> dict[str, str]:
    tables = [
        "articles", "publishers", "entities", "entity_aliases", "mentions", "quotes", "positions", "money_mentions",
        "deals", "deal_parties", "deal_events", "aid_allocations", "agreements", "events", "evidence",
        "discrepancies", "claims", "article_provenance",
    ]  # fmt: skip
    snap = {}
    with engine.connect() as conn:
        for table in tables:
            snap[table] = conn.execute(
                text(f"SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM {table} t")
            ).scalar_one()
    return snap


def test_second_run_changes_nothing(engine: Engine) -> None:
    first = run_pipeline([SEEDS], engine=engine, progress=False)
    assert (first.loaded, first.unchanged, first.rejections) == (5, 0, [])
    before = _snapshot(engine)
    second = run_pipeline([SEEDS], engine=engine, progress=False)
    assert (second.read, second.loaded, second.unchanged, second.rejections) == (5, 0, 5, [])
    assert _snapshot(engine) == before
    runs = _rows(engine, "SELECT status, read_count, loaded_count, unchanged_count FROM etl_runs ORDER BY id")
    assert runs == [("succeeded", 5, 5, 0), ("succeeded", 5, 0, 5)]


def test_same_content_twice_loads_once(engine: Engine, tmp_path: Path) -> None:
    source = SEEDS / "002_b795cc3f13f4728f.txt"
    shutil.copy(source, tmp_path / "a.txt")
    shutil.copy(source, tmp_path / "b.txt")
    result = run_pipeline([tmp_path], engine=engine, progress=False)
    assert (result.loaded, result.unchanged) == (1, 1)
    assert _rows(engine, "SELECT count(*) FROM articles")[0][0] == 1


def test_changed_article_is_replaced_and_its_old_facts_go(engine: Engine, tmp_path: Path) -> None:
    article = tmp_path / "wt.txt"
    original = (SEEDS / "004_e539bab1961ba871.txt").read_text()
    article.write_text(original)
    run_pipeline([tmp_path], engine=engine, progress=False)
    values = {r[0] for r in _rows(engine, "SELECT value_usd FROM deals WHERE value_usd IS NOT NULL")}
    assert 114_000_000 in values
    article.write_text(original.replace("$114 million", "$120 million"))
    result = run_pipeline([tmp_path], engine=engine, progress=False)
    assert (result.loaded, result.unchanged) == (1, 0)
    assert _rows(engine, "SELECT count(*) FROM articles")[0][0] == 1
    values = {r[0] for r in _rows(engine, "SELECT value_usd FROM deals WHERE value_usd IS NOT NULL")}
    assert 120_000_000 in values and 114_000_000 not in values
    money = {r[0] for r in _rows(engine, "SELECT amount FROM money_mentions")}
    assert 114_000_000 not in money


def test_one_failing_article_is_rolled_back_and_the_rest_load(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import etl.load.bulk as bulk

    for name in ("000_3c55420993545cef.txt", "004_e539bab1961ba871.txt"):
        shutil.copy(SEEDS / name, tmp_path / name)
    real = bulk.copy_rows

    def explode(conn, table, columns, rows):  # the article's row is written by then; its money fails
        if table == "money_mentions" and any("114" in row[3] for row in rows):
            raise RuntimeError("disk on fire")
        return real(conn, table, columns, rows)

    monkeypatch.setattr(bulk, "copy_rows", explode)
    result = run_pipeline([tmp_path], engine=engine, progress=False)
    assert result.loaded == 1
    assert [(Path(r.source_path).name, r.reason) for r in result.rejections] == [
        ("004_e539bab1961ba871.txt", "could not be processed: RuntimeError: disk on fire")
    ]
    assert [r[0] for r in _rows(engine, "SELECT source_file FROM articles")] == ["000_3c55420993545cef.txt"]
    assert _rows(engine, "SELECT count(*) FROM money_mentions WHERE amount = 114000000")[0][0] == 0
    assert _rows(engine, "SELECT count(*) FROM deals")[0][0] == 0


def _bad_corpus(root: Path) -> None:
    shutil.copy(SEEDS / "000_3c55420993545cef.txt", root / "good.txt")
    (root / "binary.txt").write_bytes(b"\x89PNG\r\n\x00\x00IHDR")
    (root / "empty.txt").write_text("  \n")
    (root / "latin1.txt").write_bytes("Per\xfa compra tanques".encode("latin-1") + b"\x81")  # not text
    good_line = json.dumps({"text": (SEEDS / "002_b795cc3f13f4728f.txt").read_text(), "publisher": "Reuters"})
    (root / "feed.jsonl").write_text(good_line + "\n{not json\n" + json.dumps({"title": "no text"}) + "\n")
    (root / "manifest.csv").write_text("file,publisher,title,url,published,byline\nmissing.txt,UPI,,,,\n")


def test_bad_input_is_rejected_with_reasons_and_the_rest_loads(engine: Engine, tmp_path: Path) -> None:
    _bad_corpus(tmp_path)
    result = run_pipeline([tmp_path], engine=engine, progress=False)
    assert result.loaded == 2
    reasons = {(Path(r.source_path).name, r.source_line): r.reason for r in result.rejections}
    assert "binary" in reasons[("binary.txt", None)]
    assert "whitespace" in reasons[("empty.txt", None)] or "empty" in reasons[("empty.txt", None)]
    assert "UTF-8" in reasons[("latin1.txt", None)]
    assert "invalid JSON" in reasons[("feed.jsonl", 2)]
    assert "text" in reasons[("feed.jsonl", 3)]
    assert any("missing.txt" in reason for reason in reasons.values())
    stored = _rows(engine, "SELECT path, line, reason FROM rejected_inputs ORDER BY id")
    assert len(stored) == len(result.rejections) == 6
    assert _rows(engine, "SELECT status, rejected_count FROM etl_runs")[0] == ("partial", 6)


def test_cli_exit_status_and_summary(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", libpq_url(db_url))
    runner = CliRunner()
    ok = runner.invoke(app, ["etl", "run", str(SEEDS), "--no-progress"])
    assert ok.exit_code == 0, ok.output
    assert "loaded" in ok.output and "rejected" in ok.output
    _bad_corpus(tmp_path)
    bad = runner.invoke(app, ["etl", "run", str(tmp_path), "--no-progress"])
    assert bad.exit_code == 1
    assert "Rejected inputs" in bad.output and "binary file" in bad.output
    as_json = runner.invoke(app, ["etl", "run", str(tmp_path), "--json"])
    summary = json.loads(as_json.output)
    assert as_json.exit_code == 1 and summary["loaded"] == 0 and summary["unchanged"] == 2
    assert {Path(r["path"]).name for r in summary["rejected"]} >= {"binary.txt", "empty.txt", "latin1.txt"}
    assert summary["stage_seconds"]["finalize"] > 0 and summary["stage_seconds"]["load"] >= 0  # where time went
    usage = runner.invoke(app, ["etl", "run", str(tmp_path / "nope")])
    assert usage.exit_code == 2 and "no such file" in usage.output


def test_a_failing_extractor_costs_only_its_own_facts(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import etl.transform.extraction as extraction

    def broken(*_args: object) -> list:
        raise ValueError("rule bug")

    monkeypatch.setattr(extraction, "extract_deals", broken)
    shutil.copy(SEEDS / "004_e539bab1961ba871.txt", tmp_path / "wt.txt")
    result = run_pipeline([tmp_path], engine=engine, progress=False)
    assert (result.loaded, result.rejections) == (1, [])
    assert result.warnings == [(str(tmp_path / "wt.txt"), "extraction_error:deals: ValueError: rule bug")]
    assert _rows(engine, "SELECT count(*) FROM deals")[0][0] == 0
    assert _rows(engine, "SELECT count(*) FROM quotes")[0][0] > 0
    assert _rows(engine, "SELECT method FROM article_provenance WHERE field = 'extraction_error:deals'") == [
        ("ValueError: rule bug",)
    ]
