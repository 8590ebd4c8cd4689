"""Extraction speed and sameness against a baseline tree (another checkout of this repository).

    python -m benchmarks.extraction_check compare --baseline ../main [--articles 300] [--devset DIR]
    python -m benchmarks.extraction_check time --baseline ../main [--articles 300] [--runs 3]
    python -m benchmarks.extraction_check profile [--articles 300] [--top 40]

``compare`` serializes every cleaned article and its ``Extraction`` (all records, spans, amounts,
dates) for a fixed set of generated articles (and the development-set articles when the folder is
given), here and in the baseline tree (run with that tree's own Python), and reports the first
differences: a speed-up must leave the output byte-identical. ``time`` prints the transform CPU
seconds per article (``time.process_time`` around ``Extractor.extract`` over already-cleaned
articles; median of ``--runs`` passes), here and in the baseline, and their ratio. ``profile``
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


def cpu_seconds(count: int, devset: Path | None, runs: int) -> dict[str, float]:
    """Median transform (and clean) CPU seconds per article over ``runs`` passes."""
    from etl.extract.readers import iter_documents
    from etl.pipeline import REFERENCE_DIR
    from etl.records import RawDocument
    from etl.transform.extraction import Extractor
    from etl.transform.metadata import article_from_document

    extractor = Extractor.from_reference(REFERENCE_DIR)
    with tempfile.TemporaryDirectory(prefix="armsledger-xtime-") as t:
        tmp = Path(t)
        docs = [d for d in _raw_docs(count, devset, tmp, iter_documents) if isinstance(d, RawDocument)]
        articles = [article_from_document(d) for d in docs]
        extractor.extract(articles[0])  # warm caches (lazy patterns, lexicons) outside the timing
        transform, clean = [], []
        for _ in range(runs):
            began = time.process_time()
            for doc in docs:
                article_from_document(doc)
            clean.append(time.process_time() - began)
            began = time.process_time()
            for article in articles:
                extractor.extract(article)
            transform.append(time.process_time() - began)
    n = len(articles)
    return {"articles": n, "chars": sum(len(a.body) for a in articles),
            "transform_s_per_article": statistics.median(transform) / n,
            "clean_s_per_article": statistics.median(clean) / n}


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


def _in_tree(tree: Path, args: list[str]) -> str:
    """Run this script with ``args`` in another checkout, with that checkout's Python and code."""
    python = tree / ".venv" / "bin" / "python"
    env = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run([str(python), str(Path(__file__).resolve()), *args], cwd=tree, env=env,
                          capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"baseline run failed in {tree}: {done.stderr.strip().splitlines()[-1:]}")
    return done.stdout


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["compare", "time", "profile", "dump", "cpu"])
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
    elif args.mode == "cpu":
        print(json.dumps(cpu_seconds(args.articles, args.devset, args.runs)))
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
        base = json.loads(_in_tree(args.baseline.resolve(), ["cpu", *common, "--runs", str(args.runs)])) \
            if args.baseline else None
        here = cpu_seconds(args.articles, args.devset, args.runs)
        print(f"{here['articles']} articles, {here['chars'] / here['articles']:.0f} chars each; "
              f"CPU s per article, median of {args.runs} runs")
        print(f"{'':<12}{'transform':>12}{'clean':>10}")
        if base:
            print(f"{'baseline':<12}{base['transform_s_per_article'] * 1000:>10.1f}ms"
                  f"{base['clean_s_per_article'] * 1000:>8.1f}ms")
        print(f"{'this tree':<12}{here['transform_s_per_article'] * 1000:>10.1f}ms"
              f"{here['clean_s_per_article'] * 1000:>8.1f}ms")
        if base:
            print(f"speed-up (baseline / this tree): transform "
                  f"{base['transform_s_per_article'] / here['transform_s_per_article']:.2f}x, clean "
                  f"{base['clean_s_per_article'] / here['clean_s_per_article']:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
