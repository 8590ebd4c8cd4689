"""Readable tables in any terminal, and the same output options on every command that prints rows."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys

import pytest
from rich.console import Console
from typer.testing import CliRunner

from etl.cli import app
from etl.output import OutputFormat, Rows, _print_table, render
from etl.settings import REPO_ROOT, libpq_url

runner = CliRunner()
LONG = "Sale: portable air defense systems for the Peruvian Army from a state-owned export corporation"


def printed(data, width: int, wide: bool = False) -> list[str]:
    buffer = io.StringIO()
    _print_table(Rows(data), "deals", Console(file=buffer, width=width), wide, options_hint=True)
    return buffer.getvalue().splitlines()


def test_a_table_too_wide_is_cut_with_an_ellipsis_and_says_how_to_see_the_rest() -> None:
    rows = [{"deal_id": 1, "deal": LONG, "buyer": "Peru", "value_usd": 34_000_000, "status": "active", "year": 2009}]
    lines = printed(rows, 80)
    *table, hint = lines
    assert all(len(line) <= 80 for line in table)
    assert any("…" in line for line in table) and LONG not in "\n".join(table)
    assert "--wide" in hint and "--format csv" in hint and "--columns deal_id,deal,buyer" in hint


def test_many_columns_become_one_record_per_block() -> None:
    rows = [{f"column_{i}": f"value {i} " * 3 for i in range(15)} for _ in range(2)]
    lines = printed(rows, 80)
    assert sum(line.startswith("-[ record ") for line in lines) == 2
    assert all(len(line) <= 80 for line in lines[:-1])
    assert "column_14 | value 14" in "\n".join(lines)
    assert "one record per block" in lines[-1]


def test_wide_fitting_and_few_column_tables_are_not_cut() -> None:
    rows = [{"deal_id": 1, "deal": LONG, "a": 1, "b": 2, "c": 3}]
    assert any(LONG in line for line in printed(rows, 80, wide=True))
    wrapped = printed([{"path": "/data/in/" + "x" * 90 + ".txt", "reason": LONG}], 80)
    assert all(len(line) <= 80 for line in wrapped) and not any("…" in line or "cut" in line for line in wrapped)
    short = [{"a": 1, "b": "two"}]
    lines = printed(short, 80)
    assert not any("cut" in line or "record" in line for line in lines)


def test_columns_pick_and_order_and_unknown_columns_fail(tmp_path) -> None:
    target = tmp_path / "x.csv"
    render([{"a": 1, "b": 2, "c": 3}], OutputFormat.csv, target, columns=["c", "a"])
    assert target.read_text() == "c,a\n3,1\n"
    with pytest.raises(ValueError, match="unknown column"):
        render([{"a": 1}], OutputFormat.csv, target, columns=["zz"])


@pytest.mark.parametrize("command", [["query", "run"], ["query", "list"], ["entities", "list"]])
def test_every_command_that_prints_rows_has_the_same_options(command: list[str]) -> None:
    text = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "200"}).output
    for flag in ("--format", "-f", "--output", "-o", "--columns", "-c", "--wide", "-w"):
        assert f" {flag} " in text or f" {flag}," in text or f"{flag} " in text, (command, flag)


def test_entities_list_as_csv_and_columns(seeded_url: str) -> None:
    env = {"DATABASE_URL": libpq_url(seeded_url)}
    result = runner.invoke(app, ["entities", "list", "-f", "csv", "-c", "name,type,mentions"], env=env)
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["name", "type", "mentions"] and len(rows) > 10
    assert rows[1][:2] == ["Peru", "country"]
    bad = runner.invoke(app, ["query", "run", "arms_deals", "-c", "nope"], env=env)
    assert bad.exit_code == 2 and "unknown column(s) nope; the columns are: deal_id" in bad.stderr


@pytest.mark.parametrize("width", [80, 120])
def test_query_run_in_a_narrow_terminal_prints_no_line_wider_than_it(seeded_url: str, width: int) -> None:
    env = {**os.environ, "DATABASE_URL": libpq_url(seeded_url), "COLUMNS": str(width)}
    done = subprocess.run(
        [sys.executable, "-c", "from etl.cli import main; main()", "query", "run", "arms_deals"],
        capture_output=True, text=True, env=env, cwd=REPO_ROOT, check=True,
    )  # fmt: skip
    *body, hint = done.stdout.splitlines()
    assert all(len(line) <= width for line in body)
    assert "Peru" in done.stdout and "--wide" in hint
