"""`armsledger report`: one self-contained HTML file whose charts render in a real headless Chromium."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import Engine

from etl.settings import REPO_ROOT

SCREENSHOT = REPO_ROOT / "docs" / "report.png"


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def browse(browser: str, page: Path, profile: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", f"--user-data-dir={profile}", "--enable-logging=stderr",
         "--v=0", "--virtual-time-budget=5000", *extra, page.as_uri()],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def test_console_messages_are_caught(tmp_path: Path) -> None:
    """The check below would see a page's console error (so its silence means something)."""
    browser = chromium()
    if browser is None:
        pytest.skip("chromium is not installed (.ci/run installs the Debian package chromium)")
    page = tmp_path / "bad.html"
    page.write_text("<html><body><script>console.error('boom'); missing();</script></body></html>")
    stderr = browse(browser, page, tmp_path / "profile", "--dump-dom").stderr
    assert "boom" in stderr and "Uncaught ReferenceError" in stderr


def test_report_is_self_contained_and_links_figures_to_evidence(seeded_engine: Engine, tmp_path: Path) -> None:
    from etl.report.build import write_report

    page = write_report(seeded_engine, tmp_path / "report.html").read_text()
    assert not re.search(r"<script[^>]+src=|<link[^>]+href=\"http", page)  # nothing to fetch
    for section in ("What the corpus holds", "Aid", "Deals on a timeline", "Who supplies whom", "discrepancies"):
        assert section in page
    anchors = set(re.findall(r'id="article-(\d+)"', page))
    links = set(re.findall(r'href="#article-(\d+)"', page))
    assert links and links <= anchors  # every figure's links resolve to an article on the page
    assert "<blockquote>" in page  # evidence sentences


def test_report_charts_render_in_headless_chromium(seeded_engine: Engine, tmp_path: Path) -> None:
    browser = chromium()
    if browser is None:
        pytest.skip("chromium is not installed (.ci/run installs the Debian package chromium)")
    from etl.report.build import write_report

    page = write_report(seeded_engine, tmp_path / "report.html", stamp="from the seed corpus")  # a stable picture
    dom = browse(browser, page, tmp_path / "profile", "--dump-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    for chart in ("chart-aid", "chart-deals", "chart-network"):
        block = dom.stdout.split(f'id="{chart}"', 1)[1][:20000]
        assert 'class="main-svg"' in block, chart  # plotly drew it
    console = [line for line in dom.stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]
    assert console == []  # no console message at all: errors, warnings or uncaught exceptions
    shot = tmp_path / "report.png"
    done = browse(browser, page, tmp_path / "profile2", f"--screenshot={shot}", "--window-size=1200,3400",
                  "--hide-scrollbars")
    assert done.returncode == 0 and shot.stat().st_size > 10_000, done.stderr[-2000:]
    if os.environ.get("ARMSLEDGER_UPDATE_SCREENSHOT"):  # refresh the README's picture on demand only
        shutil.copyfile(shot, SCREENSHOT)


def test_report_command_on_an_empty_database(db_url: str, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from etl.cli import app
    from etl.settings import libpq_url

    out = tmp_path / "r.html"
    result = CliRunner().invoke(app, ["report", "--output", str(out)], env={"DATABASE_URL": libpq_url(db_url)})
    assert result.exit_code == 0, result.output
    assert f"Wrote {out}" in result.output and "What the corpus holds" in out.read_text()


def test_report_without_the_extra_says_what_to_install(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    from typer.testing import CliRunner

    from etl.cli import app
    from etl.settings import libpq_url

    monkeypatch.setitem(sys.modules, "plotly", None)
    monkeypatch.delitem(sys.modules, "etl.report.build", raising=False)
    env = {"DATABASE_URL": libpq_url(db_url)}
    result = CliRunner().invoke(app, ["report", "-o", str(tmp_path / "r.html")], env=env)
    assert result.exit_code == 2 and "pip install -e '.[report]'" in result.output
    assert len(result.output.strip().splitlines()) == 1 and not (tmp_path / "r.html").exists()
