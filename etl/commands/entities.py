"""`armsledger entities ...`: list entities, promote discovered ones to the gazetteer."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from etl import output as out
from etl.commands.options import COLUMNS, FORMAT, OUTPUT, WIDE, emit
from etl.database import get_engine
from etl.output import OutputFormat
from etl.settings import REPO_ROOT

if TYPE_CHECKING:
    from sqlalchemy import Connection

app = typer.Typer(help="Entities: list them, promote discovered ones to the gazetteer.", no_args_is_help=True)
GAZETTEER = REPO_ROOT / "data" / "reference" / "entities.yaml"

LIST_SQL = """
SELECT e.name, e.entity_type AS type, e.origin, e.country_code AS country,
       count(m.id) AS mentions, count(DISTINCT m.article_id) AS articles,
       (SELECT string_agg(a.alias, ', ' ORDER BY a.alias) FROM entity_aliases a WHERE a.entity_id = e.id) AS aliases
FROM entities e LEFT JOIN mentions m ON m.entity_id = e.id
WHERE (CAST(:origin AS text) = 'all' OR e.origin = :origin)
  AND (CAST(:type AS text) IS NULL OR e.entity_type = :type)
GROUP BY e.id
HAVING count(m.id) > 0 OR CAST(:origin AS text) <> 'all'
ORDER BY count(m.id) DESC, e.name
"""


@app.command("list")
def list_entities(
    origin: str = typer.Option("all", help="curated, discovered or all."),
    entity_type: str | None = typer.Option(None, "--type", help="person, organization, weapon_system..."),
    fmt: OutputFormat = FORMAT,
    output: Path | None = OUTPUT,
    columns: str | None = COLUMNS,
    wide: bool = WIDE,
) -> None:
    """List entities with how often and where they are mentioned.

    Example: armsledger entities list --origin discovered -f csv
    """
    from sqlalchemy import text

    from etl.revision import require_current_schema

    if origin not in ("all", "curated", "discovered"):
        out.err_console.print(f"error: --origin must be curated, discovered or all, not {origin!r}")
        raise typer.Exit(2)
    engine = get_engine()
    require_current_schema(engine)
    with engine.connect() as conn:
        result = conn.execute(text(LIST_SQL), {"origin": origin, "type": entity_type})
        rows = (list(result.keys()), [tuple(r) for r in result])
    emit(rows, fmt, output, columns, wide, title=f"Entities ({origin})")


def gazetteer_entry(conn: Connection, name: str, entity_type: str | None) -> dict:
    """A gazetteer entry for a discovered entity, with the aliases articles used for it."""
    from sqlalchemy import text

    rows = conn.execute(
        text(
            "SELECT id, name, entity_type, origin, country_code FROM entities "
            "WHERE lower(name) = lower(:name) AND (CAST(:type AS text) IS NULL OR entity_type = :type)"
        ),
        {"name": name, "type": entity_type},
    ).all()
    if not rows:
        raise LookupError(f"no entity named {name!r}" + (f" of type {entity_type}" if entity_type else ""))
    if len(rows) > 1:
        types = ", ".join(r.entity_type for r in rows)
        raise LookupError(f"{name!r} names several entities ({types}): choose one with --type")
    row = rows[0]
    if row.origin == "curated":
        raise LookupError(f"{row.name!r} ({row.entity_type}) is already in the gazetteer")
    aliases = conn.execute(
        text("SELECT alias FROM entity_aliases WHERE entity_id = :id ORDER BY alias"), {"id": row.id}
    ).scalars()
    entry: dict = {"name": row.name, "type": row.entity_type}
    if row.country_code:
        entry["country"] = row.country_code
    alias_list = [a for a in aliases if a != row.name]
    if alias_list:
        entry["aliases"] = alias_list
    return entry


@app.command("promote")
def promote(
    name: str = typer.Argument(..., help="Name of a discovered entity."),
    entity_type: str | None = typer.Option(None, "--type", help="Its type, when the name is ambiguous."),
    description: str | None = typer.Option(None, help="A short description for the gazetteer."),
    gazetteer: Path = typer.Option(GAZETTEER, help="Gazetteer file to append to."),
) -> None:
    """Add a discovered entity to the gazetteer, with the aliases articles used for it.

    The file is validated with the new entry before it is written; the next `etl run`
    re-extracts every article with it (the gazetteer is part of the extractor version).

    Example: armsledger entities promote "Triad" --description "Rafael/Bumar/Northrop consortium"
    """
    import yaml

    from etl.reference.gazetteer import Gazetteer, GazetteerError

    with get_engine().connect() as conn:
        try:
            entry = gazetteer_entry(conn, name, entity_type)
        except LookupError as exc:
            out.err_console.print(f"error: {exc}")
            raise typer.Exit(2) from exc
    if description:
        entry["description"] = description
    existing = yaml.safe_load(gazetteer.read_text(encoding="utf-8")) or {}
    try:
        Gazetteer.from_entries([*existing.get("entities", []), entry])
    except GazetteerError as exc:
        out.err_console.print(f"error: {gazetteer.name} would not be valid with {entry['name']!r}: {exc}")
        raise typer.Exit(2) from exc
    before = gazetteer.read_text(encoding="utf-8")
    block = textwrap.indent(yaml.safe_dump([entry], allow_unicode=True, width=1000, sort_keys=False), "  ")
    gazetteer.write_text(before + ("" if before.endswith("\n") else "\n") + block, encoding="utf-8")
    appended = yaml.safe_load(gazetteer.read_text(encoding="utf-8")).get("entities", [])
    if not appended or appended[-1] != entry:  # the file's layout did not take the entry: undo
        gazetteer.write_text(before, encoding="utf-8")
        out.err_console.print(f"error: could not append to {gazetteer}; add this entry by hand:\n{block}")
        raise typer.Exit(1)
    typer.echo(f"Promoted {entry['name']} ({entry['type']}) to {gazetteer}.")
