"""Which files an `etl run` reads, which it skips and which it refuses, and why.

Folders are walked without following symlinked folders; a symlink is read only when it resolves
to a regular file inside the folder given (a loop, a broken link or a link out of the folder is
refused with that reason). Files of types the ETL does not read, special files (pipes, devices)
and symlinked folders are listed as skipped so the run summary can say so.

:func:`collect` walks the inputs once for manifests, refusals and skipped files and keeps no list
of the files themselves: :meth:`Inputs.files` walks again and yields them one at a time, in sorted
order, each resolved file once. Only files that can be reached twice (symlink targets, files named
on the command line) are remembered for that, so memory does not grow with the number of files
(the list of a million paths and the set of their resolved forms took about 870 MB).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from etl.records import Rejection

SUFFIXES = {".txt": "txt", ".html": "html", ".htm": "html", ".jsonl": "jsonl"}
MANIFEST_NAME = "manifest.csv"


@dataclass
class InputFile:
    path: Path
    explicit: bool  # named on the command line (not found inside a folder)
    resolved: Path  # the file it is (a manifest's rows name files by this)


@dataclass
class Inputs:
    """Manifests found, inputs refused and files skipped (path, reason); :meth:`files` yields
    the files to read."""

    manifests: list[Path] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    roots: list[Path] = field(default_factory=list)  # resolved folders and files given
    given: list[tuple[Path, Path, bool]] = field(default_factory=list)  # to read: (path, resolved, is a folder)
    twice: set[Path] = field(default_factory=set)  # resolved files reachable twice (symlink targets, named)

    def contains(self, target: Path) -> bool:
        """Whether the resolved ``target`` is one of the inputs or inside a folder given."""
        return any(target == root or root in target.parents for root in self.roots)

    def files(self) -> Iterator[InputFile]:
        """The files to read: each folder's in sorted order, in the order given, each resolved
        file once (where it comes first)."""
        seen: set[Path] = set()
        walked: set[Path] = set()  # resolved folders given and walked already
        for path, resolved, is_dir in self.given:
            if not is_dir:
                if _first(resolved, self.twice, seen):
                    yield InputFile(path, True, resolved)
                continue
            if any(is_inside(resolved, done) for done in walked):
                continue  # inside a folder already walked: its files were read there
            for found, target in _walk(path, resolved, resolved, walked):
                wanted = found.name != MANIFEST_NAME and found.suffix.lower() in SUFFIXES
                if wanted and _first(target, self.twice, seen):
                    yield InputFile(found, False, target)
            walked.add(resolved)


def _first(resolved: Path, twice: set[Path], seen: set[Path]) -> bool:
    """Whether the file is read here: not a file reachable twice and already read."""
    if resolved not in twice:
        return True
    if resolved in seen:
        return False
    seen.add(resolved)
    return True


def _walk(folder: Path, resolved: Path, root: Path, walked: set[Path]) -> Iterator[tuple[Path, Path]]:
    """(path, resolved path) of the regular files and good file symlinks under ``folder``
    (``resolved``; inside the resolved input folder ``root``),
    depth first with each folder's entries by name, which is the order of their sorted paths.
    Folders in ``walked`` are left out; problems are left out too (:func:`_entries` recorded
    them)."""
    try:
        names = sorted(os.listdir(folder))  # names only: the least a sorted folder can hold
    except OSError:
        return
    for name in names:
        path, inner = folder / name, resolved / name  # no symlinked folder is followed
        try:
            mode = path.lstat().st_mode
            if stat.S_ISLNK(mode):
                target = path.resolve(strict=True)
                if is_inside(target, root) and target.is_file():
                    yield path, target
            elif stat.S_ISDIR(mode):
                if inner not in walked:
                    yield from _walk(path, inner, root, walked)
            elif stat.S_ISREG(mode):
                yield path, inner
        except (OSError, RuntimeError):  # RuntimeError: a loop, on Python < 3.13
            continue


def is_inside(target: Path, root: Path) -> bool:
    return target == root or root in target.parents


def _entries(folder: Path, root: Path, out: Inputs) -> list[Path]:
    """Walk ``folder`` once: record its problems, skipped files and symlink targets in ``out``;
    return the manifests found (unsorted). The files to read are not kept (:meth:`Inputs.files`)."""
    manifests: list[Path] = []
    stack = [folder]
    while stack:
        current = stack.pop()
        try:
            with os.scandir(current) as entries:  # one entry at a time: a folder may hold a million files
                for entry in entries:
                    _entry(entry, root, stack, manifests, out)
        except OSError as exc:
            out.rejections.append(Rejection(str(current), f"unreadable folder: {exc.strerror or exc}"))
    return manifests


def _entry(entry: os.DirEntry, root: Path, stack: list[Path], manifests: list[Path], out: Inputs) -> None:
    path = Path(entry.path)
    try:
        if entry.is_symlink():
            if _symlink(path, root, out):
                _found(path, manifests, out)
        elif entry.is_dir(follow_symlinks=False):
            stack.append(path)
        elif entry.is_file(follow_symlinks=False):
            _found(path, manifests, out)
        else:
            out.skipped.append((str(path), "not a regular file (pipe, socket or device)"))
    except OSError as exc:
        out.rejections.append(Rejection(str(path), f"unreadable: {exc.strerror or exc}"))


def _found(path: Path, manifests: list[Path], out: Inputs) -> None:
    if path.name == MANIFEST_NAME:
        manifests.append(path)
    elif path.suffix.lower() not in SUFFIXES:
        out.skipped.append((str(path), f"not a file type the ETL reads ({path.suffix or 'no extension'})"))


def _symlink(path: Path, root: Path, out: Inputs) -> bool:
    """Whether the symlink is a file to read (its target is then reachable twice); else its
    refusal or skip is recorded."""
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError) as exc:  # RuntimeError: a loop, on Python < 3.13
        loop = isinstance(exc, RuntimeError) or getattr(exc, "errno", None) == 40
        out.rejections.append(Rejection(str(path), "symlink loop" if loop else "broken symlink"))
        return False
    if not is_inside(target, root):
        out.rejections.append(Rejection(str(path), f"symlink points outside the input folder ({root})"))
    elif target.is_dir():
        out.skipped.append((str(path), "symlinked folder (not followed)"))
    elif target.is_file():
        out.twice.add(target)
        return True
    else:
        out.skipped.append((str(path), "not a regular file (pipe, socket or device)"))
    return False


def collect(paths: Iterable[Path], manifest: Path | None = None) -> Inputs:
    """Walk ``paths`` once: manifests, refusals and skipped files; :meth:`Inputs.files` then
    yields the files to read in sorted order."""
    out = Inputs(manifests=[manifest] if manifest else [])
    for path in map(Path, paths):
        try:
            resolved = path.resolve()
        except (OSError, RuntimeError):
            out.rejections.append(Rejection(str(path), "symlink loop"))
            continue
        out.roots.append(resolved)
        if path.is_dir():
            found = sorted(_entries(path, resolved, out))
            if manifest is None:
                out.manifests.extend(found)
            out.given.append((path, resolved, True))
        elif path.name == MANIFEST_NAME and manifest is None:
            out.manifests.append(path)
        else:
            out.given.append((path, resolved, False))
            out.twice.add(resolved)
    out.skipped.sort()
    return out


def skipped_files(paths: Iterable[Path], manifest: Path | None = None) -> list[tuple[str, str]]:
    """(path, reason) of every file under ``paths`` the ETL does not read."""
    return collect(paths, manifest).skipped
