"""`armsledger eval`: how far to trust the database, measured against hand-made gold."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

import typer

FACTS = ("money", "entities", "deals", "aid", "quotes")


class EvalFormat(StrEnum):
    table = "table"
    json = "json"


def _fmt(x: object) -> str:
    return "" if x is None else f"{x:.2f}" if isinstance(x, float) else str(x)


def _print_table(scores: dict, details: list, show_details: bool) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    table = Table(title=f"Extraction scores on {scores['articles']} articles ({scores['mode']})")
    for col in ("fact", "gold", "predicted", "matched", "precision", "recall", "F1", "attributes"):
        table.add_column(col, justify="left" if col in ("fact", "attributes") else "right")
    for fact in FACTS:
        s = scores[fact]
        attrs = "\n".join(f"{k.removesuffix('_accuracy')} {_fmt(v)}" for k, v in s.items() if k.endswith("_accuracy"))
        table.add_row(fact, str(s["gold"]), str(s["predicted"]), str(s["matched"]), _fmt(s["precision"]),
                      _fmt(s["recall"]), _fmt(s["f1"]), attrs)
    console.print(table)
    console.print(f"extraction speed: {scores['chars_per_s']:,} characters/s")
    if show_details:
        current = None
        for d in details:
            if d.file != current:
                current = d.file
                console.print(f"\n[bold]{d.file}[/bold]")
            console.print(f"  {d.fact:8} {d.problem:13} {d.text}", markup=False, highlight=False)


def evaluate(
    gold: Path = typer.Argument(..., help="Gold annotations (YAML, format in docs/eval.md)."),
    articles: Path | None = typer.Argument(None, help="Folder of the articles; default: GOLD's folder/articles."),
    manifest: Path | None = typer.Option(
        None, "--manifest", "-m", help="manifest.csv for the articles; default: GOLD's folder/manifest.csv if any."
    ),
    fmt: EvalFormat = typer.Option(EvalFormat.table, "--format", "-f", help="table for people, json for machines."),
    details: bool = typer.Option(False, "--details", "-d", help="List every miss, spurious fact and wrong attribute."),
    database_url: str | None = typer.Option(
        None, "--database-url", help="Load into this database instead of a fresh private one (rows are added)."
    ),
    in_memory: bool = typer.Option(
        False, "--in-memory", help="Score the extractors' output without a database (faster; no merging)."
    ),
) -> None:
    """Load gold-annotated articles with the same ETL as `etl run` into a fresh private database,
    and score what was stored: precision, recall and F1 for money, entities, deals, aid and quotes,
    attribute accuracies, and extraction speed.

    Example: armsledger eval ../shared/devset/gold.yaml --details
    """
    from etl.evaluation.gold import GoldError
    from etl.evaluation.runner import evaluate as run_eval

    if not gold.is_file():
        typer.echo(f"error: {gold}: no such gold file", err=True)
        raise typer.Exit(2)
    try:
        result = run_eval(gold, articles, manifest, database_url=database_url, in_memory=in_memory)
    except GoldError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    if fmt is EvalFormat.json:
        out = dict(result.scores)
        if details:
            out["details"] = [d.__dict__ for d in result.details]
        typer.echo(json.dumps(out, indent=2, ensure_ascii=False))
    else:
        _print_table(result.scores, result.details, details)
    for name in result.missing:
        typer.echo(f"warning: {name}: listed in the gold but not found among the articles", err=True)
