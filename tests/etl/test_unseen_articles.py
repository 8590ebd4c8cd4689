"""Cleaning, metadata, entities, quotes and positions on realistic unseen page copies.

The articles in ``tests/fixtures/unseen_articles`` are plain-text page copies, saved HTML pages and
JSON lines written like real 2008-2016 defense news (wire datelines, trade press, newspapers, with
their site furniture). ``expected.yaml`` holds what an analyst expects from each; every expectation
is one test case, so a regression names the article and the check.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from etl.extract.readers import iter_documents
from etl.pipeline import REFERENCE_DIR
from etl.records import CleanArticle, Extraction, RawDocument
from etl.transform.clean import is_furniture
from etl.transform.extraction import Extractor
from etl.transform.metadata import article_from_document

FOLDER = Path(__file__).resolve().parents[1] / "fixtures" / "unseen_articles"
EXPECTED = yaml.safe_load((FOLDER / "expected.yaml").read_text(encoding="utf-8"))
META_FIELDS = {
    "title": "title",
    "publisher": "publisher",
    "wire_service": "wire_service",
    "byline": "byline",
    "dateline": "dateline_place",
    "url": "url",
}
# Site furniture that must never become an entity, whatever the page.
FURNITURE_NAMES = {
    "click here",
    "read more",
    "share",
    "tweet",
    "email",
    "print",
    "comments",
    "related",
    "related stories",
    "related news",
    "most popular",
    "subscribe",
    "sign in",
    "log in",
    "home",
    "advertisement",
    "all rights reserved",
    "copyright",
}


@dataclass
class Result:
    article: CleanArticle
    extraction: Extraction


@cache
def results() -> dict[str, Result]:
    extractor = Extractor.from_reference(REFERENCE_DIR)
    out: dict[str, Result] = {}
    for doc in iter_documents([FOLDER]):
        assert isinstance(doc, RawDocument), doc
        key = Path(doc.source_path).name + (f":{doc.source_line}" if doc.source_line else "")
        article = article_from_document(doc)
        out[key] = Result(article, extractor.extract(article))
    return out


def _cases() -> list[Any]:
    xfail = set(EXPECTED.get("xfail") or [])
    cases = []
    for key, spec in EXPECTED["articles"].items():
        checks: list[tuple[str, str, Any]] = []
        for field in META_FIELDS:
            if field in spec:
                checks.append((field, field, spec[field]))
        if "published" in spec:
            checks.append(("published", "published", (spec["published"], spec.get("precision"))))
        for kind in ("body_has", "body_lacks", "no_entities", "no_surfaces"):
            checks += [(kind, f"{kind}[{value}]", value) for value in spec.get(kind, [])]
        checks += [("entity", f"entity[{e[0]}]", e) for e in spec.get("entities", [])]
        checks += [("quote", f"quote[{q[0]}]", q) for q in spec.get("quotes", [])]
        checks += [("position", f"position[{p[0]}|{p[1]}]", p) for p in spec.get("positions", [])]
        checks += [("no_position", f"no_position[{p[0]}|{p[1]}]", p) for p in spec.get("no_positions", [])]
        for kind, label, value in checks:
            case_id = f"{key}::{label}"
            marks = [pytest.mark.xfail(strict=True, reason="known gap")] if case_id in xfail else []
            cases.append(pytest.param(key, kind, value, id=case_id, marks=marks))
    return cases


def test_every_fixture_has_expectations() -> None:
    assert set(results()) == set(EXPECTED["articles"])
    assert 12 <= len(results()) <= 20


@pytest.mark.parametrize(("key", "kind", "value"), _cases())
def test_expectation(key: str, kind: str, value: Any) -> None:
    res = results()[key]
    art, ex = res.article, res.extraction
    if kind in META_FIELDS:
        assert getattr(art, META_FIELDS[kind]) == value, art.provenance
    elif kind == "published":
        date, precision = value
        expected = dt.date.fromisoformat(str(date)) if date else None
        assert (art.published_on, art.date_precision if date else None) == (expected, precision), art.provenance
    elif kind == "body_has":
        assert value in art.body
    elif kind == "body_lacks":
        assert value not in art.body
    elif kind == "entity":
        surface, name, entity_type = value
        found = {(m.entity.name, m.entity.entity_type) for m in ex.mentions if m.surface == surface}
        assert found == {(name, entity_type)}, f"{surface!r} -> {found}"
    elif kind == "no_entities":
        assert value.casefold() not in {m.entity.name.casefold() for m in ex.mentions}
    elif kind == "no_surfaces":
        assert value not in {m.surface for m in ex.mentions}
    elif kind == "quote":
        opening, speaker = value
        quotes = [q for q in ex.quotes if q.text.startswith(opening)]
        assert quotes, [q.text[:40] for q in ex.quotes]
        assert [q.speaker.name if q.speaker else None for q in quotes] == [speaker] * len(quotes)
    elif kind == "position":
        assert any(_position_matches(p, value) for p in ex.positions), _positions(ex)
    elif kind == "no_position":
        person, country = value
        assert not [p for p in ex.positions if p.person.name == person and p.country_code == country]
    else:  # pragma: no cover
        raise AssertionError(kind)


def _position_matches(p: Any, spec: list[Any]) -> bool:
    person, title, org, country = spec
    got = (p.person.name, p.title, p.organization.name if p.organization else None, p.country_code)
    want = (person, title, org, country)
    return all(w == "*" or (g.casefold() if isinstance(g, str) else g) == (w.casefold() if isinstance(w, str) else w)
               for g, w in zip(got, want, strict=True))


def _positions(ex: Extraction) -> list[tuple[Any, ...]]:
    return [
        (p.person.name, p.title, p.organization.name if p.organization else None, p.country_code)
        for p in ex.positions
    ]


# ---------------------------------------------------------------- negative checks on every article
@pytest.mark.parametrize("key", sorted(EXPECTED["articles"]))
def test_no_furniture_line_survives(key: str) -> None:
    body = results()[key].article.body
    leftovers = [line for line in body.split("\n") if line and is_furniture(line)]
    assert not leftovers
    assert not re.search(r"(?im)^(?:copyright\b|©|share this|click here|read more\b|related (?:stories|news))", body)


@pytest.mark.parametrize("key", sorted(EXPECTED["articles"]))
def test_no_furniture_entities(key: str) -> None:
    names = {m.entity.name.casefold() for m in results()[key].extraction.mentions}
    assert not names & FURNITURE_NAMES


@pytest.mark.parametrize("key", sorted(EXPECTED["articles"]))
def test_spans_point_into_the_body(key: str) -> None:
    res = results()[key]
    body = res.article.body
    for m in res.extraction.mentions:
        assert body[m.span.start : m.span.end] == m.surface
    for q in res.extraction.quotes:
        assert body[q.span.start : q.span.end] == q.text
