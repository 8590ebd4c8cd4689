"""The query layer's commands are reachable from the real `armsledger` entry point (etl/cli.py)."""

from typer.testing import CliRunner


def test_main_cli_has_query_export_and_grant_reader() -> None:
    from etl.cli import app

    runner = CliRunner()
    for args in (["query", "run", "--help"], ["query", "list", "--help"], ["export", "--help"],
                 ["db", "grant-reader", "--help"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, args
        assert "Example:" in result.output, args
