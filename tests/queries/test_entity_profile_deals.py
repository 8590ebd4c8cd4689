"""entity_profile lists the deals of an entity once per role, newest first, and reads pages by index.

The seeds are changed in a transaction that is rolled back: one country becomes a second buyer
party of a deal another entity buys, and a supplier of another, so its profile has a deal it buys
as the stored buyer, one it buys as a co-buyer, one where it has another role, and one where it
has two roles.
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, text

import queries

PICK = "SELECT id, name FROM entities WHERE entity_type = 'country' AND name = 'Peru'"
LIVE_DEALS = "SELECT id, buyer_entity_id FROM deals WHERE superseded_by_id IS NULL ORDER BY id"
ROW = """
SELECT d.title || ': ' || :role || coalesce(', ' || d.status, '') || coalesce(', ' || d.value_usd::text || ' USD', '')
FROM deals d WHERE d.id = :deal
"""


def _profile(conn: Connection, name: str, limit: str) -> list[tuple]:
    sql, values = queries.get("entity_profile").bind({"name": name, "limit": limit})
    return [tuple(r) for r in conn.exec_driver_sql(sql, values)]


def _profile_deals(conn: Connection, name: str, limit: str) -> list[str]:
    return [r[2] for r in _profile(conn, name, limit) if r[1] == "deal"]


def _expected(conn: Connection, entity_id: int, live: dict[int, int | None]) -> list[str]:
    """The entity's deal rows from the tables (``live``: each current deal's stored buyer), newest
    deal first: buyer (stored or party) once, and each other role."""
    parties = conn.execute(text("SELECT deal_id, role FROM deal_parties WHERE entity_id = :e"), {"e": entity_id}).all()
    roles = {(d, "buyer") for d, b in live.items() if b == entity_id}
    roles |= {(d, r.replace("_", " ")) for d, r in parties if d in live}
    rows = [(-d, conn.execute(text(ROW), {"role": r, "deal": d}).scalar_one()) for d, r in roles]
    return [detail for _, detail in sorted(rows)]


def test_buyer_co_buyer_and_other_roles_each_listed_once(seeded_engine: Engine) -> None:
    with seeded_engine.connect() as conn:
        entity_id, name = conn.execute(text(PICK)).one()
        live = dict(conn.execute(text(LIVE_DEALS)).all())
        bought = [d for d, b in live.items() if b == entity_id]
        others = [d for d, b in live.items() if b not in (None, entity_id)]
        assert bought and len(others) >= 2, "the seeds have deals Peru buys and deals others buy"
        add = "INSERT INTO deal_parties (deal_id, entity_id, role) VALUES (:d, :e, :r) ON CONFLICT DO NOTHING"
        conn.execute(text(add), {"d": others[0], "e": entity_id, "r": "buyer"})  # a co-buyer
        conn.execute(text(add), {"d": others[1], "e": entity_id, "r": "supplier"})
        conn.execute(text(add), {"d": bought[0], "e": entity_id, "r": "buyer"})  # also its stored buyer
        conn.execute(text(add), {"d": bought[0], "e": entity_id, "r": "bidder"})  # two roles in one deal

        expected = _expected(conn, entity_id, live)
        everything = _profile_deals(conn, name, "all")
        assert everything == expected
        assert len(everything) == len(set(everything))  # the stored buyer that is a buyer party too: once
        titles = dict(conn.execute(text("SELECT id, title FROM deals")).all())
        bought_title, co_bought = titles[bought[0]], titles[others[0]]
        assert any(d.startswith(co_bought + ": buyer") for d in everything)
        assert any(": supplier" in d for d in everything)
        both = [d for d in everything if d.startswith(bought_title + ": ")]
        assert [d.split(",")[0] for d in both] == [f"{bought_title}: bidder", f"{bought_title}: buyer"]
        # a page holds the beginning of the list, whatever the page size, also one that ends between
        # the two roles of one deal
        aspects = [r[1] for r in _profile(conn, name, "all")]
        last_deal = len(aspects) - aspects[::-1].index("deal")
        pages = [_profile_deals(conn, name, str(k)) for k in range(1, last_deal + 2)]
        assert all(page == everything[: len(page)] for page in pages)
        assert any(page and page[-1] == both[0] for page in pages)
        conn.rollback()


def test_deal_pages_are_index_ranges(seeded_engine: Engine) -> None:
    """The deals it buys merge two index ranges (stored buyer, buyer parties) each cut at the page; its
    other roles are one range of the partial index."""
    with seeded_engine.begin() as conn:
        conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
        conn.exec_driver_sql("SET LOCAL enable_bitmapscan = off")
        sql, values = queries.get("entity_profile").bind({"name": "Peru", "limit": "10"})
        plan = "\n".join(r[0] for r in conn.exec_driver_sql("EXPLAIN " + sql, values))
    assert "Index Scan Backward using ix_deal_parties_other_roles" in plan, plan
    assert "Index Scan Backward using ix_deals_buyer_entity_id_id" in plan, plan
    assert "Index Scan Backward using ix_deal_parties_entity_id_role_deal_id" in plan, plan
    assert "Merge Append" in plan, plan
