"""The benchmark runs end to end on a small corpus and reports every figure it promises."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from benchmarks.memory import MemoryTrace, Sample, growth, pace
from benchmarks.run import _reasons, main
from etl.records import Rejection
from queries.catalog import catalog

KEYS = {
    "articles", "megabytes", "etl_seconds", "articles_per_s", "stage_seconds", "peak_rss_mb", "copy_seconds",
    "load_vs_copy", "to_sql_vs_load", "orm_vs_load", "rerun_vs_first", "query_ms",
    "summary_seconds", "finalize_seconds", "copy_unchecked_seconds", "load_vs_copy_unchecked",
    "copy_derived_seconds", "load_vs_copy_loaded_tables", "writes_vs_copy",
    "pss_mb_by_tenth", "pss_growth_kb_per_article", "main_pss_growth_kb_per_article", "pss_projected_mb_at_1m",
    "memory_samples", "syndication_seconds", "load_cpu_seconds", "load_without_syndication_vs_copy",
    "ms_per_article_by_tenth", "last_vs_first_tenth", "worker_idle_seconds",
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
    load = figures["stage_seconds"]["load"]
    assert 0 < figures["syndication_seconds"] < load and 0 < figures["load_cpu_seconds"] < load  # parts of the load
    assert figures["load_without_syndication_vs_copy"] <= figures["load_vs_copy_loaded_tables"]  # rounded
    assert figures["memory_samples"] >= 1 and len(figures["pss_mb_by_tenth"]) == 10  # sampled from the start
    assert 0 < max(v or 0 for v in figures["pss_mb_by_tenth"]) <= figures["peak_pss_mb"]
    assert len(figures["ms_per_article_by_tenth"]) == 10
    assert 0 <= figures["worker_idle_seconds"] < 2 * figures["etl_seconds"]  # two workers at most


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


def _trace(samples: list[tuple[int, float, float]], peak_pss: float, workers: int = 2) -> MemoryTrace:
    return MemoryTrace(pid=0, peak_pss=peak_pss, samples=[Sample(*s, 1 + workers) for s in samples])


def test_memory_growth_is_the_slope_of_the_second_half_by_articles() -> None:
    # the first half grows fast (caches filling), the second by 1 MB per 1,000 articles; the main
    # process alone is flat there
    samples = [(0, 100.0, 50.0), (2000, 160.0, 80.0), (4000, 200.0, 90.0)]
    samples += [(5000 + 1000 * i, 210.0 + i, 90.0) for i in range(6)]
    figures = growth(_trace(samples, peak_pss=215.0), articles=10000)
    assert figures["pss_growth_kb_per_article"] == 1.024  # 1 MB per 1,000 articles
    assert figures["main_pss_growth_kb_per_article"] == 0.0
    assert figures["pss_projected_mb_at_1m"] == 215.0 + 990.0  # the same slope for 990,000 more articles
    assert figures["pss_mb_by_tenth"] == [100.0, None, 160.0, None, 200.0, 210.0, 211.0, 212.0, 213.0, 215.0]
    assert figures["memory_samples"] == len(figures["memory_trace"]) == 9
    assert figures["memory_trace"][-1] == [10000, 215.0, 90.0, 3, 0.0]


def test_memory_growth_leaves_out_the_samples_after_the_workers_exit() -> None:
    # flat while the workers run; at the end the main process finishes alone, at the final count
    trace = _trace([(5000 + 1000 * i, 250.0, 100.0) for i in range(6)], peak_pss=250.0)
    trace.samples += [Sample(10000, 150.0, 130.0, 1) for _ in range(12)]
    figures = growth(trace, articles=10000)
    assert figures["pss_growth_kb_per_article"] == figures["main_pss_growth_kb_per_article"] == 0.0
    assert figures["pss_projected_mb_at_1m"] == 250.0


def test_memory_growth_needs_samples_in_the_second_half_and_never_projects_a_shrink() -> None:
    few = growth(_trace([(0, 100.0, 50.0), (9000, 120.0, 60.0)], peak_pss=120.0), articles=10000)
    assert few["pss_growth_kb_per_article"] is None and few["pss_projected_mb_at_1m"] is None
    falling = [(5000 + 1000 * i, 300.0 - i, 90.0) for i in range(5)]  # e.g. a cache emptied
    shrinking = growth(_trace(falling, peak_pss=300.0), articles=10000)
    assert shrinking["pss_growth_kb_per_article"] < 0 and shrinking["pss_projected_mb_at_1m"] == 300.0


def test_pace_is_wall_time_per_article_in_each_tenth_interpolated_between_samples() -> None:
    # 1,000 articles: 2 s per 100 for the first half, then 4 s per 100; samples every 150 articles
    # or so, never on a tenth's bound, and the final count held while the run finishes
    def at(n: int) -> float:
        return 0.02 * n if n <= 500 else 10.0 + 0.04 * (n - 500)

    samples = [Sample(n, 100.0, 50.0, 3, at(n)) for n in (0, 130, 290, 440, 580, 730, 880, 1000)]
    samples += [Sample(1000, 100.0, 50.0, 1, at(1000) + k) for k in (30.0, 60.0)]
    figures = pace(samples)
    assert figures["ms_per_article_by_tenth"][:4] == [20.0, 20.0, 20.0, 20.0]
    assert figures["ms_per_article_by_tenth"][6:] == [40.0, 40.0, 40.0, 40.0]
    assert 20.0 <= figures["ms_per_article_by_tenth"][4] <= figures["ms_per_article_by_tenth"][5] <= 40.0
    assert figures["last_vs_first_tenth"] == 2.0


def test_pace_is_unknown_without_samples_past_a_bound() -> None:
    figures = pace([Sample(0, 100.0, 50.0, 3, 0.0), Sample(4, 100.0, 50.0, 3, 5.0)])
    assert figures == {"ms_per_article_by_tenth": [None] * 10, "last_vs_first_tenth": None}
    short = pace([Sample(0, 100.0, 50.0, 3, 0.0), Sample(500, 100.0, 50.0, 3, 5.0), Sample(1000, 1.0, 1.0, 1, 9.0)])
    assert short["ms_per_article_by_tenth"] == [10.0] * 5 + [8.0] * 5 and short["last_vs_first_tenth"] == 0.8
