"""Fixtures shared by the extractor unit tests."""

import pytest

from etl.reference.gazetteer import Gazetteer, load_gazetteer


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()
