"""The `armsledger` command line."""

from __future__ import annotations

import typer

from etl.commands import db, entities, etl_run, evaluate, export, query, reader, report
from etl.embedded import EmbeddedError

app = typer.Typer(
    help="ArmsLedger: news about defense relations as a source-linked PostgreSQL database.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(db.app, name="db")
app.add_typer(etl_run.app, name="etl")
app.add_typer(query.app, name="query")
app.add_typer(entities.app, name="entities")
app.command("export")(export.export)
app.command("demo")(etl_run.demo)
app.command("eval")(evaluate.evaluate)
app.command("report")(report.report)
db.app.command("grant-reader")(reader.grant_reader)


def main() -> None:
    try:
        app()
    except EmbeddedError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise SystemExit(2) from exc
