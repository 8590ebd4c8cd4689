"""Make a synthetic corpus of N distinct articles from the seed paragraphs (figures, never answers).

Paragraphs of the seed articles are sampled and recombined, and numbers are perturbed, so every
article is new to the loader (its own content hash) while reading like the real thing."""

from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[1] / "data" / "seeds"


def paragraphs() -> list[str]:
    paras: list[str] = []
    for path in sorted(SEEDS.glob("*.txt")):
        paras += [p.strip() for p in path.read_text().split("\n\n") if len(p.split()) >= 12]
    return paras


def generate(out: Path, count: int, seed: int = 7) -> list[Path]:
    rng = random.Random(seed)
    pool = paragraphs()
    out.mkdir(parents=True, exist_ok=True)
    files = []
    for i in range(count):
        body = [rng.choice(pool) for _ in range(rng.randint(6, 14))]
        text = "\n\n".join(re.sub(r"\d+", lambda m: str(int(m.group()) + rng.randint(0, 9)), p) for p in body)
        path = out / f"bench_{i:05d}.txt"
        path.write_text(f"Synthetic defense report {i}\n\nLIMA, Oct. {1 + i % 28} (UPI) -- {text}\n")
        files.append(path)
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=200)
    args = parser.parse_args()
    print(f"wrote {len(generate(args.out, args.count))} articles to {args.out}")


if __name__ == "__main__":
    main()
