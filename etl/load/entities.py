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

    def __reduce__(self) -> tuple:  # crosses from the workers: see etl.records.Span.__reduce__
        return (EntityRow, (self.name, self.entity_type, self.origin, self.country_code, self.wikidata_id,
                            self.description))


UPSERT_CURATED = text(
    """
    INSERT INTO entities (name, entity_type, origin, country_code, wikidata_id, description)
    SELECT n, t, 'curated', c, w, d
    FROM unnest(CAST(:names AS text[]), CAST(:types AS text[]), CAST(:countries AS text[]),
                CAST(:wikidata AS text[]), CAST(:descriptions AS text[])) WITH ORDINALITY AS u(n, t, c, w, d, i)
    ORDER BY i  -- new entities get ids in the gazetteer's order
    ON CONFLICT (entity_type, name) DO UPDATE
       SET origin = 'curated', country_code = EXCLUDED.country_code,
           wikidata_id = EXCLUDED.wikidata_id, description = EXCLUDED.description
     WHERE (entities.origin, entities.country_code, entities.wikidata_id, entities.description)
           IS DISTINCT FROM ('curated', EXCLUDED.country_code, EXCLUDED.wikidata_id, EXCLUDED.description)
    """
)
ADD_CURATED_ALIASES = text(
    """
    INSERT INTO entity_aliases (entity_id, alias, kind, source_article_id)
    SELECT e.id, u.alias, u.kind, NULL
    FROM unnest(CAST(:names AS text[]), CAST(:types AS text[]), CAST(:aliases AS text[]),
                CAST(:kinds AS text[])) WITH ORDINALITY AS u(name, entity_type, alias, kind, i)
    JOIN entities e ON e.entity_type = u.entity_type AND e.name = u.name
    ORDER BY u.i
    ON CONFLICT (entity_id, alias) DO NOTHING
    """
)


def sync_gazetteer(conn: Connection, rows: Iterable[EntityRow], aliases: Iterable[tuple[EntityRef, str, str]]) -> bool:
    """Upsert curated entities and their aliases (two set-based statements); a no-op when nothing
    changed. Returns whether anything changed."""
    rows, aliases = list(rows), list(aliases)
    changed = conn.execute(
        UPSERT_CURATED,
        {
            "names": [r.name for r in rows],
            "types": [r.entity_type for r in rows],
            "countries": [r.country_code for r in rows],
            "wikidata": [r.wikidata_id for r in rows],
            "descriptions": [r.description for r in rows],
        },
    ).rowcount
    changed += conn.execute(
        ADD_CURATED_ALIASES,
        {
            "names": [ref.name for ref, _, _ in aliases],
            "types": [ref.entity_type for ref, _, _ in aliases],
            "aliases": [alias for _, alias, _ in aliases],
            "kinds": [kind for _, _, kind in aliases],
        },
    ).rowcount
    return changed > 0


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
