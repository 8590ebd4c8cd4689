"""Read article files (.txt, .html/.htm, .jsonl) into RawDocuments, or Rejections saying why not.

Directories are walked recursively in sorted order. A ``manifest.csv`` (columns
file,publisher,title,url,published,byline) inside a directory applies to the files of that
directory tree, its ``file`` column read relative to the manifest's folder; an explicit
``manifest`` argument replaces every discovered one (a path named ``manifest.csv`` given
explicitly is used as a manifest too). Files with other extensions are skipped
silently inside directories but rejected when named explicitly; a file reached twice is read
once. Bad input never raises.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from etl.records import RawDocument, Rejection

SUFFIXES = {".txt": "txt", ".html": "html", ".htm": "html", ".jsonl": "jsonl"}
META_FIELDS = ("title", "url", "publisher", "published", "byline")
MANIFEST_NAME = "manifest.csv"
Meta = dict[str, str]


def iter_documents(
    paths: Iterable[Path], manifest: Path | None = None, max_bytes: int = 5_000_000
) -> Iterator[RawDocument | Rejection]:
    """Yield one RawDocument per article (one per good JSON line) and a Rejection per bad input."""
    files: list[tuple[Path, bool]] = []
    manifests: list[Path] = [manifest] if manifest else []
    for path in map(Path, paths):
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file())
            files += [(p, False) for p in found if p.name != MANIFEST_NAME]
            if manifest is None:
                manifests += [p for p in found if p.name == MANIFEST_NAME]
        elif path.name == MANIFEST_NAME and manifest is None:
            manifests.append(path)
        else:
            files.append((path, True))
    meta: dict[Path, Meta] = {}
    for mpath in manifests:
        yield from _read_manifest(mpath, meta)
    seen: set[Path] = set()
    for path, explicit in files:
        if path.resolve() in seen:
            continue
        seen.add(path.resolve())
        kind = SUFFIXES.get(path.suffix.lower())
        if kind is None:
            if explicit:
                yield Rejection(str(path), f"unsupported file type {path.suffix or '(none)'!r}")
            continue
        yield from _read_file(path, kind, meta.get(path.resolve(), {}), max_bytes)


def _read_manifest(path: Path, meta: dict[Path, Meta]) -> Iterator[Rejection]:
    try:
        text = _decode(path.read_bytes())
        rows = list(csv.DictReader(text.splitlines()))
    except (OSError, ValueError, csv.Error) as exc:
        yield Rejection(str(path), f"unreadable manifest: {exc}")
        return
    if rows and "file" not in rows[0]:
        yield Rejection(str(path), "manifest has no 'file' column")
        return
    for row_no, row in enumerate(rows, start=2):  # row 1 is the header
        name = (row.get("file") or "").strip()
        target = (path.parent / name).resolve()
        if not name or not target.is_file():
            reason = f"manifest row {row_no} names a missing file: {name or '(blank)'}"
            yield Rejection(str(path), reason, source_line=row_no)
            continue
        values = {k: (row.get(k) or "").strip() for k in META_FIELDS}
        meta[target] = {k: v for k, v in values.items() if v}


def _decode(data: bytes) -> str:
    """UTF-8 text (a BOM is dropped); ValueError with a human reason otherwise."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ValueError(f"not valid UTF-16 at byte {exc.start}") from exc
    if (nul := data.find(b"\x00")) >= 0:
        raise ValueError(f"binary file (NUL byte at offset {nul})")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"not valid UTF-8 at byte {exc.start}") from exc


def _read_file(path: Path, kind: str, meta: Meta, max_bytes: int) -> Iterator[RawDocument | Rejection]:
    where = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            yield Rejection(where, f"file is {_size(size)}, over the {_size(max_bytes)} limit")
            return
        text = _decode(path.read_bytes())
    except OSError as exc:
        yield Rejection(where, f"unreadable file: {exc.strerror or exc}")
        return
    except ValueError as exc:
        yield Rejection(where, str(exc))
        return
    if not text.strip():
        yield Rejection(where, "empty file" if not text else "file contains only whitespace")
        return
    origin = dict.fromkeys(meta, "manifest")
    if kind == "jsonl":
        yield from _read_jsonl(where, text, meta, origin)
    elif kind == "html":
        yield RawDocument(where, None, "html", html=text, meta=dict(meta), meta_origin=origin)
    else:
        yield RawDocument(where, None, "txt", text=text, meta=dict(meta), meta_origin=origin)


def _size(n: int) -> str:
    """Human size in decimal units: "7.2 MB", "12.0 kB", "300 bytes"."""
    if n >= 100_000:
        return f"{n / 1e6:.1f} MB"
    return f"{n / 1e3:.1f} kB" if n >= 1_000 else f"{n} bytes"


def _read_jsonl(where: str, text: str, meta: Meta, origin: Meta) -> Iterator[RawDocument | Rejection]:
    for line_no, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Rejection(where, f"line {line_no}: invalid JSON: {exc.msg}", source_line=line_no)
            continue
        if not isinstance(obj, dict):
            reason = f"line {line_no}: expected a JSON object, got {type(obj).__name__}"
            yield Rejection(where, reason, source_line=line_no)
            continue
        body = {k: obj[k] for k in ("text", "html") if isinstance(obj.get(k), str) and obj[k].strip()}
        if not body:
            reason = f"line {line_no}: no non-empty 'text' or 'html' field"
            yield Rejection(where, reason, source_line=line_no)
            continue
        own = {k: str(obj[k]).strip() for k in META_FIELDS if isinstance(obj.get(k), str | int | float)}
        own = {k: v for k, v in own.items() if v}
        yield RawDocument(
            where,
            line_no,
            "jsonl",
            text=body.get("text"),
            html=body.get("html"),
            meta={**meta, **own},
            meta_origin={**origin, **dict.fromkeys(own, "jsonl")},
        )
