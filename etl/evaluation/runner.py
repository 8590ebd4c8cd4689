"""`armsledger eval`: load a gold-annotated corpus with the real ETL, read back what it stored,
score it, and time the extraction stage alone."""

from __future__ import annotations

import contextlib
import csv
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from etl.evaluation.gold import GoldArticle, GoldError, load_gold
from etl.evaluation.predictions import ArticlePrediction, from_database, from_extraction
from etl.evaluation.scoring import Detail, Scorer


@dataclass
class EvalResult:
    scores: dict[str, Any]
    details: list[Detail] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # gold files with no loaded article


def _manifest_rows(manifest: Path, articles_dir: Path) -> list[dict[str, str]]:
    """Manifest rows with ``file`` made absolute: a gold manifest usually sits beside, not inside,
    the articles folder."""
    with manifest.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        name = (row.get("file") or "").strip()
        for base in (articles_dir, manifest.parent):
            if name and (base / name).is_file():
                row["file"] = str((base / name).resolve())
                break
    return rows


@contextlib.contextmanager
def _private_database() -> Iterator[str]:
    """A throwaway Postgres cluster in a temporary folder, migrated to head."""
    from etl.commands.db import migrate
    from etl.embedded import Cluster, find_bindir

    home = Path(tempfile.mkdtemp(prefix="armsledger-eval-"))
    if os.geteuid() == 0:
        home.chmod(0o755)
    cluster = Cluster(home, find_bindir(Path(os.environ["PG_BINDIR"]) if os.environ.get("PG_BINDIR") else None))
    try:
        cluster.start()
        migrate(cluster.url())
        yield cluster.url()
    finally:
        cluster.destroy()
        shutil.rmtree(home, ignore_errors=True)


def _article_files(articles_dir: Path, gold: list[GoldArticle]) -> list[Path]:
    return [articles_dir / g.file for g in gold if (articles_dir / g.file).is_file()]


def _extraction_speed(files: list[Path], manifest: Path | None, repeats: int = 3) -> tuple[float, dict]:
    """Characters per second of the transform stage alone (median of ``repeats`` passes), and the
    in-memory predictions of the last pass."""
    from etl.extract.readers import iter_documents
    from etl.pipeline import REFERENCE_DIR
    from etl.records import RawDocument
    from etl.transform.extraction import Extractor
    from etl.transform.metadata import article_from_document

    extractor = Extractor.from_reference(REFERENCE_DIR)
    articles = [
        article_from_document(d) for d in iter_documents(files, manifest) if isinstance(d, RawDocument)
    ]
    chars = sum(len(a.body) for a in articles)
    times, preds = [], {}
    for _ in range(repeats):
        t0 = time.perf_counter()
        extractions = [(a, extractor.extract(a)) for a in articles]
        times.append(time.perf_counter() - t0)
        preds = {Path(a.source_path).name: from_extraction(ex) for a, ex in extractions}
    return chars / statistics.median(times) if chars else 0.0, preds


def evaluate(
    gold_path: Path,
    articles_dir: Path | None = None,
    manifest: Path | None = None,
    *,
    database_url: str | None = None,
    in_memory: bool = False,
) -> EvalResult:
    """Score the ETL on a gold file. ``in_memory`` scores the transform stage's output directly
    (no database, no cross-article merging), for fast rule development."""
    gold = load_gold(gold_path)
    articles_dir = articles_dir or gold_path.parent / "articles"
    if not articles_dir.is_dir():
        raise GoldError(f"{articles_dir}: articles folder not found")
    if manifest is None and (gold_path.parent / "manifest.csv").is_file():
        manifest = gold_path.parent / "manifest.csv"
    files = _article_files(articles_dir, gold)
    with tempfile.TemporaryDirectory(prefix="armsledger-eval-manifest-") as tmp:
        abs_manifest = None
        if manifest is not None:
            rows = _manifest_rows(manifest, articles_dir)
            abs_manifest = Path(tmp) / "manifest.csv"
            with abs_manifest.open("w", encoding="utf-8", newline="") as f:
                writer = csv.DictWriter(f, fieldnames=list(rows[0]) if rows else ["file"])
                writer.writeheader()
                writer.writerows(rows)
        chars_per_s, mem_preds = _extraction_speed(files, abs_manifest)
        preds = mem_preds if in_memory else _load_and_read(files, abs_manifest, database_url)
    scorer = Scorer()
    missing = []
    for g in gold:
        if g.file not in preds and not (articles_dir / g.file).is_file():
            missing.append(g.file)
        scorer.score_article(g, preds.get(g.file, ArticlePrediction()))
    scores = scorer.report()
    scores["articles"] = len(gold)
    scores["chars_per_s"] = round(chars_per_s)
    scores["mode"] = "in-memory" if in_memory else "database"
    return EvalResult(scores, scorer.details, missing)


def _load_and_read(files: list[Path], manifest: Path | None, database_url: str | None) -> dict[str, ArticlePrediction]:
    from sqlalchemy import create_engine

    from etl.commands.db import migrate
    from etl.pipeline import run_pipeline
    from etl.settings import sqlalchemy_url

    ctx = contextlib.nullcontext(database_url) if database_url else _private_database()
    with ctx as url:
        if database_url:
            migrate(sqlalchemy_url(url))
        engine = create_engine(sqlalchemy_url(url))
        try:
            run_pipeline(files, engine=engine, manifest=manifest, progress=False)
            with engine.connect() as conn:
                return from_database(conn)
        finally:
            engine.dispose()
