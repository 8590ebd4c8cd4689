"""Summary rows of an entity go with it by one statement trigger, not by foreign keys checked per row

``entity_pairs``, ``entity_stats``, ``entity_surfaces`` and the ledger ``summary_article_surfaces``
referenced ``entities`` with ``ON DELETE CASCADE``. Every row the summary refresh inserted fired a
foreign-key check (two for a pair), though the refresh derives each row from ``mentions``, whose
own keys were checked when the ETL loaded them. Counting the co-mentioned pairs of a generated
1,952-article corpus inserts 476,000 pairs: 12.9 s with the checks, 4.9 s without. The keys go;
what they did on delete stays: a statement-level trigger on ``entities`` deletes the summary rows
of the entities a statement deletes (one set-based delete per table, through the indexes that
served the cascade), and one on ``TRUNCATE entities`` empties those tables.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 05:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, column, the column's comment before) of each foreign key dropped
KEYS = (
    ("entity_pairs", "entity_a_id", "Entity with the lower id."),
    ("entity_pairs", "entity_b_id", "Entity with the higher id."),
    ("entity_stats", "entity_id", "The entity."),
    ("entity_surfaces", "entity_id", "The entity."),
    ("summary_article_surfaces", "entity_id", "The entity."),
)
FOLLOWS = " Deleted with the entity (trigger on entities; no foreign key)."
TABLES = sorted({table for table, _, _ in KEYS})
DELETES = "\n".join(  # constants only
    f"    DELETE FROM {t} x USING gone g WHERE x.{c} = g.id;"  # noqa: S608
    for t, c, _ in KEYS
)
EMPTIES = "\n".join(f"    DELETE FROM {t};" for t in TABLES)  # noqa: S608  (constants only)


def _function(name: str, statements: str) -> str:
    """A trigger function that runs ``statements`` and returns nothing."""
    return f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n{statements}\n    RETURN NULL;\nEND $$"


FORGET = _function("summaries_forget_entities", DELETES)
# DELETE, not TRUNCATE: a TRUNCATE of entities that lists these tables too has them in use.
EMPTY = _function("summaries_forget_all_entities", EMPTIES)
TRIGGERS = (
    "CREATE TRIGGER summaries_forget_entities AFTER DELETE ON entities REFERENCING OLD TABLE AS gone "
    "FOR EACH STATEMENT EXECUTE FUNCTION summaries_forget_entities()",
    "CREATE TRIGGER summaries_forget_all_entities AFTER TRUNCATE ON entities "
    "FOR EACH STATEMENT EXECUTE FUNCTION summaries_forget_all_entities()",
)
COMMENTS = (
    ("FUNCTION summaries_forget_entities()", "Deletes the summary rows of deleted entities (trigger on entities)."),
    ("FUNCTION summaries_forget_all_entities()", "Empties the per-entity summary tables (trigger on entities)."),
)


def _key(table: str, column: str) -> str:
    return f"fk_{table}_{column}_entities"


def upgrade() -> None:
    for table, column, comment in KEYS:
        op.drop_constraint(_key(table, column), table, type_="foreignkey")
        op.alter_column(table, column, comment=comment + FOLLOWS, existing_comment=comment)
    op.execute(FORGET)
    op.execute(EMPTY)
    for name, comment in COMMENTS:
        op.execute(f"COMMENT ON {name} IS '{comment}'")
    for sql in TRIGGERS:
        op.execute(sql)


def downgrade() -> None:
    op.execute("DROP TRIGGER summaries_forget_all_entities ON entities")
    op.execute("DROP TRIGGER summaries_forget_entities ON entities")
    op.execute("DROP FUNCTION summaries_forget_all_entities()")
    op.execute("DROP FUNCTION summaries_forget_entities()")
    for table, column, comment in KEYS:
        op.alter_column(table, column, comment=comment, existing_comment=comment + FOLLOWS)
        op.create_foreign_key(_key(table, column), table, "entities", [column], ["id"], ondelete="CASCADE")
