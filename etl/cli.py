"""The `armsledger` command line.

Command modules import their heavy libraries (pandas, SQLAlchemy, Alembic, the extractors) inside
the commands that use them, so `armsledger --help` starts fast; tests/test_cli_startup.py guards it.
Every failure a user can cause prints one line naming the cause and the next step (see
:mod:`etl.errors`); `--debug` or ARMSLEDGER_DEBUG=1 shows the traceback instead.
"""

from __future__ import annotations

import click
import typer
from typer.core import TyperGroup

from etl.commands import backup, db, entities, etl_run, evaluate, export, query, reader, report


class _OneLineErrors(TyperGroup):
    """The root group: turns any exception of a command into one `error:` line and an exit status."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort, SystemExit):
            raise
        except (typer.Exit, typer.Abort):
            raise
        except KeyboardInterrupt:
            typer.echo("interrupted", err=True)
            raise typer.Exit(130) from None
        except Exception as exc:
            from etl.errors import debug_enabled, describe, mask

            found = describe(exc)
            if debug_enabled() or ctx.params.get("debug"):
                raise
            if found is None:
                what = mask(f"{type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''}")
                found = (f"unexpected error ({what}); run again with --debug to see where, and report it", 1)
            typer.echo(f"error: {found[0]}", err=True)
            raise typer.Exit(found[1]) from None


app = typer.Typer(
    cls=_OneLineErrors,
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
db.app.command("backup")(backup.backup)
db.app.command("restore")(backup.restore)


@app.callback()
def _options(
    debug: bool = typer.Option(False, "--debug", help="Show the full traceback when a command fails."),
) -> None:
    """ArmsLedger: news about defense relations as a source-linked PostgreSQL database."""


def main() -> None:
    """Run the CLI (the `armsledger` script)."""
    app()
