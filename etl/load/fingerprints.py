"""The syndication index: winnowed narrative-shingle hashes of every original article.

Winnowing (Schleimer et al., 2003) keeps the smallest hash of every window of ``WINDOW``
consecutive shingles, so two bodies that share a verbatim run of ``WINDOW`` shingles (a passage
of ``WINDOW + SHINGLE - 1`` = 15 words, what ``MIN_SHARED`` asks for) share at least one stored
hash. A new article's candidates are the originals sharing a hash with it (an index lookup);
the few best are then judged on their bodies as :func:`etl.transform.syndication.find_syndicated` does,
so the index only narrows the search. Short bodies store every shingle. The judging compares
sets of 64-bit shingle hashes (the new article's computed in its worker) instead of the word
tuples: the same counts unless two distinct shingles collide (odds about 2^-64 per pair).

A hash stored for more than ``MAX_POSTINGS`` originals is a stock phrase ("said in a statement on
Tuesday that the"), not the mark of one story: it names no candidate, as frequent shingles are
dropped in web-scale near-duplicate detection (Broder et al., 1997). Without that, every lookup
of a stock phrase would read a posting list that grows with the whole corpus. A copy still shares
its story's own passages with its original; the judging still counts every shingle.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import sys
from array import array
from collections import OrderedDict
from collections.abc import Collection

from sqlalchemy import Connection, text

from etl.load.staging import copy_rows
from etl.records import CleanArticle
from etl.transform.syndication import SHINGLE, narrative_segments, overlap

WINDOW = 8
KEEP_ALL_BELOW = 64  # shingles
MAX_CANDIDATES = 20
MAX_POSTINGS = 1000  # originals holding one hash; above this it is a stock phrase
PRINT_CACHE = 4096  # stored originals' shingle-hash sets kept in memory (about 3.6 KB each)

STOCK = """
    SELECT h FROM unnest(%(hashes)s::bigint[]) AS h
    WHERE (SELECT count(*) FROM (SELECT FROM article_shingles s WHERE s.shingle = h LIMIT %(over)s) x) = %(over)s
"""

# Only originals are indexed, and a batch's stored versions are deleted before its lookups
# (bulk._replace_old), so the postings alone answer: no join to articles.
CANDIDATES = """
    SELECT s.article_id, count(*) AS hits
    FROM article_shingles s
    WHERE s.shingle = ANY(%(hashes)s::bigint[])
      AND (%(published)s::date IS NULL OR s.published_on IS NULL
           OR s.published_on BETWEEN %(published)s::date - 31 AND %(published)s::date + 31)
    GROUP BY s.article_id
    ORDER BY hits DESC, s.article_id
    LIMIT %(limit)s
"""


def _hash(shingle: list[str]) -> int:
    return int.from_bytes(hashlib.blake2b(" ".join(shingle).encode(), digest_size=8).digest(), "big", signed=True)


def shingle_hashes(body: str) -> tuple[set[int], set[int]]:
    """The winnowed hashes of ``body``'s narrative shingles (all of them for a short body), and
    the hashes of all its distinct shingles."""
    every: set[int] = set()
    chosen: set[int] = set()
    for tokens in narrative_segments(body):
        hashes = [_hash(tokens[i : i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1)]
        every.update(hashes)
        if len(hashes) <= WINDOW:
            chosen.add(min(hashes))
        else:
            chosen.update(min(hashes[i : i + WINDOW]) for i in range(len(hashes) - WINDOW + 1))
    return (every if len(every) < KEEP_ALL_BELOW else chosen), every


def shingle_set(body: str) -> frozenset[int]:
    """The hashes of all of ``body``'s distinct narrative shingles."""
    return frozenset(shingle_hashes(body)[1])


# content hash -> shingle hashes of a stored original, least recently used first. Keyed by
# content, not id, so it stays right across databases, re-numbered ids and rolled-back batches.
_prints: OrderedDict[str, array] = OrderedDict()


def _remember(content_hash: str, shingles: Collection[int]) -> None:
    """Keep an original's shingle hashes in memory, most recent last; forget the oldest beyond
    ``PRINT_CACHE``."""
    _prints[content_hash] = array("q", shingles)
    _prints.move_to_end(content_hash)
    _trim()


def _trim() -> None:
    while len(_prints) > PRINT_CACHE:
        _prints.popitem(last=False)


def pack(shingles: Collection[int]) -> str:
    """Shingle hashes as stored in ``article_fingerprints.shingles``: sorted, 8 bytes each,
    little-endian, in base64 (text, which every client reads)."""
    out = array("q", sorted(shingles))
    if sys.byteorder == "big":
        out.byteswap()
    return base64.b64encode(out.tobytes()).decode("ascii")


def unpack(stored: str) -> array:
    """The hashes :func:`pack` stored."""
    out = array("q")
    out.frombytes(base64.b64decode(stored))
    if sys.byteorder == "big":
        out.byteswap()
    return out


PRINTS = text("SELECT article_id, shingles FROM article_fingerprints WHERE article_id = ANY(CAST(:i AS bigint[]))")


def _stored_prints(conn: Connection, ids: list[int]) -> dict[int, Collection[int]]:
    """All shingle hashes of stored originals, by id: from memory when the same text was loaded
    or judged recently (the originals of the same weeks are candidates for many new articles),
    else as stored with its fingerprint (the body is never re-read)."""
    if not ids:
        return {}
    by_id = text("SELECT id, content_hash FROM articles WHERE id = ANY(CAST(:i AS bigint[]))")
    keys = conn.execute(by_id, {"i": ids}).all()
    missing = {i: key for i, key in keys if key not in _prints}
    if missing:
        for article_id, stored in conn.execute(PRINTS, {"i": list(missing)}):
            _prints[missing[article_id]] = unpack(stored)
    out: dict[int, Collection[int]] = {}
    for article_id, key in keys:
        _prints.move_to_end(key)
        out[article_id] = _prints[key]
    _trim()
    return out


# (article id, article, winnowed hashes, all shingle hashes) in load order
Batch = list[tuple[int, CleanArticle, frozenset[int], frozenset[int]]]


def _stored_candidates(conn: Connection, batch: Batch) -> list[list[tuple[int, int]]]:
    """Each article's best stored candidates, (id, shared hashes), in one pipelined round trip."""
    asked = [i for i, (_, _, hashes, _) in enumerate(batch) if hashes]
    out: list[list[tuple[int, int]]] = [[] for _ in batch]
    if not asked:
        return out
    params = [
        {
            "hashes": sorted(batch[i][2]),
            "published": batch[i][1].published_on,
            "limit": MAX_CANDIDATES,
        }
        for i in asked
    ]
    with conn.connection.driver_connection.cursor() as cur:
        cur.executemany(CANDIDATES, params, returning=True)
        for i in asked:
            out[i] = [(r[0], r[1]) for r in cur.fetchall()]
            cur.nextset()
    return out


def _stock(conn: Connection, batch: Batch) -> frozenset[int]:
    """The batch's hashes that more than ``MAX_POSTINGS`` stored originals hold (at most that many
    index entries read per hash)."""
    hashes = sorted(set().union(*(b[2] for b in batch)))
    if not hashes:
        return frozenset()
    with conn.connection.driver_connection.cursor() as cur:
        cur.execute(STOCK, {"hashes": hashes, "over": MAX_POSTINGS + 1})
        return frozenset(r[0] for r in cur.fetchall())


def _near(a: dt.date | None, b: dt.date | None) -> bool:
    return a is None or b is None or abs((a - b).days) <= 31


def find_originals(conn: Connection, batch: Batch) -> list[int | None]:
    """For each new article of a batch, ``(id, article, hashes, shingles)`` in load order, the id of the
    original it is a syndicated copy of (a stored one, or an earlier original of the batch), or
    None. The same answer as looking each one up after the ones before it were stored (stock
    hashes are those of the index before the batch)."""
    stock = _stock(conn, batch)
    if stock:
        batch = [(i, article, hashes - stock, mine) for i, article, hashes, mine in batch]
    stored = _stored_candidates(conn, batch)
    wanted = sorted({i for found in stored for i, _ in found})
    prints = _stored_prints(conn, wanted)
    originals: Batch = []  # the batch's so far
    out: list[int | None] = []
    for (article_id, article, hashes, mine), found in zip(batch, stored, strict=True):
        ranked = list(found)
        for other_id, other, other_hashes, other_shingles in originals if hashes else ():
            hits = len(hashes & other_hashes)
            if hits and _near(article.published_on, other.published_on):
                prints[other_id] = other_shingles
                ranked.append((other_id, hits))
        ranked = sorted(ranked, key=lambda c: (-c[1], c[0]))[:MAX_CANDIDATES]
        best: tuple[int, int] | None = None
        for other_id, _ in sorted(ranked):
            shared = overlap(mine, prints[other_id])
            if shared.syndicated and (best is None or shared.shared > best[1]):
                best = (other_id, shared.shared)
        out.append(best[0] if best else None)
        if best is None:
            originals.append((article_id, article, hashes, mine))
            _remember(article.content_hash, mine)  # its own shingles, hashed in its worker
    return out


def store_many(conn: Connection, rows: list[tuple[int, frozenset[int], frozenset[int], dt.date | None]]) -> None:
    """Index the originals of a batch, ``(id, winnowed hashes, all shingle hashes, publication
    date)`` (two COPYs)."""
    copy_rows(
        conn,
        "article_fingerprints",
        ("article_id", "shingle_count", "shingles"),
        [(a, len(every), pack(every)) for a, _, every, _ in rows],
    )
    copy_rows(
        conn,
        "article_shingles",
        ("article_id", "shingle", "published_on"),
        [(a, h, day) for a, hs, _, day in rows for h in sorted(hs)],
    )


def backfill(conn: Connection) -> int:
    """Index the originals that have no fingerprints yet (loaded before revision 0003, or
    copies whose original was replaced). Returns how many."""
    rows = conn.execute(
        text(
            """
            SELECT a.id, a.body, a.published_on FROM articles a
            WHERE a.original_article_id IS NULL
              AND NOT EXISTS (SELECT 1 FROM article_fingerprints f WHERE f.article_id = a.id)
            ORDER BY a.id
            """
        )
    ).all()
    indexed = []
    for article_id, body, published_on in rows:
        hashes, every = shingle_hashes(body)
        indexed.append((article_id, frozenset(hashes), frozenset(every), published_on))
    store_many(conn, indexed)
    return len(rows)
