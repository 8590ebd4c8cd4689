"""Reading inputs: files, directories, manifests, JSON lines and every kind of bad input."""

from __future__ import annotations

import json
from pathlib import Path

from etl.extract.readers import iter_documents
from etl.records import RawDocument, Rejection

SEEDS = Path(__file__).resolve().parents[2] / "data" / "seeds"


def _split(items: list[RawDocument | Rejection]) -> tuple[list[RawDocument], list[Rejection]]:
    return [i for i in items if isinstance(i, RawDocument)], [i for i in items if isinstance(i, Rejection)]


def test_seed_directory_uses_its_manifest_and_skips_it():
    docs, bad = _split(list(iter_documents([SEEDS])))
    assert not bad
    assert [Path(d.source_path).name[:3] for d in docs] == ["000", "001", "002", "003", "004"]
    assert all(d.kind == "txt" and d.text and d.html is None for d in docs)
    reuters = docs[2]
    assert reuters.meta["publisher"] == "Reuters"
    assert reuters.meta["byline"] == "David Alexander"
    assert reuters.meta_origin["published"] == "manifest"
    assert "url" not in docs[0].meta  # blank manifest cells are not values


def test_files_given_one_by_one_have_no_manifest_meta():
    docs, _ = _split(list(iter_documents(sorted(SEEDS.glob("*.txt")))))
    assert len(docs) == 5 and all(d.meta == {} for d in docs)


def test_explicit_manifest_wins(tmp_path: Path):
    (tmp_path / "a.txt").write_text("Peru buys radars\n\nLIMA -- Peru bought radars.\n")
    (tmp_path / "manifest.csv").write_text("file,publisher\na.txt,Discovered Post\n")
    other = tmp_path / "elsewhere" / "manifest.csv"
    other.parent.mkdir()
    other.write_text("file,publisher,title\n../a.txt,Explicit Times,Radar deal\n")
    docs, _ = _split(list(iter_documents([tmp_path], manifest=other)))
    assert len(docs) == 1  # the second manifest.csv inside the tree is not an article either
    assert docs[0].meta == {"publisher": "Explicit Times", "title": "Radar deal"}


def test_manifest_row_naming_missing_file(tmp_path: Path):
    (tmp_path / "a.txt").write_text("Some text here.")
    (tmp_path / "manifest.csv").write_text("file,publisher\na.txt,X\nfoo.txt,Y\n")
    docs, bad = _split(list(iter_documents([tmp_path])))
    assert len(docs) == 1 and docs[0].meta == {"publisher": "X"}
    assert bad == [
        Rejection(str(tmp_path / "manifest.csv"), "manifest row 3 names a missing file: foo.txt", 3)
    ]


def test_bad_files_are_rejected_with_reasons(tmp_path: Path):
    (tmp_path / "binary.txt").write_bytes(b"hello\x00world")
    (tmp_path / "latin1.txt").write_bytes("Lima, Perú".encode("latin-1") + b"\x81")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.html").write_text(" \n\t\n")
    (tmp_path / "big.txt").write_text("x" * 2_500)
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    items = list(iter_documents([tmp_path], max_bytes=2_000))
    reasons = {Path(r.source_path).name: r.reason for r in items if isinstance(r, Rejection)}
    assert reasons == {
        "big.txt": "file is 2.5 kB, over the 2.0 kB limit",
        "binary.txt": "binary file (NUL byte at offset 5)",
        "blank.html": "file contains only whitespace",
        "empty.txt": "empty file",
        "latin1.txt": "not valid UTF-8 at byte 9, nor Latin-1/Windows-1252 text",
    }
    assert len(items) == 5  # notes.pdf inside a directory is skipped (and listed by skipped_files)


def test_size_message_in_megabytes(tmp_path: Path):
    (tmp_path / "big.txt").write_text("x" * 7_200_000)
    [rej] = iter_documents([tmp_path / "big.txt"])
    assert rej.reason == "file is 7.2 MB, over the 5.0 MB limit"


def test_explicit_unsupported_or_missing_paths_are_rejected(tmp_path: Path):
    pdf = tmp_path / "notes.pdf"
    pdf.write_bytes(b"%PDF")
    items = list(iter_documents([pdf, tmp_path / "gone.txt"]))
    assert [type(i) for i in items] == [Rejection, Rejection]
    assert "unsupported file type '.pdf'" in items[0].reason
    assert items[1].reason.startswith("unreadable file")


def test_bom_and_utf16_are_decoded(tmp_path: Path):
    (tmp_path / "a.txt").write_bytes("\ufeffLIMA — Perú".encode())
    (tmp_path / "b.txt").write_bytes("LIMA — Perú".encode("utf-16"))
    docs, bad = _split(list(iter_documents([tmp_path])))
    assert not bad
    assert [d.text for d in docs] == ["LIMA — Perú", "LIMA — Perú"]


def test_jsonl_lines_good_and_bad(tmp_path: Path):
    lines = [
        json.dumps({"text": "LIMA (Reuters) - Peru signs.", "title": "Peru signs", "publisher": "Reuters"}),
        '{"text": "broken" "title": 1}',
        "",
        json.dumps({"html": "<p>WASHINGTON (AP) — A deal.</p>", "url": "https://apnews.com/x", "byline": ""}),
        json.dumps({"title": "no body"}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"text": "   "}),
    ]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines) + "\n")
    docs, bad = _split(list(iter_documents([path])))
    assert [(d.source_line, d.text is not None, d.html is not None) for d in docs] == [
        (1, True, False),
        (4, False, True),
    ]
    assert docs[0].kind == "jsonl" and docs[0].meta_origin == {"title": "jsonl", "publisher": "jsonl"}
    assert docs[1].meta == {"url": "https://apnews.com/x"}  # empty byline dropped
    assert [(r.source_line, r.reason) for r in bad] == [
        (2, "line 2: invalid JSON: Expecting ',' delimiter"),
        (5, "line 5: no non-empty 'text' or 'html' field"),
        (6, "line 6: expected a JSON object, got list"),
        (7, "line 7: no non-empty 'text' or 'html' field"),
    ]


def test_jsonl_values_override_manifest(tmp_path: Path):
    (tmp_path / "b.jsonl").write_text(json.dumps({"text": "Body text.", "publisher": "AFP"}) + "\n")
    (tmp_path / "manifest.csv").write_text("file,publisher,url\nb.jsonl,Manifest News,https://x.test/1\n")
    [doc] = iter_documents([tmp_path])
    assert doc.meta == {"publisher": "AFP", "url": "https://x.test/1"}
    assert doc.meta_origin == {"publisher": "jsonl", "url": "manifest"}


def test_recursive_sorted_walk_and_html(tmp_path: Path):
    (tmp_path / "b").mkdir()
    (tmp_path / "a").mkdir()
    (tmp_path / "b" / "x.htm").write_text("<p>two</p>")
    (tmp_path / "a" / "y.TXT").write_text("one")
    docs, _ = _split(list(iter_documents([tmp_path])))
    assert [(Path(d.source_path).name, d.kind) for d in docs] == [("y.TXT", "txt"), ("x.htm", "html")]
    assert docs[1].html == "<p>two</p>" and docs[1].text is None


def test_manifest_without_file_column_and_duplicates(tmp_path: Path):
    (tmp_path / "a.txt").write_text("Some text here.")
    (tmp_path / "manifest.csv").write_text("name,publisher\na.txt,X\n")
    items = list(iter_documents([tmp_path, tmp_path / "a.txt"]))
    assert [type(i).__name__ for i in items] == ["Rejection", "RawDocument"]
    assert items[0].reason == "manifest has no 'file' column"
