"""Steps after the articles of a run are loaded: reviewed facts, then discrepancies."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, select, text

from etl.load import discrepancies, planner_stats, refresh_state, summaries
from etl.load.articles import entity_rows, write_facts
from etl.load.entities import entity_ids
from etl.load.facts import FACT_MODELS
from etl.load.keys import FactKeys
from etl.records import AgreementRec, AidRec, DealRec, EventRec, Extraction, Rejection
from etl.reference.facts import FactsFileError, ReviewedFact, load_reviewed_facts, locate, to_record

REVIEWED_TABLES = ("deals", "deal_events", "aid_allocations", "agreements", "events")


def _fixed_keys(key: str, same_quote: FactKeys) -> FactKeys:
    fixed = lambda _rec: key  # noqa: E731
    return FactKeys(
        quote=fixed,
        same_quote=same_quote.same_quote,
        position=fixed,
        aid=fixed,
        deal=fixed,
        agreement=fixed,
        event=fixed,
    )


def _as_extraction(record: DealRec | AidRec | AgreementRec | EventRec) -> Extraction:
    if isinstance(record, DealRec):
        return Extraction(deals=[record])
    if isinstance(record, AidRec):
        return Extraction(aid=[record])
    if isinstance(record, AgreementRec):
        return Extraction(agreements=[record])
    return Extraction(events=[record])


def _apply(conn: Connection, fact: ReviewedFact, keys: FactKeys, where: str) -> Rejection | str | None:
    row = conn.execute(
        text("SELECT id, body FROM articles WHERE source_file = :f ORDER BY id LIMIT 1"), {"f": fact.article}
    ).first()
    if row is None:  # the cited article is not in this database (yet): nothing to check or write
        return None
    span = locate(row.body, fact.evidence)
    if span is None:
        return Rejection(
            where,
            f"reviewed fact {fact.id!r}: evidence quote not found in {fact.article}: {fact.evidence[:80]!r}",
        )
    key = f"reviewed:{fact.id}"
    extraction = _as_extraction(to_record(fact, span))
    ids = entity_ids(conn, entity_rows(extraction))
    write_facts(conn, row.id, row.body, extraction, ids, "facts.yaml", _fixed_keys(key, keys), "reviewed")
    if fact.corrects:
        table = FACT_MODELS[fact.fact_type].__table__
        result = conn.execute(
            table.update()
            .where(table.c.fact_key == fact.corrects)
            .values(superseded_by_id=conn.execute(select(table.c.id).where(table.c.fact_key == key)).scalar_one())
        )
        if result.rowcount == 0:
            return Rejection(
                where,
                f"reviewed fact {fact.id!r} corrects {fact.corrects!r}, but no such {fact.fact_type} fact exists",
            )
    return key


def sync_reviewed_facts(conn: Connection, path: Path, keys: FactKeys) -> list[Rejection]:
    """Write every reviewed fact; drop reviewed facts no longer in the file. Returns rejections."""
    where = str(path)
    try:
        facts = load_reviewed_facts(path)
    except FactsFileError as exc:
        return [Rejection(where, str(exc))]
    rejections: list[Rejection] = []
    kept: list[str] = []
    for fact in facts:
        outcome = _apply(conn, fact, keys, where)
        if isinstance(outcome, Rejection):
            rejections.append(outcome)
        elif outcome is not None:
            kept.append(outcome)
    for table in REVIEWED_TABLES:
        conn.execute(
            text(
                f"DELETE FROM {table} WHERE review_status = 'reviewed' "  # noqa: S608
                "AND split_part(fact_key, '|', 1) <> ALL(CAST(:keep AS text[]))"
            ),
            {"keep": kept},
        )
    return rejections


# A deal is in the state its most recent report gives (reports of one deal may span months).
LATEST_STATUS = text(
    """
    UPDATE deals d SET status = latest.stated_value
    FROM (
        SELECT DISTINCT ON (e.fact_id) e.fact_id, e.stated_value
        FROM evidence e JOIN articles a ON a.id = e.article_id
        WHERE e.fact_type = 'deal' AND e.stated_value IS NOT NULL AND e.stated_value <> 'unknown'
        ORDER BY e.fact_id, a.published_on DESC NULLS LAST, a.id DESC
    ) latest
    WHERE d.id = latest.fact_id AND d.review_status = 'automatic' AND d.status IS DISTINCT FROM latest.stated_value
    """
)


def finalize(
    conn: Connection, keys: FactKeys, reference_dir: Path, version: str, recounted: int = 0
) -> list[Rejection]:
    """Reviewed facts, deal statuses from the latest report and discrepancies (when their inputs
    changed: etl/load/refresh_state.py), then the summary tables the analytics views read, and the
    planner's statistics when the run changed a good share of the corpus (``recounted``: articles
    the summary refreshes during the run already counted). Returns rejections."""
    facts_file = reference_dir / "facts.yaml"
    digest = refresh_state.inputs_digest(version, facts_file, (LATEST_STATUS.text, *discrepancies.SQL))
    recompute = refresh_state.needed(conn, digest)
    if recompute:
        conn.execute(LATEST_STATUS)
    mark = summaries.evidence_mark(conn)
    rejections = sync_reviewed_facts(conn, facts_file, keys)  # checked every run: its rejections are reported
    if recompute:
        discrepancies.refresh(conn)
        refresh_state.mark_done(conn, digest)
    planner_stats.refresh(conn, recounted + summaries.refresh(conn, evidence_since=mark))
    return rejections
