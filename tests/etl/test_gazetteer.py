"""Gazetteer YAML validation and lookups."""

from __future__ import annotations

import pytest

from etl.reference.gazetteer import DEFAULT_PATH, Gazetteer, GazetteerError, load_gazetteer


def _entry(**kw: object) -> dict[str, object]:
    return {"name": "Peru", "type": "country", "country": "PE", **kw}


def test_default_gazetteer_loads_with_every_type() -> None:
    g = load_gazetteer()
    types = {e.type for e in g.entities}
    assert types == {
        "person",
        "organization",
        "government_body",
        "country",
        "armed_group",
        "weapon_system",
        "program",
    }
    peru = g.get("Peru", "country")
    assert peru is not None and peru.country == "PE" and peru.wikidata == "Q419"
    assert any(a.kind == "demonym" and a.name == "Peruvian" for a in peru.aliases)


def test_lookup_is_accent_and_case_insensitive() -> None:
    g = load_gazetteer()
    assert g.get("alberto otárola", "person") is g.get("Alberto Otarola", "person") is not None
    assert g.get("Peru", "person") is None


def test_seed_analyst_entities_are_curated() -> None:
    g = load_gazetteer()
    cpmiec = g.get("China Precision Machinery Import-Export Corp.", "organization")
    assert cpmiec is not None and "CPMIEC" in {a.name for a in cpmiec.aliases}
    norinco = g.get("China North Industries Corp.", "organization")
    assert norinco is not None and "Norinco" in {a.name for a in norinco.aliases}
    assert g.get("Shining Path", "armed_group") is not None
    assert g.get("MBT-2000", "weapon_system") is not None
    assert g.get("Ministry of Defense Advisors program", "program") is not None


def test_family_names_follow_naming_order() -> None:
    g = load_gazetteer()
    assert g.get("Guo Boxiong", "person").family_name == "Guo"  # family name first (CN)
    assert g.get("Leon Panetta", "person").family_name == "Panetta"
    assert g.get("Luiz Inacio Lula da Silva", "person").family_name == "Lula da Silva"  # explicit
    assert [e.name for e in g.persons_with_family_name("panetta")] == ["Leon Panetta"]


def test_string_aliases_default_to_kind_alias() -> None:
    g = Gazetteer.from_entries([_entry(aliases=["Perú", {"name": "Peruvian", "kind": "demonym"}])])
    assert [(a.name, a.kind) for a in g.entities[0].aliases] == [("Perú", "alias"), ("Peruvian", "demonym")]


def test_historic_country_codes_are_valid() -> None:
    g = Gazetteer.from_entries([{"name": "Soviet Union", "type": "country", "country": "SU"}])
    assert g.entities[0].country == "SU"


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ([_entry(type="nation")], "entry #0 'Peru': type"),
        ([_entry(country="XX")], "'XX' is not an ISO 3166-1 alpha-2 code"),
        ([_entry(wikidata="419")], "does not match ^Q"),
        ([_entry(), _entry(country="PE")], "'Peru' (country): duplicate name"),
        ([_entry(), _entry(name="Republic of Peru", aliases=["PERU"])], "alias 'PERU' already names 'Peru'"),
        ([_entry(), _entry(name="Peru2", aliases=["perú"])], "alias 'perú' already names 'Peru'"),
        (
            [{"name": "Rafael", "type": "organization", "aliases": [{"name": "Israeli", "kind": "demonym"}]}],
            "only countries may have demonym aliases",
        ),
        ([{"name": "Leon Panetta", "type": "person", "surname": "Smith"}], "surname 'Smith' is not part"),
        ([{"name": "Bolivia", "type": "country"}], "needs its ISO code"),
        ([_entry(aliases=[{"name": "Peruvian", "kind": "nickname"}])], "aliases.0.kind"),
        ([_entry(colour="red")], "colour: Extra inputs"),
    ],
)
def test_invalid_entries_are_named_in_errors(entries: list[dict[str, object]], message: str) -> None:
    with pytest.raises(GazetteerError) as err:
        Gazetteer.from_entries(entries)
    assert message in str(err.value)


def test_same_alias_in_different_types_is_allowed() -> None:
    g = Gazetteer.from_entries(
        [
            {"name": "Spike", "type": "weapon_system"},
            {"name": "Spike Group", "type": "organization", "aliases": ["Spike"]},
        ]
    )
    assert len(g.entities) == 2


def test_load_from_path_reports_the_file(tmp_path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text("entities:\n  - {name: Peru, type: country, country: PE}\n", encoding="utf-8")
    assert [e.name for e in load_gazetteer(good).entities] == ["Peru"]
    bad = tmp_path / "bad.yaml"
    bad.write_text("entities:\n  - {name: Peru, type: country, country: ZZ}\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match=r"bad\.yaml"):
        load_gazetteer(bad)
    (tmp_path / "empty.yaml").write_text("[]\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match="'entities' list"):
        load_gazetteer(tmp_path / "empty.yaml")


def test_default_path_is_the_reference_file() -> None:
    assert DEFAULT_PATH.name == "entities.yaml" and DEFAULT_PATH.exists()
