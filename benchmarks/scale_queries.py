"""Catalogue query latency on a database scaled far past what the ETL can load in a session.

    python -m benchmarks.scale_queries --base 1000 --factor 100 [--query-runs 20] [--json FILE] [--keep]
    python -m benchmarks.scale_queries --url URL [--query-runs 20] [--json FILE]

``--keep`` leaves the scaled cluster running and prints its URL; ``--url`` times an existing
database instead of building one (it is migrated to head and its summary tables rebuilt first, so a
later revision can be measured on the same rows).

Loads ``--base`` generated articles with the real ETL into a throwaway cluster, then copies every
article-level and fact-level row ``--factor - 1`` more times in SQL (new ids, the same entities,
publishers and reference data; unique keys such as ``content_hash`` and ``fact_key`` get a copy
suffix), so the database holds ``base * factor`` articles whose entities recur as in a real feed
(the entity universe does not grow with the corpus, the mentions per entity do). Summary tables
the ETL maintains are rebuilt, the database is analysed, and every catalogue query is timed warm
(p50 and p95), as in ``benchmarks.run``. Nothing passes or fails.

This measures the queries only: the rows are the ETL's own, repeated, not new extractions.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from sqlalchemy import (
    BigInteger,
    Engine,
    Integer,
    Table,
    case,
    cast,
    create_engine,
    func,
    insert,
    literal,
    pool,
    select,
    text,
)

from benchmarks.generate_corpus import generate
from benchmarks.run import _fresh_db, _query_ms, _say
from etl.embedded import Cluster, find_bindir
from etl.load.facts import FACT_MODELS
from etl.pipeline import run_pipeline
from models import Base

# Shared by every copy: what the corpus is about, who publishes it, the run log and refresh marker.
SHARED = {"entities", "entity_aliases", "publishers", "etl_runs", "rejected_inputs", "refresh_state"}


def _summary_tables() -> set[str]:
    """Tables the ETL derives from the others: rebuilt, not copied."""
    try:
        from etl.load import summaries
    except ImportError:
        return set()
    return set(summaries.SUMMARY_TABLES)


def _unique_text_columns(table: Table, shifted: set[str]) -> set[str]:
    """Text columns of a unique constraint or index with no shifted id beside them."""
    groups = [c.columns for c in table.constraints if c.__class__.__name__ == "UniqueConstraint"]
    groups += [i.columns for i in table.indexes if i.unique]
    out: set[str] = set()
    for cols in groups:
        names = {c.name for c in cols}
        if not names & shifted:
            out |= {c.name for c in cols if not isinstance(c.type, Integer | BigInteger)}
    for col in table.columns:
        if col.unique and not isinstance(col.type, Integer | BigInteger):
            out.add(col.name)
    return out


def _offsets(engine: Engine, tables: list[Table]) -> dict[str, int]:
    with engine.connect() as conn:
        return {t.name: int(conn.execute(select(func.coalesce(func.max(t.c.id), 0))).scalar_one()) for t in tables}


def replicate(engine: Engine, factor: int) -> dict[str, int]:
    """Copy the copied tables ``factor - 1`` times; return rows per table afterwards."""
    skip = SHARED | _summary_tables()
    tables = [t for t in Base.metadata.sorted_tables if t.name not in skip]
    offsets = _offsets(engine, [t for t in tables if "id" in t.c])
    g = func.generate_series(1, factor - 1).table_valued("n").render_derived(name="copy")
    rows = {}
    with engine.begin() as conn:
        for table in tables:
            shifted = {"id"} if "id" in table.c else set()
            for col in table.columns:
                targets = {fk.column.table.name for fk in col.foreign_keys}
                if targets & set(offsets):
                    shifted.add(col.name)
            uniques = _unique_text_columns(table, shifted)
            exprs = []
            for col in table.columns:
                if col.name == "fact_id" and "fact_type" in table.c:  # (fact_type, fact_id) names any fact table
                    steps = {kind: offsets[m.__table__.name] + 1 for kind, m in FACT_MODELS.items()}
                    exprs.append((col + g.c.n * case(steps, value=table.c.fact_type, else_=0)).label(col.name))
                elif col.name in shifted:
                    target = "id" if col.name == "id" else next(iter(col.foreign_keys)).column.table.name
                    step = offsets[table.name if col.name == "id" else target] + 1
                    exprs.append((col + g.c.n * literal(step)).label(col.name))
                elif col.name in uniques:
                    exprs.append((col + literal("|copy") + cast(g.c.n, col.type)).label(col.name))
                else:
                    exprs.append(col)
            conn.execute(
                insert(table).from_select(
                    [c.name for c in table.columns], select(*exprs).select_from(table).join(g, literal(True))
                )
            )
            if "id" in table.c:
                seq = conn.execute(select(func.pg_get_serial_sequence(table.name, "id"))).scalar()
                if seq:
                    conn.execute(select(func.setval(seq, select(func.max(table.c.id)).scalar_subquery())))
            rows[table.name] = conn.execute(select(func.count()).select_from(table)).scalar_one()
            _say(f"{table.name}: {rows[table.name]:,} rows")
        try:
            from etl.load import summaries
        except ImportError:
            pass
        else:
            summaries.rebuild(conn)
    return rows


def _measure(engine: Engine, query_runs: int) -> tuple[int, int, dict]:
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
        articles = conn.execute(text("SELECT count(*) FROM articles")).scalar_one()
        size = conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one()
    if query_runs < 1:  # build (and --keep) only
        return articles, size, {}
    _say(f"{articles:,} articles, {size / 2**20:,.0f} MB; timing queries")
    return articles, size, _query_ms(engine, query_runs)


def retime(url: str, query_runs: int) -> dict:
    """Migrate an existing scaled database to head, rebuild its summaries and time the queries."""
    from etl.commands.db import migrate
    from etl.load import summaries

    migrate(url)
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.begin() as conn:
        summaries.rebuild(conn)
    articles, size, queries = _measure(engine, query_runs)
    engine.dispose()
    return {
        "base_articles": None,
        "factor": None,
        "articles": articles,
        "rows": {},
        "database_mb": round(size / 2**20, 1),
        "replicate_seconds": None,
        "query_ms": queries,
    }


def run(base: int, factor: int, workers: int, query_runs: int, work: Path, keep: bool = False) -> dict:
    corpus = work / "corpus"
    generate(corpus, base)
    cluster = Cluster(work / "home", find_bindir())
    cluster.start()
    try:
        engine = create_engine(_fresh_db(cluster, "scaled"), poolclass=pool.NullPool)
        run_pipeline([corpus], engine=engine, progress=False, workers=workers)
        _say("base corpus loaded")
        began = time.perf_counter()
        rows = replicate(engine, factor)
        copy_seconds = time.perf_counter() - began
        articles, size, queries = _measure(engine, query_runs)
        engine.dispose()
        if keep:
            _say(f"kept: {engine.url.render_as_string(hide_password=False)}")
    finally:
        if not keep:
            cluster.destroy()
    return {
        "base_articles": base,
        "factor": factor,
        "articles": articles,
        "rows": rows,
        "database_mb": round(size / 2**20, 1),
        "replicate_seconds": round(copy_seconds, 1),
        "query_ms": queries,
    }


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", type=int, default=1000, help="articles loaded by the ETL")
    parser.add_argument("--factor", type=int, default=100, help="copies of them in the scaled database")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--query-runs", type=int, default=20)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--keep", action="store_true", help="leave the scaled cluster running")
    parser.add_argument("--url", help="time this existing database instead of building one")
    args = parser.parse_args(argv)
    if args.url:
        result = retime(args.url, args.query_runs)
        print(f"{result['articles']:,} articles, {result['database_mb']:,} MB")
    else:
        work = Path(tempfile.mkdtemp(prefix="armsledger-scale-"))
        work.chmod(0o755)
        result = run(args.base, max(1, args.factor), args.workers, args.query_runs, work, args.keep)
        print(
            f"{result['articles']:,} articles ({result['base_articles']} x {result['factor']}), "
            f"{result['database_mb']:,} MB, copied in {result['replicate_seconds']} s"
        )
    print(f"\n{'query':<24}{'p50 ms':>10}{'p95 ms':>10}")
    for name, q in result["query_ms"].items():
        print(f"{name:<24}{q['p50']:>10}{q['p95']:>10}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return result


if __name__ == "__main__":
    main()
