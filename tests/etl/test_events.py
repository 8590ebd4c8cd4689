"""extract_events / event_key: meetings, attacks, resignations, captures and kidnappings."""

from __future__ import annotations

import datetime as dt

import pytest
from relbuilders import ARM, CTRY, PER, date, mentions, seed_004, seed_panetta

from etl.records import EntityRef, EventRec
from etl.transform.events import event_key, extract_events

D = dt.date
PUB = D(2012, 10, 8)
WORLD = [
    ("Afghanistan", "Afghanistan", CTRY, "AF", "gazetteer"),
    ("Colombia", "Colombia", CTRY, "CO", "gazetteer"),
    ("FARC", "FARC", ARM, "CO", "acronym"),
    ("Taliban", "Taliban", ARM, "AF", "gazetteer"),
    ("Rodrigo Londoño", "Rodrigo Londoño", PER, "CO"),
    ("Juan Carlos Pinzón", "Juan Carlos Pinzón", PER, "CO"),
]


def run(body: str, dates: tuple = (), published: dt.date | None = PUB) -> list[EventRec]:
    return extract_events(body, published, mentions(body, WORLD), [date(body, *d) for d in dates])


def names(ev: EventRec) -> set[str]:
    return {p.name for p in ev.participants}


@pytest.fixture(scope="module")
def seed0() -> dict[str, EventRec]:
    body, published, ms, dates = seed_panetta("000")
    recs = extract_events(body, published, ms, dates)
    assert len({r.event_type for r in recs}) == len(recs)
    return {r.event_type: r for r in recs}


def test_seed_000_meeting_told_twice_is_one_meeting(seed0: dict[str, EventRec]) -> None:
    m = seed0["meeting"]
    assert names(m) == {"Leon Panetta", "Ollanta Humala", "Pedro Cateriano"}
    assert len(m.spans) == 2
    assert (m.date, m.precision) == (D(2012, 10, 1), "month")  # undated: publication month


def test_seed_000_attack_with_number_word_toll(seed0: dict[str, EventRec]) -> None:
    a = seed0["attack"]
    assert a.fatalities == 5
    assert (a.date, a.precision) == (D(2012, 8, 1), "month")
    assert a.place == "about 190 miles east of Lima"
    assert len(a.spans) == 2  # "The area where the attack took place ..."


def test_seed_000_capture_and_resignation(seed0: dict[str, EventRec]) -> None:
    c, r = seed0["capture"], seed0["resignation"]
    assert (c.date, c.precision) == (D(1992, 1, 1), "year")
    assert EntityRef("Abimael Guzmán", "person") in c.participants
    assert names(r) == {"Daniel Lozada", "Alberto Otárola"}
    assert (r.date, r.precision) == (D(2012, 5, 1), "month")  # "In May" of the sentence


def test_seed_002_future_meeting_and_generic_ambushes_are_skipped() -> None:
    body, published, ms, dates = seed_panetta("002")
    recs = extract_events(body, published, ms, dates)
    assert [r.event_type for r in recs] == ["meeting"]
    assert recs[0].date == D(2012, 10, 6)  # "said on Saturday after meeting"


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003"])
def test_panetta_humala_meeting_has_one_key_across_articles(prefix: str) -> None:
    body, published, ms, dates = seed_panetta(prefix)
    meeting = next(r for r in extract_events(body, published, ms, dates) if r.event_type == "meeting")
    assert event_key(meeting) == "event|meeting|2012-10|leon-panetta+ollanta-humala"


def test_seed_004_meeting_anaphor_kidnapping_and_counterparts() -> None:
    body, published, ms, _, dates = seed_004()
    recs = extract_events(body, published, ms, dates)
    lima = next(r for r in recs if r.place == "Lima")
    assert lima.event_type == "meeting" and names(lima) == {"Guo Boxiong", "Daniel Mora"}
    assert (lima.date, lima.precision) == (D(2011, 11, 1), "month")  # from "In November" before
    hq = next(r for r in recs if r.place == "Peruvian army’s headquarters")
    assert names(hq) == {"China", "Peru"} and hq.date == D(2011, 1, 1)  # speaker Giacoma is not in it
    kid = next(r for r in recs if r.event_type == "kidnapping")
    assert (kid.date, kid.place, names(kid)) == (D(2011, 6, 1), "Colombia", {"China"})


def test_non_seed_attack_with_digits_and_passive_toll() -> None:
    a = run("On Tuesday FARC rebels killed 12 soldiers near Tame.", [("On Tuesday", "2012-10-02", "day")])[0]
    assert (a.event_type, a.fatalities, a.place, names(a)) == ("attack", 12, "Tame", {"FARC"})
    b = run("At least fourteen people were killed when a bomb exploded in Kabul, Afghanistan.")[0]
    assert (b.event_type, b.fatalities, b.place) == ("attack", 14, "Kabul")


def test_non_seed_capture_resignation_and_negation() -> None:
    c = run(
        "Police arrested FARC commander Rodrigo Londoño in Bogota in 2016.",
        [("in 2016", "2016-01-01", "year")],
    )
    assert [(e.event_type, e.date, e.place) for e in c] == [("capture", D(2016, 1, 1), "Bogota")]
    assert names(c[0]) == {"Rodrigo Londoño", "FARC"}
    r = run(
        "Defense Minister Juan Carlos Pinzón stepped down on Friday.", [("on Friday", "2012-10-05", "day")]
    )
    assert [(e.event_type, e.date) for e in r] == [("resignation", D(2012, 10, 5))]
    assert run("Juan Carlos Pinzón will not resign.") == []
    assert run("Juan Carlos Pinzón said he would meet Rodrigo Londoño.") == []


def test_event_key_ignores_word_order_and_accents() -> None:
    a = run(
        "Rodrigo Londoño met with Juan Carlos Pinzón in Havana in June.", [("in June", "2012-06-01", "month")]
    )
    b = run("In June Juan Carlos Pinzón met Rodrigo Londoño.", [("In June", "2012-06-01", "month")])
    assert a[0].place == "Havana" and b[0].place is None
    assert event_key(a[0]) == event_key(b[0]) == "event|meeting|2012-06|juan-carlos-pinzon+rodrigo-londono"


def test_weapon_names_and_negated_deaths_are_not_attacks() -> None:
    assert run("Colombia took delivery of six light attack aircraft and two attack helicopters.") == []
    assert run("The helicopter crashed near Quito. No one was killed in that accident.") == []


def test_dates_go_with_their_own_cue_and_background_attack_joins_the_dated_one() -> None:
    body = (
        "Colombia minister resigns over bombing that killed children\n"
        "Defense Minister Juan Carlos Pinzón resigned on Wednesday over a bombing raid in which "
        "at least eight minors were killed. "
        "The Aug. 29 air strike on a FARC camp in the southern province of Caqueta killed at least 18 people."
    )
    recs = run(body, [("on Wednesday", "2019-11-06", "day"), ("Aug. 29", "2019-08-29", "day")])
    assert sorted(r.event_type for r in recs) == ["attack", "resignation"]
    resignation = next(r for r in recs if r.event_type == "resignation")
    attack = next(r for r in recs if r.event_type == "attack")
    assert resignation.date == D(2019, 11, 6) and names(resignation) == {"Juan Carlos Pinzón"}
    assert (attack.date, attack.fatalities, attack.place) == (D(2019, 8, 29), 18, "Caqueta")
    assert len(attack.spans) == 3  # the headline and the background raid are the same strike
