"""The benchmark runs end to end on a small corpus and reports every figure it promises."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from benchmarks.run import _reasons, main
from etl.records import Rejection
from queries.catalog import catalog

KEYS = {
    "articles", "megabytes", "etl_seconds", "articles_per_s", "stage_seconds", "peak_rss_mb", "copy_seconds",
    "load_vs_copy", "to_sql_vs_load", "orm_vs_load", "rerun_vs_first", "query_ms",
    "summary_seconds", "finalize_seconds", "copy_unchecked_seconds", "load_vs_copy_unchecked",
    "copy_derived_seconds", "load_vs_copy_loaded_tables", "writes_vs_copy",
}  # fmt: skip


def test_benchmark_reports_every_figure_and_loads_what_was_generated(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    work_dirs = set(Path(tempfile.gettempdir()).glob("armsledger-bench-*"))
    main(["--articles", "30", "--workers", "2", "--baseline-rows", "300", "--query-runs", "2", "--json", str(out)])
    figures = json.loads(out.read_text())
    assert set(Path(tempfile.gettempdir()).glob("armsledger-bench-*")) == work_dirs  # its files are gone
    assert set(figures) >= KEYS
    assert set(figures["stage_seconds"]) == {"extract", "transform", "load"}
    assert figures["stored_articles"] == figures["expected_articles"] == figures["loaded"]
    assert figures["rejected"] == 0 and figures["rerun_unchanged"] == figures["articles"]
    assert figures["rejection_reasons"] == {}
    assert set(figures["query_ms"]) == set(catalog())
    assert all(q["p50"] > 0 and q["p95"] >= q["p50"] for q in figures["query_ms"].values())
    assert figures["etl_seconds"] > 0 and figures["copy_seconds"] > 0 and figures["peak_rss_mb"] > 0
    assert figures["copy_unchecked_seconds"] > 0  # the checked COPY above went through: the rows keep every key
    assert 0 < figures["copy_derived_seconds"] < figures["copy_seconds"]  # summary rows are part of the COPY


def test_rejection_reasons_are_counted_with_their_first_file() -> None:
    rejections = [
        Rejection("a.txt", "empty file"),
        Rejection("b.html", "took longer than 30 s"),
        Rejection("c.txt", "empty file"),
    ]
    assert _reasons(rejections) == {
        "empty file": {"count": 2, "first": "a.txt"},
        "took longer than 30 s": {"count": 1, "first": "b.html"},
    }
