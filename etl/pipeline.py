"""The ETL pipeline: extract -> transform -> load, in parallel and in batches.

Documents stream from the readers through a raw-digest check (an input already loaded under
the same rules is skipped without cleaning it), to worker processes that clean and extract them
(etl/parallel.py, with a time budget per article), and back in input order to the loader, which
writes them in batches of many articles per transaction, each article still atomic
(etl/load/batch.py), while the summary tables are refreshed beside it (etl/load/refresher.py)
and once more at the end. Memory stays flat: only a bounded window of documents is in flight.

Bad input never stops a run: every unreadable file, malformed line or article that fails to
process becomes a rejected input with its reason, and the rest loads. A second run on the same
input changes nothing. A run that is killed is closed as ``failed`` by the next run, one that is
interrupted (Ctrl-C) as ``interrupted``; re-running the same command resumes where it stopped.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
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
from etl.load import fingerprints
from etl.load.batch import BatchWriter, Extracted, LoadContext
from etl.load.faults import checkpoint
from etl.load.finalize import finalize
from etl.load.refresh_state import mark_pending
from etl.load.refresher import lock_summaries
from etl.load.runs import RunHandle, finish_run, lock_writes, record_rejection
from etl.output import err_console
from etl.parallel import extract_all
from etl.records import RawDocument, Rejection
from etl.settings import REPO_ROOT
from etl.transform.extraction import Extractor

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
    closed_stale: list[int] = field(default_factory=list)  # runs of killed processes closed as failed
    skipped: int = 0  # unchanged inputs recognised before extraction (counted in ``unchanged``)
    # extract, transform (summed over workers), load (of which syndication: the lookups of each
    # article's original; load_cpu: the writer's own CPU), summaries (during the run), finalize
    stage_seconds: dict[str, float] = field(default_factory=dict)

    def count(self, _batch: list, outcomes: list) -> None:
        """Add one written batch's outcomes ("loaded", "unchanged" or a Rejection)."""
        for outcome in outcomes:
            if isinstance(outcome, Rejection):
                self.rejections.append(outcome)
            elif outcome == "unchanged":
                self.unchanged += 1
            else:
                self.loaded += 1

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


class RunInterrupted(Exception):
    """Ctrl-C during a run: the run is marked ``interrupted``; ``result`` says what was loaded."""

    def __init__(self, result: RunResult) -> None:
        super().__init__("interrupted")
        self.result = result


def raw_digest(doc: RawDocument, version: str) -> str:
    """SHA-256 of what a document's article is made from (text, metadata) and the rules."""
    digest = hashlib.sha256(f"{version}\0{doc.kind}\0".encode())
    digest.update((doc.text or doc.html or "").encode("utf-8", "surrogatepass"))
    digest.update(json.dumps(doc.meta, sort_keys=True).encode())
    return digest.hexdigest()


def _skip_unchanged(
    items: Iterator[RawDocument | Rejection], engine: Engine, version: str, chunk: int = 256
) -> Iterator[tuple[tuple[RawDocument | Rejection, str | None, bool], RawDocument | None]]:
    """Tag each item with its raw digest and whether it is already loaded (one query per chunk);
    only documents still to do go on to extraction."""
    while block := list(islice(items, chunk)):
        digests = {id(d): raw_digest(d, version) for d in block if isinstance(d, RawDocument)}
        with engine.connect() as conn:
            known = set(
                conn.execute(
                    text("SELECT raw_digest FROM articles WHERE raw_digest = ANY(CAST(:d AS text[]))"),
                    {"d": sorted(set(digests.values()))},
                ).scalars()
            )
        for item in block:
            digest = digests.get(id(item))
            skip = digest in known
            yield (item, digest, skip), (item if isinstance(item, RawDocument) and not skip else None)


def run_pipeline(
    paths: list[Path],
    *,
    engine: Engine,
    manifest: Path | None = None,
    progress: bool = True,
    reference_dir: Path = REFERENCE_DIR,
    workers: int | None = None,
    article_timeout: float = 30.0,
    batch_size: int = 50,
) -> RunResult:
    """Load every article under ``paths``; return the run's counts and rejections.

    ``workers`` extraction processes (default: the number of cores; 0 extracts in this process),
    each article given at most ``article_timeout`` seconds; ``batch_size`` articles per write
    transaction. Raises :class:`RunInterrupted` on Ctrl-C, after marking the run interrupted."""
    version = extractor_version(reference_dir)
    extractor = Extractor.from_reference(reference_dir)
    handle = RunHandle(engine, " ".join(map(str, paths)), version)
    result = RunResult(run_id=handle.run_id, closed_stale=handle.closed_stale)
    workers = (os.cpu_count() or 1) if workers is None else workers
    try:
        with engine.begin() as conn:
            lock_writes(conn)
            if extractor.sync_reference(conn):
                mark_pending(conn)
            fingerprints.backfill(conn)
        writer = BatchWriter(engine, LoadContext(result.run_id, version, extractor), result.count)
        docs = _with_progress(iter_documents(paths, manifest), _candidate_count(paths), progress)
        tagged = extract_all(
            _skip_unchanged(docs, engine, version), extractor, workers, article_timeout, result.stage_seconds
        )
        batch: list[Extracted | Rejection] = []
        try:
            for (item, digest, skipped), outcome in tagged:
                result.read += 1
                if skipped:
                    result.skipped += 1
                    continue
                if isinstance(item, Rejection):
                    batch.append(item)
                elif isinstance(outcome, Rejection):
                    batch.append(outcome)
                elif outcome is not None:
                    article, extraction, prepared = outcome
                    where = item.source_path + (f":{item.source_line}" if item.source_line else "")
                    result.warnings += [
                        (where, f"{k}: {v}") for k, v in article.provenance.items() if k.startswith("extraction_error:")
                    ]
                    batch.append(Extracted(where, article, extraction, digest, prepared))
                if len(batch) >= batch_size:
                    writer.submit(batch)
                    batch = []
            if batch:
                writer.submit(batch)
        finally:
            writer.close()  # the batch being written commits (or rolls back) whole
            result.stage_seconds["load"] = writer.seconds
            result.stage_seconds["load_cpu"] = writer.cpu_seconds  # the writer thread's own CPU
            result.stage_seconds["syndication"] = writer.ctx.seconds.get("syndication", 0.0)  # part of load
            result.stage_seconds["summaries"] = writer.summary_seconds
        began = time.perf_counter()
        with engine.begin() as conn:
            lock_writes(conn)
            lock_summaries(conn)  # another run's refresh may be going on beside its loading
            checkpoint("finalize")
            for rejection in finalize(conn, extractor.keys, reference_dir, version, writer.recounted):
                result.rejections.append(rejection)
                record_rejection(conn, result.run_id, rejection)
        result.stage_seconds["finalize"] = time.perf_counter() - began
    except KeyboardInterrupt:
        _finish(engine, result, interrupted=True)
        raise RunInterrupted(result) from None
    except BaseException:
        _finish(engine, result, failed=True)
        raise
    finally:
        handle.release()
    _finish(engine, result)
    return result


def _finish(engine: Engine, result: RunResult, failed: bool = False, interrupted: bool = False) -> None:
    result.unchanged += result.skipped
    result.skipped = 0
    with contextlib.suppress(Exception):  # database gone: the next run closes this one as failed
        finish_run(
            engine,
            result.run_id,
            read=result.read,
            loaded=result.loaded,
            unchanged=result.unchanged,
            rejected=len(result.rejections),
            failed=failed,
            interrupted=interrupted,
        )
