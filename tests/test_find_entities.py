"""``analytics.find_entities`` (revision 0007) gives the rows the full-scan version of 0006 gave."""

from __future__ import annotations

import importlib.util

import pytest
from sqlalchemy import Engine, text

from etl.settings import REPO_ROOT

_spec = importlib.util.spec_from_file_location(
    "rev0007", REPO_ROOT / "alembic" / "versions" / "0007_exact_name_lookup.py"
)
REV = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(REV)


@pytest.mark.parametrize(
    "typed",
    [
        "Peru",
        "peru",
        "  PERU ",
        "Humala",
        "Ollanta Humala",
        "MBT-2000",
        "Norinco",
        "Poly Technologies",
        "Perú",
        "Pero",
        "Humalla",
        "Norinko",
        "Rosoboronexport",
        "nothing like this at all",
        "S",
    ],
)
def test_same_rows_as_the_full_scan(seeded_engine: Engine, typed: str) -> None:
    with seeded_engine.connect() as conn:  # the 0006 definition beside the new one, rolled back after
        conn.exec_driver_sql(REV.OLD_FIND.replace("analytics.find_entities(", "analytics.find_entities_full_scan(", 1))
        new = conn.execute(text("SELECT * FROM analytics.find_entities(:q)"), {"q": typed}).all()
        old = conn.execute(text("SELECT * FROM analytics.find_entities_full_scan(:q)"), {"q": typed}).all()
        conn.rollback()
    assert new == old
    if typed.strip().lower() in ("peru", "humala", "norinco"):
        assert new and new[0].match_kind != "close spelling"


def test_exact_names_use_the_indexes(seeded_engine: Engine) -> None:
    with seeded_engine.begin() as conn:
        conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
        plan = "\n".join(
            r[0]
            for r in conn.execute(
                text("EXPLAIN SELECT e.id FROM entities e WHERE lower(e.name) = lower(trim(:q))"), {"q": "Peru"}
            )
        )
    assert "ix_entities_name_lower" in plan
