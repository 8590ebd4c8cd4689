"""Reading named queries: the header of each ``queries/*.sql`` file and its SQL, made bindable.

A file runs unchanged under psql (``psql -v recipient=Peru -f queries/aid_by_year.sql``): its
parameters are psql variables (``:'name'`` for text, ``:name`` for numbers) and a ``\\if`` preamble
gives optional ones their defaults. For Python the preamble is dropped and every variable becomes
a psycopg bind parameter cast to its declared type; values are never formatted into the SQL.
Write string literals as plain ``'...'`` (no ``E'...'`` or dollar quoting) so both tools agree on
where a literal ends.

Queries that list one row per mention, article or fact page their rows with a ``limit`` parameter
(:data:`LIMIT`): ``-- param: limit text = 1000`` in the header and
``limit case when lower(:'limit') = 'all' then null else cast(:'limit'::text as bigint) end`` in the SQL.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

QUERY_DIR = Path(__file__).resolve().parent
REQUIRED = "required"
LIMIT = "limit"  # the paging parameter: a positive integer, or 'all' for every row
_LIMIT_VALUE = re.compile(r"[0-9]{1,18}|all", re.I)
SQL_TYPES = {
    "text": "text",
    "int": "integer",
    "integer": "integer",
    "numeric": "numeric",
    "date": "date",
    "bool": "boolean",
    "boolean": "boolean",
}

_HEADER = re.compile(r"^--\s*(name|description|param|column):\s*(.*)$")
_PARAM = re.compile(r"^(\w+)\s+(\w+)\s*(?:=\s*(.*?)|(required))\s*(?:--\s*(.*))?$")
_COLUMN = re.compile(r"^(\w+)\s*(?:--\s*(.*))?$")
# Tokens psql skips (literals, quoted names, comments, casts) or substitutes (variables).
_TOKENS = re.compile(
    r"""(?P<skip>'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|/\*.*?\*/|::)"""
    r"""|:'(?P<quoted>\w+)'|:(?P<bare>[A-Za-z_]\w*)""",
    re.S,
)


class QueryError(ValueError):
    """An unknown query, or a missing, unknown or malformed parameter."""


@dataclass(frozen=True)
class Param:
    """A declared parameter: name, SQL type, default (None when required) and meaning."""

    name: str
    type: str
    default: str | None
    description: str

    @property
    def required(self) -> bool:
        return self.default is None

    def convert(self, value: Any) -> Any:
        """The Python value to bind for ``value`` (a string from the command line, or typed)."""
        kind = SQL_TYPES[self.type]
        if self.name == LIMIT:
            return _limit(value)
        try:
            if kind == "integer":
                return int(value)
            if kind == "numeric":
                return Decimal(str(value))
            if kind == "date":
                return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
            if kind == "boolean":
                if isinstance(value, bool):
                    return value
                return {"true": True, "t": True, "1": True, "false": False, "f": False, "0": False}[str(value).lower()]
        except (ValueError, KeyError, InvalidOperation) as exc:
            raise QueryError(f"parameter {self.name} must be {self.type}, not {value!r}") from exc
        return str(value)


def _limit(value: Any) -> str:
    """A paging limit as the SQL casts it: digits, or 'all'; QueryError for anything else."""
    text = str(value).strip()
    if not _LIMIT_VALUE.fullmatch(text) or text == "0" * len(text):
        raise QueryError(f"parameter {LIMIT} must be a positive integer or all, not {value!r}")
    return text


@dataclass(frozen=True)
class Column:
    name: str
    description: str


@dataclass(frozen=True)
class Query:
    """A named query as written in its file."""

    name: str
    description: str
    params: tuple[Param, ...]
    columns: tuple[Column, ...]
    source: str
    path: Path

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)

    @property
    def body(self) -> str:
        """The SQL without header comments and psql meta-commands (the ``\\if`` preamble)."""
        lines = [
            line
            for line in self.source.splitlines()
            if not line.lstrip().startswith("\\") and not _HEADER.match(line.strip())
        ]
        return "\n".join(lines).strip().rstrip(";").strip()

    def bind(self, values: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
        """SQL with psycopg ``%(name)s`` placeholders, and the values to bind (defaults filled)."""
        unknown = sorted(set(values) - {p.name for p in self.params})
        if unknown:
            known = ", ".join(p.name for p in self.params) or "none"
            raise QueryError(f"unknown parameter {unknown[0]!r} for query {self.name} (parameters: {known})")
        bound: dict[str, Any] = {}
        for p in self.params:
            if p.name in values and values[p.name] is not None:
                bound[p.name] = p.convert(values[p.name])
            elif p.required:
                raise QueryError(f"query {self.name} needs parameter {p.name} ({p.type}): -p {p.name}=VALUE")
            else:
                bound[p.name] = p.convert(p.default)
        return f"/* query:{self.name} */\n{to_pyformat(self.body, self)}", bound


def to_pyformat(sql: str, query: Query) -> str:
    """Turn psql variables into typed psycopg placeholders; escape every other ``%``."""

    def replace(match: re.Match[str]) -> str:
        name = match.group("quoted") or match.group("bare")
        if name is None:
            return match.group(0).replace("%", "%%")
        param = query.param(name)
        if param is None:
            raise QueryError(f"query {query.name} uses :{name} but does not declare it")
        return f"CAST(%({name})s AS {SQL_TYPES[param.type]})"

    out, last = [], 0
    for match in _TOKENS.finditer(sql):
        out.append(sql[last : match.start()].replace("%", "%%"))
        out.append(replace(match))
        last = match.end()
    out.append(sql[last:].replace("%", "%%"))
    return "".join(out)


def _unquote(value: str) -> str:
    value = value.strip()
    return value[1:-1] if len(value) >= 2 and value[0] == value[-1] == "'" else value


def parse(path: Path) -> Query:
    """Read one query file; raise ValueError when its header is incomplete."""
    source = path.read_text()
    fields: dict[str, list[str]] = {"name": [], "description": [], "param": [], "column": []}
    for line in source.splitlines():
        match = _HEADER.match(line.strip())
        if match:
            fields[match.group(1)].append(match.group(2).strip())
    params = []
    for spec in fields["param"]:
        m = _PARAM.match(spec)
        if not m or m.group(2) not in SQL_TYPES:
            raise ValueError(f"{path.name}: bad param line {spec!r} (want: NAME TYPE = DEFAULT  -- meaning)")
        default = None if m.group(4) == REQUIRED else _unquote(m.group(3))
        params.append(Param(m.group(1), m.group(2), default, (m.group(5) or "").strip()))
    columns = []
    for spec in fields["column"]:
        m = _COLUMN.match(spec)
        if not m:
            raise ValueError(f"{path.name}: bad column line {spec!r} (want: NAME  -- meaning)")
        columns.append(Column(m.group(1), (m.group(2) or "").strip()))
    if fields["name"] != [path.stem] or not fields["description"]:
        raise ValueError(f"{path.name}: header needs '-- name: {path.stem}' and '-- description: ...'")
    return Query(path.stem, " ".join(fields["description"]), tuple(params), tuple(columns), source, path)


@cache
def catalog(directory: Path = QUERY_DIR) -> dict[str, Query]:
    """Every query in ``directory``, by name."""
    return {path.stem: parse(path) for path in sorted(directory.glob("*.sql"))}


def get(name: str) -> Query:
    """The query called ``name``; QueryError when there is none."""
    queries = catalog()
    if name not in queries:
        raise QueryError(f"unknown query {name!r}; `armsledger query list` shows them all")
    return queries[name]
