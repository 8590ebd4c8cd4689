"""A hostile corpus, generated here: every bad file ends as a rejection with a clear reason, every
good file beside it is read, files of other types are listed as skipped."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from etl.extract.readers import html_depth, iter_documents, skipped_files
from etl.records import RawDocument, Rejection

GOOD = "Peru buys radars\n\nLIMA (AP) - Peru bought two coastal radars from Israel for $30 million.\n"


def build_corpus(root: Path) -> dict[str, str]:
    """Write the corpus under ``root/in``; return {file name: expected rejection reason fragment}."""
    folder = root / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD)
    (folder / "good.html").write_text(f"<html><body><p>{GOOD}</p></body></html>")
    (folder / "latin1.txt").write_bytes("Lima, Perú: el Ejército compra radares.".encode("latin-1"))
    (folder / "cp1252.txt").write_bytes("The \u201cTriad\u201d bid \u2014 Lima.".encode("cp1252"))
    (folder / "utf16.txt").write_bytes("WASHINGTON — Perú signs a deal.".encode("utf-16"))
    expected = {
        "binary.txt": "binary file",
        "nul.txt": "NUL byte",
        "empty.txt": "empty file",
        "blank.txt": "only whitespace",
        "big.txt": "over the",
        "deep.html": "more than 1000 levels deep",
        "loop.txt": "symlink loop",
        "escape.txt": "outside the input folder",
    }
    (folder / "binary.txt").write_bytes(bytes(range(1, 256)) * 8)
    (folder / "nul.txt").write_bytes(b"Peru\x00buys")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.txt").write_text(" \n\t \n")
    (folder / "big.txt").write_text("Peru buys tanks. " * 15_000)
    (folder / "deep.html").write_text("<div>" * 10_000 + "Peru" + "</div>" * 10_000)
    (folder / "zz_copy.txt").write_text(GOOD)  # same text as good.txt: read, then "unchanged" in the run
    os.symlink("loop.txt", folder / "loop.txt")
    secret = root / "outside.txt"
    secret.write_text("not for the ETL")
    os.symlink(secret, folder / "escape.txt")
    (folder / "lines.jsonl").write_text(
        "\n".join(
            [
                json.dumps({"text": GOOD, "title": "one"}),
                '{"text": "broken',
                "[" * 5_000,
                json.dumps({"text": "Peru\u0000buys"}),
                json.dumps({"text": "BOGOTA (Reuters) - Colombia bought two helicopters.", "title": "two"}),
            ]
        )
    )
    (folder / "manifest.csv").write_text(
        "file,publisher,title,url,published,byline\n"
        "good.txt,AP,Radars,,2014-02-30,\n"  # impossible date: left out, the file still loads
        "good.html,AP\n"  # missing columns
        "../outside.txt,X,,,,\n"  # escapes the folder
        "gone.txt,X,,,,\n"
    )
    for name in ("report.pdf", "notes.docx", "README.md"):
        (folder / name).write_bytes(b"%PDF-1.4 not read")
    return expected


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, dict[str, str]]:
    monkeypatch.setenv("ARMSLEDGER_MAX_FILE_BYTES", "200000")
    expected = build_corpus(tmp_path)
    return tmp_path / "in", expected


def test_every_bad_file_is_rejected_with_its_reason_and_good_files_are_read(corpus) -> None:
    folder, expected = corpus
    items = list(iter_documents([folder]))
    docs = [i for i in items if isinstance(i, RawDocument)]
    bad = [i for i in items if isinstance(i, Rejection)]
    read = sorted((Path(d.source_path).name, d.source_line) for d in docs)
    assert read == [
        ("cp1252.txt", None),
        ("good.html", None),
        ("good.txt", None),
        ("latin1.txt", None),
        ("lines.jsonl", 1),
        ("lines.jsonl", 5),
        ("utf16.txt", None),
        ("zz_copy.txt", None),
    ]
    by_file = {Path(r.source_path).name: r.reason for r in bad if r.source_line is None}
    for name, fragment in expected.items():
        assert fragment in by_file.get(name, ""), (name, by_file.get(name))
    lines = {r.source_line: r.reason for r in bad if r.source_path.endswith("lines.jsonl")}
    assert set(lines) == {2, 3, 4} and "invalid JSON" in lines[2] and "NUL" in lines[4]
    manifest = sorted((r.source_line, r.reason) for r in bad if r.source_path.endswith("manifest.csv"))
    assert [line for line, _ in manifest] == [2, 3, 4, 5]
    assert "impossible or unreadable date '2014-02-30'" in manifest[0][1]
    assert "has 2 columns" in manifest[1][1]
    assert "outside the input folders" in manifest[2][1]
    assert "missing file: gone.txt" in manifest[3][1]
    assert not any("Traceback" in r.reason or "\n" in r.reason for r in bad)


def test_decodable_text_loads_with_its_encoding_recorded(corpus) -> None:
    folder, _ = corpus
    docs = {Path(d.source_path).name: d for d in iter_documents([folder]) if isinstance(d, RawDocument)}
    assert docs["latin1.txt"].text.startswith("Lima, Perú: el Ejército")
    assert docs["latin1.txt"].meta["encoding"] == "latin-1"
    assert docs["cp1252.txt"].text == "The \u201cTriad\u201d bid \u2014 Lima."
    assert docs["cp1252.txt"].meta["encoding"] == "windows-1252"
    assert docs["utf16.txt"].meta["encoding"] == "utf-16"
    assert "encoding" not in docs["good.txt"].meta
    assert "published" not in docs["good.txt"].meta  # the impossible date is left out
    assert docs["good.txt"].meta["publisher"] == "AP"


def test_files_of_other_types_are_listed_as_skipped(corpus) -> None:
    folder, _ = corpus
    skipped = {Path(p).name: reason for p, reason in skipped_files([folder])}
    assert set(skipped) == {"report.pdf", "notes.docx", "README.md"}
    assert all("not a file type the ETL reads" in r for r in skipped.values())


def test_unreadable_file_is_rejected(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads files whatever their permissions")
    path = tmp_path / "locked.txt"
    path.write_text(GOOD)
    path.chmod(0)
    [rejection] = iter_documents([path])
    assert rejection.reason == "unreadable file: Permission denied"


def test_html_depth_is_counted_in_one_pass() -> None:
    assert html_depth("<div><p>a<p>b<br><img src=x></div>") == 1
    assert html_depth("<div>" * 50 + "</div>" * 50) == 50
    assert html_depth("<b>" * 5000, limit=100) == 101  # stops once past the limit


def test_etl_run_on_the_hostile_corpus_loads_the_good_files_and_lists_the_rest(
    corpus, db_url: str, engine
) -> None:
    from sqlalchemy import text
    from typer.testing import CliRunner

    from etl.cli import app
    from etl.settings import libpq_url

    folder, expected = corpus
    result = CliRunner().invoke(
        app, ["etl", "run", str(folder), "--json"], env={"DATABASE_URL": libpq_url(db_url), "COLUMNS": "200"}
    )
    assert result.exit_code == 1, result.output
    summary = json.loads(result.stdout)
    rejected = {(Path(r["path"]).name, r["line"]) for r in summary["rejected"]}
    assert {(name, None) for name in expected} <= rejected
    assert {("lines.jsonl", 2), ("lines.jsonl", 3), ("lines.jsonl", 4)} <= rejected
    assert {Path(s["path"]).name for s in summary["skipped"]} == {"report.pdf", "notes.docx", "README.md"}
    assert summary["loaded"] + summary["unchanged"] == 8  # 7 files + 1 good JSON line beyond the first
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT count(*) FROM articles")).scalar_one()
        encodings = dict(conn.execute(text(
            "SELECT a.source_file, p.method FROM article_provenance p JOIN articles a ON a.id = p.article_id "
            "WHERE p.field = 'encoding'"
        )).all())
    assert stored == summary["loaded"] >= 6
    assert encodings.get("latin1.txt") == "latin-1" and "good.txt" not in encodings
    table = CliRunner().invoke(app, ["etl", "run", str(folder)], env={"DATABASE_URL": libpq_url(db_url)})
    assert "Skipped files (not read)" in table.output and "not a file type the ETL reads" in table.output
