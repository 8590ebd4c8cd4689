"""What a worker process sends the writer: every record survives pickling unchanged."""

from __future__ import annotations

import pickle

from etl.load.entities import EntityRow
from etl.parallel import process
from etl.pipeline import REFERENCE_DIR
from etl.records import EntityRef, RawDocument, Rejection, Span
from etl.transform.extraction import Extractor

TEXT = """Navy signs frigate deal

LIMA, March 3, 2014 (Reuters) - Peru's Defense Minister Ana Quispe said on Monday the navy
signed a $120 million contract with Harbor Point Shipyards for two frigates.

"These ships will patrol our coast for thirty years," Quispe told reporters in Lima.
"""


def test_an_extracted_article_crosses_the_pipe_unchanged() -> None:
    outcome = process(Extractor.from_reference(REFERENCE_DIR), RawDocument("frigates.txt", None, "txt", text=TEXT))
    assert not isinstance(outcome, Rejection), outcome
    _, extraction, prepared = outcome
    assert extraction.mentions and extraction.money and prepared.entities  # spans, refs and rows to carry
    assert pickle.loads(pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)) == outcome


def test_the_frozen_records_pickle_field_by_field() -> None:
    """They pickle by their own ``__reduce__`` (faster than the dataclass default): a field out of
    order or left out would come back different."""
    records = [
        Span(3, 17),
        EntityRef("Harbor Point Shipyards", "organization"),
        Rejection("feed.jsonl", "malformed JSON", 4),
        EntityRow("Ana Quispe", "person", "curated", "PE", "Q123", "a minister"),
    ]
    for record in records:
        back = pickle.loads(pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL))
        assert type(back) is type(record) and back == record
