"""Extraction speed and sameness against a baseline tree (another checkout of this repository).

    python -m benchmarks.extraction_check compare --baseline ../main [--articles 300] [--devset DIR]
    python -m benchmarks.extraction_check time --baseline ../main [--articles 100] [--runs 20]
    python -m benchmarks.extraction_check profile [--articles 300] [--top 40]

``compare`` serializes every cleaned article and its ``Extraction`` (all records, spans, amounts,
dates) for a fixed set of generated articles (and the development-set articles when the folder is
given), here and in the baseline tree (run with that tree's own Python), and reports the first
differences: a speed-up must leave the output byte-identical. ``time`` prints the transform CPU
seconds per article (``time.process_time`` around ``Extractor.extract`` over already-cleaned
articles), here and in the baseline: one process per tree holds the articles and runs
``--runs`` passes, the two taken in turn (baseline, this tree, this tree, baseline, ...) so
that the machine's drift falls on both, and the median of the pairs' ratios. ``profile``
prints the cProfile top of the transform stage. Nothing passes or fails except ``compare``'s
exit status (1 when the outputs differ).
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import dataclasses
import json
import os
import pstats
import statistics
import subprocess
import tempfile
import time
from pathlib import Path


def _devset_inputs(devset: Path, tmp: Path) -> tuple[list[Path], Path | None]:
    """The development-set article files and a manifest whose ``file`` column is absolute."""
    articles = devset / "articles"
    files = sorted(articles.glob("*.txt"))
    manifest = devset / "manifest.csv"
    if not manifest.is_file():
        return files, None
    with manifest.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        if (articles / row.get("file", "")).is_file():
            row["file"] = str((articles / row["file"]).resolve())
    fixed = tmp / "manifest.csv"
    with fixed.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]) if rows else ["file"])
        writer.writeheader()
        writer.writerows(rows)
    return files, fixed


def _articles(count: int, devset: Path | None, tmp: Path) -> list:
    """Cleaned articles: ``count`` generated ones (seed 7) then the development set's."""
    from benchmarks.generate_corpus import generate
    from etl.extract.readers import iter_documents
    from etl.records import RawDocument
    from etl.transform.metadata import article_from_document

    batches: list[tuple[list[Path], Path | None]] = []
    if count:
        batches.append((generate(tmp / "corpus", count), None))
    if devset is not None and devset.is_dir():
        batches.append(_devset_inputs(devset, tmp))
    out = []
    for files, manifest in batches:
        out += [article_from_document(d) for d in iter_documents(files, manifest) if isinstance(d, RawDocument)]
    return out


def _default(value: object) -> object:
    return str(value)


def _name(article) -> str:
    return f"{Path(article.source_path).name}:{article.source_line or 0}"


def dump(count: int, devset: Path | None, out: Path) -> None:
    """Write one JSON line per article: its clean record and its extraction."""
    from etl.pipeline import REFERENCE_DIR
    from etl.transform.extraction import Extractor

    extractor = Extractor.from_reference(REFERENCE_DIR)
    with tempfile.TemporaryDirectory(prefix="armsledger-xcheck-") as t, out.open("w", encoding="utf-8") as f:
        tmp = Path(t)
        for article in _articles(count, devset, tmp):
            extraction = extractor.extract(article)
            clean = dataclasses.asdict(article)
            clean["source_path"] = _name(article)
            row = {"article": clean, "extraction": dataclasses.asdict(extraction)}
            f.write(json.dumps(row, default=_default, sort_keys=True, ensure_ascii=False) + "\n")


def serve(count: int, devset: Path | None) -> None:
    """Read the articles, then time one pass of the transform (and of the cleaning) over them for
    every line read from stdin, printing ``{"transform": s, "clean": s}`` per article each time."""
    import sys

    from etl.extract.readers import iter_documents
    from etl.pipeline import REFERENCE_DIR
    from etl.records import RawDocument
    from etl.transform.extraction import Extractor
    from etl.transform.metadata import article_from_document

    extractor = Extractor.from_reference(REFERENCE_DIR)
    with tempfile.TemporaryDirectory(prefix="armsledger-xtime-") as t:
        docs = [d for d in _raw_docs(count, devset, Path(t), iter_documents) if isinstance(d, RawDocument)]
    articles = [article_from_document(d) for d in docs]
    for article in articles:  # warm caches (lazy patterns, lexicons) outside the timing
        extractor.extract(article)
    print(json.dumps({"articles": len(articles), "chars": sum(len(a.body) for a in articles)}), flush=True)
    for _ in sys.stdin:
        began = time.process_time()
        for doc in docs:
            article_from_document(doc)
        clean = time.process_time() - began
        began = time.process_time()
        for article in articles:
            extractor.extract(article)
        transform = time.process_time() - began
        print(json.dumps({"transform": transform / len(articles), "clean": clean / len(articles)}), flush=True)


def _raw_docs(count: int, devset: Path | None, tmp: Path, iter_documents) -> list:
    from benchmarks.generate_corpus import generate

    docs = []
    if count:
        docs += list(iter_documents(generate(tmp / "corpus", count)))
    if devset is not None and devset.is_dir():
        docs += list(iter_documents(*_devset_inputs(devset, tmp)))
    return docs


def profile(count: int, devset: Path | None, top: int, save: Path | None = None) -> None:
    from etl.pipeline import REFERENCE_DIR
    from etl.transform.extraction import Extractor

    extractor = Extractor.from_reference(REFERENCE_DIR)
    with tempfile.TemporaryDirectory(prefix="armsledger-xprof-") as t:
        articles = _articles(count, devset, Path(t))
        extractor.extract(articles[0])
        prof = cProfile.Profile()
        prof.enable()
        for article in articles:
            extractor.extract(article)
        prof.disable()
    if save is not None:
        prof.dump_stats(str(save))
    stats = pstats.Stats(prof).strip_dirs()
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)


def _start(tree: Path, args: list[str]) -> subprocess.Popen[str]:
    """This script with ``args`` in a checkout (its own .venv and code), talking over pipes."""
    python = tree / ".venv" / "bin" / "python"
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.Popen([str(python), str(Path(__file__).resolve()), *args], cwd=tree, env=env,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _in_tree(tree: Path, args: list[str]) -> str:
    """Run this script with ``args`` in another checkout, with that checkout's Python and code."""
    proc = _start(tree, args)
    out, err = proc.communicate()
    if proc.returncode:
        raise SystemExit(f"baseline run failed in {tree}: {err.strip().splitlines()[-1:]}")
    return out


def _ask(proc: subprocess.Popen[str], tree: Path) -> dict:
    """The next JSON line of a ``serve`` process."""
    line = proc.stdout.readline() if proc.stdout else ""
    if not line:
        proc.wait()
        err = proc.stderr.read().strip().splitlines()[-1:] if proc.stderr else []
        raise SystemExit(f"timing run failed in {tree}: {err}")
    return json.loads(line)


def _diff(ours: Path, theirs: Path, show: int = 5) -> int:
    a = ours.read_text(encoding="utf-8").splitlines()
    b = theirs.read_text(encoding="utf-8").splitlines()
    bad = 0
    if len(a) != len(b):
        print(f"article count differs: {len(a)} here, {len(b)} in the baseline")
        bad += 1
    for x, y in zip(a, b, strict=False):
        if x == y:
            continue
        bad += 1
        if bad > show:
            continue
        rx, ry = json.loads(x), json.loads(y)
        name = rx["article"]["source_path"]
        for part in ("article", "extraction"):
            for key in sorted(set(rx[part]) | set(ry[part])):
                if rx[part].get(key) != ry[part].get(key):
                    print(f"{name}: {part}.{key} differs\n  here:     {json.dumps(rx[part].get(key))[:600]}"
                          f"\n  baseline: {json.dumps(ry[part].get(key))[:600]}")
    return bad


def _time(args: argparse.Namespace, common: list[str]) -> None:
    """Transform CPU per article here and in the baseline: one process per tree holds the articles,
    and the two are asked in turn (ABBA) for ``--runs`` passes each, so that the machine's drift
    falls on both; the ratio is the median of the pairs' ratios."""
    trees = {"this tree": Path(__file__).resolve().parent.parent}
    if args.baseline:
        trees = {"baseline": args.baseline.resolve(), **trees}
    procs = {k: _start(t, ["serve", *common]) for k, t in trees.items()}
    try:
        sizes = {k: _ask(p, trees[k]) for k, p in procs.items()}
        runs: dict[str, list[dict]] = {k: [] for k in procs}
        order = list(procs)
        for n in range(args.runs):
            for k in order if n % 2 == 0 else order[::-1]:
                procs[k].stdin.write("run\n")  # type: ignore[union-attr]
                procs[k].stdin.flush()  # type: ignore[union-attr]
                runs[k].append(_ask(procs[k], trees[k]))
    finally:
        for p in procs.values():
            p.kill()
            p.wait()
    size = sizes["this tree"]
    print(f"{size['articles']} articles, {size['chars'] / size['articles']:.0f} chars each; "
          f"CPU ms per article, {args.runs} passes of each tree in turn")
    print(f"{'':<12}{'transform':>12}{'clean':>10}  (medians; each pass)")
    for label, passes in runs.items():
        t = [r["transform"] * 1000 for r in passes]
        c = [r["clean"] * 1000 for r in passes]
        print(f"{label:<12}{statistics.median(t):>10.1f}ms{statistics.median(c):>8.1f}ms  "
              + " ".join(f"{x:.1f}" for x in t))
    if args.baseline:
        pairs = list(zip(runs["baseline"], runs["this tree"], strict=True))
        ratios = [b["transform"] / h["transform"] for b, h in pairs]
        clean = [b["clean"] / h["clean"] for b, h in pairs]
        print(f"speed-up (baseline / this tree), median of the pairs: transform {statistics.median(ratios):.3f}x "
              f"(quartiles {_quartiles(ratios)}), clean {statistics.median(clean):.3f}x")


def _quartiles(values: list[float]) -> str:
    q = statistics.quantiles(values, n=4) if len(values) > 1 else values * 3
    return f"{q[0]:.3f}-{q[2]:.3f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["compare", "time", "profile", "dump", "serve"])
    parser.add_argument("--articles", type=int, default=300, help="generated articles (seed 7)")
    parser.add_argument("--devset", type=Path, default=None, help="also the development-set folder")
    parser.add_argument("--baseline", type=Path, default=None, help="another checkout with its own .venv")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--out", type=Path, default=None, help="dump: the JSON lines; profile: the stats file")
    args = parser.parse_args(argv)
    common = ["--articles", str(args.articles)] + (["--devset", str(args.devset.resolve())] if args.devset else [])
    if args.mode == "dump":
        dump(args.articles, args.devset, args.out)
    elif args.mode == "serve":
        serve(args.articles, args.devset)
    elif args.mode == "profile":
        profile(args.articles, args.devset, args.top, args.out)
    elif args.mode == "compare":
        if args.baseline is None:
            parser.error("compare needs --baseline")
        with tempfile.TemporaryDirectory(prefix="armsledger-xcmp-") as t:
            ours, theirs = Path(t) / "ours.jsonl", Path(t) / "theirs.jsonl"
            _in_tree(args.baseline.resolve(), ["dump", *common, "--out", str(theirs)])
            dump(args.articles, args.devset, ours)
            bad = _diff(ours, theirs)
            total = len(ours.read_text(encoding="utf-8").splitlines())
        print(f"{total - bad} of {total} articles identical to the baseline ({args.baseline})")
        return 1 if bad else 0
    else:
        _time(args, common)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
