"""The syndication index: winnowed narrative-shingle hashes of every original article.

Winnowing (Schleimer et al., 2003) keeps the smallest hash of every window of ``WINDOW``
consecutive shingles, so two bodies that share a verbatim run of ``WINDOW`` shingles (a passage
of ``WINDOW + SHINGLE - 1`` = 15 words, what ``MIN_SHARED`` asks for) share at least one stored
hash. A new article's candidates are the originals sharing a hash with it (an index lookup);
the few best are then judged by :func:`etl.transform.syndication.find_syndicated` on their bodies,
exactly as before, so the index only narrows the search. Short bodies store every shingle.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import Connection, text

from etl.load.faults import checkpoint
from etl.records import CleanArticle
from etl.transform.syndication import SHINGLE, find_syndicated, narrative_segments

WINDOW = 8
KEEP_ALL_BELOW = 64  # shingles
MAX_CANDIDATES = 20

CANDIDATES = text(
    """
    SELECT s.article_id, count(*) AS hits
    FROM article_shingles s JOIN articles a ON a.id = s.article_id
    WHERE s.shingle = ANY(CAST(:hashes AS bigint[]))
      AND a.original_article_id IS NULL AND a.content_hash <> :hash
      AND NOT (a.source_path = :path AND a.source_line = :line)
      AND (CAST(:published AS date) IS NULL OR a.published_on IS NULL
           OR a.published_on BETWEEN CAST(:published AS date) - 31 AND CAST(:published AS date) + 31)
    GROUP BY s.article_id
    ORDER BY hits DESC, s.article_id
    LIMIT :limit
    """
)


def _hash(shingle: list[str]) -> int:
    return int.from_bytes(hashlib.blake2b(" ".join(shingle).encode(), digest_size=8).digest(), "big", signed=True)


def shingle_hashes(body: str) -> tuple[set[int], int]:
    """The winnowed hashes of ``body``'s narrative shingles, and how many distinct shingles it has."""
    every: set[int] = set()
    chosen: set[int] = set()
    for tokens in narrative_segments(body):
        hashes = [_hash(tokens[i : i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1)]
        every.update(hashes)
        if len(hashes) <= WINDOW:
            chosen.add(min(hashes))
        else:
            chosen.update(min(hashes[i : i + WINDOW]) for i in range(len(hashes) - WINDOW + 1))
    return (every if len(every) < KEEP_ALL_BELOW else chosen), len(every)


def find_original(conn: Connection, article: CleanArticle, hashes: set[int]) -> int | None:
    """The id of the stored original ``article`` is a syndicated copy of, or None."""
    if not hashes:
        return None
    ids = [
        row[0]
        for row in conn.execute(
            CANDIDATES,
            {
                "hashes": sorted(hashes),
                "hash": article.content_hash,
                "path": article.source_path,
                "line": article.source_line or 0,
                "published": article.published_on,
                "limit": MAX_CANDIDATES,
            },
        )
    ]
    if not ids:
        return None
    bodies = conn.execute(
        text("SELECT id, body FROM articles WHERE id = ANY(CAST(:ids AS bigint[])) ORDER BY id"), {"ids": ids}
    )
    return find_syndicated(article, [(r[0], r[1]) for r in bodies])


def store(conn: Connection, article_id: int, hashes: set[int], count: int) -> None:
    """Index an original article's hashes (one COPY)."""
    conn.execute(
        text("INSERT INTO article_fingerprints (article_id, shingle_count) VALUES (:a, :n)"),
        {"a": article_id, "n": count},
    )
    if hashes:
        raw = conn.connection.driver_connection
        with raw.cursor() as cur, cur.copy("COPY article_shingles (article_id, shingle) FROM STDIN") as copy:
            for h in sorted(hashes):
                copy.write_row((article_id, h))
            checkpoint("copy")


def backfill(conn: Connection) -> int:
    """Index the originals that have no fingerprints yet (loaded before revision 0003, or
    copies whose original was replaced). Returns how many."""
    rows = conn.execute(
        text(
            """
            SELECT a.id, a.body FROM articles a
            WHERE a.original_article_id IS NULL
              AND NOT EXISTS (SELECT 1 FROM article_fingerprints f WHERE f.article_id = a.id)
            ORDER BY a.id
            """
        )
    ).all()
    for article_id, body in rows:
        store(conn, article_id, *shingle_hashes(body))
    return len(rows)
