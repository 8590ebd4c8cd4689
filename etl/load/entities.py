"""Entity rows: the gazetteer synced into the database, and ids for the entities an article names."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, text

from etl.records import EntityRef


@dataclass(frozen=True, slots=True)
class EntityRow:
    """What the loader needs to create an entity."""

    name: str
    entity_type: str
    origin: str = "discovered"
    country_code: str | None = None
    wikidata_id: str | None = None
    description: str | None = None


UPSERT_CURATED = text(
    """
    INSERT INTO entities (name, entity_type, origin, country_code, wikidata_id, description)
    VALUES (:name, :entity_type, 'curated', :country_code, :wikidata_id, :description)
    ON CONFLICT (entity_type, name) DO UPDATE
       SET origin = 'curated', country_code = EXCLUDED.country_code,
           wikidata_id = EXCLUDED.wikidata_id, description = EXCLUDED.description
     WHERE (entities.origin, entities.country_code, entities.wikidata_id, entities.description)
           IS DISTINCT FROM ('curated', EXCLUDED.country_code, EXCLUDED.wikidata_id, EXCLUDED.description)
    """
)
ADD_ALIAS = text(
    """
    INSERT INTO entity_aliases (entity_id, alias, kind, source_article_id)
    SELECT id, :alias, :kind, :article_id FROM entities WHERE entity_type = :entity_type AND name = :name
    ON CONFLICT (entity_id, alias) DO NOTHING
    """
)


def sync_gazetteer(conn: Connection, rows: Iterable[EntityRow], aliases: Iterable[tuple[EntityRef, str, str]]) -> None:
    """Upsert curated entities and their aliases; a no-op when nothing changed."""
    for row in rows:
        conn.execute(
            UPSERT_CURATED,
            {
                "name": row.name,
                "entity_type": row.entity_type,
                "country_code": row.country_code,
                "wikidata_id": row.wikidata_id,
                "description": row.description,
            },
        )
    for ref, alias, kind in aliases:
        add_alias(conn, ref, alias, kind, None)


def add_alias(conn: Connection, ref: EntityRef, alias: str, kind: str, article_id: int | None) -> None:
    conn.execute(
        ADD_ALIAS,
        {
            "name": ref.name,
            "entity_type": ref.entity_type,
            "alias": alias,
            "kind": kind,
            "article_id": article_id,
        },
    )


def entity_ids(conn: Connection, rows: Iterable[EntityRow]) -> dict[EntityRef, int]:
    """Ids for ``rows``, creating the missing ones as discovered entities (two statements)."""
    wanted = {EntityRef(r.name, r.entity_type): r for r in rows}  # type: ignore[arg-type]
    if not wanted:
        return {}
    names = [r.name for r in wanted]
    types = [r.entity_type for r in wanted]
    countries = [wanted[r].country_code for r in wanted]
    conn.execute(
        text(
            """
            INSERT INTO entities (name, entity_type, origin, country_code)
            SELECT n, t, 'discovered', c FROM unnest(CAST(:names AS text[]), CAST(:types AS text[]),
                                                      CAST(:countries AS text[])) AS u(n, t, c)
            ON CONFLICT (entity_type, name) DO NOTHING
            """
        ),
        {"names": names, "types": types, "countries": countries},
    )
    found = conn.execute(
        text(
            """
            SELECT e.id, e.name, e.entity_type FROM entities e
            JOIN unnest(CAST(:names AS text[]), CAST(:types AS text[])) AS u(n, t)
              ON e.name = u.n AND e.entity_type = u.t
            """
        ),
        {"names": names, "types": types},
    )
    return {EntityRef(name, etype): eid for eid, name, etype in found}
