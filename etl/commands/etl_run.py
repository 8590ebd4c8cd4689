"""`armsledger etl run` and `armsledger demo`."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from etl import output as out
from etl.commands.db import migrate
from etl.database import database_url, get_engine
from etl.hints import command as hint
from etl.output import OutputFormat, render
from etl.settings import REPO_ROOT

if TYPE_CHECKING:
    from etl.pipeline import RunResult

app = typer.Typer(help="Extract, transform and load articles.", no_args_is_help=True)
SHOW_SKIPPED = 20  # skipped files listed in the table summary


def _print_result(result: RunResult, skipped: list[tuple[str, str]] | None = None) -> None:
    summary = {
        "run": result.run_id,
        "read": result.read,
        "loaded": result.loaded,
        "unchanged": result.unchanged,
        "rejected": len(result.rejections),
        "skipped": len(skipped or []),
    }
    render([summary], OutputFormat.table, title="ETL run")
    if result.rejections:
        render(_rejections(result), OutputFormat.table, title="Rejected inputs")
    if skipped:
        rows = [{"path": path, "reason": reason} for path, reason in skipped[:SHOW_SKIPPED]]
        render(rows, OutputFormat.table, title="Skipped files (not read)")
        if len(skipped) > SHOW_SKIPPED:
            out.console.print(f"... and {len(skipped) - SHOW_SKIPPED} more (all of them: --json)", highlight=False)
    if result.warnings:
        warned = [{"article": a, "loaded without": w} for a, w in result.warnings]
        render(warned, OutputFormat.table, title="Extraction errors (article loaded, these facts missing)")


@app.command("run")
def run(
    paths: list[Path] = typer.Argument(..., help="Files or folders of .txt, .html, .jsonl articles."),
    manifest: Path | None = typer.Option(
        None, "--manifest", "-m", help="manifest.csv (file, publisher, title, url, published, byline)."
    ),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Show a progress bar."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as one JSON object, for machines."),
    workers: int = typer.Option(
        os.cpu_count() or 1, "--workers", "-w", min=0, help="Extraction processes (0: extract in this process)."
    ),
    article_timeout: float = typer.Option(
        30.0, "--article-timeout", min=0.1, help="Seconds an article may take to extract before it is rejected."
    ),
    batch_size: int = typer.Option(50, "--batch-size", min=1, help="Articles written per transaction."),
) -> None:
    """Load articles: clean them, extract entities and facts, and store them with their evidence.

    Exit status: 0 when everything loaded, 1 when some input was rejected, 2 for usage errors.
    The progress bar goes to standard error, the summary to standard output.

    Example: armsledger etl run data/seeds --manifest data/seeds/manifest.csv
    """
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        out.err_console.print(f"error: no such file or folder: {', '.join(missing)}")
        raise typer.Exit(2)
    if manifest is not None and not manifest.is_file():
        out.err_console.print(f"error: manifest not found: {manifest}")
        raise typer.Exit(2)
    from etl.extract.readers import skipped_files
    from etl.pipeline import run_pipeline
    from etl.revision import require_current_schema

    engine = get_engine()
    require_current_schema(engine)
    from etl.pipeline import RunInterrupted

    try:
        result = run_pipeline(
            paths,
            manifest=manifest,
            engine=engine,
            progress=progress and not as_json,
            workers=workers,
            article_timeout=article_timeout,
            batch_size=batch_size,
        )
    except RunInterrupted as stopped:
        done = stopped.result
        out.err_console.print(
            f"interrupted: run {done.run_id} stopped after {done.loaded} article(s) loaded, "
            f"{done.unchanged} unchanged and {len(done.rejections)} rejected (every loaded article is complete); "
            "run the same command again to resume - loaded articles are skipped",
            soft_wrap=True,
        )
        raise typer.Exit(130) from None
    for stale in result.closed_stale:
        out.err_console.print(
            f"note: run {stale} had been killed while loading; it is now marked failed", soft_wrap=True
        )
    skipped = skipped_files(paths, manifest)
    if as_json:
        typer.echo(json.dumps(_as_json(result, skipped), ensure_ascii=False, indent=2))
    else:
        _print_result(result, skipped)
    raise typer.Exit(1 if result.rejections else 0)


def _rejections(result: RunResult) -> list[dict]:
    return [{"path": r.source_path, "line": r.source_line, "reason": r.reason} for r in result.rejections]


def _as_json(result: RunResult, skipped: list[tuple[str, str]]) -> dict:
    return {
        "run_id": result.run_id,
        "read": result.read,
        "loaded": result.loaded,
        "unchanged": result.unchanged,
        "rejected": _rejections(result),
        "skipped": [{"path": path, "reason": reason} for path, reason in skipped],
        "extraction_errors": [{"article": a, "error": e} for a, e in result.warnings],
        "stage_seconds": {k: round(v, 3) for k, v in result.stage_seconds.items()},
    }


ARTICLES_SQL = """
SELECT left(a.source_file, 12) AS file, p.name AS publisher, a.published_on, a.title
FROM articles a LEFT JOIN publishers p ON p.id = a.publisher_id
ORDER BY a.source_file
"""
COUNTS_SQL = """
SELECT (SELECT count(*) FROM articles) AS articles,
       (SELECT count(DISTINCT entity_id) FROM mentions) AS entities,
       (SELECT count(*) FROM mentions) AS mentions,
       (SELECT count(*) FROM quotes) AS quotes,
       (SELECT count(*) FROM deals WHERE superseded_by_id IS NULL) AS deals,
       (SELECT count(*) FROM aid_allocations WHERE superseded_by_id IS NULL) AS aid,
       (SELECT count(*) FROM agreements WHERE superseded_by_id IS NULL) AS agreements,
       (SELECT count(*) FROM events WHERE superseded_by_id IS NULL) AS events,
       (SELECT count(*) FROM discrepancies) AS discrepancies
"""


def demo() -> None:
    """Start the embedded database (unless DATABASE_URL is set), migrate, load data/seeds, summarise.

    Example: armsledger demo
    """
    from sqlalchemy import text

    from etl.pipeline import run_pipeline

    url = database_url(start=True)
    migrate(url)
    seeds = REPO_ROOT / "data" / "seeds"
    result = run_pipeline([seeds], manifest=seeds / "manifest.csv", engine=get_engine(url), progress=True)
    _print_result(result)
    with get_engine(url).connect() as conn:
        articles = conn.execute(text(ARTICLES_SQL))
        article_rows = (list(articles.keys()), [tuple(r) for r in articles])
        counts = conn.execute(text(COUNTS_SQL)).mappings().one()
    render(article_rows, OutputFormat.table, title="Articles in the database")
    render([{"what": k, "rows": v} for k, v in counts.items()], OutputFormat.table, title="What was extracted")
    for line in _where_and_next():
        out.console.print(line, highlight=False, markup=False)
    raise typer.Exit(1 if result.rejections else 0)


def _where_and_next() -> list[str]:
    """Where the database is, how to stop it, and commands to try, as they run in a fresh shell."""
    from etl.database import embedded_cluster
    from etl.settings import get_settings

    lines = []
    if get_settings().database_url is None:
        cluster = embedded_cluster()
        lines.append(
            f"Postgres server: running on 127.0.0.1:{cluster.port}, data in {cluster.data_dir}; "
            f"it keeps running until `{hint('db stop')}`."
        )
    else:
        lines.append("Database: DATABASE_URL (no server was started).")
    lines += ["Next, try:", f"  {hint('query run arms_deals')}", f"  {hint('query list')}"]
    lines.append(f"  psql \"$({hint('db url')})\"")
    return lines
