"""infer_metadata: titles, publishers, wire credits, bylines, datelines and trusted dates."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import unicodedata
from pathlib import Path

import pytest
from pydantic import ValidationError

from etl.extract.readers import iter_documents
from etl.records import CleanArticle, RawDocument
from etl.reference.publishers import PublisherTable, load_publishers
from etl.transform.clean import clean_text
from etl.transform.metadata import article_from_document, infer_metadata

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "data" / "seeds"
FIXTURE = ROOT / "tests" / "fixtures" / "defense_article.html"


def from_text(text: str, **meta: str) -> CleanArticle:
    doc = RawDocument("x.txt", None, "txt", text=text, meta=meta, meta_origin=dict.fromkeys(meta, "manifest"))
    return article_from_document(doc)


@pytest.fixture(scope="module")
def seeds() -> dict[str, CleanArticle]:
    files = sorted(SEEDS.glob("*.txt"))
    return {p.name[:3]: from_text(p.read_text(encoding="utf-8")) for p in files}


def test_000_upi_wire_dateline_without_year(seeds: dict[str, CleanArticle]):
    art = seeds["000"]
    assert art.title == "Peru sparks interest in defense industry"
    assert (art.publisher, art.wire_service, art.dateline_place) == ("UPI", "UPI", "LIMA")
    assert art.published_on is None and art.date_precision is None
    assert "10-08" in art.provenance["published_on_unresolved"]
    assert art.provenance["publisher"] == "wire-credit" and art.provenance["title"] == "first-line"


def test_001_site_name_and_unlabelled_stamp(seeds: dict[str, CleanArticle]):
    art = seeds["001"]
    assert art.title == "U.S., Peru Boost Military Ties To Fight Terrorism, Drugs"
    assert (art.publisher, art.provenance["publisher"]) == ("Defense News", "site-name")
    assert art.wire_service is None and art.dateline_place == "LIMA"
    assert (art.published_on, art.date_precision, art.provenance["published_on"]) == (
        dt.date(2012, 10, 7),
        "day",
        "stamp",
    )


def test_002_reuters_posted_stamp_and_byline(seeds: dict[str, CleanArticle]):
    art = seeds["002"]
    assert art.title == "Touring South America, Panetta renews defense ties with Peru"
    assert (art.publisher, art.wire_service) == ("Reuters", "Reuters")
    assert (art.byline, art.provenance["byline"]) == ("David Alexander", "byline-line")
    assert (art.published_on, art.date_precision) == (dt.date(2012, 10, 6), "day")
    assert art.provenance["published_on"] == "stamp:Posted"


def test_003_site_hints_and_rejected_capture_date(seeds: dict[str, CleanArticle]):
    art = seeds["003"]
    assert art.title == "US, Peru to update 60-year-old defense accord"
    assert (art.publisher, art.provenance["publisher"]) == ("The China Post", "site-name")
    assert art.published_on is None
    reason = art.provenance["published_on_rejected"]
    assert reason.startswith("capture-date 2017-08-23: body's latest year is")


def test_004_no_title_line(seeds: dict[str, CleanArticle]):
    art = seeds["004"]
    assert art.title is None and art.dateline_place == "LIMA, Peru"
    assert art.published_on is None and art.publisher is None


def test_manifest_values_win_with_provenance():
    docs = [d for d in iter_documents([SEEDS]) if isinstance(d, RawDocument)]
    art = article_from_document(docs[3])
    assert (art.publisher, art.byline) == ("The China Post", "David Alexander")
    assert (art.published_on, art.date_precision) == (dt.date(2012, 10, 8), "day")
    assert art.provenance["published_on"] == art.provenance["byline"] == "manifest"
    assert article_from_document(docs[4]).title == "China steals $114 million U.S. defense deal with Peru"


def test_content_hash_is_sha256_of_nfc_body(seeds: dict[str, CleanArticle]):
    art = seeds["002"]
    assert art.content_hash == hashlib.sha256(art.body.encode()).hexdigest()
    doc = RawDocument("x", None, "txt", text="Cafe\u0301")
    assert (
        infer_metadata(doc, "Cafe\u0301").content_hash
        == hashlib.sha256(unicodedata.normalize("NFC", "Café").encode()).hexdigest()
    )


AP_STORY = (
    "Pentagon approves sale of helicopters to Colombia\n\n"
    "By LOLITA C. BALDOR, Associated Press\n\n"
    "WASHINGTON (AP) — The State Department approved the possible sale of 10 helicopters to Colombia "
    "on Friday, in a deal the Pentagon valued at $200 million.\n\n"
    "Colombia has been buying U.S. aircraft since 2010, officials said."
)


def test_ap_dateline_and_uppercase_byline():
    art = from_text(AP_STORY)
    assert (art.publisher, art.wire_service, art.dateline_place) == (
        "Associated Press",
        "Associated Press",
        "WASHINGTON",
    )
    assert art.byline == "Lolita C. Baldor"
    assert art.title == "Pentagon approves sale of helicopters to Colombia"


def test_dateline_day_with_year_from_coarser_stamp():
    text = "Updated: October 2012\n\n" + AP_STORY.replace("WASHINGTON (AP)", "BOGOTA, Oct. 12 (AFP)")
    art = from_text(text)
    assert (art.published_on, art.date_precision) == (dt.date(2012, 10, 12), "day")
    assert art.provenance["published_on"] == "dateline+stamp:Updated-year"
    assert (art.publisher, art.wire_service) == ("Agence France-Presse", "Agence France-Presse")


def test_dateline_with_year_and_unknown_credit():
    art = from_text(AP_STORY.replace("WASHINGTON (AP)", "NEW DELHI, March 3, 2014 (IANS)"))
    assert (art.published_on, art.provenance["published_on"]) == (dt.date(2014, 3, 3), "dateline")
    assert (art.publisher, art.wire_service, art.dateline_place) == ("IANS", None, "NEW DELHI")


def test_reporting_credit_is_a_reuters_signature_and_byline():
    text = AP_STORY.replace("By LOLITA C. BALDOR, Associated Press\n\n", "").replace(" (AP)", "")
    art = from_text(text + "\n(Reporting By Phil Stewart and Idrees Ali; Editing by Chris Reese)")
    assert (art.wire_service, art.provenance["wire_service"]) == ("Reuters", "signature")
    assert (art.byline, art.provenance["byline"]) == ("Phil Stewart and Idrees Ali", "reporting-credit")


def test_plausible_unlabelled_date_line_is_used():
    art = from_text("March 12, 2010\n\n" + AP_STORY)
    assert (art.published_on, art.provenance["published_on"]) == (dt.date(2010, 3, 12), "date-line")


def test_labelled_published_beats_updated():
    art = from_text("Published: 4 June 2013 | Updated: 5 June 2013 10:02 GMT\n" + AP_STORY)
    assert (art.published_on, art.provenance["published_on"]) == (dt.date(2013, 6, 4), "stamp:Published")


def test_manifest_month_precision_and_unparseable_date():
    assert from_text(AP_STORY, published="2012-10").date_precision == "month"
    art = from_text("Posted: Oct 06, 2012 2:38 PM\n" + AP_STORY, published="someday")
    assert art.provenance["published_on_rejected"] == "unparseable manifest date 'someday'"
    assert (art.published_on, art.provenance["published_on"]) == (dt.date(2012, 10, 6), "stamp:Posted")


def test_html_page_metadata_and_clean_body():
    [doc] = iter_documents([FIXTURE])
    art = article_from_document(doc)
    assert art.title == "Chile signs deal for used frigates"
    assert (art.publisher, art.byline) == ("Defense News", "Maria Lopez")
    assert (art.published_on, art.date_precision) == (dt.date(2014, 3, 12), "day")
    assert art.url == "https://www.defensenews.com/world/2014/03/12/chile-frigates/"
    assert art.dateline_place == "SANTIAGO, Chile"
    assert {art.provenance[k] for k in ("title", "publisher", "published_on", "url")} == {"html-meta"}
    for furniture in ("Subscribe", "RSS Feed", "Copyright", "Home"):
        assert furniture not in art.body


def test_jsonl_line_with_html(tmp_path: Path):
    html = "<html><head><title>Peru buys tanks</title></head><body><article>" + "".join(
        f"<p>{p}</p>" for p in AP_STORY.replace(" (AP)", " (Reuters)").split("\n\n")[2:]
    )
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"html": html + "</article></body></html>", "publisher": "Reuters"}) + "\n")
    [doc] = iter_documents([path])
    art = article_from_document(doc)
    assert (art.title, art.provenance["title"]) == ("Peru buys tanks", "html-meta")
    assert (art.publisher, art.provenance["publisher"]) == ("Reuters", "jsonl")
    assert art.body == clean_text(art.body) and "WASHINGTON (Reuters)" in art.body


def test_publisher_table_lookups_and_validation():
    pubs = load_publishers()
    assert pubs.lookup("the associated press").name == "Associated Press"
    assert pubs.is_wire("UPI") and not pubs.is_wire("Defense News") and not pubs.is_wire(None)
    assert pubs.by_url("https://www.reuters.com/article/x").name == "Reuters"
    assert pubs.site_hint("Defensenews TV").name == "Defense News"
    with pytest.raises(ValidationError):
        PublisherTable.model_validate(
            {"publishers": [{"name": "A", "aliases": ["X"]}, {"name": "B", "aliases": ["x"]}]}
        )
    with pytest.raises(ValidationError):
        PublisherTable.model_validate({"publishers": [{"name": "A", "signatures": ["(bad"]}]})


def test_reuters_page_dump_with_unparenthesised_credit():
    text = (
        "Skip to main content\nReuters\nWorld\nBusiness\nPeru signs deal to buy Korean tanks\n"
        "3 Min Read\nLIMA - Peru signed a deal on Monday to buy 20 tanks from South Korea, the "
        "defense ministry said in a statement.\nAdvertisement - Scroll to continue\n"
        "The deal is worth $100 million, a source said.\n"
        "Reporting by Marco Aquino; Editing by Tom Brown\n"
        "Our Standards: The Thomson Reuters Trust Principles.\nMore from Reuters\n"
        "Peru president faces impeachment vote over graft claims\n"
    )
    art = from_text(text)
    assert art.body == (
        "Peru signs deal to buy Korean tanks\nLIMA - Peru signed a deal on Monday to buy 20 tanks from "
        "South Korea, the defense ministry said in a statement.\nThe deal is worth $100 million, a source "
        "said.\nReporting by Marco Aquino; Editing by Tom Brown"
    )
    assert (art.title, art.publisher, art.wire_service) == (
        "Peru signs deal to buy Korean tanks",
        "Reuters",
        "Reuters",
    )
    assert (art.byline, art.provenance["byline"]) == ("Marco Aquino", "reporting-credit")


# ---------------------------------------------------------------- unseen page shapes
REUTERS_STORY = (
    "Brazil picks Saab's Gripen jets over Boeing, Dassault | Reuters\n\n"
    "Brazil picks Saab's Gripen jets over Boeing, Dassault\n\n"
    "BY BRIAN WINTER AND ALONSO SOTO\n\n"
    "BRASILIA, Dec 18 (Reuters) - Brazil awarded a $4.5 billion contract to Sweden's Saab AB on Wednesday to "
    "replace its aging fleet of fighter jets, a surprise decision that ended a decade-long competition.\n\n"
    "Lula favored the Rafale in 2009, officials said.\n\n"
)


def test_dateline_month_day_completed_by_the_wire_copyright_year():
    art = from_text(REUTERS_STORY + "© Thomson Reuters 2013 All rights reserved")
    assert art.title == "Brazil picks Saab's Gripen jets over Boeing, Dassault"
    assert art.byline == "Brian Winter and Alonso Soto"
    assert (art.published_on, art.date_precision) == (dt.date(2013, 12, 18), "day")
    assert art.provenance["published_on"] == "dateline+copyright-year"
    assert "© Thomson Reuters" not in art.body and "| Reuters" not in art.body


def test_site_footer_years_and_year_ranges_never_date_an_article():
    for footer in ("© 2016 Some Gazette. All rights reserved.", "Copyright ©2008-2013 Latin American Herald Tribune"):
        art = from_text(REUTERS_STORY.replace("(Reuters)", "(Gazette)") + footer)
        assert art.published_on is None and "12-18" in art.provenance["published_on_unresolved"]


def test_dateline_month_day_completed_by_the_url_date():
    text = REUTERS_STORY.replace("2013", "") + "Source: http://www.reuters.com/article/2013/12/18/us-brazil-jets\n"
    art = from_text(text)
    assert (art.published_on, art.provenance["published_on"]) == (dt.date(2013, 12, 18), "url-date")
    assert art.url == "http://www.reuters.com/article/2013/12/18/us-brazil-jets"
    assert "Source:" not in art.body


def test_a_copyright_year_alone_is_not_a_publication_date():
    art = from_text(AP_STORY + "\n\nCopyright 2011 The Associated Press. All rights reserved.")
    assert art.published_on is None
    assert "2011" in art.provenance["published_on_unresolved"]


def test_html_title_suffix_names_the_publisher():
    html = (
        "<html><head><title>Colombia receives two C-295 aircraft | Defense Daily</title>"
        '<meta property="article:published_time" content="2013-06-12"></head><body><article>'
        "<h1>Colombia receives two C-295 aircraft</h1><p>BOGOTA — Colombia's Air Force has taken delivery of two "
        "C-295 medium transport aircraft, the Colombian Defense Ministry said on Tuesday.</p></article></body></html>"
    )
    art = article_from_document(RawDocument("x.html", None, "html", html=html))
    assert (art.title, art.publisher, art.provenance["publisher"]) == (
        "Colombia receives two C-295 aircraft",
        "Defense Daily",
        "page-title",
    )


def test_domain_line_and_text_title_suffix_name_the_publisher():
    art = from_text("MiamiHerald.com\n" + AP_STORY.replace("By LOLITA C. BALDOR, Associated Press\n\n", ""))
    assert (art.publisher, art.provenance["publisher"]) == ("Miami Herald", "site-name")
    art = from_text("Example.com\n" + AP_STORY.replace(" (AP)", "").replace(", Associated Press", ""))
    assert art.publisher == "Example.com" and "Example.com" not in art.body


def test_bylines_with_stamps_roles_and_credits():
    story = AP_STORY.replace(" (AP)", "")
    byline = "By LOLITA C. BALDOR, Associated Press"
    art = from_text(story.replace(byline, "By Richard Tomkins | March 27, 2014 at 11:42 AM"))
    assert (art.byline, art.published_on) == ("Richard Tomkins", dt.date(2014, 3, 27))
    art = from_text(story.replace(byline, "Rahul Bedi JDW Correspondent - New Delhi"))
    assert art.byline == "Rahul Bedi"
    credit = "(Additional reporting by Hugh Bronstein in Bogota; Writing by Saul Hudson; Editing by Kieran Murray)"
    art = from_text(story.replace("By LOLITA C. BALDOR, Associated Press\n\n", "") + "\n" + credit)
    assert (art.byline, art.provenance["byline"]) == ("Saul Hudson", "reporting-credit")


def test_agency_line_after_the_body_is_the_wire_credit():
    story = AP_STORY.replace(" (AP)", "").replace(", Associated Press", "")
    art = from_text("Latin American Herald Tribune\n" + story + "\n\nEFE")
    assert (art.publisher, art.wire_service, art.provenance["wire_service"]) == (
        "Latin American Herald Tribune",
        "EFE",
        "credit-line",
    )


@pytest.mark.parametrize(
    ("opening", "place", "day"),
    [
        ("Mexico City, 24/04/2014 (Infodefensa.com) – The", "Mexico City", dt.date(2014, 4, 24)),
        ("Bogota, Jan 12, 2011 (EFE).- The", "Bogota", dt.date(2011, 1, 12)),
        ("WASHINGTON—The", "WASHINGTON", None),
    ],
)
def test_more_dateline_shapes(opening: str, place: str, day: dt.date | None):
    art = from_text(AP_STORY.replace("WASHINGTON (AP) — The", opening))
    assert (art.dateline_place, art.published_on) == (place, day)


def test_ambiguous_numeric_dateline_date_is_not_guessed():
    art = from_text(AP_STORY.replace("WASHINGTON (AP) — The", "Mexico City, 05/04/2014 (Infodefensa.com) – The"))
    assert art.published_on is None and "day-first" in art.provenance["published_on_unresolved"]


def test_dates_beside_bylines_and_places_in_the_header():
    story = AP_STORY.replace(" (AP)", "").replace("By LOLITA C. BALDOR, Associated Press\n\n", "")
    art = from_text(story.replace("\n\n", "\nWritten by Staff Writer Tuesday, 10 November 2015\n\n", 1))
    assert (art.published_on, art.byline) == (dt.date(2015, 11, 10), None)
    art = from_text(story.replace("\n\n", "\nSantiago - 14 March 2016\n\n", 1))
    assert art.published_on == dt.date(2016, 3, 14)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("07_peru_patrol_boats_2013.txt", (dt.date(2013, 1, 1), "year")),
        ("2013-05-07-peru-patrol-boats.html", (dt.date(2013, 5, 7), "day")),
        ("peru_patrol_boats_20130507.txt", (dt.date(2013, 5, 7), "day")),
        ("feed/2013_05_peru.jsonl", (dt.date(2013, 5, 1), "month")),
    ],
)
def test_file_name_dates_an_article_that_gives_no_date(name: str, expected: tuple[dt.date, str]):
    doc = RawDocument(name, None, "txt", text="Peru buys boats\n\nPeru bought two patrol boats last year.\n")
    art = article_from_document(doc)
    value, precision = expected
    if precision == "month":  # a month in a name dates the year only
        value, precision = dt.date(value.year, 1, 1), "year"
    assert (art.published_on, art.date_precision) == (value, precision)
    assert art.provenance["published_on"] == "file-name"


@pytest.mark.parametrize(
    "name", ["f16_a400m_order.txt", "review_2014_2018.txt", "3200_tanks.txt", "mig29_1995x.txt", "x.txt"]
)
def test_file_names_without_one_clear_date_date_nothing(name: str):
    doc = RawDocument(name, None, "txt", text="Peru buys boats\n\nPeru bought two patrol boats last year.\n")
    assert article_from_document(doc).published_on is None


def test_a_stated_date_beats_the_file_name():
    text = REUTERS_STORY + "© Thomson Reuters 2013 All rights reserved"
    art = article_from_document(RawDocument("brazil_jets_2009.txt", None, "txt", text=text))
    assert (art.published_on, art.provenance["published_on"]) == (dt.date(2013, 12, 18), "dateline+copyright-year")


def test_a_dateline_day_takes_its_year_from_the_file_name():
    text = REUTERS_STORY.replace("2013", "")
    art = article_from_document(RawDocument("brazil_jets_2013.txt", None, "txt", text=text))
    assert (art.published_on, art.provenance["published_on"]) == (dt.date(2013, 12, 18), "dateline+file-name-year")


def test_a_year_from_the_file_name_dates_relative_years_of_amounts():
    from etl.transform.money import find_money

    text = AP_STORY + "\n\nColombia paid $90 million for two transport planes last year."
    art = article_from_document(RawDocument("colombia_helicopters_2011.txt", None, "txt", text=text))
    assert [(m.amount, m.year) for m in find_money(art.body, art.published_on)] == [
        (200_000_000, 2011),
        (90_000_000, 2010),
    ]
