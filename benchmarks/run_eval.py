"""Score the ETL on the real-article development set and write the figures as JSON.

    python -m benchmarks.run_eval [--devset ../shared/devset] [--json benchmarks/eval.json]

The development set is read where it lives (never copied into the repository); when it is absent
the script says so and exits 0. Compare two runs' JSON to see what a change did.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from etl.evaluation.runner import evaluate
from etl.settings import REPO_ROOT

DEFAULT_DEVSET = REPO_ROOT.parent / "shared" / "devset"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devset", type=Path, default=DEFAULT_DEVSET, help="folder with gold.yaml and articles/")
    parser.add_argument("--json", type=Path, help="write the scores here")
    parser.add_argument("--in-memory", action="store_true", help="score without a database (faster)")
    args = parser.parse_args(argv)
    gold = args.devset / "gold.yaml"
    if not gold.is_file():
        print(f"skipped: no development set at {args.devset}")
        return 0
    result = evaluate(gold, in_memory=args.in_memory)
    text = json.dumps(result.scores, indent=2)
    if args.json:
        args.json.write_text(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
