"""The files an `etl run` reads are streamed from a second walk (etl/extract/inputs.py), not kept
in a list: their order and the rule "each resolved file once, where it comes first" are those of
sorting every file path of each input and resolving each one."""

from __future__ import annotations

import os
import tracemalloc
from pathlib import Path

import pytest

from etl.extract.inputs import MANIFEST_NAME, SUFFIXES, collect


def _listed(paths: list[Path]) -> list[str]:
    """What sorting all paths and resolving each file gives (the rule the walk keeps)."""
    out, seen = [], set()
    for path in paths:
        if path.is_dir():
            root = path.resolve()
            files = []
            for folder, _dirs, names in os.walk(path):  # symlinked folders are not entered
                for name in names:
                    f = Path(folder) / name
                    target = f.resolve()
                    if f.is_symlink() and not (target.is_file() and (target == root or root in target.parents)):
                        continue
                    if name != MANIFEST_NAME and f.suffix.lower() in SUFFIXES:
                        files.append(f)
            files.sort()
        elif path.name == MANIFEST_NAME:
            continue
        else:
            files = [path]
        for f in files:
            if (r := f.resolve()) not in seen:
                seen.add(r)
                out.append(str(f))
    return out


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    top = tmp_path / "corpus"
    for folder in ("a", "a b", "a-b", "a/z", "b", "b/a", "c"):
        (top / folder).mkdir(parents=True, exist_ok=True)
    for name in ("a.txt", "a b.txt", "a/x.txt", "a/z/y.html", "a b/q.jsonl", "a-b/r.TXT", "b/m.htm",
                 "b/a/n.txt", "c/notes.csv", "c/manifest.csv", "zz.txt"):  # fmt: skip
        (top / name).write_text("x")
    os.symlink(top / "zz.txt", top / "a" / "link-later.txt")  # its target comes later in order
    os.symlink(top / "a.txt", top / "b" / "link-earlier.txt")  # its target came earlier
    os.symlink(top / "b" / "a" / "n.txt", top / "0-first.txt")  # before its target
    os.symlink(top / "a", top / "c" / "dirlink")  # a symlinked folder: not followed
    os.symlink(tmp_path / "elsewhere.txt", top / "c" / "out.txt")  # broken, outside
    return top


@pytest.mark.parametrize(
    "inputs",
    [
        ["corpus"],
        ["corpus", "corpus"],
        ["corpus/b", "corpus"],  # a folder, then the folder it is in
        ["corpus", "corpus/b"],  # a folder, then one inside it
        ["corpus/zz.txt", "corpus"],  # a file named, then its folder
        ["corpus", "corpus/zz.txt", "corpus/a/link-later.txt"],
        ["corpus/c/manifest.csv", "corpus/a"],
    ],
)
def test_files_come_in_sorted_order_each_once(tree: Path, inputs: list[str]) -> None:
    paths = [tree.parent / p for p in inputs]
    assert [str(f.path) for f in collect(paths).files()] == _listed(paths)
    assert all(f.resolved == f.path.resolve() for f in collect(paths).files())


def test_the_walk_keeps_no_list_of_files(tmp_path: Path) -> None:
    """Listing many files holds one at a time: memory does not grow with the number of files."""
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(20000):
        (folder / f"article_{i:06d}.txt").touch()
    inputs = collect([folder])
    tracemalloc.start()
    count = sum(1 for _ in inputs.files())
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert count == 20000
    assert peak < 8 * 2**20  # one folder's directory entries; a list of 20,000 paths took about 17 MB
