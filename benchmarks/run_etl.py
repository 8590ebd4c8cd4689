"""ETL benchmark: throughput, scaling and re-run cost, measured against baselines in the same run.

Prints medians over repeats; nothing here passes or fails. Run:
    .venv/bin/python benchmarks/run_etl.py --count 100 --repeats 3
Baselines (same process, same machine, same moment):
- transform only: cleaning and extraction without the database, so "load" shows the database cost;
- 1x corpus against 4x corpus: per-article time should stay flat (streaming, no quadratic work);
- first load against an unchanged re-run: the re-run should cost a small fraction.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, pool

from benchmarks.generate_corpus import generate
from etl.commands.db import migrate
from etl.embedded import Cluster, find_bindir
from etl.extract.readers import iter_documents
from etl.pipeline import REFERENCE_DIR, run_pipeline
from etl.records import RawDocument
from etl.transform.extraction import Extractor
from etl.transform.metadata import article_from_document


def _transform_only(paths: list[Path]) -> float:
    extractor = Extractor.from_reference(REFERENCE_DIR)
    began = time.perf_counter()
    for doc in iter_documents(paths):
        if isinstance(doc, RawDocument):
            extractor.extract(article_from_document(doc))
    return time.perf_counter() - began


def _load(cluster: Cluster, corpus: Path, name: str) -> tuple[float, float]:
    url = cluster.url().rsplit("/", 1)[0] + f"/{name}"
    admin = create_engine(cluster.url(), poolclass=pool.NullPool, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    migrate(url)
    engine = create_engine(url, poolclass=pool.NullPool)
    began = time.perf_counter()
    first = run_pipeline([corpus], engine=engine, progress=False)
    load = time.perf_counter() - began
    began = time.perf_counter()
    again = run_pipeline([corpus], engine=engine, progress=False)
    rerun = time.perf_counter() - began
    assert again.loaded == 0 and first.loaded > 0
    engine.dispose()
    return load, rerun


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=100, help="articles in the 1x corpus")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="armsledger-bench-"))
    work.chmod(0o755)
    small, large = work / "x1", work / "x4"
    generate(small, args.count)
    generate(large, args.count * 4, seed=11)
    cluster = Cluster(work / "home", find_bindir())
    cluster.start()
    try:
        rows: dict[str, list[float]] = {k: [] for k in ("transform", "load", "rerun", "load4")}
        for i in range(args.repeats):
            rows["transform"].append(_transform_only([small]) / args.count)
            load, rerun = _load(cluster, small, f"bench{i}")
            rows["load"].append(load / args.count)
            rows["rerun"].append(rerun / args.count)
            rows["load4"].append(_load(cluster, large, f"bench4x{i}")[0] / (4 * args.count))
    finally:
        cluster.destroy()
    med = {k: statistics.median(v) * 1000 for k, v in rows.items()}
    print(f"corpus: {args.count} and {4 * args.count} synthetic articles; median of {args.repeats} repeats")
    print(f"{'measure':<34}{'ms/article':>12}{'articles/s':>12}")
    labels = {"transform": "transform only (baseline)", "load": "full load, 1x corpus",
              "load4": "full load, 4x corpus", "rerun": "re-run, unchanged input"}
    for key, label in labels.items():
        print(f"{label:<34}{med[key]:>12.1f}{1000 / med[key]:>12.0f}")
    print(f"ratio load / transform-only: {med['load'] / med['transform']:.2f}  (database share of the work)")
    print(f"ratio 4x / 1x per article:   {med['load4'] / med['load']:.2f}  (1.0 = linear scaling)")
    print(f"ratio re-run / first load:   {med['rerun'] / med['load']:.2f}  (unchanged input is skipped)")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
