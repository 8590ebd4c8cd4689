"""Where sources disagree: recomputed from the stored facts after every run.

Kinds: ``spelling`` (a name variant against the canonical name), ``wording`` (variants of one
quote), ``figure`` (the same aid line with different amounts, or a change that does not add up),
``status`` and ``date`` (one deal, event or agreement stated differently), ``claim`` (one subject
ranked differently). The table is synced, not rebuilt, so an unchanged corpus leaves it untouched."""

from __future__ import annotations

from sqlalchemy import Connection, text

COLUMNS = (
    "kind",
    "subject",
    "attribute",
    "value_a",
    "article_a_id",
    "start_a",
    "end_a",
    "value_b",
    "article_b_id",
    "start_b",
    "end_b",
)

# A person's name variant against the canonical name in another article; as in STATED below, only
# the first two articles of each form are read (the earliest pair in different articles is there).
SPELLING = text(
    """
    WITH v AS (
        SELECT al.id, e.id AS entity_id, e.name, al.alias
        FROM entity_aliases al JOIN entities e ON e.id = al.entity_id
        WHERE al.kind = 'variant' AND e.entity_type = 'person'  -- "Dassault Aviation SA" is no disagreement
    )
    SELECT DISTINCT ON (v.id)
           'spelling', v.name, 'name', va.surface, va.article_id, va.char_start, va.char_end,
           v.name, vb.article_id, vb.char_start, vb.char_end
    FROM v
    CROSS JOIN LATERAL (SELECT DISTINCT ON (m.article_id) m.surface, m.article_id, m.char_start, m.char_end
                        FROM mentions m WHERE m.entity_id = v.entity_id AND m.surface = v.alias
                        ORDER BY m.article_id, m.char_start LIMIT 2) va
    JOIN LATERAL (SELECT DISTINCT ON (m.article_id) m.article_id, m.char_start, m.char_end
                  FROM mentions m WHERE m.entity_id = v.entity_id AND m.surface = v.name
                  ORDER BY m.article_id, m.char_start LIMIT 2) vb ON vb.article_id <> va.article_id
    ORDER BY v.id, va.article_id, va.char_start, vb.article_id, vb.char_start
    """
)
WORDING = text(
    """
    WITH ev AS (
        SELECT q.id AS quote_id, coalesce(s.name, 'unattributed') AS speaker, q.text AS quote_text,
               e.article_id, e.char_start, e.char_end, e.excerpt,
               lower(regexp_replace(e.excerpt, '[^[:alnum:]]+', ' ', 'g')) AS norm,
               row_number() OVER (PARTITION BY q.id ORDER BY e.article_id, e.char_start) AS n
        FROM quotes q
        JOIN evidence e ON e.fact_type = 'quote' AND e.fact_id = q.id
        LEFT JOIN entities s ON s.id = q.speaker_entity_id
    )
    SELECT DISTINCT ON (b.quote_id, b.norm)
           'wording', a.speaker || ': "' || left(a.quote_text, 60) || '..."', 'wording',
           a.excerpt, a.article_id, a.char_start, a.char_end,
           b.excerpt, b.article_id, b.char_start, b.char_end
    FROM ev a JOIN ev b ON a.quote_id = b.quote_id AND a.n = 1 AND b.n > 1 AND a.norm <> b.norm
    ORDER BY b.quote_id, b.norm, b.n
    """
)
# Current aid allocations, each with its first evidence span (for the two aid checks below).
AID_WITH_EVIDENCE = """
    WITH al AS (
        SELECT a.id, a.amount, a.currency, a.fiscal_year, a.purpose, a.stage, a.qualifier,
               coalesce(d.name, '?') || ' -> ' || coalesce(r.name, '?') AS subject,
               e.article_id, e.char_start, e.char_end,
               (SELECT coalesce(ar.original_article_id, ar.id) FROM articles ar WHERE ar.id = e.article_id) AS source_id
        FROM aid_allocations a
        LEFT JOIN entities d ON d.id = a.donor_entity_id
        LEFT JOIN entities r ON r.id = a.recipient_entity_id
        JOIN LATERAL (SELECT * FROM evidence e WHERE e.fact_type = 'aid_allocation' AND e.fact_id = a.id
                      ORDER BY e.article_id, e.char_start LIMIT 1) e ON true
        WHERE a.superseded_by_id IS NULL
    )
"""
FIGURES = text(
    AID_WITH_EVIDENCE  # noqa: S608  (constant SQL, no input)
    + """
    SELECT 'figure', x.subject, x.purpose || ' aid ' || coalesce(x.fiscal_year::text, '') || ' (' || x.stage || ')',
           x.amount::text || ' ' || x.currency, x.article_id, x.char_start, x.char_end,
           y.amount::text || ' ' || y.currency, y.article_id, y.char_start, y.char_end
    FROM al x JOIN al y
      ON x.subject = y.subject AND x.fiscal_year IS NOT DISTINCT FROM y.fiscal_year
     AND x.purpose = y.purpose AND x.stage = y.stage AND x.id < y.id AND x.amount <> y.amount
     AND x.stage <> 'change' AND x.fiscal_year IS NOT NULL AND x.source_id <> y.source_id
    """
)
# A stated change ("reduced by at least $10 million in 2013") checked against the base year and the
# projection ("expected to drop to $74 million next year"): only an inconsistent trio is reported.
CHANGES = text(
    AID_WITH_EVIDENCE  # noqa: S608  (constant SQL, no input)
    + """
    SELECT DISTINCT 'figure', c.subject, c.purpose || ' aid change ' || c.fiscal_year,
           'change ' || coalesce(c.qualifier || ' ', '') || c.amount::text || ' ' || c.currency,
           c.article_id, c.char_start, c.char_end,
           p.amount::text || ' ' || p.currency || ' (' || p.stage || ') after ' || b.amount::text || ' in '
               || b.fiscal_year,
           p.article_id, p.char_start, p.char_end
    FROM al c
    JOIN al p ON p.subject = c.subject AND p.purpose = c.purpose AND p.fiscal_year = c.fiscal_year
             AND p.stage IN ('projected', 'requested', 'appropriated', 'estimated', 'actual')
    JOIN al b ON b.subject = c.subject AND b.purpose = c.purpose AND b.fiscal_year = c.fiscal_year - 1
             AND b.stage IN ('estimated', 'actual', 'appropriated')
    WHERE c.stage = 'change' AND NOT CASE
        WHEN c.qualifier IN ('at least', 'more than', 'over', 'top') THEN p.amount - b.amount <= c.amount
        WHEN c.qualifier IN ('up to', 'at most', 'less than', 'nearly', 'almost') THEN p.amount - b.amount >= c.amount
        ELSE abs((p.amount - b.amount) - c.amount) <= 0.05 * abs(c.amount) END
    """
)
# The same fact stated differently by independent sources: a deal's status, a date. Two dates
# conflict only when neither contains the other ("2012" and "2012-04" agree). Each pair of values
# is shown by its first two sources' first rows: the earliest pair of independent reports is always
# among them, and a fact reported by a thousand articles no longer makes a million pairs.
STATED = text(
    """
    WITH ev AS (
        SELECT DISTINCT ON (e.fact_type, e.fact_id, e.stated_value, coalesce(a.original_article_id, a.id))
               e.fact_type, e.fact_id, e.stated_value, e.article_id, e.char_start, e.char_end,
               coalesce(a.original_article_id, a.id) AS source_id
        FROM evidence e JOIN articles a ON a.id = e.article_id
        WHERE e.stated_value IS NOT NULL AND e.fact_type IN ('deal', 'deal_event', 'agreement', 'event')
        ORDER BY e.fact_type, e.fact_id, e.stated_value, coalesce(a.original_article_id, a.id),
                 e.article_id, e.char_start
    ), firsts AS (
        SELECT * FROM (
            SELECT ev.*, row_number() OVER (PARTITION BY fact_type, fact_id, stated_value
                                            ORDER BY article_id, char_start) AS n
            FROM ev
        ) r WHERE n <= 2
    ), pairs AS (
        SELECT DISTINCT ON (x.fact_type, x.fact_id, x.stated_value, y.stated_value)
               x.fact_type, x.fact_id, x.stated_value AS value_a, x.article_id AS article_a,
               x.char_start AS start_a, x.char_end AS end_a, y.stated_value AS value_b,
               y.article_id AS article_b, y.char_start AS start_b, y.char_end AS end_b
        FROM firsts x JOIN firsts y
          ON x.fact_type = y.fact_type AND x.fact_id = y.fact_id AND x.source_id <> y.source_id
         AND x.stated_value < y.stated_value
         AND NOT (x.fact_type <> 'deal' AND (y.stated_value LIKE x.stated_value || '%'
                                             OR x.stated_value LIKE y.stated_value || '%'))
        ORDER BY x.fact_type, x.fact_id, x.stated_value, y.stated_value, x.article_id, y.article_id,
                 x.char_start, y.char_start
    )
    SELECT CASE WHEN p.fact_type = 'deal' THEN 'status' ELSE 'date' END, s.subject,
           CASE WHEN p.fact_type = 'deal' THEN 'status' ELSE 'date' END,
           p.value_a, p.article_a, p.start_a, p.end_a, p.value_b, p.article_b, p.start_b, p.end_b
    FROM pairs p
    JOIN LATERAL (
        SELECT CASE p.fact_type
                   WHEN 'deal' THEN (SELECT title FROM deals WHERE id = p.fact_id)
                   WHEN 'deal_event' THEN (SELECT d.title || ': ' || de.event_type FROM deal_events de
                                           JOIN deals d ON d.id = de.deal_id WHERE de.id = p.fact_id)
                   WHEN 'agreement' THEN (SELECT title FROM agreements WHERE id = p.fact_id)
                   WHEN 'event' THEN (SELECT description FROM events WHERE id = p.fact_id)
               END AS subject
    ) s ON s.subject IS NOT NULL
    """
)
CLAIMS = text(
    """
    WITH c AS (
        SELECT c.*, e.name AS subject, coalesce(a.original_article_id, a.id) AS source_id
        FROM claims c JOIN entities e ON e.id = c.subject_entity_id JOIN articles a ON a.id = c.article_id
    )
    SELECT DISTINCT ON (x.subject, x.attribute, x.value, y.value)
           'claim', x.subject, x.attribute, x.value, x.article_id, x.char_start, x.char_end,
           y.value, y.article_id, y.char_start, y.char_end
    FROM c x JOIN c y ON x.subject = y.subject AND x.attribute = y.attribute
     AND x.value < y.value AND x.source_id <> y.source_id
    ORDER BY x.subject, x.attribute, x.value, y.value, x.article_id, y.article_id
    """
)


QUERIES = (SPELLING, WORDING, FIGURES, CHANGES, STATED, CLAIMS)
SQL = tuple(q.text for q in QUERIES)  # what etl/load/refresh_state.py digests: new checks recompute


# Every row the checks give, in a temporary table: the comparison with the stored rows stays in the
# database (as Python sets it took 5 GB at 100k articles, all of it in the ETL's main process).
_COLS = ", ".join(COLUMNS)  # constants, never input
_SAME = " AND ".join(f"n.{c} = d.{c}" for c in COLUMNS)  # every column is NOT NULL
NOW = f"CREATE TEMP TABLE disc_now ON COMMIT DROP AS SELECT {_COLS} FROM discrepancies WITH NO DATA"  # noqa: S608
STALE = f"DELETE FROM discrepancies d WHERE NOT EXISTS (SELECT 1 FROM disc_now n WHERE {_SAME})"  # noqa: S608
NEW = f"""
INSERT INTO discrepancies ({_COLS})
SELECT DISTINCT {_COLS} FROM disc_now n
WHERE NOT EXISTS (SELECT 1 FROM discrepancies d WHERE {_SAME})
ORDER BY {_COLS}
ON CONFLICT DO NOTHING
"""  # noqa: S608  (in a fixed order: the same ids every run)


def refresh(conn: Connection) -> None:
    """Recompute every discrepancy and make the table hold exactly them, touching only what changed."""
    conn.execute(text("DROP TABLE IF EXISTS pg_temp.disc_now"))
    conn.execute(text(NOW))
    for query in QUERIES:
        conn.execute(text(f"INSERT INTO disc_now ({_COLS}) {query.text}"))
    conn.execute(text("ANALYZE disc_now"))
    conn.execute(text(STALE))
    conn.execute(text(NEW))
