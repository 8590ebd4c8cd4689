"""Whether the facts derived from the whole corpus must be recomputed at the end of a run.

Discrepancies and deal statuses are computed over every stored fact, which costs seconds on a
large database. They change only when their inputs do: articles, entities or aliases written
(each write transaction marks the state ``pending``, so a run that crashed after writing leaves
it marked), or the rules, the reviewed-facts file or the recompute itself changed (compared by
digest). The transaction that recomputes clears the mark, so the state is never ahead of the data.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import Connection, text

MARK = text("UPDATE refresh_state SET pending = true WHERE id = 1 AND NOT pending")
STATE = text("SELECT pending, inputs_digest FROM refresh_state WHERE id = 1")
DONE = text(
    """
    INSERT INTO refresh_state (id, pending, inputs_digest, refreshed_at) VALUES (1, false, :d, now())
    ON CONFLICT (id) DO UPDATE SET pending = false, inputs_digest = :d, refreshed_at = now()
    """
)


def inputs_digest(version: str, reviewed_facts: Path, recompute_sql: Iterable[str]) -> str:
    """Digest of the recompute's inputs besides the stored articles: the extractor ``version``, the
    reviewed-facts file (absent counts as empty) and the SQL that recomputes."""
    digest = hashlib.sha256(version.encode())
    digest.update(reviewed_facts.read_bytes() if reviewed_facts.is_file() else b"")
    for sql in recompute_sql:
        digest.update(sql.encode())
    return digest.hexdigest()


def mark_pending(conn: Connection) -> None:
    """Record, in the caller's transaction, that the derived facts are out of date."""
    conn.execute(MARK)


def needed(conn: Connection, digest: str) -> bool:
    """Whether the derived facts must be recomputed: marked pending, recomputed with other inputs,
    or never recorded."""
    row = conn.execute(STATE).first()
    return row is None or row.pending or row.inputs_digest != digest


def mark_done(conn: Connection, digest: str) -> None:
    """Record, in the recomputing transaction, that the derived facts match ``digest``."""
    conn.execute(DONE, {"d": digest})
