"""Test helpers for the deal/agreement/event extractors: build MentionRec/MoneyRec/DateRec inputs by
locating substrings in a text, and a hand-made mention list for the Washington Times seed (004)."""

from __future__ import annotations

import csv
import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

from etl.records import DateRec, EntityRef, MentionRec, MoneyRec, Span

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "data" / "seeds"


def seed(prefix: str) -> tuple[str, dt.date]:
    """Body and publication date of the seed whose file name starts with ``prefix``."""
    rows = {r["file"]: r for r in csv.DictReader((SEEDS / "manifest.csv").open(encoding="utf-8"))}
    name = next(n for n in rows if n.startswith(prefix))
    return (SEEDS / name).read_text(encoding="utf-8"), dt.date.fromisoformat(rows[name]["published"])


def span(body: str, surface: str, nth: int = 0) -> Span:
    """Span of the ``nth`` occurrence of ``surface`` in ``body``."""
    starts = [m.start() for m in re.finditer(re.escape(surface), body)]
    assert len(starts) > nth, f"{surface!r} not found {nth + 1} times"
    return Span(starts[nth], starts[nth] + len(surface))


def mention(
    body: str,
    surface: str,
    name: str,
    etype: str,
    cc: str | None = None,
    method: str = "gazetteer",
    nth: int = 0,
) -> MentionRec:
    return MentionRec(span(body, surface, nth), surface, EntityRef(name, etype), method, country_code=cc)  # type: ignore[arg-type]


def mentions(body: str, table: list[tuple]) -> list[MentionRec]:
    """Every word-bounded occurrence of each ``(surface, name, type, cc[, method])`` row."""
    out: list[MentionRec] = []
    for row in table:
        surface, name, etype, cc, *rest = row
        method = rest[0] if rest else ("demonym" if surface[0].isupper() and name != surface else "gazetteer")
        for m in re.finditer(rf"(?<![\w-]){re.escape(surface)}(?![\w])", body):
            out.append(
                MentionRec(Span(m.start(), m.end()), surface, EntityRef(name, etype), method, country_code=cc)
            )
    return out


def money(
    body: str, surface: str, amount: str, kind: str = "contract_value", currency: str = "USD", nth: int = 0
) -> MoneyRec:
    return MoneyRec(span(body, surface, nth), surface, Decimal(amount), currency, kind=kind)


def date(body: str, surface: str, value: str, precision: str, nth: int = 0) -> DateRec:
    return DateRec(span(body, surface, nth), surface, dt.date.fromisoformat(value), precision)  # type: ignore[arg-type]


CTRY, ORG, GOV, PER, WPN, ARM = (
    "country",
    "organization",
    "government_body",
    "person",
    "weapon_system",
    "armed_group",
)

# What an entity extractor is expected to find in seed 004 (demonyms as country mentions).
SEED_004_MENTIONS: list[tuple] = [
    ("Peruvian Defense Ministry", "Ministry of Defense of Peru", GOV, "PE", "gazetteer"),
    ("Peruvian", "Peru", CTRY, "PE", "demonym"),
    ("Peru’s", "Peru", CTRY, "PE", "demonym"),
    ("Peru", "Peru", CTRY, "PE", "gazetteer"),
    ("Chinese", "China", CTRY, "CN", "demonym"),
    ("China’s", "China", CTRY, "CN", "demonym"),
    ("China", "China", CTRY, "CN", "gazetteer"),
    ("Beijing", "China", CTRY, "CN", "alias"),
    ("U.S.", "United States", CTRY, "US", "gazetteer"),
    ("Israel’s", "Israel", CTRY, "IL", "demonym"),
    ("Polish", "Poland", CTRY, "PL", "demonym"),
    ("Russia’s", "Russia", CTRY, "RU", "demonym"),
    ("Russia", "Russia", CTRY, "RU", "gazetteer"),
    ("Ukrainian", "Ukraine", CTRY, "UA", "demonym"),
    ("Soviet", "Soviet Union", CTRY, "SU", "demonym"),
    ("Colombia", "Colombia", CTRY, "CO", "gazetteer"),
    ("Honduras", "Honduras", CTRY, "HN", "gazetteer"),
    ("Northrop Grumman", "Northrop Grumman", ORG, "US", "gazetteer"),
    ("Rafael Advanced Defense Systems", "Rafael Advanced Defense Systems", ORG, "IL", "gazetteer"),
    ("Rafael", "Rafael Advanced Defense Systems", ORG, "IL", "alias"),
    ("Bumar Group", "Bumar Group", ORG, "PL", "gazetteer"),
    ("Rosoboronexport", "Rosoboronexport", ORG, "RU", "gazetteer"),
    (
        "China Precision Machinery Import Export Corp.",
        "China Precision Machinery Import-Export Corp.",
        ORG,
        "CN",
        "gazetteer",
    ),
    ("CPMIEC", "China Precision Machinery Import-Export Corp.", ORG, "CN", "acronym"),
    ("China North Industries Corp.", "China North Industries Corporation", ORG, "CN", "gazetteer"),
    ("Norinco", "China North Industries Corporation", ORG, "CN", "alias"),
    ("Poly Technologies", "Poly Technologies", ORG, "CN", "gazetteer"),
    ("Defensa.com", "Defensa.com", ORG, None, "discovered"),
    ("National Defense University", "National Defense University", ORG, "US", "gazetteer"),
    ("La Republica", "La República", ORG, "PE", "gazetteer"),
    ("Central Military Commission", "Central Military Commission", GOV, "CN", "gazetteer"),
    ("Sinohydro", "Sinohydro", ORG, "CN", "gazetteer"),
    ("MBT 2000", "MBT-2000", WPN, "CN", "gazetteer"),
    ("T55", "T-55", WPN, "SU", "gazetteer"),
    ("R. Evan Ellis", "R. Evan Ellis", PER, None, "gazetteer"),
    ("Ellis", "R. Evan Ellis", PER, None, "surname"),
    ("Rudoy Ravit", "Rudoy Ravit", PER, None, "gazetteer"),
    ("Luis Giacoma", "Luis Giacoma", PER, None, "gazetteer"),
    ("Giacoma", "Luis Giacoma", PER, None, "surname"),
    ("Ollanta Humala", "Ollanta Humala", PER, "PE", "gazetteer"),
    ("Daniel Mora", "Daniel Mora", PER, "PE", "gazetteer"),
    ("Mora", "Daniel Mora", PER, "PE", "surname"),
    ("Guo Boxiong", "Guo Boxiong", PER, "CN", "gazetteer"),
    ("Guo", "Guo Boxiong", PER, "CN", "surname"),
    ("Lima", "Lima", ORG, None, "gazetteer"),
]


def seed_004() -> tuple[str, dt.date, list[MentionRec], list[MoneyRec], list[DateRec]]:
    body, published = seed("004")
    ms = [m for m in mentions(body, SEED_004_MENTIONS) if m.entity.name != "Lima"]
    money_recs = [
        money(body, "$114 million", "114000000", "contract_value"),
        money(body, "$34 million", "34000000", "sale_value"),
        money(body, "$1.4 billion", "1400000000", "contract_value"),
    ]
    dates = [
        date(body, "Last month", "2012-04-01", "month"),
        date(body, "in February", "2012-02-01", "month"),
        date(body, "In 2009", "2009-01-01", "year"),
        date(body, "in 2010", "2010-01-01", "year"),
        date(body, "In November", "2011-11-01", "month"),
        date(body, "in 2010", "2010-01-01", "year", nth=1),
        date(body, "last year", "2011-01-01", "year"),
        date(body, "last June", "2011-06-01", "month"),
    ]
    return body, published, ms, money_recs, dates


# What an entity extractor is expected to find in seeds 000-003 (Panetta in Lima, October 2012).
SEED_PANETTA_MENTIONS: list[tuple] = [
    ("Peru", "Peru", CTRY, "PE", "gazetteer"),
    ("Peru’s", "Peru", CTRY, "PE", "demonym"),
    ("Peru's", "Peru", CTRY, "PE", "demonym"),
    ("Peruvian", "Peru", CTRY, "PE", "demonym"),
    ("Peruvians", "Peru", CTRY, "PE", "demonym"),
    ("United States", "United States", CTRY, "US", "gazetteer"),
    ("U.S.", "United States", CTRY, "US", "gazetteer"),
    ("U.S", "United States", CTRY, "US", "gazetteer"),
    ("US", "United States", CTRY, "US", "gazetteer"),
    ("China", "China", CTRY, "CN", "gazetteer"),
    ("Russia", "Russia", CTRY, "RU", "gazetteer"),
    ("France", "France", CTRY, "FR", "gazetteer"),
    ("Italy", "Italy", CTRY, "IT", "gazetteer"),
    ("Spain", "Spain", CTRY, "ES", "gazetteer"),
    ("Israel", "Israel", CTRY, "IL", "gazetteer"),
    ("South Korea", "South Korea", CTRY, "KR", "gazetteer"),
    ("Colombia", "Colombia", CTRY, "CO", "gazetteer"),
    ("Afghanistan", "Afghanistan", CTRY, "AF", "gazetteer"),
    ("Montenegro", "Montenegro", CTRY, "ME", "gazetteer"),
    ("Iraq", "Iraq", CTRY, "IQ", "gazetteer"),
    ("Mexico", "Mexico", CTRY, "MX", "gazetteer"),
    ("Uruguay", "Uruguay", CTRY, "UY", "gazetteer"),
    ("Leon Panetta", "Leon Panetta", PER, "US", "gazetteer"),
    ("Leo Panetta", "Leon Panetta", PER, "US", "fuzzy"),
    ("Panetta", "Leon Panetta", PER, "US", "surname"),
    ("Ollanta Humala", "Ollanta Humala", PER, "PE", "gazetteer"),
    ("Humala", "Ollanta Humala", PER, "PE", "surname"),
    ("Pedro Cateriano", "Pedro Cateriano", PER, "PE", "gazetteer"),
    ("Cateriano", "Pedro Cateriano", PER, "PE", "surname"),
    ("Abimael Guzman", "Abimael Guzmán", PER, "PE", "gazetteer"),
    ("Daniel Lozada", "Daniel Lozada", PER, "PE", "gazetteer"),
    ("Alberto Otarola", "Alberto Otárola", PER, "PE", "gazetteer"),
    ("Shining Path", "Shining Path", ARM, "PE", "gazetteer"),
    ("U.S. Drug Enforcement Administration", "Drug Enforcement Administration", GOV, "US", "gazetteer"),
    ("Congressional Research Service", "Congressional Research Service", GOV, "US", "gazetteer"),
    ("Peruvian Defense Ministry", "Ministry of Defense of Peru", GOV, "PE", "gazetteer"),
    ("Pentagon", "Department of Defense", GOV, "US", "alias"),
]

# Dates a date extractor is expected to find (surface, value, precision, nth occurrence).
SEED_PANETTA_DATES: dict[str, list[tuple]] = {
    "000": [
        ("Last week", "2012-10-01", "day", 0),
        ("In August", "2012-08-01", "month", 0),
        ("in 1992", "1992-01-01", "year", 0),
        ("In May", "2012-05-01", "month", 0),
        ("1980", "1980-01-01", "year", 0),
        ("this year", "2012-01-01", "year", 0),
        ("in 2013", "2013-01-01", "year", 0),
    ],
    "001": [
        ("Oct. 6", "2012-10-06", "day", 0),
        ("last year", "2011-01-01", "year", 0),
        ("In 2012", "2012-01-01", "year", 0),
        ("next year", "2013-01-01", "year", 0),
    ],
    "002": [
        ("on Saturday", "2012-10-06", "day", 0),
        ("on Saturday", "2012-10-06", "day", 1),
        ("in the 1990s", "1990-01-01", "year", 0),
    ],
    "003": [
        ("on Saturday", "2012-10-06", "day", 0),
        ("on Saturday", "2012-10-06", "day", 1),
        ("on Thursday", "2012-10-04", "day", 0),
    ],
}


def seed_panetta(prefix: str) -> tuple[str, dt.date, list[MentionRec], list[DateRec]]:
    """Body, publication date, mentions and dates of seed 000, 001, 002 or 003."""
    body, published = seed(prefix)
    dates = [date(body, s, v, p, nth=n) for s, v, p, n in SEED_PANETTA_DATES[prefix]]
    return body, published, mentions(body, SEED_PANETTA_MENTIONS), dates
