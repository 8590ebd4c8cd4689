"""The ETL pipeline: extract -> transform -> load, one transaction per article.

Bad input never stops a run: every unreadable file, malformed line or article that fails to
process becomes a rejected input with its reason, and the rest loads. An article whose content
and extraction rules are unchanged is skipped, so a second run on the same input changes nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from sqlalchemy import Engine, text

from etl.extract.readers import SUFFIXES, iter_documents
from etl.load.articles import existing_version, replace_article
from etl.load.finalize import finalize
from etl.load.runs import finish_run, record_rejection, start_run
from etl.output import err_console
from etl.records import CleanArticle, RawDocument, Rejection
from etl.settings import REPO_ROOT
from etl.transform.extraction import Extractor
from etl.transform.metadata import article_from_document
from etl.transform.syndication import find_syndicated

RULES_VERSION = "1"
REFERENCE_DIR = REPO_ROOT / "data" / "reference"


def extractor_version(reference_dir: Path = REFERENCE_DIR) -> str:
    """Rules version plus a digest of the reference data: changing either re-extracts articles."""
    digest = hashlib.sha256()
    for path in sorted(reference_dir.rglob("*")):
        if path.is_file() and path.name != "facts.yaml":
            digest.update(path.name.encode() + path.read_bytes())
    return f"{RULES_VERSION}+{digest.hexdigest()[:10]}"


@dataclass
class RunResult:
    run_id: int
    read: int = 0
    loaded: int = 0
    unchanged: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (source, message): loaded, but incomplete


def _candidate_count(paths: Iterable[Path]) -> int:
    total = 0
    for path in paths:
        files = path.rglob("*") if path.is_dir() else [path]
        total += sum(1 for f in files if f.suffix.lower() in SUFFIXES)
    return total


def _with_progress(
    items: Iterator[RawDocument | Rejection],
    total: int,
    enabled: bool,
) -> Iterator[RawDocument | Rejection]:
    if not enabled:
        yield from items
        return
    columns = (
        SpinnerColumn(),
        TextColumn("loading"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
    )
    with Progress(*columns, console=err_console, transient=True) as progress:
        task = progress.add_task("", total=total or None)
        for item in items:
            progress.update(task, description=Path(item.source_path).name)
            yield item
            if item.source_line in (None, 0, 1):
                progress.advance(task)


def _syndication_candidates(conn, article: CleanArticle) -> list[tuple[int, str]]:
    rows = conn.execute(
        text(
            """
            SELECT id, body FROM articles
            WHERE original_article_id IS NULL AND content_hash <> :hash
              AND NOT (source_path = :path AND source_line = :line)
              AND (CAST(:published AS date) IS NULL OR published_on IS NULL
                   OR published_on BETWEEN CAST(:published AS date) - 31 AND CAST(:published AS date) + 31)
            ORDER BY id
            """
        ),
        {
            "published": article.published_on,
            "hash": article.content_hash,
            "path": article.source_path,
            "line": article.source_line or 0,
        },
    )
    return [(r[0], r[1]) for r in rows]


def run_pipeline(
    paths: list[Path],
    *,
    engine: Engine,
    manifest: Path | None = None,
    progress: bool = True,
    reference_dir: Path = REFERENCE_DIR,
) -> RunResult:
    """Load every article under ``paths``; return the run's counts and rejections."""
    version = extractor_version(reference_dir)
    extractor = Extractor.from_reference(reference_dir)
    result = RunResult(run_id=start_run(engine, " ".join(map(str, paths)), version))
    with engine.begin() as conn:
        extractor.sync_reference(conn)

    def reject(rejection: Rejection) -> None:
        result.rejections.append(rejection)
        with engine.begin() as conn:
            record_rejection(conn, result.run_id, rejection)

    items = _with_progress(iter_documents(paths, manifest), _candidate_count(paths), progress)
    for item in items:
        result.read += 1
        if isinstance(item, Rejection):
            reject(item)
            continue
        try:
            outcome = _load_one(engine, item, extractor, result.run_id, version, result.warnings)
        except Exception as exc:  # one bad article must not stop the others: record it, go on
            reject(
                Rejection(item.source_path, f"could not be processed: {type(exc).__name__}: {exc}", item.source_line)
            )
            continue
        if outcome == "unchanged":
            result.unchanged += 1
        else:
            result.loaded += 1
    with engine.begin() as conn:
        for rejection in finalize(conn, extractor.keys, reference_dir):
            result.rejections.append(rejection)
            record_rejection(conn, result.run_id, rejection)
    finish_run(
        engine,
        result.run_id,
        read=result.read,
        loaded=result.loaded,
        unchanged=result.unchanged,
        rejected=len(result.rejections),
    )
    return result


def _load_one(
    engine: Engine, doc: RawDocument, extractor: Extractor, run_id: int, version: str, warnings: list[tuple[str, str]]
) -> str:
    article = article_from_document(doc)
    if not article.body.strip():
        raise ValueError("no article text left after removing site furniture")
    with engine.begin() as conn:
        existing = existing_version(conn, article.content_hash)
        if existing and existing[1] == version:
            return "unchanged"
        extraction = extractor.extract(article)
        where = doc.source_path + (f":{doc.source_line}" if doc.source_line else "")
        warnings += [(where, f"{k}: {v}") for k, v in article.provenance.items() if k.startswith("extraction_error:")]
        original = find_syndicated(article, _syndication_candidates(conn, article))
        replace_article(
            conn,
            article,
            extraction,
            run_id=run_id,
            version=version,
            keys=extractor.keys,
            publisher_is_wire=extractor.is_wire(article.publisher),
            original_article_id=original,
        )
    return "loaded"
