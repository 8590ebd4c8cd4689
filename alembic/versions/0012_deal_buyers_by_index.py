"""The deals of one buyer, read newest first by index

``analytics.deal_buyers`` gave a deal's buyer as ``deals.buyer_entity_id`` or, when that is
empty, the deal's first buyer party, as the UNION ALL of two filtered branches. Postgres (15)
cannot pull a filtered UNION ALL branch up into the query, so it never read the view in deal
order: ``entity_profile`` and ``arms_deals -p buyer=`` fetched every deal of the buyer and sorted
them (96 ms of 146 ms for the most frequent buyer at 97,400 articles).

The loader now stores the first buyer party in ``deals.buyer_entity_id`` whenever the extraction
names no buyer of its own (etl/load/fact_rows.deal_buyer_id); this revision does the same for the
rows already stored. A deal with a buyer party therefore always has ``buyer_entity_id``, the
view is that one column (the same rows as before), and the deals of one buyer are one range of
``deals (buyer_entity_id, id)``, read backward and cut at the page.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 02:30:00
"""

import importlib.util
from collections.abc import Sequence
from pathlib import Path

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _revision(filename: str):  # an earlier revision's definitions, to restore them on downgrade
    spec = importlib.util.spec_from_file_location(filename[:-3], Path(__file__).with_name(filename))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


NEW_SQL = """
        SELECT d.id AS deal_id, d.buyer_entity_id AS buyer_id
        FROM public.deals d WHERE d.superseded_by_id IS NULL AND d.buyer_entity_id IS NOT NULL
"""
OLD_SQL = next(v.sql for v in _revision("0008_query_speed_deals.py").NEW_VIEWS if v.name == "deal_buyers")
BACKFILL = """
    UPDATE public.deals d SET buyer_entity_id = fb.entity_id
    FROM (
        SELECT DISTINCT ON (dp.deal_id) dp.deal_id, dp.entity_id FROM public.deal_parties dp
        WHERE dp.role = 'buyer' ORDER BY dp.deal_id, dp.id
    ) fb
    WHERE d.id = fb.deal_id AND d.buyer_entity_id IS NULL
"""


def upgrade() -> None:
    op.execute(BACKFILL)
    op.execute(f"CREATE OR REPLACE VIEW analytics.deal_buyers AS {NEW_SQL.strip()}")


def downgrade() -> None:  # the stored buyers stay: the old view gives the same rows over them
    op.execute(f"CREATE OR REPLACE VIEW analytics.deal_buyers AS {OLD_SQL.strip()}")
