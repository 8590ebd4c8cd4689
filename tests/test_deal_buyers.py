"""A deal with a buyer party always stores its buyer, so the deals of one buyer are one index range."""

from __future__ import annotations

from sqlalchemy import Engine, text

from alembic import command
from etl.commands.db import alembic_config
from etl.load.fact_rows import deal_buyer_id
from etl.pipeline import run_pipeline
from etl.records import DealRec, EntityRef, PartyRec, Span
from etl.settings import REPO_ROOT

SEEDS = REPO_ROOT / "data" / "seeds"
PERU = EntityRef("Peru", "country")
ARMY = EntityRef("Peruvian Army", "organization")
NORINCO = EntityRef("Norinco", "company")
VIEW = "SELECT deal_id, buyer_id FROM analytics.deal_buyers ORDER BY deal_id, buyer_id"
STORED_BUYERS = "SELECT id, buyer_entity_id FROM deals ORDER BY id"


def _deal(buyer: EntityRef | None, *parties: tuple[EntityRef, str]) -> DealRec:
    return DealRec("tanks", [Span(0, 5)], buyer=buyer, parties=[PartyRec(e, role) for e, role in parties])


def test_the_named_buyer_wins_else_the_first_stored_buyer_party() -> None:
    ids = {PERU: 1, ARMY: 2, NORINCO: 3}
    assert deal_buyer_id(_deal(ARMY, (PERU, "buyer"), (ARMY, "buyer")), ids) == 2
    # the named buyer did not resolve to a stored entity: the first buyer party that did
    unresolved = EntityRef("Ministry of Nowhere", "organization")
    assert deal_buyer_id(_deal(unresolved, (NORINCO, "supplier"), (unresolved, "buyer"), (PERU, "buyer")), ids) == 1
    assert deal_buyer_id(_deal(None, (NORINCO, "supplier"), (ARMY, "buyer"), (PERU, "buyer")), ids) == 2
    assert deal_buyer_id(_deal(None, (NORINCO, "supplier")), ids) is None


def test_revision_0012_stores_the_first_buyer_party_and_the_view_keeps_its_rows(engine: Engine, db_url: str) -> None:
    run_pipeline([SEEDS], manifest=SEEDS / "manifest.csv", engine=engine, progress=False)
    config = alembic_config(db_url)
    command.downgrade(config, "0011")
    with engine.begin() as conn:
        # deals whose extraction named no buyer but listed buyer parties (two of them for one deal)
        chosen = conn.execute(
            text(
                "SELECT dp.deal_id FROM deal_parties dp JOIN deals d ON d.id = dp.deal_id "
                "WHERE dp.role = 'buyer' AND d.superseded_by_id IS NULL GROUP BY dp.deal_id ORDER BY dp.deal_id LIMIT 2"
            )
        ).scalars().all()
        assert chosen, "the seeds have deals with a buyer party"
        other = conn.execute(text("SELECT id FROM entities WHERE entity_type = 'country' ORDER BY id LIMIT 1")).scalar()
        conn.execute(
            text(
                "INSERT INTO deal_parties (deal_id, entity_id, role) VALUES (:d, :e, 'buyer') "
                "ON CONFLICT DO NOTHING"
            ),
            {"d": chosen[0], "e": other},
        )
        conn.execute(text("UPDATE deals SET buyer_entity_id = NULL WHERE id = ANY(:ids)"), {"ids": list(chosen)})
        first_party = dict(
            conn.execute(
                text(
                    "SELECT DISTINCT ON (deal_id) deal_id, entity_id FROM deal_parties "
                    "WHERE role = 'buyer' AND deal_id = ANY(:ids) ORDER BY deal_id, id"
                ),
                {"ids": list(chosen)},
            ).all()
        )
        before = conn.execute(text(VIEW)).all()
        untouched = [r for r in conn.execute(text(STORED_BUYERS)).all() if r[0] not in chosen]
    assert {d: b for d, b in before if d in chosen} == first_party
    assert "Sort" in _plan(engine, first_party[chosen[0]])  # the old view: every deal of the buyer, sorted

    command.upgrade(config, "head")
    with engine.connect() as conn:
        assert conn.execute(text(VIEW)).all() == before
        stored = dict(conn.execute(text(STORED_BUYERS)).all())
        assert {d: stored[d] for d in chosen} == first_party
        assert [r for r in conn.execute(text(STORED_BUYERS)).all() if r[0] not in chosen] == untouched
    assert "Sort" not in _plan(engine, first_party[chosen[0]])


def _plan(engine: Engine, buyer: int) -> str:
    """The plan of the profile's "deals it buys" page, with sorting priced out: a Sort left in it
    means the view cannot be read in deal order."""
    with engine.begin() as conn:
        conn.execute(text("SET LOCAL enable_sort = off"))
        conn.execute(text("SET LOCAL enable_seqscan = off"))
        rows = conn.execute(
            text("EXPLAIN SELECT deal_id FROM analytics.deal_buyers WHERE buyer_id = :b ORDER BY deal_id DESC LIMIT 5"),
            {"b": buyer},
        )
        return "\n".join(rows.scalars())
