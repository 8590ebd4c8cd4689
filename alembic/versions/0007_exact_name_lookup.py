"""Exact name lookups by index in ``analytics.find_entities``.

``find_entities`` (behind ``entity_profile`` and every single-entity question) computed the trigram
similarity of the name typed against every name, alias, surname and written form, even when one
of them matched exactly. It now looks the exact matches up first, through indexes on the lower-cased
terms, and scores close spellings only when there is none. Its results are the same: exact matches,
when there are any, were already the only rows returned.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 20:45:00
"""

import importlib.util
from collections.abc import Sequence
from pathlib import Path

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_spec = importlib.util.spec_from_file_location("rev0006", Path(__file__).with_name("0006_summaries.py"))
_rev0006 = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_rev0006)
OLD_FIND = _rev0006.NEW_FIND

# (index name, table, indexed expression, predicate)
INDEXES = (
    ("ix_entities_name_lower", "entities", "lower(name)", None),
    ("ix_entity_aliases_alias_lower", "entity_aliases", "lower(alias)", None),
    ("ix_entity_surfaces_surface_lower", "entity_surfaces", "lower(surface)", None),
    (
        "ix_entities_surname_lower",
        "entities",
        r"lower(regexp_replace(name, '^.*\s', ''))",
        r"entity_type = 'person' AND name ~ '\s'",
    ),
)

NEW_FIND = r"""
CREATE OR REPLACE FUNCTION analytics.find_entities(q text)
RETURNS TABLE (entity_id integer, entity text, entity_type text, matched text, match_kind text, score real,
               mentions bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $fn$
    WITH needle AS (SELECT lower(trim(q)) AS n),
    exact AS (
        SELECT e.id AS entity_id, e.name AS term, 1 AS kind_rank, 'name' AS kind
            FROM public.entities e WHERE lower(e.name) = lower(trim(q))
        UNION ALL SELECT al.entity_id, al.alias, 2, 'alias'
            FROM public.entity_aliases al WHERE lower(al.alias) = lower(trim(q))
        UNION ALL SELECT e.id, regexp_replace(e.name, '^.*\s', ''), 3, 'surname'
            FROM public.entities e
            WHERE e.entity_type = 'person' AND e.name ~ '\s'
              AND lower(regexp_replace(e.name, '^.*\s', '')) = lower(trim(q))
        UNION ALL SELECT s.entity_id, s.surface, 4, 'as written'
            FROM public.entity_surfaces s WHERE lower(s.surface) = lower(trim(q))
    ),
    terms AS (
        SELECT e.id AS entity_id, e.name AS term, 1 AS kind_rank, 'name' AS kind FROM public.entities e
        UNION ALL SELECT al.entity_id, al.alias, 2, 'alias' FROM public.entity_aliases al
        UNION ALL SELECT e.id, regexp_replace(e.name, '^.*\s', ''), 3, 'surname'
                  FROM public.entities e WHERE e.entity_type = 'person' AND e.name ~ '\s'
        UNION ALL SELECT s.entity_id, s.surface, 4, 'as written' FROM public.entity_surfaces s
    ),
    scored AS (
        SELECT x.*, true AS exact, 1.0::real AS sim FROM exact x
        UNION ALL
        SELECT t.*, false, similarity(lower(t.term), needle.n)
        FROM terms t, needle
        WHERE NOT EXISTS (SELECT 1 FROM exact) AND similarity(lower(t.term), needle.n) >= 0.4
    ),
    best AS (
        SELECT DISTINCT ON (s.entity_id) s.* FROM scored s ORDER BY s.entity_id, s.exact DESC, s.kind_rank, s.sim DESC
    )
    SELECT b.entity_id, e.name, e.entity_type, b.term,
           CASE WHEN b.exact THEN b.kind ELSE 'close spelling' END,
           CASE WHEN b.exact THEN 1.0::real ELSE b.sim END,
           coalesce((SELECT st.mentions FROM public.entity_stats st WHERE st.entity_id = b.entity_id), 0::bigint)
    FROM best b JOIN public.entities e ON e.id = b.entity_id
    ORDER BY b.exact DESC, CASE WHEN b.exact THEN b.kind_rank END, b.sim DESC, 7 DESC, e.name
$fn$
"""


def upgrade() -> None:
    for name, table, expression, where in INDEXES:
        op.execute(f"CREATE INDEX {name} ON {table} (({expression}))" + (f" WHERE {where}" if where else ""))
    op.execute(NEW_FIND)


def downgrade() -> None:
    op.execute(OLD_FIND)
    for name, _table, _expression, _where in INDEXES:
        op.execute(f"DROP INDEX {name}")
