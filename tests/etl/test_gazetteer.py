"""Gazetteer YAML validation and lookups."""

from __future__ import annotations

import time

import pycountry
import pytest
import yaml

from etl.reference.entity_lexicon import load_lexicon
from etl.reference.gazetteer import DEFAULT_PATH, Gazetteer, GazetteerError, load_gazetteer
from etl.transform.matching import Matcher


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


# ---------------------------------------------------------------- world coverage
# ISO 3166-1 entries that are no sovereign states (dependencies, territories, Antarctica).
NOT_SOVEREIGN = {
    "AS", "AI", "AQ", "AW", "AX", "BL", "BM", "BQ", "BV", "CC", "CK", "CW", "CX", "EH", "FK", "FO", "GF", "GG",
    "GI", "GL", "GP", "GS", "GU", "HK", "HM", "IM", "IO", "JE", "KY", "MF", "MO", "MP", "MQ", "MS", "NC", "NF",
    "NU", "PF", "PM", "PN", "PR", "RE", "SH", "SJ", "SX", "TC", "TF", "TK", "UM", "VG", "VI", "WF", "YT",
}  # fmt: skip


def test_every_sovereign_state_is_a_country() -> None:
    g = load_gazetteer()
    codes = {e.country for e in g.of_type("country")}
    sovereign = {c.alpha_2 for c in pycountry.countries} - NOT_SOVEREIGN
    assert len(sovereign) == 196  # 193 UN members, the Holy See, Palestine, Taiwan
    assert sovereign - codes == set()
    assert len(codes) == len(g.of_type("country"))  # one entity per code
    for e in g.of_type("country"):  # every code is ISO (current or historic)
        assert pycountry.countries.get(alpha_2=e.country) or pycountry.historic_countries.get(alpha_2=e.country)


@pytest.mark.parametrize(
    ("name", "aliases"),
    [
        ("South Korea", {"Republic of Korea", "ROK", "South Korean"}),
        ("North Korea", {"DPRK", "Democratic People's Republic of Korea", "North Korean"}),
        ("Russia", {"Russian Federation", "Russian"}),
        ("United Kingdom", {"Britain", "UK", "U.K.", "British"}),
        ("Iran", {"Islamic Republic of Iran", "Iranian"}),
        ("Netherlands", {"The Netherlands", "Holland", "Dutch"}),
        ("Czech Republic", {"Czechia", "Czech"}),
        ("Turkey", {"Türkiye", "Turkish"}),
        ("Ivory Coast", {"Côte d'Ivoire", "Ivorian"}),
        ("Finland", {"Finnish"}),
        ("Indonesia", {"Indonesian"}),
        ("Pakistan", {"Pakistani"}),
        ("United Arab Emirates", {"UAE", "Emirati"}),
        ("Saudi Arabia", {"Saudi"}),
        ("Philippines", {"Filipino", "Philippine"}),
        ("Switzerland", {"Swiss"}),
        ("Myanmar", {"Burma"}),
        ("Democratic Republic of the Congo", {"DRC", "Congo", "Congolese"}),
    ],
)
def test_country_aliases_and_demonyms(name: str, aliases: set[str]) -> None:
    entity = load_gazetteer().get(name, "country")
    assert entity is not None and aliases <= {a.name for a in entity.aliases}


def test_ambiguous_demonyms_are_left_out() -> None:
    g = load_gazetteer()
    demonyms = {a.name for e in g.of_type("country") for a in e.aliases if a.kind == "demonym"}
    assert not demonyms & {"Indian", "Korean", "Macedonian", "Central African", "English"}
    assert {"Dominican", "Georgian", "Guinean", "Jordanian"} <= demonyms


@pytest.mark.parametrize(
    ("name", "country", "alias"),
    [
        ("Patria", "FI", None),
        ("PT PAL", "ID", None),
        ("Indonesian Aerospace", "ID", "PT Dirgantara Indonesia"),
        ("Hanwha Aerospace", "KR", "Hanwha Techwin"),
        ("Hyundai Rotem", "KR", None),
        ("Kongsberg Gruppen", "NO", "Kongsberg"),
        ("Safran", "FR", None),
        ("Naval Group", "FR", "DCNS"),
        ("Fincantieri", "IT", None),
        ("Krauss-Maffei Wegmann", "DE", "KMW"),
        ("BAE Systems", "GB", "BAE"),
        ("Rolls-Royce", "GB", None),
        ("Avibras", "BR", None),
        ("Kamov", "RU", None),
        ("China Aerospace Science and Technology Corporation", "CN", "CASC"),
        ("China State Shipbuilding Corporation", "CN", "CSSC"),
        ("ASELSAN", "TR", None),
        ("Turkish Aerospace Industries", "TR", "TAI"),
        ("Denel", "ZA", None),
        ("Bharat Electronics Limited", "IN", "BEL"),
        ("Stockholm International Peace Research Institute", "SE", "SIPRI"),
    ],
)
def test_defense_companies_worldwide(name: str, country: str, alias: str | None) -> None:
    g = load_gazetteer()
    entity = g.get(name, "organization")
    assert entity is not None and entity.country == country
    assert alias is None or alias in {a.name for a in entity.aliases}


def test_defense_government_bodies_worldwide() -> None:
    g = load_gazetteer()
    for name, country in [
        ("Defence Research and Development Organisation", "IN"),
        ("Defense Security Cooperation Agency", "US"),
        ("Defense Acquisition Program Administration", "KR"),
        ("Government Accountability Office", "US"),
    ]:
        entity = g.get(name, "government_body")
        assert entity is not None and entity.country == country


def test_compound_family_names_index_their_parts() -> None:
    g = load_gazetteer()
    cfk = g.get("Cristina Fernandez de Kirchner", "person")
    assert cfk.family_keys == ["fernandez de kirchner", "fernandez", "kirchner"]
    assert g.get("Guo Boxiong", "person").family_keys == ["guo"]
    assert cfk in g.persons_with_family_name("Fernández")
    assert cfk not in g.persons_with_family_name("Fernández", parts=False)  # "Gen. Fernández" is someone else


def test_gazetteer_loads_and_validates_quickly() -> None:
    entries = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))["entities"]
    started = time.perf_counter()
    g = Gazetteer.from_entries(entries)
    Matcher(g, load_lexicon())
    assert time.perf_counter() - started < 3.0  # about 0.2 s on a developer machine


# ---------------------------------------------------------------- curator notes stay internal
_CURATOR_WORDS = ("entity_lexicon", ".yaml", "omitted", "left out", "guarded", "demonym", "blocked")


def test_curator_notes_are_kept_apart_from_descriptions() -> None:
    g = Gazetteer.from_entries(
        [_entry(description="Andean republic.", note="Demonym 'Inca' left out: a people, not the state.")]
    )
    peru = g.get("Peru", "country")
    assert peru is not None and peru.description == "Andean republic." and peru.note.startswith("Demonym")
    noted = [e for e in load_gazetteer().entities if e.note]
    assert noted, "the shipped gazetteer keeps its curator notes in 'note'"
    leaks = [e.name for e in load_gazetteer().entities if any(w in (e.description or "") for w in _CURATOR_WORDS)]
    assert leaks == []  # a description speaks about the entity, never about this file's choices


def test_entity_profile_shows_the_description_not_the_note(seeded_engine) -> None:  # type: ignore[no-untyped-def]
    import queries

    us = load_gazetteer().get("United States", "country")
    assert us is not None and us.note and us.description
    profile = queries.run("entity_profile", seeded_engine, name="United States")
    text = " ".join(str(v) for v in profile.to_numpy().ravel())
    assert us.description in text
    assert us.note not in text and "entity_lexicon" not in text
