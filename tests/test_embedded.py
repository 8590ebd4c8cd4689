"""The embedded default database: binaries lookup, idempotent start, a URL psql accepts."""

import shutil
import subprocess
import time
from pathlib import Path

import pytest

from etl.embedded import Cluster, EmbeddedError, find_bindir
from etl.settings import libpq_url


def test_missing_binaries_give_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(EmbeddedError, match="apt-get install -y postgresql"):
        find_bindir(tmp_path)


def test_finds_the_machine_binaries() -> None:
    bindir = find_bindir()
    assert (bindir / "initdb").is_file() and (bindir / "pg_ctl").is_file()


def test_start_is_idempotent_and_fast_and_url_works_in_psql(tmp_path: Path) -> None:
    tmp_path.chmod(0o755)
    cluster = Cluster(tmp_path / "home", find_bindir())
    try:
        assert cluster.start() is True
        began = time.perf_counter()
        assert cluster.start() is False
        assert time.perf_counter() - began < 5
        assert cluster.is_running()
        psql = shutil.which("psql") or str(find_bindir() / "psql")
        out = subprocess.run(
            [psql, libpq_url(cluster.url()), "-tAc", "select current_database()"],
            capture_output=True,
            text=True,
            check=True,
        )
        assert out.stdout.strip() == "armsledger"
        assert cluster.stop() is True
        assert cluster.stop() is False
        assert cluster.start() is True  # restarts an existing cluster
    finally:
        cluster.destroy()
    assert not cluster.is_initialised()
