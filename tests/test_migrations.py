"""The schema is built only by Alembic revisions, matches the models, and goes down cleanly."""

from pytest_alembic.tests import (  # noqa: F401  (collected as tests)
    test_model_definitions_match_ddl,
    test_single_head_revision,
    test_up_down_consistency,
    test_upgrade,
)
from schema_checks import odd_types, uncommented
from sqlalchemy import Engine, text

from models import Base


def test_every_table_and_column_has_a_comment(engine: Engine) -> None:
    assert uncommented(engine, "public", "r") == []


def test_no_enums_arrays_or_jsonb(engine: Engine) -> None:
    assert odd_types(engine, "public") == [] and odd_types(engine, "analytics") == []


def test_migrations_create_every_model_table(engine: Engine) -> None:
    with engine.connect() as conn:
        tables = set(
            conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars()
        )
    assert set(Base.metadata.tables) <= tables


def test_check_constraints_reject_bad_values(engine: Engine) -> None:
    import pytest
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(
            text("INSERT INTO entities (name, entity_type, origin) VALUES ('X', 'planet', 'curated')")
        )


def test_downgrade_to_base_leaves_nothing_and_upgrade_again_works(db_url: str, engine: Engine) -> None:
    """(pytest-alembic's experimental downgrade check does not run on SQLAlchemy 2.1, so this is ours.)"""
    from alembic import command
    from etl.commands.db import alembic_config

    config = alembic_config(db_url)
    command.downgrade(config, "base")
    with engine.connect() as conn:
        left = (
            conn.execute(
                text(
                    "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE n.nspname IN ('public', 'analytics') AND c.relkind IN ('r', 'v', 'S', 'm') "
                    "AND c.relname <> 'alembic_version'"
                )
            )
            .scalars()
            .all()
        )
        schemas = conn.execute(text("SELECT nspname FROM pg_namespace WHERE nspname = 'analytics'")).all()
    assert left == [] and schemas == []
    command.upgrade(config, "head")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM articles")).scalar_one() == 0


def test_schema_doc_is_up_to_date() -> None:
    from pathlib import Path

    from models.docs import render

    assert (Path(__file__).resolve().parents[1] / "docs" / "schema.md").read_text() == render()
