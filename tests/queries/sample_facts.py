"""A small, realistic set of rows (from the seed articles) written with SQL into a fresh database, so
the query layer is tested on known facts whatever the state of the extraction rules.

Articles: a Reuters story, The China Post's syndicated copy of it, a UPI story and a Washington
Times story. Facts: US aid to Peru (plus a wrong automatic figure superseded by a reviewed one),
the cancelled Triad air defense contract, a Panetta quote carried by all three October articles,
two officials, the 1952 accord update, a meeting, a spelling discrepancy and a rejected input.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, text

from etl.load import summaries

REUTERS = (
    "LIMA (Reuters) - Defense ministers from Peru and the United States agreed on Saturday to update "
    "their 60-year-old defense cooperation agreement. U.S. Defense Secretary Leon Panetta said after "
    'meeting Peruvian President Ollanta Humala: "The United States is part of the family of the '
    'Americas and we face some common challenges."'
)
CHINA_POST = REUTERS.replace("LIMA (Reuters) - ", "LIMA -- ")
UPI = (
    "LIMA, Oct. 8 (UPI) -- U.S. Defense Secretary Leo Panetta met Peruvian Defense Minister Pedro "
    'Cateriano. "The United States is part of the family of the Americas and we face some common '
    'challenges," Panetta said. U.S. aid to Peru is estimated to top $84 million this year.'
)
WASHINGTON_TIMES = (
    "Last month, the Peruvian Defense Ministry canceled a $114 million contract with a consortium that "
    "included U.S. defense manufacturer Northrop Grumman after a Chinese company, CPMIEC, filed a protest. "
    "Peruvian officials awarded the contract in February to the Triad consortium of Israel's Rafael "
    "Advanced Defense Systems, the Polish Bumar Group and Northrop Grumman. Russia's Rosoboronexport also "
    "bid for the contract."
)
QUOTE = "The United States is part of the family of the Americas and we face some common challenges"

ENTITIES = [
    ("Peru", "country", "PE"),
    ("United States", "country", "US"),
    ("China", "country", "CN"),
    ("Israel", "country", "IL"),
    ("Poland", "country", "PL"),
    ("Russia", "country", "RU"),
    ("Leon Panetta", "person", "US"),
    ("Pedro Cateriano", "person", "PE"),
    ("Ollanta Humala", "person", "PE"),
    ("Peruvian Defense Ministry", "government_body", "PE"),
    ("Northrop Grumman", "organization", "US"),
    ("Rafael Advanced Defense Systems", "organization", "IL"),
    ("Bumar Group", "organization", "PL"),
    ("China Precision Machinery Import Export Corp.", "organization", "CN"),
    ("Rosoboronexport", "organization", "RU"),
]
ALIASES = [
    ("United States", "U.S.", "acronym"),
    ("Leon Panetta", "Panetta", "surname"),
    ("Leon Panetta", "Leo Panetta", "variant"),
    ("Peru", "Peruvian", "demonym"),
    ("China Precision Machinery Import Export Corp.", "CPMIEC", "acronym"),
]


class Sample:
    """Inserts the rows and remembers their ids."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.ids: dict[str, int] = {}

    def insert(self, table: str, **values: Any) -> int:
        columns = ", ".join(values)
        marks = ", ".join(f":{k}" for k in values)
        sql = f"INSERT INTO {table} ({columns}) VALUES ({marks}) RETURNING id"
        return self.conn.execute(text(sql), values).scalar_one()

    def article(
        self,
        key: str,
        source_file: str,
        publisher: str,
        published_on: str,
        body: str,
        original: str | None = None,
        **extra: Any,
    ) -> None:
        self.ids[key] = self.insert(
            "articles",
            source_path=f"data/seeds/{source_file}",
            source_file=source_file,
            publisher_id=self.ids[publisher],
            published_on=published_on,
            date_precision="day",
            body=body,
            content_hash=f"hash-{key}",
            word_count=len(body.split()),
            extractor_version="test",
            original_article_id=self.ids.get(original or ""),
            etl_run_id=self.ids["run"],
            **extra,
        )

    def evidence(self, fact_type: str, fact_id: int, article: str, phrase: str) -> None:
        body = self.conn.execute(
            text("SELECT body FROM articles WHERE id = :i"), {"i": self.ids[article]}
        ).scalar()
        start = body.index(phrase)
        self.insert(
            "evidence",
            fact_type=fact_type,
            fact_id=fact_id,
            article_id=self.ids[article],
            char_start=start,
            char_end=start + len(phrase),
            excerpt=phrase,
        )

    def mention(self, article: str, entity: str, surface: str, method: str = "gazetteer") -> None:
        body = self.conn.execute(
            text("SELECT body FROM articles WHERE id = :i"), {"i": self.ids[article]}
        ).scalar()
        start = body.index(surface)
        self.insert(
            "mentions",
            article_id=self.ids[article],
            entity_id=self.ids[entity],
            char_start=start,
            char_end=start + len(surface),
            surface=surface,
            method=method,
        )


def load_sample(engine: Engine) -> dict[str, int]:
    """Write the sample rows into a fresh, migrated database; return ids by key."""
    with engine.begin() as conn:
        s = Sample(conn)
        s.ids["run"] = s.insert(
            "etl_runs",
            extractor_version="test",
            status="partial",
            read_count=5,
            loaded_count=4,
            rejected_count=1,
            inputs="data/seeds",
        )
        s.insert(
            "rejected_inputs",
            etl_run_id=s.ids["run"],
            path="data/seeds/broken.jsonl",
            line=3,
            reason="line 3 is not valid JSON",
        )
        for name, wire in (
            ("Reuters", True),
            ("The China Post", False),
            ("UPI", True),
            ("The Washington Times", False),
        ):
            s.ids[name] = s.insert("publishers", name=name, is_wire=wire)
        for name, kind, code in ENTITIES:
            s.ids[name] = s.insert(
                "entities", name=name, entity_type=kind, country_code=code, origin="curated"
            )
        for entity, alias, kind in ALIASES:
            s.insert("entity_aliases", entity_id=s.ids[entity], alias=alias, kind=kind)

        s.article(
            "reuters",
            "002_b795cc3f13f4728f.txt",
            "Reuters",
            "2012-10-06",
            REUTERS,
            title="Touring South America, Panetta renews defense ties with Peru",
            byline="David Alexander",
            wire_service="Reuters",
        )
        s.article(
            "chinapost",
            "003_a931aa88721324b1.txt",
            "The China Post",
            "2012-10-08",
            CHINA_POST,
            original="reuters",
            title="US, Peru to update 60-year-old defense accord",
            wire_service="Reuters",
        )
        s.article(
            "upi",
            "000_3c55420993545cef.txt",
            "UPI",
            "2012-10-08",
            UPI,
            title="Peru sparks interest in defense industry",
            wire_service="UPI",
        )
        s.article(
            "wt",
            "004_e539bab1961ba871.txt",
            "The Washington Times",
            "2012-05-30",
            WASHINGTON_TIMES,
            title="China steals $114 million U.S. defense deal with Peru",
            byline="Kelly Hearn",
        )

        for article in ("reuters", "chinapost"):
            s.mention(article, "Peru", "Peru")
            s.mention(article, "United States", "United States")
            s.mention(article, "Leon Panetta", "Leon Panetta")
            s.mention(article, "Ollanta Humala", "Ollanta Humala")
        s.mention("upi", "Peru", "Peru")
        s.mention("upi", "Leon Panetta", "Leo Panetta", "fuzzy")
        s.mention("upi", "Pedro Cateriano", "Pedro Cateriano")
        s.mention("upi", "United States", "U.S.", "acronym")
        s.mention("wt", "Peruvian Defense Ministry", "Peruvian Defense Ministry")
        s.mention("wt", "Northrop Grumman", "Northrop Grumman")
        s.mention("wt", "China Precision Machinery Import Export Corp.", "CPMIEC", "acronym")
        s.mention("wt", "Rosoboronexport", "Rosoboronexport")

        upi_body, wt_body = UPI, WASHINGTON_TIMES
        start = upi_body.index("$84 million")
        s.insert(
            "money_mentions",
            article_id=s.ids["upi"],
            char_start=start,
            char_end=start + 11,
            raw_text="$84 million",
            amount=84_000_000,
            currency="USD",
            amount_usd=84_000_000,
            qualifier="top",
            kind="military_aid",
            year=2012,
            year_basis="relative",
        )
        start = wt_body.index("$114 million")
        s.insert(
            "money_mentions",
            article_id=s.ids["wt"],
            char_start=start,
            char_end=start + 12,
            raw_text="$114 million",
            amount=114_000_000,
            currency="USD",
            amount_usd=114_000_000,
            kind="contract_value",
            year=2012,
            year_basis="publication",
        )

        aid = s.insert(
            "aid_allocations",
            fact_key="aid|US|PE|2012|total|estimated",
            donor_entity_id=s.ids["United States"],
            recipient_entity_id=s.ids["Peru"],
            fiscal_year=2012,
            amount=84_000_000,
            currency="USD",
            amount_usd=84_000_000,
            qualifier="top",
            purpose="total",
            stage="estimated",
            review_status="reviewed",
            extractor_version="facts.yaml",
        )
        s.evidence("aid_allocation", aid, "upi", "U.S. aid to Peru is estimated to top $84 million this year")
        wrong = s.insert(
            "aid_allocations",
            fact_key="aid|US|PE|2012|total|wrong",
            donor_entity_id=s.ids["United States"],
            recipient_entity_id=s.ids["Peru"],
            fiscal_year=2012,
            amount=8_400_000,
            currency="USD",
            amount_usd=8_400_000,
            purpose="total",
            stage="estimated",
            extractor_version="test",
            superseded_by_id=aid,
        )
        s.evidence("aid_allocation", wrong, "upi", "$84 million")
        s.ids["aid"] = aid

        deal = s.insert(
            "deals",
            fact_key="deal|PE|air defense|2012",
            title="Triad air defense system contract",
            buyer_entity_id=s.ids["Peruvian Defense Ministry"],
            item_text="air defense system",
            value=114_000_000,
            currency="USD",
            value_usd=114_000_000,
            status="cancelled",
            year=2012,
            extractor_version="test",
        )
        s.ids["deal"] = deal
        s.evidence("deal", deal, "wt", "canceled a $114 million contract")
        for party, role, code in (
            ("Rafael Advanced Defense Systems", "consortium_member", "IL"),
            ("Bumar Group", "consortium_member", "PL"),
            ("Northrop Grumman", "consortium_member", "US"),
            ("Rosoboronexport", "bidder", "RU"),
            ("China Precision Machinery Import Export Corp.", "protester", "CN"),
        ):
            s.insert("deal_parties", deal_id=deal, entity_id=s.ids[party], role=role, country_code=code)
        for key, event, date, party, phrase in (
            ("awarded", "awarded", "2012-02-01", None, "awarded the contract in February"),
            ("bid", "bid", None, "Rosoboronexport", "Rosoboronexport also bid for the contract"),
            (
                "protested",
                "protested",
                None,
                "China Precision Machinery Import Export Corp.",
                "filed a protest",
            ),
            (
                "cancelled",
                "cancelled",
                "2012-04-01",
                "Peruvian Defense Ministry",
                "canceled a $114 million contract",
            ),
        ):
            s.ids[key] = s.insert(
                "deal_events",
                fact_key=f"deal_event|{deal}|{key}",
                deal_id=deal,
                event_type=event,
                event_date=date,
                date_precision="month" if date else None,
                party_entity_id=s.ids[party] if party else None,
                extractor_version="test",
            )
            s.evidence("deal_event", s.ids[key], "wt", phrase)

        quote = s.insert(
            "quotes",
            quote_key="panetta|family of the americas",
            speaker_entity_id=s.ids["Leon Panetta"],
            text=QUOTE,
        )
        s.ids["quote"] = quote
        for article in ("reuters", "chinapost", "upi"):
            s.evidence("quote", quote, article, QUOTE)

        for key, person, title, code, article, phrase in (
            (
                "panetta_post",
                "Leon Panetta",
                "Defense Secretary",
                "US",
                "reuters",
                "U.S. Defense Secretary Leon Panetta",
            ),
            (
                "cateriano_post",
                "Pedro Cateriano",
                "Defense Minister",
                "PE",
                "upi",
                "Peruvian Defense Minister Pedro Cateriano",
            ),
        ):
            s.ids[key] = s.insert(
                "positions",
                fact_key=f"position|{person}|{title}",
                person_entity_id=s.ids[person],
                title=title,
                country_code=code,
                valid_from="2012-10-06",
                extractor_version="test",
            )
            s.evidence("position", s.ids[key], article, phrase)
        s.evidence("position", s.ids["panetta_post"], "chinapost", "U.S. Defense Secretary Leon Panetta")

        accord = s.insert(
            "agreements",
            fact_key="agreement|PE-US|1952",
            title="Update of the 1952 US-Peru defense accord",
            agreement_type="defense_cooperation",
            signed_on="2012-10-06",
            date_precision="day",
            extractor_version="test",
        )
        for party in ("Peru", "United States"):
            s.insert("agreement_parties", agreement_id=accord, entity_id=s.ids[party])
        s.evidence("agreement", accord, "reuters", "agreed on Saturday to update")

        meeting = s.insert(
            "events",
            fact_key="event|meeting|2012-10-06",
            event_type="meeting",
            description="Panetta meets Humala in Lima",
            event_date="2012-10-06",
            date_precision="day",
            place="Lima",
            extractor_version="test",
        )
        for party in ("Leon Panetta", "Ollanta Humala"):
            s.insert("event_participants", event_id=meeting, entity_id=s.ids[party])
        s.evidence("event", meeting, "reuters", "meeting Peruvian President Ollanta Humala")

        a_start, b_start = UPI.index("Leo Panetta"), REUTERS.index("Leon Panetta")
        s.insert(
            "discrepancies",
            kind="spelling",
            subject="Leon Panetta",
            attribute="name",
            value_a="Leo Panetta",
            article_a_id=s.ids["upi"],
            start_a=a_start,
            end_a=a_start + 11,
            value_b="Leon Panetta",
            article_b_id=s.ids["reuters"],
            start_b=b_start,
            end_b=b_start + 12,
        )
        summaries.refresh(conn)  # what the ETL's finalize step does after a run
        return s.ids
