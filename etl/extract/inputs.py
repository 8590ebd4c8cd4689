"""Which files an `etl run` reads, which it skips and which it refuses, and why.

Folders are walked without following symlinked folders; a symlink is read only when it resolves
to a regular file inside the folder given (a loop, a broken link or a link out of the folder is
refused with that reason). Files of types the ETL does not read, special files (pipes, devices)
and symlinked folders are listed as skipped so the run summary can say so.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from etl.records import Rejection

SUFFIXES = {".txt": "txt", ".html": "html", ".htm": "html", ".jsonl": "jsonl"}
MANIFEST_NAME = "manifest.csv"


@dataclass
class InputFile:
    path: Path
    explicit: bool  # named on the command line (not found inside a folder)


@dataclass
class Inputs:
    """Files to read, manifests found, inputs refused and files skipped (path, reason)."""

    files: list[InputFile] = field(default_factory=list)
    manifests: list[Path] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    roots: list[Path] = field(default_factory=list)  # resolved folders and files given

    def contains(self, target: Path) -> bool:
        """Whether the resolved ``target`` is one of the inputs or inside a folder given."""
        return any(target == root or root in target.parents for root in self.roots)


def is_inside(target: Path, root: Path) -> bool:
    return target == root or root in target.parents


def _entries(folder: Path, root: Path, out: Inputs) -> list[Path]:
    """Regular files under ``folder`` (recorded problems go to ``out``), unsorted."""
    found: list[Path] = []
    stack = [folder]
    while stack:
        current = stack.pop()
        try:
            with os.scandir(current) as it:
                entries = list(it)
        except OSError as exc:
            out.rejections.append(Rejection(str(current), f"unreadable folder: {exc.strerror or exc}"))
            continue
        for entry in entries:
            path = Path(entry.path)
            try:
                if entry.is_symlink():
                    _symlink(path, root, found, out)
                elif entry.is_dir(follow_symlinks=False):
                    stack.append(path)
                elif entry.is_file(follow_symlinks=False):
                    found.append(path)
                else:
                    out.skipped.append((str(path), "not a regular file (pipe, socket or device)"))
            except OSError as exc:
                out.rejections.append(Rejection(str(path), f"unreadable: {exc.strerror or exc}"))
    return found


def _symlink(path: Path, root: Path, found: list[Path], out: Inputs) -> None:
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError) as exc:  # RuntimeError: a loop, on Python < 3.13
        loop = isinstance(exc, RuntimeError) or getattr(exc, "errno", None) == 40
        out.rejections.append(Rejection(str(path), "symlink loop" if loop else "broken symlink"))
        return
    if not is_inside(target, root):
        out.rejections.append(Rejection(str(path), f"symlink points outside the input folder ({root})"))
    elif target.is_dir():
        out.skipped.append((str(path), "symlinked folder (not followed)"))
    elif target.is_file():
        found.append(path)
    else:
        out.skipped.append((str(path), "not a regular file (pipe, socket or device)"))


def collect(paths: Iterable[Path], manifest: Path | None = None) -> Inputs:
    """Walk ``paths``: the files to read in sorted order, manifests, refusals and skipped files."""
    out = Inputs(manifests=[manifest] if manifest else [])
    for path in map(Path, paths):
        try:
            out.roots.append(path.resolve())
        except (OSError, RuntimeError):
            out.rejections.append(Rejection(str(path), "symlink loop"))
            continue
        if path.is_dir():
            found = sorted(_entries(path, path.resolve(), out))
            for p in found:
                if p.name == MANIFEST_NAME:
                    if manifest is None:
                        out.manifests.append(p)
                elif p.suffix.lower() in SUFFIXES:
                    out.files.append(InputFile(p, False))
                else:
                    out.skipped.append((str(p), f"not a file type the ETL reads ({p.suffix or 'no extension'})"))
        elif path.name == MANIFEST_NAME and manifest is None:
            out.manifests.append(path)
        else:
            out.files.append(InputFile(path, True))
    out.skipped.sort()
    return out


def skipped_files(paths: Iterable[Path], manifest: Path | None = None) -> list[tuple[str, str]]:
    """(path, reason) of every file under ``paths`` the ETL does not read."""
    return collect(paths, manifest).skipped
