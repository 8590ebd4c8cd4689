"""Syndication lookups as the index grows: stock-phrase hashes with and without the posting cap.

    python -m benchmarks.stock_shingles [--originals 10000,50000,200000] [--batch 100] [--repeats 5]

The syndication index (``article_shingles``) is filled with synthetic originals, each holding
``OWN`` hashes of its own and ``STOCK_PER`` of ``STOCK`` shared stock-phrase hashes (what real copy
repeats from story to story: "said in a statement on", a think tank's full name), so a stock
hash's posting list grows with the corpus. A batch of new articles, each with its own hashes and
``NEW_STOCK`` stock ones, is then looked up with ``fingerprints.find_originals`` at each index
size: once as it runs (stock hashes, those of more than ``MAX_POSTINGS`` originals, name no
candidate) and once with that step skipped (every posting list read whole, as before the cap).
Times are medians over ``--repeats`` lookups of the same batch, warm. Nothing passes or fails.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import Engine, create_engine, pool, text

from benchmarks.run import _fresh_db
from etl.embedded import Cluster, find_bindir
from etl.load import fingerprints
from etl.records import CleanArticle

OWN, STOCK, STOCK_PER, NEW_STOCK = 30, 50, 3, 5
START, DAYS = dt.date(2024, 1, 1), 540

FILL = [
    """
    INSERT INTO articles (id, source_path, source_line, source_file, body, content_hash, word_count,
                          extractor_version, published_on)
    SELECT g, 'synthetic/' || g, 0, 'synthetic', 'x', md5(g::text), 1, 'bench', DATE '2024-01-01' + g % 540
    FROM generate_series(CAST(:lo AS int), CAST(:hi AS int)) g
    """,
    """
    INSERT INTO article_fingerprints (article_id, shingle_count, shingles)
    SELECT g, 0, '' FROM generate_series(CAST(:lo AS int), CAST(:hi AS int)) g
    """,
    """
    INSERT INTO article_shingles (article_id, shingle, published_on)
    SELECT g, hashtextextended(g || ':' || k, 0), DATE '2024-01-01' + g % 540
    FROM generate_series(CAST(:lo AS int), CAST(:hi AS int)) g, generate_series(1, CAST(:own AS int)) k
    UNION
    SELECT g, -1 - abs(hashtextextended(g || 's' || j, 0)) % CAST(:stock AS int), DATE '2024-01-01' + g % 540
    FROM generate_series(CAST(:lo AS int), CAST(:hi AS int)) g, generate_series(1, CAST(:per AS int)) j
    """,
]


def _fill(engine: Engine, lo: int, hi: int) -> None:
    with engine.begin() as conn:
        for sql in FILL:
            conn.execute(text(sql), {"lo": lo, "hi": hi, "own": OWN, "stock": STOCK, "per": STOCK_PER})
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE articles, article_fingerprints, article_shingles")


def _batch(size: int, seed: int = 5) -> fingerprints.Batch:
    rng = random.Random(seed)
    out: fingerprints.Batch = []
    for i in range(size):
        own = {rng.getrandbits(63) for _ in range(90 - NEW_STOCK)}
        hashes = own | {-1 - rng.randrange(STOCK) for _ in range(NEW_STOCK)}
        day = START + dt.timedelta(days=rng.randrange(DAYS))
        article = CleanArticle(f"new/{i}", None, "x", f"new-{i}", published_on=day)
        out.append((10**12 + i, article, frozenset(hashes), frozenset(hashes)))
    return out


def _median_ms(engine: Engine, batch: fingerprints.Batch, repeats: int, capped: bool) -> float:
    stock = fingerprints._stock
    if not capped:
        fingerprints._stock = lambda conn, batch: frozenset()  # the lookup as it was before the cap
    try:
        times = []
        with engine.connect() as conn:
            fingerprints.find_originals(conn, batch)  # warm
            for _ in range(repeats):
                began = time.perf_counter()
                fingerprints.find_originals(conn, batch)
                times.append(time.perf_counter() - began)
            conn.rollback()
        return statistics.median(times) * 1000 / len(batch)
    finally:
        fingerprints._stock = stock


def run(sizes: list[int], batch_size: int, repeats: int) -> list[dict]:
    work = Path(tempfile.mkdtemp(prefix="armsledger-stock-"))
    cluster = Cluster(work / "home", find_bindir())
    cluster.start()
    rows: list[dict] = []
    try:
        engine = create_engine(_fresh_db(cluster, "stock"), poolclass=pool.NullPool)
        batch, done = _batch(batch_size), 0
        for size in sorted(sizes):
            _fill(engine, done + 1, size)
            done = size
            capped, whole = _median_ms(engine, batch, repeats, True), _median_ms(engine, batch, repeats, False)
            rows.append({"originals": size, "postings_per_stock_hash": round(size * STOCK_PER / STOCK),
                         "capped_ms_per_article": round(capped, 3), "uncapped_ms_per_article": round(whole, 3),
                         "uncapped_vs_capped": round(whole / capped, 2)})
            print(f"{size:>10,} originals  {rows[-1]['postings_per_stock_hash']:>7,} postings/stock hash  "
                  f"capped {capped:7.3f} ms/article  uncapped {whole:7.3f} ms/article  ratio {whole / capped:5.2f}",
                  flush=True)
        engine.dispose()
    finally:
        cluster.destroy()
        shutil.rmtree(work, ignore_errors=True)
    return rows


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--originals", default="10000,50000,200000", help="index sizes, comma-separated")
    parser.add_argument("--batch", type=int, default=100, help="new articles looked up at once")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    return run([int(s) for s in args.originals.split(",")], args.batch, args.repeats)


if __name__ == "__main__":
    main()
