"""Start-up time of the CLI: median wall time of `armsledger --help`, `query list` and `db status`
(against a throwaway embedded cluster), beside the bare interpreter start as the baseline.

    .venv/bin/python scripts/bench_cli_startup.py [--runs 9] [--before OLD_CHECKOUT]

``--before`` times the same commands in another checkout (e.g. `git worktree add /tmp/old main`)
with this interpreter, in the same run, so the two sets of figures share the machine's load.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def median_seconds(cmd: list[str], env: dict[str, str], runs: int, cwd: Path = ROOT) -> tuple[float, float]:
    """Median wall time and median CPU time (user + system; less sensitive to a busy machine)."""
    wall, cpu = [], []
    for _ in range(runs):
        began, cpu_began = time.perf_counter(), _cpu()
        subprocess.run(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        wall.append(time.perf_counter() - began)
        cpu.append(_cpu() - cpu_began)
    return statistics.median(wall), statistics.median(cpu)


def main() -> None:
    from etl.embedded import Cluster, find_bindir

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--before", type=Path, help="another checkout to time the same way")
    options = parser.parse_args()
    runs = options.runs
    trees = [("", ROOT)] + ([("before: ", options.before.resolve())] if options.before else [])
    entry = [sys.executable, "-c", "import sys; sys.argv[0] = 'armsledger'; from etl.cli import main; main()"]
    home = Path(tempfile.mkdtemp(prefix="armsledger-bench-"))
    home.chmod(0o755)
    cluster = Cluster(home / "home", find_bindir())
    cluster.start()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["ARMSLEDGER_HOME"] = str(home / "home")
    try:
        base, base_cpu = median_seconds([sys.executable, "-c", "pass"], env, runs)
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; {runs} runs each")
        print(f"{'command':<36}{'wall s':>9}{'cpu s':>9}{'x python':>10}")
        print(f"{'python -c pass (baseline)':<36}{base:>9.3f}{base_cpu:>9.3f}{1:>10.1f}")
        for label, tree in trees:
            for args in (["--help"], ["query", "list"], ["db", "status"]):
                seconds, cpu = median_seconds([*entry, *args], env, runs, tree)
                name = label + "armsledger " + " ".join(args)
                print(f"{name:<36}{seconds:>9.3f}{cpu:>9.3f}{seconds / base:>10.1f}")
    finally:
        cluster.destroy()


if __name__ == "__main__":
    main()
