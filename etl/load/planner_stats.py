"""Whether a run changed enough of the database that the query planner's statistics must be
refreshed now, rather than whenever autovacuum gets to it, and refreshing them.

Right after a large first load every table still has the statistics of an empty one, and the
catalogue queries get plans for a few rows (the 1,000-article benchmark saw ``arms_deals`` at
0.6 s instead of 20 ms until autovacuum caught up). ``ANALYZE`` samples a fixed number of rows
per table, so it costs seconds even on a 7 GB database, which only pays when a run added a
good share of the corpus.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

SHARE = 0.1  # analyze when a run changed at least this share of the articles already counted

ESTIMATES = text(
    """
    SELECT c.relname, c.reltuples
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')
    """
)


def stale(changed_articles: int, article_estimate: float, never_analyzed: bool) -> bool:
    """A run that changed ``changed_articles`` articles leaves the statistics stale when it
    changed any and a table was never analyzed, or it changed at least ``SHARE`` of the articles
    the planner believes there are."""
    if changed_articles <= 0:
        return False
    return never_analyzed or changed_articles >= SHARE * max(article_estimate, 0.0)


def refresh(conn: Connection, changed_articles: int) -> bool:
    """``ANALYZE`` the schema's tables if :func:`stale`; returns whether it did."""
    estimates = dict(conn.execute(ESTIMATES).all())
    never = any(rows < 0 for rows in estimates.values())  # reltuples is -1 until the first ANALYZE
    if not stale(changed_articles, estimates.get("articles", -1.0), never):
        return False
    quote = conn.dialect.identifier_preparer.quote  # names from the catalogue, quoted as identifiers
    conn.execute(text("ANALYZE " + ", ".join(quote(name) for name in sorted(estimates))))
    return True
