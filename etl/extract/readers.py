"""Read article files (.txt, .html/.htm, .jsonl) into RawDocuments, or Rejections saying why not.

Folders are walked in sorted order (see :mod:`etl.extract.inputs`: symlinks, skipped types). A
``manifest.csv`` (columns file,publisher,title,url,published,byline) inside a folder applies to the
files of that folder tree, its ``file`` column read relative to the manifest's folder; an explicit
``manifest`` argument replaces every discovered one (a path named ``manifest.csv`` given
explicitly is used as a manifest too). Files with other extensions inside folders are skipped (and
listed by :func:`skipped_files`) but rejected when named explicitly; a file reached twice is read
once (a second file with the same text loads as "unchanged": articles are keyed by content).
Text is UTF-8, UTF-16 with a BOM, or Latin-1 / Windows-1252 (the encoding is kept in
``meta["encoding"]`` when it is not UTF-8). Bad input never raises.
"""

from __future__ import annotations

import csv
import json
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from etl.extract.inputs import MANIFEST_NAME, SUFFIXES, Inputs, collect, skipped_files
from etl.records import RawDocument, Rejection

__all__ = ["MANIFEST_NAME", "SUFFIXES", "iter_documents", "max_file_bytes", "skipped_files"]

META_FIELDS = ("title", "url", "publisher", "published", "byline")
DEFAULT_MAX_BYTES = 5_000_000
MAX_HTML_DEPTH = 1_000
Meta = dict[str, str]
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f\x7f]")
_UNDEFINED_1252 = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")
_TAG = re.compile(r"<(/?)([A-Za-z][\w:-]*)[^<>]*?(/?)>")
# Elements that have no end tag, or whose end tag HTML lets authors leave out.
_UNNESTED = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track",
    "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option", "tbody", "thead", "tfoot", "colgroup",
}  # fmt: skip


def max_file_bytes() -> int:
    """The size limit for one input file: ``$ARMSLEDGER_MAX_FILE_BYTES`` or 5 MB."""
    raw = os.environ.get("ARMSLEDGER_MAX_FILE_BYTES", "").strip().replace("_", "")
    return int(raw) if raw.isdigit() and int(raw) > 0 else DEFAULT_MAX_BYTES


def iter_documents(
    paths: Iterable[Path], manifest: Path | None = None, max_bytes: int | None = None
) -> Iterator[RawDocument | Rejection]:
    """Yield one RawDocument per article (one per good JSON line) and a Rejection per bad input."""
    limit = max_bytes or max_file_bytes()
    inputs = collect(paths, manifest)
    yield from inputs.rejections
    meta: dict[Path, Meta] = {}
    for mpath in inputs.manifests:
        yield from _read_manifest(mpath, meta, inputs)
    for item in inputs.files():  # each resolved file once
        path = item.path
        kind = SUFFIXES.get(path.suffix.lower())
        if kind is None:
            yield Rejection(str(path), f"unsupported file type {path.suffix or '(none)'!r}")
            continue
        yield from _read_file(path, kind, meta.get(item.resolved, {}), limit)


def _read_manifest(path: Path, meta: dict[Path, Meta], inputs: Inputs) -> Iterator[Rejection]:
    try:
        text, _ = _decode(path.read_bytes())
        reader = csv.reader(text.splitlines())
        header = [h.strip() for h in next(reader, [])]
        rows = list(reader)
    except (OSError, ValueError, csv.Error) as exc:
        yield Rejection(str(path), f"unreadable manifest: {exc}")
        return
    if "file" not in header:
        yield Rejection(str(path), "manifest has no 'file' column")
        return
    for row_no, cells in enumerate(rows, start=2):  # row 1 is the header
        if not any(c.strip() for c in cells):
            continue
        row = dict(zip(header, cells, strict=False))
        name = (row.get("file") or "").strip()
        where = f"manifest row {row_no}"
        if len(cells) != len(header):
            yield Rejection(str(path), f"{where} has {len(cells)} columns, the header {len(header)}", row_no)
            continue
        target = (path.parent / name).resolve()
        if name and not inputs.contains(target):
            yield Rejection(str(path), f"{where} names a file outside the input folders: {name}", row_no)
            continue
        if not name or not target.is_file():
            yield Rejection(str(path), f"{where} names a missing file: {name or '(blank)'}", row_no)
            continue
        values = {k: (row.get(k) or "").strip() for k in META_FIELDS}
        if values["published"] and not _valid_date(values["published"]):
            reason = f"{where}: impossible or unreadable date {values['published']!r} (left out)"
            yield Rejection(str(path), reason, row_no)
            values["published"] = ""
        meta[target] = {k: v for k, v in values.items() if v}


def _valid_date(value: str) -> bool:
    from etl.transform.datelines import parse_meta_date

    try:
        return parse_meta_date(value) is not None
    except (ValueError, OverflowError):
        return False


def _decode(data: bytes) -> tuple[str, str]:
    """(text, encoding): UTF-8 (a BOM is dropped), UTF-16 with a BOM, else Windows-1252/Latin-1
    text; ValueError with a human reason for binary data."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ValueError(f"not valid UTF-16 at byte {exc.start}") from exc
        if "\x00" in text:
            raise ValueError("binary file (NUL character in UTF-16 text)")
        return text, "utf-16"
    if (nul := data.find(b"\x00")) >= 0:
        raise ValueError(f"binary file (NUL byte at offset {nul})")
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    controls = len(_CONTROL.findall(data))
    if controls > max(2, len(data) // 200):
        raise ValueError(f"binary file ({controls} control bytes; not valid UTF-8 at byte {first_bad})")
    if _UNDEFINED_1252.search(data):
        raise ValueError(f"not valid UTF-8 at byte {first_bad}, nor Latin-1/Windows-1252 text")
    encoding = "windows-1252" if re.search(rb"[\x80-\x9f]", data) else "latin-1"
    return data.decode(encoding), encoding


def html_depth(html: str, limit: int = MAX_HTML_DEPTH) -> int:
    """How deep elements nest in ``html`` (one linear scan), stopping once past ``limit``."""
    depth = deepest = 0
    for m in _TAG.finditer(html):
        closing, name, self_closing = m.group(1), m.group(2).lower(), m.group(3)
        if name in _UNNESTED or self_closing:
            continue
        depth = max(depth - 1, 0) if closing else depth + 1
        deepest = max(deepest, depth)
        if deepest > limit:
            break
    return deepest


def _too_deep(html: str) -> str | None:
    if html_depth(html) > MAX_HTML_DEPTH:
        return f"HTML nests elements more than {MAX_HTML_DEPTH} levels deep"
    return None


def _read_file(
    path: Path, kind: str, meta: Meta, max_bytes: int
) -> Iterator[RawDocument | Rejection]:
    where = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            yield Rejection(where, f"file is {_size(size)}, over the {_size(max_bytes)} limit")
            return
        data = path.read_bytes()
        text, encoding = _decode(data)
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
    if encoding != "utf-8":
        meta, origin = {**meta, "encoding": encoding}, {**origin, "encoding": "detected"}
    if kind == "jsonl":
        yield from _read_jsonl(where, text, meta, origin)
    elif kind == "html":
        if reason := _too_deep(text):
            yield Rejection(where, reason)
            return
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
        except (json.JSONDecodeError, RecursionError) as exc:
            msg = exc.msg if isinstance(exc, json.JSONDecodeError) else "nested too deeply"
            yield Rejection(where, f"line {line_no}: invalid JSON: {msg}", source_line=line_no)
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
        if "\x00" in "".join(body.values()):
            yield Rejection(where, f"line {line_no}: NUL character in the text", source_line=line_no)
            continue
        if "html" in body and (reason := _too_deep(body["html"])):
            yield Rejection(where, f"line {line_no}: {reason}", source_line=line_no)
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
