"""End-to-end ETL benchmark on a fresh database, with baselines measured in the same run.

    python -m benchmarks.run --articles N [--workers W] [--json FILE] [--keep]

Generates N synthetic articles (benchmarks/generate_corpus.py), starts a throwaway Postgres
cluster, migrates a fresh database and runs the whole ETL (read, clean, extract, load,
syndication, finalize) as a user does: ``armsledger etl run --json`` in a process of its own,
whose memory (with its workers') is the ETL's, not this harness's (pandas and the generator).
Then, on the very rows the ETL wrote: a raw ``COPY`` into the same empty tables (the physical
limit; timed with their foreign keys checked, as the ETL's load pays them, and with triggers
off), pandas ``DataFrame.to_sql`` and per-row ORM inserts (what a user would write instead;
timed on a sample of ``--baseline-rows`` rows and scaled per row), an unchanged re-run, and
every catalogue query (20 warm runs each). Prints a table and writes JSON.
Nothing here passes or fails; these machines are shared, so compare ratios within one run.
The JSON lists the reasons of the run's rejections (counted per reason, with the first file of
each). ``--keep`` leaves the cluster running, with the loaded database, and prints its URL.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, create_engine, pool, text
from sqlalchemy.orm import Session

from benchmarks.generate_corpus import distinct_stories, generate
from benchmarks.memory import MemoryTrace, articles_loaded, growth
from etl.commands.db import migrate
from etl.embedded import Cluster, find_bindir
from etl.load.summaries import SUMMARY_TABLES
from etl.records import Rejection
from etl.settings import libpq_url
from models import Base
from queries.catalog import catalog

SKIP_TABLES = {"etl_runs", "rejected_inputs"}
# Tables a run writes after its load stage (summaries during the run and at its end, discrepancies
# at its end): the load stage is compared with the COPY of the other tables, and the whole of the
# writing (load, summaries, finalize) with the COPY of all of them.
DERIVED_TABLES = {*SUMMARY_TABLES, "discrepancies"}
QUERY_RUNS = 20
ARMSLEDGER = Path(sys.executable).parent / "armsledger"


def _say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _fresh_db(cluster: Cluster, name: str) -> str:
    url = cluster.url().rsplit("/", 1)[0] + f"/{name}"
    admin = create_engine(cluster.url(), poolclass=pool.NullPool, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')  # constant names only
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    migrate(url)
    return url


def _tables() -> list:
    return [t for t in Base.metadata.sorted_tables if t.name not in SKIP_TABLES]


def _dump(engine: Engine, tables: list | None = None) -> dict[str, tuple[list[str], bytes, int]]:
    """Every row the ETL wrote, per table, as COPY text (columns, data, row count)."""
    out = {}
    with engine.connect() as conn:
        raw = conn.connection.driver_connection
        for table in tables or _tables():
            cols = [c.name for c in table.columns]
            buf = io.BytesIO()
            with raw.cursor() as cur, cur.copy(f'COPY "{table.name}" TO STDOUT') as copy:
                for chunk in copy:
                    buf.write(chunk)
            rows = conn.execute(text(f'SELECT count(*) FROM "{table.name}"')).scalar_one()  # noqa: S608
            out[table.name] = (cols, buf.getvalue(), rows)
    return out


def _truncate(engine: Engine) -> None:
    with engine.begin() as conn:
        names = ", ".join(f'"{t.name}"' for t in _tables())
        conn.exec_driver_sql(f"TRUNCATE {names} CASCADE")


def _copy_seconds(engine: Engine, dump: dict, runs: dict, checked: bool = True) -> tuple[float, float]:
    """Seconds to COPY ``dump`` into the empty tables of ``engine``, parents first, and of those the
    seconds of the :data:`DERIVED_TABLES`' COPYs.

    ``checked``: with the tables' constraints and foreign keys checked, as for any writer of
    these tables (the ETL's own load pays them); otherwise with triggers off
    (``session_replication_role = replica``, which needs a superuser). ``runs``: the dump of
    ``etl_runs``, which the articles reference; it is written first and not timed (the ETL writes
    its run row before it loads)."""
    _truncate(engine)
    with engine.begin() as conn:
        if not conn.execute(text("SELECT EXISTS (SELECT 1 FROM etl_runs)")).scalar_one():
            with conn.connection.driver_connection.cursor() as cur, cur.copy('COPY "etl_runs" FROM STDIN') as copy:
                copy.write(runs["etl_runs"][1])
    derived = 0.0
    began = time.perf_counter()
    with engine.begin() as conn:
        if not checked:
            conn.exec_driver_sql("SET session_replication_role = replica")
        raw = conn.connection.driver_connection
        with raw.cursor() as cur:
            for table in _tables():
                started = time.perf_counter()
                with cur.copy(f'COPY "{table.name}" FROM STDIN') as copy:
                    copy.write(dump[table.name][1])
                if table.name in DERIVED_TABLES:
                    derived += time.perf_counter() - started
    return time.perf_counter() - began, derived


def _sample(engine: Engine, dump: dict, budget: int) -> dict[str, pd.DataFrame]:
    """Up to ``budget`` rows in all, spread over the tables in proportion to their size."""
    total = sum(rows for _, _, rows in dump.values()) or 1
    frames = {}
    with engine.connect() as conn:
        for table in _tables():
            n = max(1, dump[table.name][2] * budget // total)
            frames[table.name] = pd.read_sql(text(f'SELECT * FROM "{table.name}" LIMIT {int(n)}'), conn)  # noqa: S608
    return frames


def _to_sql_seconds(engine: Engine, frames: dict[str, pd.DataFrame]) -> float:
    _truncate(engine)
    began = time.perf_counter()
    with engine.begin() as conn:
        conn.exec_driver_sql("SET session_replication_role = replica")  # a sample lacks parents: keys off
        for table in _tables():
            types = {c.name: c.type for c in table.columns}
            frames[table.name].to_sql(table.name, conn, if_exists="append", index=False, dtype=types)
    return time.perf_counter() - began


def _orm_seconds(engine: Engine, frames: dict[str, pd.DataFrame]) -> float:
    _truncate(engine)
    mappers = {m.local_table.name: m.class_ for m in Base.registry.mappers}
    began = time.perf_counter()
    with Session(engine) as session:
        session.execute(text("SET session_replication_role = replica"))
        for name, frame in frames.items():
            model = mappers[name]
            for row in frame.astype(object).where(frame.notna(), None).to_dict("records"):
                session.add(model(**row))
                session.flush()  # one INSERT per row, as a naive loader does
        session.commit()
    return time.perf_counter() - began


def _query_ms(engine: Engine, runs: int = QUERY_RUNS) -> dict[str, dict[str, float]]:
    with engine.connect() as conn:
        top = conn.execute(
            text("SELECT e.name FROM mentions m JOIN entities e ON e.id = m.entity_id GROUP BY e.name ORDER BY count(*) DESC LIMIT 1")  # noqa: E501
        ).scalar()
        raw = conn.connection.driver_connection
        out = {}
        for name, query in sorted(catalog().items()):
            values = {p.name: top for p in query.params if p.required}
            sql, params = query.bind(values)
            times = []
            for i in range(runs + 2):
                began = time.perf_counter()
                with raw.cursor() as cur:
                    cur.execute(sql, params)
                    cur.fetchall()
                if i >= 2:  # two warm-up runs
                    times.append((time.perf_counter() - began) * 1000)
            times.sort()
            p95 = times[max(0, round(0.95 * len(times)) - 1)]
            out[name] = {"p50": round(statistics.median(times), 2), "p95": round(p95, 2)}
        raw.rollback()
    return out


@dataclass
class EtlRun:
    """What one ``armsledger etl run --json`` did, and its wall time and peak memory."""

    summary: dict
    seconds: float
    memory: MemoryTrace

    @property
    def rejections(self) -> list[Rejection]:
        return [Rejection(r["path"], r["reason"], r["line"]) for r in self.summary["rejected"]]

    def stage(self, name: str) -> float:
        return float(self.summary["stage_seconds"].get(name, 0.0))


def etl_run(url: str, corpus: Path, workers: int, engine: Engine | None = None) -> EtlRun:
    """Run the ETL as a user does, in a process of its own, and measure that process tree (and,
    given ``engine``, its memory against the articles it has committed)."""
    env = {**os.environ, "DATABASE_URL": libpq_url(url)}
    command = [str(ARMSLEDGER), "etl", "run", str(corpus), "--json", "--workers", str(workers)]
    began = time.perf_counter()
    proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with MemoryTrace(proc.pid, articles_loaded(engine) if engine is not None else None) as memory:
        out, err = proc.communicate()
    seconds = time.perf_counter() - began
    if proc.returncode not in (0, 1):  # 1: some input was rejected, which the figures report
        raise SystemExit(f"etl run failed (exit {proc.returncode}): {err.strip()[-500:]}")
    return EtlRun(json.loads(out), seconds, memory)


def _reasons(rejections: list[Rejection]) -> dict[str, dict[str, int | str]]:
    """Each distinct rejection reason: how many inputs gave it and the first of them."""
    out: dict[str, dict[str, int | str]] = {}
    for r in rejections:
        seen = out.setdefault(r.reason, {"count": 0, "first": r.source_path})
        seen["count"] = int(seen["count"]) + 1
    return out


def run(
    articles: int, workers: int, baseline_rows: int, work: Path, query_runs: int = QUERY_RUNS, keep: bool = False
) -> dict:
    corpus = work / "corpus"
    files = generate(corpus, articles)
    megabytes = sum(f.stat().st_size for f in files) / 1e6
    cluster = Cluster(work / "home", find_bindir())
    cluster.start()
    try:
        url = _fresh_db(cluster, "bench")
        engine = create_engine(url, poolclass=pool.NullPool)
        first = etl_run(url, corpus, workers, engine)
        etl_seconds = first.seconds
        _say(f"first load: {etl_seconds:.1f} s")
        again = etl_run(url, corpus, workers)
        rerun_seconds = again.seconds
        with engine.connect() as conn:
            stored = conn.execute(text("SELECT count(*) FROM articles")).scalar_one()
        _say(f"re-run: {rerun_seconds:.1f} s")
        queries = _query_ms(engine, query_runs)
        _say("queries timed")
        dump = _dump(engine)
        rows = sum(r for _, _, r in dump.values())
        baseline = create_engine(_fresh_db(cluster, "baseline"), poolclass=pool.NullPool)
        runs = _dump(engine, [Base.metadata.tables["etl_runs"]])
        copy_seconds, copy_derived = _copy_seconds(baseline, dump, runs, checked=True)
        unchecked_seconds, _ = _copy_seconds(baseline, dump, runs, checked=False)
        frames = _sample(engine, dump, baseline_rows)
        sampled = sum(len(f) for f in frames.values())
        _say(f"COPY: {copy_seconds:.2f} s (foreign keys checked), {unchecked_seconds:.2f} s (triggers off)")
        to_sql_seconds = _to_sql_seconds(baseline, frames) * rows / sampled
        _say("to_sql timed")
        orm_seconds = _orm_seconds(baseline, frames) * rows / sampled
        engine.dispose()
        baseline.dispose()
        if keep:
            _say(f"kept: {engine.url.render_as_string(hide_password=False)} (data in {cluster.data_dir})")
    finally:
        if not keep:
            cluster.destroy()
    load = first.stage("load")
    copy_loaded = copy_seconds - copy_derived  # the COPY of the tables the load stage writes
    writes = load + first.stage("summaries") + first.stage("finalize")
    return {
        "articles": articles,
        "files": len(files),
        "megabytes": round(megabytes, 2),
        "workers": workers,
        "expected_articles": distinct_stories(articles),
        "stored_articles": stored,
        "loaded": first.summary["loaded"],
        "unchanged": first.summary["unchanged"],
        "rejected": len(first.rejections),
        "rejection_reasons": _reasons(first.rejections),
        "rows_written": rows,
        "etl_seconds": round(etl_seconds, 2),
        "articles_per_s": round(articles / etl_seconds, 2),
        "ms_per_article": round(1000 * etl_seconds / articles, 2),
        "stage_seconds": {k: round(first.stage(k), 2) for k in ("extract", "transform", "load")},
        # parts of the load: the syndication lookups; the writer thread's own CPU (the rest of
        # the load's seconds is the database's work and waiting for it, or for a core)
        "syndication_seconds": round(first.stage("syndication"), 3),
        "load_cpu_seconds": round(first.stage("load_cpu"), 3),
        # the workers' seconds waiting for their next document (summed over workers): a writer that
        # falls behind (a summary refresh) shows here
        "worker_idle_seconds": round(first.stage("idle"), 2),
        "summary_seconds": round(first.stage("summaries"), 2),
        "finalize_seconds": round(first.stage("finalize"), 2),
        "peak_rss_mb": round(first.memory.peak, 1),
        "peak_pss_mb": round(first.memory.peak_pss, 1),
        **growth(first.memory, articles),
        "copy_seconds": round(copy_seconds, 3),
        "copy_unchecked_seconds": round(unchecked_seconds, 3),
        "to_sql_seconds": round(to_sql_seconds, 2),
        "orm_seconds": round(orm_seconds, 2),
        "baseline_sample_rows": sampled,
        "load_vs_copy": round(load / copy_seconds, 2) if copy_seconds else None,
        "load_vs_copy_unchecked": round(load / unchecked_seconds, 2) if unchecked_seconds else None,
        "copy_derived_seconds": round(copy_derived, 3),
        "load_vs_copy_loaded_tables": round(load / copy_loaded, 2),
        # the same without the syndication lookups, which no COPY does (the issue lists them as a
        # stage of their own); reported beside the measure above, not instead of it
        "load_without_syndication_vs_copy": round((load - first.stage("syndication")) / copy_loaded, 2),
        "writes_vs_copy": round(writes / copy_seconds, 2),
        "to_sql_vs_load": round(to_sql_seconds / load, 2) if load else None,
        "orm_vs_load": round(orm_seconds / load, 2) if load else None,
        "rerun_seconds": round(rerun_seconds, 2),
        "rerun_unchanged": again.summary["unchanged"],
        "rerun_vs_first": round(rerun_seconds / etl_seconds, 4),
        "query_ms": queries,
    }


def _print(r: dict) -> None:
    lines = [
        ("articles (files, MB)", f"{r['articles']} ({r['files']}, {r['megabytes']})"),
        ("workers", r["workers"]),
        ("stored / expected articles", f"{r['stored_articles']} / {r['expected_articles']}"),
        ("ETL seconds", r["etl_seconds"]),
        ("articles/s", r["articles_per_s"]),
        ("ms/article", r["ms_per_article"]),
        ("stage s (extract/transform/load)", "/".join(str(v) for v in r["stage_seconds"].values())),
        ("of the load: syndication lookups / writer CPU s", f"{r['syndication_seconds']} / {r['load_cpu_seconds']}"),
        ("summaries during the run / finalize s", f"{r['summary_seconds']} / {r['finalize_seconds']}"),
        ("workers waiting for their next document s", r["worker_idle_seconds"]),
        ("peak RSS MB (all processes)", r["peak_rss_mb"]),
        ("peak PSS MB (shared pages once)", r["peak_pss_mb"]),
        ("peak PSS MB by tenth of the articles", " ".join(str(v) for v in r["pss_mb_by_tenth"])),
        ("wall ms/article by tenth of the articles", " ".join(str(v) for v in r["ms_per_article_by_tenth"])),
        ("... last tenth / first tenth", r["last_vs_first_tenth"]),
        ("PSS growth KB/article, second half", r["pss_growth_kb_per_article"]),
        ("... of the main process", r["main_pss_growth_kb_per_article"]),
        ("peak PSS MB at 1M at that growth", r["pss_projected_mb_at_1m"]),
        ("rows written", r["rows_written"]),
        ("raw COPY s (keys checked / triggers off)", f"{r['copy_seconds']} / {r['copy_unchecked_seconds']}"),
        ("load / COPY (keys checked / triggers off)", f"{r['load_vs_copy']} / {r['load_vs_copy_unchecked']}"),
        ("of the COPY: summary and discrepancy tables s", r["copy_derived_seconds"]),
        ("load / COPY of the tables it writes", r["load_vs_copy_loaded_tables"]),
        ("... without the syndication lookups", r["load_without_syndication_vs_copy"]),
        ("load+summaries+finalize / COPY", r["writes_vs_copy"]),
        ("to_sql / load", r["to_sql_vs_load"]),
        ("ORM / load", r["orm_vs_load"]),
        ("re-run / first", r["rerun_vs_first"]),
    ]
    width = max(len(k) for k, _ in lines)
    for key, value in lines:
        print(f"{key:<{width}}  {value}")
    print(f"\n{'query':<24}{'p50 ms':>10}{'p95 ms':>10}")
    for name, q in r["query_ms"].items():
        print(f"{name:<24}{q['p50']:>10}{q['p95']:>10}")


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--baseline-rows", type=int, default=20000, help="rows timed for to_sql and ORM")
    parser.add_argument("--query-runs", type=int, default=QUERY_RUNS, help="warm runs of each catalogue query")
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--keep", action="store_true", help="leave the cluster and its database running")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="armsledger-bench-"))
    work.chmod(0o755)
    try:
        result = run(args.articles, args.workers, args.baseline_rows, work, args.query_runs, args.keep)
    finally:
        if not args.keep:  # the generated corpus and the cluster's files
            shutil.rmtree(work, ignore_errors=True)
    _print(result)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return result


if __name__ == "__main__":
    main()
