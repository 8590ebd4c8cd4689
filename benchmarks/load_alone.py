"""The load stage alone, against a raw COPY of the very rows it wrote, with where its time goes.

    python -m benchmarks.load_alone --articles N [--repeats R]

In ``benchmarks.run`` the writer shares the cores with the extraction workers, so its seconds
include waiting for a core. Here every article is cleaned and extracted first (not timed) and
the batches the pipeline would hand to the writer are kept; then they are written into a fresh
database through ``load_batch`` alone, with nothing else running, and the same rows are copied
into a second fresh database (``COPY``, parents first), with the tables' foreign keys checked and
with triggers off. Times are medians over ``--repeats`` runs. The load's phases (syndication
lookups, entity ids, mentions, fact upserts and links) are timed by wrapping the bulk writer's
steps. Nothing here passes or fails.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import functools
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import ClassVar

from sqlalchemy import create_engine, pool

import etl.pipeline as pipeline
from benchmarks.generate_corpus import generate
from benchmarks.run import _copy_seconds, _dump, _fresh_db
from etl.embedded import Cluster, find_bindir
from etl.load import bulk, bulk_facts
from etl.load.batch import LoadContext, load_batch
from etl.load.runs import RunHandle
from models import Base

PHASES: list[tuple[object, str, Callable[[tuple], str] | None]] = [
    (bulk, "_stored", None),
    (bulk, "_replace_old", None),
    (bulk.fingerprints, "find_originals", None),
    (bulk.fingerprints, "store_many", None),
    (bulk, "_entity_ids", None),
    (bulk, "_write_mentions", None),
    (bulk, "copy_rows", lambda a: f"copy {a[1]}"),
    (bulk_facts.FactBatch, "add", None),
    (bulk_facts.FactBatch, "load_quotes", None),
    (bulk_facts, "_upsert", lambda a: f"upsert {a[1]}"),
    (bulk_facts, "insert_staged", lambda a: f"links {a[1]}"),
    (bulk_facts, "copy_rows", lambda a: f"copy {a[1]}"),
]


class _Capture:
    """Stands in for the pipeline's batch writer: keeps the batches instead of writing them."""

    batches: ClassVar[list[list]] = []

    def __init__(self, engine, ctx, on_outcomes, **_: object) -> None:
        self.on_outcomes = on_outcomes
        self.seconds = self.summary_seconds = 0.0
        self.recounted = 0

    def submit(self, batch: list) -> None:
        _Capture.batches.append(batch)
        self.on_outcomes(batch, ["loaded"] * len(batch))

    def close(self) -> None:
        pass


@contextlib.contextmanager
def _patched(owner: object, name: str, value: object) -> Iterator[None]:
    old = getattr(owner, name)
    setattr(owner, name, value)
    try:
        yield
    finally:
        setattr(owner, name, old)


@contextlib.contextmanager
def _phase_timers(seconds: collections.Counter) -> Iterator[None]:
    with contextlib.ExitStack() as stack:
        for owner, name, label in PHASES:
            fn = getattr(owner, name)

            def timed(*args, _fn=fn, _name=name, _label=label, **kwargs):
                began = time.perf_counter()
                try:
                    return _fn(*args, **kwargs)
                finally:
                    seconds[_label(args) if _label else _name] += time.perf_counter() - began

            stack.enter_context(_patched(owner, name, functools.wraps(fn)(timed)))
        yield


def _extracted(corpus: Path, cluster: Cluster, workers: int) -> list[list]:
    """The batches the pipeline hands its writer for ``corpus`` (extracted, prepared, not written)."""
    _Capture.batches = []
    engine = create_engine(_fresh_db(cluster, "extract"), poolclass=pool.NullPool)
    with _patched(pipeline, "BatchWriter", _Capture):
        pipeline.run_pipeline([corpus], engine=engine, progress=False, workers=workers)
    engine.dispose()
    return _Capture.batches


def _load(
    cluster: Cluster, batches: list[list], extractor: pipeline.Extractor, version: str, phases: collections.Counter
) -> tuple[float, str]:
    url = _fresh_db(cluster, "load")
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.begin() as conn:
        extractor.sync_reference(conn)
    handle = RunHandle(engine, "load_alone", version)
    ctx = LoadContext(handle.run_id, version, extractor)
    try:
        with engine.connect() as conn, _phase_timers(phases):
            began = time.perf_counter()
            for batch in batches:
                load_batch(conn, batch, ctx)
            seconds = time.perf_counter() - began
    finally:
        handle.release()
        engine.dispose()
    return seconds, url


def run(articles: int, repeats: int, workers: int, work: Path) -> dict:
    corpus = work / "corpus"
    generate(corpus, articles)
    cluster = Cluster(work / "home", find_bindir())
    cluster.start()
    try:
        batches = _extracted(corpus, cluster, workers)
        loads, checked, unchecked = [], [], []
        phases: collections.Counter = collections.Counter()
        extractor = pipeline.Extractor.from_reference(pipeline.REFERENCE_DIR)
        version = pipeline.extractor_version()
        for _ in range(repeats):
            seconds, url = _load(cluster, batches, extractor, version, phases)
            loads.append(seconds)
        source = create_engine(url, poolclass=pool.NullPool)
        dump, runs = _dump(source), _dump(source, [Base.metadata.tables["etl_runs"]])
        source.dispose()
        baseline = create_engine(_fresh_db(cluster, "baseline"), poolclass=pool.NullPool)
        for _ in range(repeats):
            checked.append(_copy_seconds(baseline, dump, runs, checked=True)[0])
            unchecked.append(_copy_seconds(baseline, dump, runs, checked=False)[0])
        baseline.dispose()
    finally:
        cluster.destroy()
    load, copy_checked, copy_unchecked = map(statistics.median, (loads, checked, unchecked))
    return {
        "articles": articles,
        "rows": sum(rows for _, _, rows in dump.values()),
        "load_seconds": round(load, 3),
        "copy_seconds": round(copy_checked, 3),
        "copy_unchecked_seconds": round(copy_unchecked, 3),
        "load_vs_copy": round(load / copy_checked, 2),
        "load_vs_copy_unchecked": round(load / copy_unchecked, 2),
        "phase_seconds": {k: round(v / repeats, 3) for k, v in phases.most_common()},
    }


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2, help="extraction processes (not timed)")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="armsledger-bench-"))
    work.chmod(0o755)
    try:
        result = run(args.articles, args.repeats, args.workers, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{result['articles']} articles, {result['rows']} rows (medians of {args.repeats} runs)")
    print(f"load alone {result['load_seconds']} s")
    print(f"raw COPY   {result['copy_seconds']} s with foreign keys checked, {result['copy_unchecked_seconds']} s off")
    print(f"load / COPY {result['load_vs_copy']} (keys checked), {result['load_vs_copy_unchecked']} (off)")
    print("\nload phase (mean s per run; nested phases overlap)")
    for name, value in result["phase_seconds"].items():
        print(f"  {name:<36}{value:>8}")
    return result


if __name__ == "__main__":
    main()
