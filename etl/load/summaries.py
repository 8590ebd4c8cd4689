"""Keeping the summary tables (models/summaries.py) right, set-based, as a run loads and at its end.

:func:`refresh` finds the articles the summaries have not counted, no longer exist, or whose
independent source changed (a FULL JOIN of the ``summary_articles`` ledger with ``articles``),
and recounts only their share: entity statistics, written forms and co-mentioned pairs by
difference (old share from the ledger, new share from ``mentions``) over the syndication groups
they belong to, so a copy of a story already counted adds an article but not a source; fact
support by recomputing each fact those articles (or new evidence rows) touch. A dozen statements
per refresh, whatever its size; a run refreshes after every :data:`DURING_RUN_EVERY` loaded
articles, beside its loading (etl/load/refresher.py), and once at its end, so no refresh holds
much more than that many articles. A refresh during the run waits for the end when the
syndication groups it touches hold more counted articles than it has new ones
(:data:`DURING_RUN_MAX_RECOUNT`): each refresh recounts a touched group whole, so a group that
gains members all run long would be recounted at every refresh. The
supplier-market summary is kept by etl/load/deal_summaries.py, called from here. ``aid_groups`` (each
fiscal year, donor and recipient of current aid allocations, with the donor's and recipient's
names) gains the groups of the allocations touched; a group whose allocations have all gone
stays, empty, until the next :func:`rebuild`. :func:`rebuild` empties everything and counts
again (migration, repair).
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from etl.load import deal_summaries

SUMMARY_TABLES = (
    "summary_articles",
    "summary_article_surfaces",
    "summary_article_facts",
    "entity_stats",
    "entity_surfaces",
    "entity_pairs",
    "fact_support",
    *deal_summaries.TABLES,
    "aid_groups",
)
LATER_TABLES = frozenset((*deal_summaries.TABLES, "aid_groups"))  # made by revisions 0008 and 0013
TEMP_TABLES = ("sum_changed", "sum_groups", "sum_old", "sum_new", "sum_ae", "sum_delta", "sum_facts")

# Articles whose share changed: new (not counted), gone (counted, deleted) or re-sourced.
CHANGED = """
CREATE TEMP TABLE sum_changed ON COMMIT DROP AS
SELECT coalesce(a.id, s.article_id) AS article_id, s.source_id AS old_source,
       coalesce(a.original_article_id, a.id) AS new_source,
       s.article_id IS NOT NULL AS was, a.id IS NOT NULL AS is_now
FROM summary_articles s FULL JOIN articles a ON a.id = s.article_id
WHERE s.article_id IS NULL OR a.id IS NULL OR s.source_id <> coalesce(a.original_article_id, a.id)
"""
# The syndication groups (independent sources) those articles belonged to or belong to now.
GROUPS = """
CREATE TEMP TABLE sum_groups ON COMMIT DROP AS
SELECT old_source AS source_id FROM sum_changed WHERE old_source IS NOT NULL
UNION SELECT new_source FROM sum_changed WHERE new_source IS NOT NULL
"""
# Those groups as counted (ledger) and as they are now (mentions).
OLD_SHARE = """
CREATE TEMP TABLE sum_old ON COMMIT DROP AS
SELECT s.article_id, s.source_id, l.entity_id, l.surface, l.mentions
FROM sum_groups g
JOIN summary_articles s ON s.source_id = g.source_id
JOIN summary_article_surfaces l ON l.article_id = s.article_id
"""
NEW_SHARE = """
CREATE TEMP TABLE sum_new ON COMMIT DROP AS
SELECT a.id AS article_id, a.source_id, m.entity_id, m.surface, count(*)::int AS mentions
FROM (
    SELECT x.id, x.id AS source_id FROM sum_groups g JOIN articles x ON x.id = g.source_id
    WHERE x.original_article_id IS NULL
    UNION ALL
    SELECT x.id, x.original_article_id FROM sum_groups g JOIN articles x ON x.original_article_id = g.source_id
) a
JOIN mentions m ON m.article_id = a.id
GROUP BY a.id, a.source_id, m.entity_id, m.surface
"""
# One row per article and entity, +1 for now and -1 for as counted.
ARTICLE_ENTITIES = """
CREATE TEMP TABLE sum_ae ON COMMIT DROP AS
SELECT 1 AS sign, article_id, source_id, entity_id, sum(mentions) AS mentions
FROM sum_new GROUP BY article_id, source_id, entity_id
UNION ALL
SELECT -1, article_id, source_id, entity_id, sum(mentions)
FROM sum_old GROUP BY article_id, source_id, entity_id
"""
SURFACES = (
    """
    INSERT INTO entity_surfaces AS t (entity_id, surface, mentions)
    SELECT entity_id, surface, sum(mentions) FROM (
        SELECT entity_id, surface, mentions FROM sum_new
        UNION ALL SELECT entity_id, surface, -mentions FROM sum_old
    ) x GROUP BY entity_id, surface HAVING sum(mentions) <> 0
    ON CONFLICT (entity_id, surface) DO UPDATE SET mentions = t.mentions + excluded.mentions
    """,
    """
    DELETE FROM entity_surfaces t USING (SELECT DISTINCT entity_id, surface FROM sum_old) o
    WHERE t.entity_id = o.entity_id AND t.surface = o.surface AND t.mentions <= 0
    """,
)
# Sources: groups (within the touched ones) where the entity or pair is present now, minus before.
DISTINCT_SOURCES = (
    "count(DISTINCT source_id) FILTER (WHERE sign = 1) - count(DISTINCT source_id) FILTER (WHERE sign = -1)"
)
ENTITY_STATS = (
    f"""
    INSERT INTO entity_stats AS t (entity_id, mentions, articles, sources)
    SELECT * FROM (
        SELECT entity_id, sum(sign * mentions) AS mentions, sum(sign) AS articles, {DISTINCT_SOURCES} AS sources
        FROM sum_ae GROUP BY entity_id
    ) d WHERE (mentions, articles, sources) <> (0, 0, 0)
    ON CONFLICT (entity_id) DO UPDATE SET mentions = t.mentions + excluded.mentions,
        articles = t.articles + excluded.articles, sources = t.sources + excluded.sources
    """,  # noqa: S608  (constants only)
    """
    DELETE FROM entity_stats t USING (SELECT DISTINCT entity_id FROM sum_ae WHERE sign = -1) o
    WHERE t.entity_id = o.entity_id AND t.articles <= 0
    """,
)
PAIRS = (
    f"""
    CREATE TEMP TABLE sum_delta ON COMMIT DROP AS
    SELECT a, b, sum(sign) AS articles, {DISTINCT_SOURCES} AS sources
    FROM (
        SELECT x.sign, x.source_id, x.entity_id AS a, y.entity_id AS b
        FROM sum_ae x JOIN sum_ae y ON y.article_id = x.article_id AND y.sign = x.sign AND y.entity_id > x.entity_id
    ) p
    GROUP BY a, b
    """,  # noqa: S608  (constants only)
    """
    INSERT INTO entity_pairs AS t (entity_a_id, entity_b_id, articles, sources)
    SELECT a, b, articles, sources FROM sum_delta WHERE (articles, sources) <> (0, 0)
    ON CONFLICT (entity_a_id, entity_b_id) DO UPDATE
    SET articles = t.articles + excluded.articles, sources = t.sources + excluded.sources
    """,
    """
    DELETE FROM entity_pairs t USING sum_delta d
    WHERE t.entity_a_id = d.a AND t.entity_b_id = d.b AND d.articles < 0 AND t.articles <= 0
    """,
)
# Facts whose support may have changed: those the changed articles gave evidence for, as counted
# and now, and those with evidence rows newer than :since (e.g. reviewed facts on old articles).
TOUCHED_FACTS = """
CREATE TEMP TABLE sum_facts ON COMMIT DROP AS
SELECT l.fact_type, l.fact_id FROM sum_changed c JOIN summary_article_facts l ON l.article_id = c.article_id
WHERE c.was
UNION SELECT e.fact_type, e.fact_id FROM sum_changed c JOIN evidence e ON e.article_id = c.article_id WHERE c.is_now
UNION SELECT e.fact_type, e.fact_id FROM evidence e WHERE e.id > :since
"""
FACT_SUPPORT = (
    "DELETE FROM fact_support t USING sum_facts f WHERE t.fact_type = f.fact_type AND t.fact_id = f.fact_id",
    """
    INSERT INTO fact_support (fact_type, fact_id, articles, sources, publishers, source_files,
                              first_published_on, last_published_on)
    SELECT ev.fact_type, ev.fact_id, count(DISTINCT ev.article_id),
           count(DISTINCT coalesce(a.original_article_id, a.id)),
           string_agg(DISTINCT p.name, ', ' ORDER BY p.name),
           string_agg(DISTINCT a.source_file, ', ' ORDER BY a.source_file),
           min(a.published_on), max(a.published_on)
    FROM sum_facts f
    JOIN evidence ev ON ev.fact_type = f.fact_type AND ev.fact_id = f.fact_id
    JOIN articles a ON a.id = ev.article_id
    LEFT JOIN publishers p ON p.id = a.publisher_id
    GROUP BY ev.fact_type, ev.fact_id
    """,
)
# The fiscal year, donor and recipient of the current aid allocations touched (0 for none), or of all
# of them (rebuild).
AID_GROUP = "coalesce(x.fiscal_year, 0), coalesce(x.donor_entity_id, 0), coalesce(x.recipient_entity_id, 0)"
# The names are stored with the group so that aid_by_year reads groups in name order by index
# (the ETL never renames an entity; rebuild writes them again after a hand edit).
AID_GROUP_ROWS = """
INSERT INTO aid_groups (fiscal_year, donor_id, recipient_id, donor_name, recipient_name)
SELECT k.fiscal_year, k.donor_id, k.recipient_id, dn.name, rc.name
FROM ({keys}) k (fiscal_year, donor_id, recipient_id)
LEFT JOIN entities dn ON dn.id = k.donor_id
LEFT JOIN entities rc ON rc.id = k.recipient_id
ON CONFLICT DO NOTHING
"""
AID_GROUPS = AID_GROUP_ROWS.format(
    keys=f"""SELECT DISTINCT {AID_GROUP} FROM sum_facts f JOIN aid_allocations x ON x.id = f.fact_id
    WHERE f.fact_type = 'aid_allocation' AND x.superseded_by_id IS NULL"""  # noqa: S608  (constants only)
)
ALL_AID_GROUPS = AID_GROUP_ROWS.format(
    keys=f"SELECT DISTINCT {AID_GROUP} FROM aid_allocations x WHERE x.superseded_by_id IS NULL"  # noqa: S608
)
# The ledger now records the changed articles as they are.
LEDGER = (
    "DELETE FROM summary_articles s USING sum_changed c WHERE s.article_id = c.article_id AND c.was",
    "DELETE FROM summary_article_surfaces s USING sum_changed c WHERE s.article_id = c.article_id AND c.was",
    "DELETE FROM summary_article_facts s USING sum_changed c WHERE s.article_id = c.article_id AND c.was",
    "INSERT INTO summary_articles (article_id, source_id) SELECT article_id, new_source FROM sum_changed WHERE is_now",
    """
    INSERT INTO summary_article_surfaces (article_id, entity_id, surface, mentions)
    SELECT n.article_id, n.entity_id, n.surface, n.mentions
    FROM sum_new n JOIN sum_changed c ON c.article_id = n.article_id AND c.is_now
    """,
    """
    INSERT INTO summary_article_facts (article_id, fact_type, fact_id)
    SELECT DISTINCT e.article_id, e.fact_type, e.fact_id
    FROM sum_changed c JOIN evidence e ON e.article_id = c.article_id WHERE c.is_now
    """,
    """
    INSERT INTO summary_article_facts (article_id, fact_type, fact_id)
    SELECT DISTINCT e.article_id, e.fact_type, e.fact_id
    FROM evidence e JOIN summary_articles s ON s.article_id = e.article_id WHERE e.id > :since
    ON CONFLICT DO NOTHING
    """,
)


# A run refreshes the summaries after each this many loaded articles, not only at its end: the
# co-mentioned pairs of all its articles at once were one statement over ~1,300 pairs per article
# (4 minutes and a temporary table of 130M rows at 100k articles; ten times that at 1M).
DURING_RUN_EVERY = 5000
# ... unless the syndication groups it touches hold more than this many counted articles per
# article to count: then it waits for the run's last refresh, which counts each group once. (A
# generated 100k corpus grew groups of 4,000 articles: every refresh recounted them, 255 s each
# at 90k articles, about 40 minutes in all against 4 minutes for one refresh at the end.)
DURING_RUN_MAX_RECOUNT = 1.0
RECOUNT_SIZE = "SELECT count(*) FROM sum_groups g JOIN summary_articles s ON s.source_id = g.source_id"


def evidence_mark(conn: Connection) -> int:
    """The newest evidence id: pass it to :func:`refresh` to count evidence written after it."""
    return conn.execute(text("SELECT coalesce(max(id), 0) FROM evidence")).scalar_one()


def refresh(conn: Connection, evidence_since: int | None = None, during_run: bool = False) -> int:
    """Count the articles the summaries have not counted (or counted as they no longer are), and
    evidence rows newer than ``evidence_since``. ``during_run``: a refresh while a run loads (see
    :data:`DURING_RUN_EVERY`), which recounts only the deals those articles state, or nothing when
    the groups they touch are large (:data:`DURING_RUN_MAX_RECOUNT`); the run's last refresh also
    compares every deal with its ledger. Returns the number of articles recounted."""
    since = {"since": evidence_since if evidence_since is not None else evidence_mark(conn)}
    conn.execute(text("DROP TABLE IF EXISTS " + ", ".join(f"pg_temp.{t}" for t in TEMP_TABLES)))
    conn.execute(text(CHANGED))
    conn.execute(text(GROUPS))
    changed = conn.execute(text("SELECT count(*) FROM sum_changed")).scalar_one()
    if during_run and conn.execute(text(RECOUNT_SIZE)).scalar_one() > DURING_RUN_MAX_RECOUNT * changed:
        return 0  # the run's last refresh counts these
    if deal_summaries.installed(conn):  # not while migrating through revisions 0006-0007
        deal_summaries.refresh(conn, since["since"], stated_only=during_run)
    if not changed and not conn.execute(text("SELECT 1 FROM evidence WHERE id > :since LIMIT 1"), since).first():
        return 0
    conn.execute(text("ANALYZE sum_groups"))
    for sql in (OLD_SHARE, NEW_SHARE, ARTICLE_ENTITIES, *SURFACES, *ENTITY_STATS, *PAIRS):
        conn.execute(text(sql))
        if sql.lstrip().startswith("CREATE TEMP TABLE"):  # row counts for the planner
            conn.execute(text("ANALYZE " + sql.split()[3]))
    conn.execute(text(TOUCHED_FACTS), since)
    for sql in FACT_SUPPORT:
        conn.execute(text(sql))
    if _installed(conn, "aid_groups"):
        conn.execute(text(AID_GROUPS))
    for sql in LEDGER:
        conn.execute(text(sql), since)
    return changed


def _installed(conn: Connection, table: str) -> bool:
    """Whether the table exists yet (revision 0006 rebuilds the summaries before later ones made theirs)."""
    return conn.execute(text("SELECT to_regclass(:t) IS NOT NULL"), {"t": table}).scalar_one()


def rebuild(conn: Connection) -> int:
    """Empty every summary table and count the whole database again. Returns the articles counted."""
    tables = [t for t in SUMMARY_TABLES if t not in LATER_TABLES or _installed(conn, t)]
    conn.execute(text("TRUNCATE " + ", ".join(tables)))
    if "aid_groups" in tables:
        conn.execute(text(ALL_AID_GROUPS))
    return refresh(conn, evidence_since=0)
