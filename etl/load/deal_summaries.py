"""The supplier-market summary (models/summaries.py), kept right set-based as a run loads and at its end.

Each current deal counts once in ``supplier_markets`` per supplier country (its buyer, status and
value), and once in ``supplier_market_parties`` per supplier; the ledgers ``summary_deals`` and
``summary_deal_suppliers`` record what was counted. :func:`refresh` recounts, by difference, the
deals whose buyer, status or value changed, that appeared or went (a full comparison of
the current deals with the ledger, one scan of ``deals``), and those that articles of the run state
(their parties may have changed): their old share comes from the ledger, the new from the tables.
Countries are kept as codes (``''`` for none) and named by the analytics views, so a country entity
added later names them without a recount. Deals whose supplier entity's own country the gazetteer
later changes keep the country they were counted with until recounted (summaries.rebuild).
"""

from __future__ import annotations

from sqlalchemy import Connection, text

TABLES = ("summary_deals", "summary_deal_suppliers", "supplier_markets", "supplier_market_parties")
TEMP_TABLES = ("sdl_now", "sdl_changed", "sdl_old", "sdl_new")

# Every current deal with the buyer analytics.deals gives it (0 for none: entity ids start at 1),
# its status and value.
NOW = """
CREATE TEMP TABLE sdl_now ON COMMIT DROP AS
SELECT d.id AS deal_id,
       coalesce(d.buyer_entity_id,
                (SELECT dp.entity_id FROM deal_parties dp WHERE dp.deal_id = d.id AND dp.role = 'buyer'
                 ORDER BY dp.id LIMIT 1),
                0) AS buyer_id,
       d.status, d.value_usd
FROM deals d WHERE d.superseded_by_id IS NULL
"""
# Deals counted otherwise than they are now (or not at all, or no longer current)...
CHANGED = """
CREATE TEMP TABLE sdl_changed ON COMMIT DROP AS
SELECT coalesce(n.deal_id, s.deal_id) AS deal_id
FROM sdl_now n FULL JOIN summary_deals s ON s.deal_id = n.deal_id
WHERE n.deal_id IS NULL OR s.deal_id IS NULL
   OR (n.buyer_id, n.status, n.value_usd) IS DISTINCT FROM (s.buyer_id, s.status, s.value_usd)
"""
# ... and deals that the run's articles (summaries.sum_changed) or newer evidence state.
STATED = """
INSERT INTO sdl_changed
SELECT e.fact_id FROM sum_changed c JOIN evidence e ON e.article_id = c.article_id AND e.fact_type = 'deal'
WHERE c.is_now
UNION
SELECT e.fact_id FROM evidence e WHERE e.id > :since AND e.fact_type = 'deal'
EXCEPT
SELECT deal_id FROM sdl_changed
"""
# Between runs' ends (summaries.refresh with ``stated_only``): only the deals the newly counted
# articles state, without the full comparison; the run's last refresh makes that comparison.
STATED_ONLY = (
    """
    CREATE TEMP TABLE sdl_changed ON COMMIT DROP AS
    SELECT DISTINCT e.fact_id AS deal_id
    FROM sum_changed c JOIN evidence e ON e.article_id = c.article_id AND e.fact_type = 'deal'
    WHERE c.is_now
    """,
    NOW.rstrip() + " AND d.id IN (SELECT deal_id FROM sdl_changed)",  # noqa: S608  (constants only)
)
# Their share as counted, and as it is now: one row per deal, supplier country ('' for none) and
# supplier.
OLD_SHARE = """
CREATE TEMP TABLE sdl_old ON COMMIT DROP AS
SELECT s.deal_id, s.buyer_id, s.status, s.value_usd, p.country_code, p.party_id
FROM sdl_changed c
JOIN summary_deals s ON s.deal_id = c.deal_id
JOIN summary_deal_suppliers p ON p.deal_id = c.deal_id
"""
NEW_SHARE = """
CREATE TEMP TABLE sdl_new ON COMMIT DROP AS
SELECT DISTINCT n.deal_id, n.buyer_id, n.status, n.value_usd,
       coalesce(dp.country_code, e.country_code, '') AS country_code, dp.entity_id AS party_id
FROM sdl_changed c
JOIN sdl_now n ON n.deal_id = c.deal_id
JOIN deal_parties dp ON dp.deal_id = c.deal_id AND dp.role IN ('supplier', 'consortium_member')
JOIN entities e ON e.id = dp.entity_id
"""
MARKETS = (
    """
    INSERT INTO supplier_markets AS t (buyer_id, country_code, status, deals, valued, value_usd)
    SELECT buyer_id, country_code, status, sum(sign), sum(sign * (value_usd IS NOT NULL)::int),
           sum(sign * value_usd)
    FROM (
        SELECT DISTINCT 1 AS sign, deal_id, buyer_id, status, value_usd, country_code FROM sdl_new
        UNION ALL
        SELECT DISTINCT -1, deal_id, buyer_id, status, value_usd, country_code FROM sdl_old
    ) x
    GROUP BY buyer_id, country_code, status
    HAVING sum(sign) <> 0 OR sum(sign * (value_usd IS NOT NULL)::int) <> 0 OR sum(sign * value_usd) <> 0
    ON CONFLICT (buyer_id, country_code, status) DO UPDATE
    SET deals = t.deals + excluded.deals, valued = t.valued + excluded.valued,
        value_usd = CASE WHEN t.valued + excluded.valued > 0
                         THEN coalesce(t.value_usd, 0) + coalesce(excluded.value_usd, 0) END
    """,
    "DELETE FROM supplier_markets WHERE deals <= 0",
    """
    INSERT INTO supplier_market_parties AS t (buyer_id, country_code, party_id, deals)
    SELECT buyer_id, country_code, party_id, sum(sign)
    FROM (
        SELECT 1 AS sign, buyer_id, country_code, party_id FROM sdl_new
        UNION ALL
        SELECT -1, buyer_id, country_code, party_id FROM sdl_old
    ) x
    GROUP BY buyer_id, country_code, party_id HAVING sum(sign) <> 0
    ON CONFLICT (buyer_id, country_code, party_id) DO UPDATE SET deals = t.deals + excluded.deals
    """,
    "DELETE FROM supplier_market_parties WHERE deals <= 0",
)
LEDGER = (
    "DELETE FROM summary_deals s USING sdl_changed c WHERE s.deal_id = c.deal_id",
    "DELETE FROM summary_deal_suppliers s USING sdl_changed c WHERE s.deal_id = c.deal_id",
    """
    INSERT INTO summary_deals (deal_id, buyer_id, status, value_usd)
    SELECT n.deal_id, n.buyer_id, n.status, n.value_usd FROM sdl_changed c JOIN sdl_now n ON n.deal_id = c.deal_id
    """,
    "INSERT INTO summary_deal_suppliers (deal_id, country_code, party_id) SELECT deal_id, country_code, party_id "
    "FROM sdl_new",
)


def installed(conn: Connection) -> bool:
    """Whether the database has the summary (revision 0008 made it; 0006 rebuilds the others)."""
    return conn.execute(text("SELECT to_regclass('summary_deals') IS NOT NULL")).scalar_one()


def refresh(conn: Connection, evidence_since: int | None, stated_only: bool = False) -> int:
    """Recount the deals that changed and, unless ``evidence_since`` is None, those that the changed
    articles (``sum_changed`` of summaries.refresh) or evidence newer than it state. With
    ``stated_only``, recount only the deals the changed articles state (no scan of every deal).
    Returns the number of deals recounted."""
    conn.execute(text("DROP TABLE IF EXISTS " + ", ".join(f"pg_temp.{t}" for t in TEMP_TABLES)))
    if stated_only:
        for sql in STATED_ONLY:
            conn.execute(text(sql))
    else:
        conn.execute(text(NOW))
        conn.execute(text(CHANGED))
    if evidence_since is not None and not stated_only:
        conn.execute(text(STATED), {"since": evidence_since})
    changed = conn.execute(text("SELECT count(*) FROM sdl_changed")).scalar_one()
    if not changed:
        return 0
    for sql in (OLD_SHARE, NEW_SHARE):
        conn.execute(text(sql))
        conn.execute(text("ANALYZE " + sql.split()[3]))
    for sql in (*MARKETS, *LEDGER):
        conn.execute(text(sql))
    return changed


def rebuild(conn: Connection) -> int:
    """Empty the supplier-market summary and count every current deal again."""
    conn.execute(text("TRUNCATE " + ", ".join(TABLES)))
    return refresh(conn, None)
