"""analytics views

A schema ``analytics`` of plain, pre-joined views over the normalized tables, for BI tools and the
named queries: names instead of ids, article file/publisher/date on evidence-level views, facts
superseded by a reviewed fact hidden, and only plain column types (no JSONB, arrays or enums).
Every view and column carries a comment. Views run with their owner's rights, so a reader role
needs SELECT on these views only (see ``armsledger db grant-reader``).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 16:30:00
"""

from collections.abc import Sequence
from typing import NamedTuple

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA_COMMENT = "Read-only, pre-joined views of the ArmsLedger database for BI tools and named queries."

# Comments shared by columns of the same name in several views.
ARTICLES = "Distinct articles that state it."
SOURCES = "Independent sources that state it: syndicated copies of one wire story count once."
PUBLISHERS = "Publishers of those articles, comma-separated."
SOURCE_FILES = "Files of those articles, comma-separated."
FIRST_PUBLISHED = "Earliest publication date among those articles."
REVIEW = "automatic (extracted) or reviewed (entered by an analyst)."
FACT_KEY = "Natural key that merges the same fact reported by several articles."
ARTICLE_ID = "Id of the article."
SOURCE_FILE = "File name of the article, without folders."
PUBLISHER = "Publisher of the article."
PUBLISHED_ON = "Publication date of the article, truncated to its precision."
SOURCE_ID = "Article id of the independent source: the original of a syndicated copy, else the article."
CHAR_START = "Start offset of the span in the article body (0-based, inclusive)."
CHAR_END = "End offset of the span in the article body (exclusive)."
DATE_PRECISION = "day, month or year: how much of the date is known."
ENTITY_TYPE = "person, organization, government_body, country, armed_group, weapon_system or program."


def iso_code(of: str) -> str:
    return f"ISO 3166-1 alpha-2 code of {of}."


# Columns that every fact view aggregates from its evidence rows (analytics.corroboration).
SUPPORT = {
    "articles": ARTICLES, "sources": SOURCES, "publishers": PUBLISHERS, "source_files": SOURCE_FILES,
    "first_published_on": FIRST_PUBLISHED,
}


class View(NamedTuple):
    name: str
    comment: str
    columns: dict[str, str]
    sql: str


VIEWS: tuple[View, ...] = (
    View(
        "countries",
        "One row per country code used in the data, with the country's name when it is a known entity.",
        {"country_code": "ISO 3166-1 alpha-2 country code.",
         "country": "Country name (the code itself when no country entity has it)."},
        """
        WITH codes AS (
            SELECT country_code FROM public.entities WHERE country_code IS NOT NULL
            UNION SELECT country_code FROM public.deal_parties WHERE country_code IS NOT NULL
            UNION SELECT country_code FROM public.positions WHERE country_code IS NOT NULL
        )
        SELECT codes.country_code,
               coalesce((SELECT c.name FROM public.entities c
                         WHERE c.entity_type = 'country' AND c.country_code = codes.country_code
                         ORDER BY c.id LIMIT 1), codes.country_code) AS country
        FROM codes
        """,
    ),
    View(
        "articles",
        "One row per article, with its publisher and whether it is a syndicated copy of another.",
        {
            "article_id": ARTICLE_ID, "source_file": SOURCE_FILE,
            "source_path": "File the article was read from.",
            "url": "Original URL, when known.", "title": "Headline.", "publisher": PUBLISHER,
            "publisher_is_wire": "True when the publisher is a wire service.",
            "wire_service": "Wire service the story comes from, when it is a wire story.",
            "byline": "Author(s).", "dateline_place": "Place in the dateline (e.g. LIMA).",
            "published_on": PUBLISHED_ON, "date_precision": DATE_PRECISION,
            "word_count": "Words in the body.",
            "source_id": SOURCE_ID,
            "original_source_file": "File of the article this one copies; NULL for originals.",
            "is_syndicated_copy": "True when the article is a copy of an earlier wire story.",
            "content_hash": "SHA-256 of the clean body.",
            "extractor_version": "Extraction rules that produced its facts.",
            "ingested_at": "When the article was loaded.", "run_id": "ETL run that loaded it.",
            "body": "Clean body text; every span offset indexes into it.",
        },
        """
        SELECT a.id AS article_id, a.source_file, a.source_path, a.url, a.title, p.name AS publisher,
               p.is_wire AS publisher_is_wire, a.wire_service, a.byline, a.dateline_place, a.published_on,
               a.date_precision, a.word_count, coalesce(a.original_article_id, a.id) AS source_id,
               o.source_file AS original_source_file, a.original_article_id IS NOT NULL AS is_syndicated_copy,
               a.content_hash, a.extractor_version, a.ingested_at, a.etl_run_id AS run_id, a.body
        FROM public.articles a
        LEFT JOIN public.publishers p ON p.id = a.publisher_id
        LEFT JOIN public.articles o ON o.id = a.original_article_id
        """,
    ),
    View(
        "publishers",
        "One row per publisher, with how many articles it has.",
        {"publisher_id": "Id of the publisher.", "publisher": "Canonical publisher name.",
         "is_wire": "True for wire services.", "articles": "Articles loaded from this publisher."},
        """
        SELECT p.id AS publisher_id, p.name AS publisher, p.is_wire,
               (SELECT count(*) FROM public.articles a WHERE a.publisher_id = p.id) AS articles
        FROM public.publishers p
        """,
    ),
    View(
        "entities",
        "One row per entity (person, organization, government body, country...), with mention counts.",
        {
            "entity_id": "Id of the entity.", "entity": "Canonical name.",
            "entity_type": ENTITY_TYPE,
            "country_code": iso_code("the entity's country"), "country": "Name of the entity's country.",
            "wikidata_id": "Wikidata item id (Q...), when known.", "description": "Short description.",
            "origin": "curated (from the gazetteer) or discovered (found in articles).",
            "aliases": "Other names of the entity, comma-separated.", "mentions": "Times it is mentioned.",
            "articles": "Distinct articles that mention it.",
            "sources": "Independent sources that mention it.",
        },
        """
        SELECT e.id AS entity_id, e.name AS entity, e.entity_type, e.country_code, c.country, e.wikidata_id,
               e.description, e.origin,
               (SELECT string_agg(al.alias, ', ' ORDER BY al.alias)
                FROM public.entity_aliases al WHERE al.entity_id = e.id) AS aliases,
               m.mentions, m.articles, m.sources
        FROM public.entities e
        LEFT JOIN analytics.countries c ON c.country_code = e.country_code
        CROSS JOIN LATERAL (
            SELECT count(*) AS mentions, count(DISTINCT mm.article_id) AS articles,
                   count(DISTINCT coalesce(a.original_article_id, a.id)) AS sources
            FROM public.mentions mm JOIN public.articles a ON a.id = mm.article_id
            WHERE mm.entity_id = e.id
        ) m
        """,
    ),
    View(
        "entity_aliases",
        "One row per alias of an entity (acronym, demonym, spelling variant...).",
        {"entity_id": "Id of the entity.", "entity": "Canonical name of the entity.",
         "entity_type": "Type of the entity.", "alias": "The other name, as written.",
         "kind": "name, acronym, demonym, variant or surname.",
         "first_seen_source_file": "File where the alias was first seen; NULL for the gazetteer."},
        """
        SELECT e.id AS entity_id, e.name AS entity, e.entity_type, al.alias, al.kind,
               a.source_file AS first_seen_source_file
        FROM public.entity_aliases al
        JOIN public.entities e ON e.id = al.entity_id
        LEFT JOIN public.articles a ON a.id = al.source_article_id
        """,
    ),
    View(
        "entity_terms",
        "One row per lower-case term that names an entity, for case-insensitive filters: the entity's name, "
        "its aliases, its country's ISO code, and its country's name and aliases (so 'peru' or 'pe' finds "
        "every Peruvian entity).",
        {"entity_id": "Id of the entity.", "term": "Lower-case name, alias, country code or country name.",
         "term_kind": "name, alias, country_code, country_name or country_alias."},
        """
        SELECT e.id AS entity_id, lower(e.name) AS term, 'name' AS term_kind FROM public.entities e
        UNION
        SELECT al.entity_id, lower(al.alias), 'alias' FROM public.entity_aliases al
        UNION
        SELECT e.id, lower(e.country_code), 'country_code'
        FROM public.entities e WHERE e.country_code IS NOT NULL
        UNION
        SELECT e.id, lower(c.name), 'country_name'
        FROM public.entities e
        JOIN public.entities c
          ON c.entity_type = 'country' AND c.country_code = e.country_code AND c.id <> e.id
        UNION
        SELECT e.id, lower(ca.alias), 'country_alias'
        FROM public.entities e
        JOIN public.entities c
          ON c.entity_type = 'country' AND c.country_code = e.country_code AND c.id <> e.id
        JOIN public.entity_aliases ca ON ca.entity_id = c.id
        """,
    ),
    View(
        "mentions",
        "One row per mention of an entity at a span of an article.",
        {
            "mention_id": "Id of the mention.", "article_id": ARTICLE_ID, "source_file": SOURCE_FILE,
            "publisher": PUBLISHER, "published_on": PUBLISHED_ON, "source_id": SOURCE_ID,
            "entity_id": "Id of the entity.", "entity": "Canonical name of the entity.",
            "entity_type": "Type of the entity.", "country_code": iso_code("the entity's country"),
            "surface": "Text as it appears in the article.",
            "method": "How it was resolved: gazetteer, alias, surname, acronym, demonym, discovered, fuzzy.",
            "char_start": CHAR_START, "char_end": CHAR_END,
        },
        """
        SELECT m.id AS mention_id, m.article_id, a.source_file, p.name AS publisher, a.published_on,
               coalesce(a.original_article_id, a.id) AS source_id, e.id AS entity_id, e.name AS entity,
               e.entity_type, e.country_code, m.surface, m.method, m.char_start, m.char_end
        FROM public.mentions m
        JOIN public.articles a ON a.id = m.article_id
        LEFT JOIN public.publishers p ON p.id = a.publisher_id
        JOIN public.entities e ON e.id = m.entity_id
        """,
    ),
    View(
        "money",
        "One row per money amount stated in an article, normalized and converted to USD.",
        {
            "money_mention_id": "Id of the money mention.", "article_id": ARTICLE_ID,
            "source_file": SOURCE_FILE,
            "publisher": PUBLISHER, "published_on": PUBLISHED_ON, "source_id": SOURCE_ID,
            "text": "Amount as written.", "amount": "Amount in whole currency units.",
            "amount_max": "Upper bound of a range.", "currency": "ISO 4217 currency code.",
            "amount_usd": "Amount in nominal USD.", "fx_rate": "USD per unit used for the conversion.",
            "fx_rate_date": "Date of the exchange rate used.", "fx_source": "Source of the exchange rate.",
            "qualifier": "at least, about, more than, up to...",
            "kind": "military_aid, economic_aid, contract_value, sale_value, budget or other.",
            "year": "Year the amount applies to.", "year_basis": "How the year was found.",
            "char_start": CHAR_START, "char_end": CHAR_END,
        },
        """
        SELECT mm.id AS money_mention_id, mm.article_id, a.source_file, p.name AS publisher, a.published_on,
               coalesce(a.original_article_id, a.id) AS source_id, mm.raw_text AS text, mm.amount,
               mm.amount_max, mm.currency, mm.amount_usd, mm.fx_rate, mm.fx_rate_date, mm.fx_source,
               mm.qualifier, mm.kind, mm.year, mm.year_basis, mm.char_start, mm.char_end
        FROM public.money_mentions mm
        JOIN public.articles a ON a.id = mm.article_id
        LEFT JOIN public.publishers p ON p.id = a.publisher_id
        """,
    ),
    View(
        "facts",
        "One row per current fact or quote (facts superseded by a reviewed fact are hidden), with a "
        "one-line human label.",
        {"fact_type": "deal, deal_event, aid_allocation, position, agreement, event or quote.",
         "fact_id": "Id of the fact in its own view (deal_id, aid_allocation_id...).",
         "fact": "One-line human description of the fact.", "review_status": REVIEW},
        """
        SELECT 'deal' AS fact_type, d.id AS fact_id, d.title AS fact, d.review_status
        FROM public.deals d WHERE d.superseded_by_id IS NULL
        UNION ALL
        SELECT 'deal_event', de.id,
               d.title || ': ' || replace(de.event_type, '_', ' ') || coalesce(' (' || pe.name || ')', '')
               || coalesce(', ' || de.event_date::text, ''),
               de.review_status
        FROM public.deal_events de
        JOIN public.deals d ON d.id = de.deal_id AND d.superseded_by_id IS NULL
        LEFT JOIN public.entities pe ON pe.id = de.party_entity_id
        WHERE de.superseded_by_id IS NULL
        UNION ALL
        SELECT 'aid_allocation', x.id,
               coalesce(dn.name, 'unknown donor') || ' aid to ' || coalesce(rc.name, 'unknown recipient')
               || coalesce(', FY' || x.fiscal_year::text, '') || ', ' || x.purpose || ', ' || x.stage || ': '
               || x.amount::text || ' ' || x.currency,
               x.review_status
        FROM public.aid_allocations x
        LEFT JOIN public.entities dn ON dn.id = x.donor_entity_id
        LEFT JOIN public.entities rc ON rc.id = x.recipient_entity_id
        WHERE x.superseded_by_id IS NULL
        UNION ALL
        SELECT 'position', po.id, pp.name || ', ' || po.title || coalesce(' (' || org.name || ')', ''),
               po.review_status
        FROM public.positions po
        JOIN public.entities pp ON pp.id = po.person_entity_id
        LEFT JOIN public.entities org ON org.id = po.organization_entity_id
        UNION ALL
        SELECT 'agreement', g.id, g.title, g.review_status
        FROM public.agreements g WHERE g.superseded_by_id IS NULL
        UNION ALL
        SELECT 'event', ev.id, ev.description, ev.review_status
        FROM public.events ev WHERE ev.superseded_by_id IS NULL
        UNION ALL
        SELECT 'quote', q.id, coalesce(s.name, 'Unattributed') || ': "' || q.text || '"', 'automatic'
        FROM public.quotes q LEFT JOIN public.entities s ON s.id = q.speaker_entity_id
        """,
    ),
    View(
        "evidence",
        "One row per evidence span: the article characters that state a current fact or quote.",
        {
            "evidence_id": "Id of the evidence row.", "fact_type": "Type of the fact it supports.",
            "fact_id": "Id of the fact.", "fact": "One-line description of the fact.",
            "article_id": ARTICLE_ID,
            "source_file": SOURCE_FILE, "publisher": PUBLISHER, "published_on": PUBLISHED_ON,
            "source_id": SOURCE_ID, "char_start": CHAR_START, "char_end": CHAR_END,
            "excerpt": "The evidence text, verbatim.",
        },
        """
        SELECT ev.id AS evidence_id, ev.fact_type, ev.fact_id, f.fact, ev.article_id, a.source_file,
               p.name AS publisher, a.published_on, coalesce(a.original_article_id, a.id) AS source_id,
               ev.char_start, ev.char_end, ev.excerpt
        FROM public.evidence ev
        JOIN analytics.facts f ON f.fact_type = ev.fact_type AND f.fact_id = ev.fact_id
        JOIN public.articles a ON a.id = ev.article_id
        LEFT JOIN public.publishers p ON p.id = a.publisher_id
        """,
    ),
    View(
        "corroboration",
        "One row per current fact or quote, with how many articles and independent sources state it.",
        {"fact_type": "deal, deal_event, aid_allocation, position, agreement, event or quote.",
         "fact_id": "Id of the fact.", "fact": "One-line description of the fact.", "review_status": REVIEW,
         **SUPPORT, "last_published_on": "Latest publication date among those articles."},
        """
        WITH support AS (
            SELECT ev.fact_type, ev.fact_id, count(DISTINCT ev.article_id) AS articles,
                   count(DISTINCT coalesce(a.original_article_id, a.id)) AS sources,
                   string_agg(DISTINCT p.name, ', ' ORDER BY p.name) AS publishers,
                   string_agg(DISTINCT a.source_file, ', ' ORDER BY a.source_file) AS source_files,
                   min(a.published_on) AS first_published_on, max(a.published_on) AS last_published_on
            FROM public.evidence ev
            JOIN public.articles a ON a.id = ev.article_id
            LEFT JOIN public.publishers p ON p.id = a.publisher_id
            GROUP BY ev.fact_type, ev.fact_id
        )
        SELECT f.fact_type, f.fact_id, f.fact, f.review_status, coalesce(s.articles, 0) AS articles,
               coalesce(s.sources, 0) AS sources, s.publishers, s.source_files, s.first_published_on,
               s.last_published_on
        FROM analytics.facts f
        LEFT JOIN support s ON s.fact_type = f.fact_type AND s.fact_id = f.fact_id
        """,
    ),
    View(
        "aid",
        "One row per current aid allocation: donor, recipient, fiscal year, purpose and stage.",
        {
            "aid_allocation_id": "Id of the allocation.", "donor_id": "Entity id of the donor.",
            "donor": "Donor country or body.", "donor_country_code": iso_code("the donor"),
            "recipient_id": "Entity id of the recipient.", "recipient": "Recipient country or body.",
            "recipient_country_code": iso_code("the recipient"),
            "fiscal_year": "Fiscal year the amount is for.",
            "purpose": "total, counternarcotics, counterterrorism...",
            "stage": "requested, appropriated, estimated, actual, projected or change.",
            "amount": "Amount; negative for reductions.", "currency": "ISO 4217 code.",
            "amount_usd": "Amount in nominal USD.", "qualifier": "at least, about, top...",
            "attributed_to": "Who the figure is attributed to.", "review_status": REVIEW,
            "fact_key": FACT_KEY,
            **SUPPORT,
        },
        """
        SELECT x.id AS aid_allocation_id, dn.id AS donor_id, dn.name AS donor,
               dn.country_code AS donor_country_code,
               rc.id AS recipient_id, rc.name AS recipient, rc.country_code AS recipient_country_code,
               x.fiscal_year, x.purpose, x.stage, x.amount, x.currency, x.amount_usd, x.qualifier,
               x.attributed_to, x.review_status, x.fact_key,
               c.articles, c.sources, c.publishers, c.source_files, c.first_published_on
        FROM public.aid_allocations x
        LEFT JOIN public.entities dn ON dn.id = x.donor_entity_id
        LEFT JOIN public.entities rc ON rc.id = x.recipient_entity_id
        JOIN analytics.corroboration c ON c.fact_type = 'aid_allocation' AND c.fact_id = x.id
        """,
    ),
    View(
        "deal_parties",
        "One row per party to a current deal, with its role (buyer, supplier, consortium_member, bidder...).",
        {"deal_id": "Id of the deal.", "deal": "Title of the deal.", "party_id": "Entity id of the party.",
         "party": "Name of the party.", "party_type": "Entity type of the party.",
         "role": "buyer, supplier, consortium_member, bidder, protester or intermediary.",
         "country_code": iso_code("the party"), "country": "Country of the party."},
        """
        SELECT d.id AS deal_id, d.title AS deal, e.id AS party_id, e.name AS party,
               e.entity_type AS party_type,
               dp.role, coalesce(dp.country_code, e.country_code) AS country_code,
               coalesce((SELECT c.name FROM public.entities c
                         WHERE c.entity_type = 'country'
                           AND c.country_code = coalesce(dp.country_code, e.country_code)
                         ORDER BY c.id LIMIT 1), coalesce(dp.country_code, e.country_code)) AS country
        FROM public.deal_parties dp
        JOIN public.deals d ON d.id = dp.deal_id AND d.superseded_by_id IS NULL
        JOIN public.entities e ON e.id = dp.entity_id
        """,
    ),
    View(
        "deal_events",
        "One row per current step of a deal's life: tendered, bid, awarded, protested, cancelled, signed...",
        {
            "deal_event_id": "Id of the deal event.", "deal_id": "Id of the deal.",
            "deal": "Title of the deal.",
            "event": "tendered, bid, awarded, protested, cancelled, signed, delivered or never_materialized.",
            "event_order": "Position of the event type in a deal's life, for sorting (1 = tendered).",
            "event_date": "When, truncated to its precision.", "date_precision": DATE_PRECISION,
            "party_id": "Entity id of the party that acted.",
            "party": "Party that acted (bidder, protester...).",
            "review_status": REVIEW, "fact_key": FACT_KEY, **SUPPORT,
        },
        """
        SELECT de.id AS deal_event_id, d.id AS deal_id, d.title AS deal, de.event_type AS event,
               array_position(ARRAY['tendered', 'bid', 'awarded', 'protested', 'cancelled', 'signed',
                                    'delivered', 'never_materialized'], de.event_type) AS event_order,
               de.event_date, de.date_precision, pe.id AS party_id, pe.name AS party, de.review_status,
               de.fact_key,
               c.articles, c.sources, c.publishers, c.source_files, c.first_published_on
        FROM public.deal_events de
        JOIN public.deals d ON d.id = de.deal_id
        LEFT JOIN public.entities pe ON pe.id = de.party_entity_id
        JOIN analytics.corroboration c ON c.fact_type = 'deal_event' AND c.fact_id = de.id
        """,
    ),
    View(
        "deals",
        "One row per current arms deal, tender or sale, with buyer, suppliers, value and status.",
        {
            "deal_id": "Id of the deal.", "deal": "Short human title of the deal.",
            "buyer_id": "Entity id of the buyer.", "buyer": "Buying government, ministry or force.",
            "buyer_country_code": iso_code("the buyer"),
            "suppliers": "Suppliers and consortium members, comma-separated.",
            "supplier_countries": "Countries of the suppliers, comma-separated.",
            "bidders": "Other bidders, comma-separated.",
            "item": "Item bought: the weapon system when identified, else as described.",
            "quantity": "Number of units, when stated.", "value": "Value in its currency.",
            "currency": "ISO 4217 code of the value.", "value_usd": "Value in nominal USD.",
            "status": "planning, tender, awarded, active, complete, cancelled, unsuccessful or unknown.",
            "status_date": "Date of the latest event that set the status (else of the latest dated event).",
            "year": "Year of the deal, when known.", "review_status": REVIEW, "fact_key": FACT_KEY, **SUPPORT,
        },
        """
        SELECT d.id AS deal_id, d.title AS deal, b.id AS buyer_id, b.name AS buyer,
               b.country_code AS buyer_country_code, pa.suppliers, pa.supplier_countries, pa.bidders,
               coalesce(i.name, d.item_text) AS item, d.quantity, d.value, d.currency, d.value_usd, d.status,
               coalesce(
                   (SELECT max(de.event_date) FROM public.deal_events de
                    WHERE de.deal_id = d.id AND de.superseded_by_id IS NULL AND de.event_type = CASE d.status
                        WHEN 'tender' THEN 'tendered' WHEN 'awarded' THEN 'awarded'
                        WHEN 'active' THEN 'signed'
                        WHEN 'complete' THEN 'delivered' WHEN 'cancelled' THEN 'cancelled'
                        WHEN 'unsuccessful' THEN 'never_materialized' END),
                   (SELECT max(de.event_date) FROM public.deal_events de
                    WHERE de.deal_id = d.id AND de.superseded_by_id IS NULL)
               ) AS status_date,
               d.year, d.review_status, d.fact_key,
               c.articles, c.sources, c.publishers, c.source_files, c.first_published_on
        FROM public.deals d
        LEFT JOIN public.entities b ON b.id = coalesce(
            d.buyer_entity_id,
            (SELECT dp.entity_id FROM public.deal_parties dp WHERE dp.deal_id = d.id AND dp.role = 'buyer'
             ORDER BY dp.id LIMIT 1))
        LEFT JOIN public.entities i ON i.id = d.item_entity_id
        LEFT JOIN (
            SELECT p.deal_id,
                   string_agg(DISTINCT p.party, ', ' ORDER BY p.party)
                       FILTER (WHERE p.role IN ('supplier', 'consortium_member')) AS suppliers,
                   string_agg(DISTINCT coalesce(p.country, p.country_code), ', '
                              ORDER BY coalesce(p.country, p.country_code))
                       FILTER (WHERE p.role IN ('supplier', 'consortium_member')) AS supplier_countries,
                   string_agg(DISTINCT p.party, ', ' ORDER BY p.party)
                       FILTER (WHERE p.role = 'bidder') AS bidders
            FROM analytics.deal_parties p
            GROUP BY p.deal_id
        ) pa ON pa.deal_id = d.id
        JOIN analytics.corroboration c ON c.fact_type = 'deal' AND c.fact_id = d.id
        """,
    ),
    View(
        "quotes",
        "One row per direct quote; the same quote in several articles is one row.",
        {"quote_id": "Id of the quote.", "speaker_id": "Entity id of the speaker.",
         "speaker": "Who said it; NULL when unattributed.", "quote": "Quote text as first seen.",
         "quote_key": "Normalized text that groups variants of one quote.", **SUPPORT},
        """
        SELECT q.id AS quote_id, s.id AS speaker_id, s.name AS speaker, q.text AS quote, q.quote_key,
               c.articles, c.sources, c.publishers, c.source_files, c.first_published_on
        FROM public.quotes q
        LEFT JOIN public.entities s ON s.id = q.speaker_entity_id
        JOIN analytics.corroboration c ON c.fact_type = 'quote' AND c.fact_id = q.id
        """,
    ),
    View(
        "positions",
        "One row per person holding a position (title at an organization or for a country).",
        {
            "position_id": "Id of the position.", "person_id": "Entity id of the person.",
            "person": "The person.", "position": "Title as written, e.g. Defense Minister.",
            "organization_id": "Entity id of the organization.",
            "organization": "Organization, when named.", "country_code": iso_code("the post"),
            "country": "Country of the post.", "valid_from": "Earliest date the post is attested.",
            "valid_to": "Date it is known to have ended; NULL if current or unknown.",
            "review_status": REVIEW,
            "fact_key": FACT_KEY, **SUPPORT,
        },
        """
        SELECT po.id AS position_id, pp.id AS person_id, pp.name AS person, po.title AS position,
               org.id AS organization_id, org.name AS organization, po.country_code, co.country,
               po.valid_from, po.valid_to, po.review_status, po.fact_key,
               c.articles, c.sources, c.publishers, c.source_files, c.first_published_on
        FROM public.positions po
        JOIN public.entities pp ON pp.id = po.person_entity_id
        LEFT JOIN public.entities org ON org.id = po.organization_entity_id
        LEFT JOIN analytics.countries co ON co.country_code = po.country_code
        JOIN analytics.corroboration c ON c.fact_type = 'position' AND c.fact_id = po.id
        """,
    ),
    View(
        "agreements",
        "One row per current treaty, accord, memorandum of understanding or trade agreement.",
        {
            "agreement_id": "Id of the agreement.", "agreement": "Short human title.",
            "agreement_type": "defense_cooperation, mou, free_trade or other.",
            "signed_on": "Date signed or in force.", "date_precision": DATE_PRECISION,
            "place": "Where it was signed, when stated.", "parties": "Parties, comma-separated.",
            "review_status": REVIEW, "fact_key": FACT_KEY, **SUPPORT,
        },
        """
        SELECT g.id AS agreement_id, g.title AS agreement, g.agreement_type, g.signed_on, g.date_precision,
               g.place,
               (SELECT string_agg(e.name, ', ' ORDER BY e.name) FROM public.agreement_parties ap
                JOIN public.entities e ON e.id = ap.entity_id WHERE ap.agreement_id = g.id) AS parties,
               g.review_status, g.fact_key,
               c.articles, c.sources, c.publishers, c.source_files, c.first_published_on
        FROM public.agreements g
        JOIN analytics.corroboration c ON c.fact_type = 'agreement' AND c.fact_id = g.id
        """,
    ),
    View(
        "agreement_parties",
        "One row per party to a current agreement.",
        {"agreement_id": "Id of the agreement.", "agreement": "Title of the agreement.",
         "party_id": "Entity id of the party.", "party": "Name of the party.", "party_type": "Entity type.",
         "country_code": iso_code("the party")},
        """
        SELECT g.id AS agreement_id, g.title AS agreement, e.id AS party_id, e.name AS party,
               e.entity_type AS party_type, e.country_code
        FROM public.agreement_parties ap
        JOIN public.agreements g ON g.id = ap.agreement_id AND g.superseded_by_id IS NULL
        JOIN public.entities e ON e.id = ap.entity_id
        """,
    ),
    View(
        "events",
        "One row per current meeting, attack, resignation, capture or other event.",
        {
            "event_id": "Id of the event.",
            "event_type": "meeting, attack, resignation, capture, kidnapping, protest or other.",
            "description": "One-line description.", "event_date": "When, truncated to its precision.",
            "date_precision": DATE_PRECISION, "place": "Where, when stated.",
            "fatalities": "People killed, when stated.", "participants": "Participants, comma-separated.",
            "review_status": REVIEW, "fact_key": FACT_KEY, **SUPPORT,
        },
        """
        SELECT ev.id AS event_id, ev.event_type, ev.description, ev.event_date, ev.date_precision, ev.place,
               ev.fatalities,
               (SELECT string_agg(e.name, ', ' ORDER BY e.name) FROM public.event_participants ep
                JOIN public.entities e ON e.id = ep.entity_id WHERE ep.event_id = ev.id) AS participants,
               ev.review_status, ev.fact_key,
               c.articles, c.sources, c.publishers, c.source_files, c.first_published_on
        FROM public.events ev
        JOIN analytics.corroboration c ON c.fact_type = 'event' AND c.fact_id = ev.id
        """,
    ),
    View(
        "event_participants",
        "One row per participant in a current event.",
        {"event_id": "Id of the event.", "event": "Description of the event.",
         "participant_id": "Entity id of the participant.", "participant": "Name of the participant.",
         "participant_type": "Entity type of the participant."},
        """
        SELECT ev.id AS event_id, ev.description AS event, e.id AS participant_id, e.name AS participant,
               e.entity_type AS participant_type
        FROM public.event_participants ep
        JOIN public.events ev ON ev.id = ep.event_id AND ev.superseded_by_id IS NULL
        JOIN public.entities e ON e.id = ep.entity_id
        """,
    ),
    View(
        "discrepancies",
        "One row per disagreement: two sources stating different values for the same subject and attribute.",
        {
            "discrepancy_id": "Id of the discrepancy.",
            "kind": "figure, date, status, spelling, wording or claim.",
            "subject": "What the sources talk about.", "attribute": "Which attribute they disagree on.",
            "value_a": "First side's value.", "source_a": "File of the first side's article.",
            "publisher_a": "Publisher of the first side's article.",
            "published_on_a": "Publication date of the first side's article.",
            "excerpt_a": "First side's evidence text.", "value_b": "Second side's value.",
            "source_b": "File of the second side's article.",
            "publisher_b": "Publisher of the second side's article.",
            "published_on_b": "Publication date of the second side's article.",
            "excerpt_b": "Second side's evidence text.",
        },
        """
        SELECT x.id AS discrepancy_id, x.kind, x.subject, x.attribute,
               x.value_a, aa.source_file AS source_a, pa.name AS publisher_a,
               aa.published_on AS published_on_a,
               substr(aa.body, x.start_a + 1, x.end_a - x.start_a) AS excerpt_a,
               x.value_b, ab.source_file AS source_b, pb.name AS publisher_b,
               ab.published_on AS published_on_b,
               substr(ab.body, x.start_b + 1, x.end_b - x.start_b) AS excerpt_b
        FROM public.discrepancies x
        JOIN public.articles aa ON aa.id = x.article_a_id
        LEFT JOIN public.publishers pa ON pa.id = aa.publisher_id
        JOIN public.articles ab ON ab.id = x.article_b_id
        LEFT JOIN public.publishers pb ON pb.id = ab.publisher_id
        """,
    ),
    View(
        "claims",
        "One row per claim an article makes about a subject (e.g. a world ranking), compared across sources.",
        {
            "claim_id": "Id of the claim.", "article_id": ARTICLE_ID, "source_file": SOURCE_FILE,
            "publisher": PUBLISHER, "published_on": PUBLISHED_ON, "source_id": SOURCE_ID,
            "subject_id": "Entity id of the subject.", "subject": "Who or what the claim is about.",
            "attribute": "What is claimed, e.g. world rank as coca producer.", "value": "The claimed value.",
            "char_start": CHAR_START, "char_end": CHAR_END, "excerpt": "The claim's text in the article.",
        },
        """
        SELECT cl.id AS claim_id, cl.article_id, a.source_file, p.name AS publisher, a.published_on,
               coalesce(a.original_article_id, a.id) AS source_id, e.id AS subject_id, e.name AS subject,
               cl.attribute, cl.value, cl.char_start, cl.char_end,
               substr(a.body, cl.char_start + 1, cl.char_end - cl.char_start) AS excerpt
        FROM public.claims cl
        JOIN public.articles a ON a.id = cl.article_id
        LEFT JOIN public.publishers p ON p.id = a.publisher_id
        JOIN public.entities e ON e.id = cl.subject_entity_id
        """,
    ),
    View(
        "etl_runs",
        "One row per ETL run, with its counts and outcome.",
        {"run_id": "Id of the run.", "started_at": "When the run started.",
         "finished_at": "When it ended; NULL while running.",
         "status": "running, succeeded, partial (some input rejected) or failed.",
         "inputs": "Paths the run was given.", "extractor_version": "Version of the extraction rules used.",
         "read_count": "Documents read.", "loaded_count": "Articles inserted or replaced.",
         "unchanged_count": "Articles already loaded unchanged.", "rejected_count": "Inputs rejected."},
        """
        SELECT r.id AS run_id, r.started_at, r.finished_at, r.status, r.inputs, r.extractor_version,
               r.read_count, r.loaded_count, r.unchanged_count, r.rejected_count
        FROM public.etl_runs r
        """,
    ),
    View(
        "rejected_inputs",
        "One row per input file, line or reviewed fact that a run could not load, with the reason.",
        {"rejected_input_id": "Id of the rejection.", "run_id": "Id of the ETL run.",
         "path": "File that was rejected.", "line": "Line number within the file, if any.",
         "reason": "Why it was rejected, in plain words.", "rejected_at": "When it was rejected."},
        """
        SELECT ri.id AS rejected_input_id, ri.etl_run_id AS run_id, ri.path, ri.line, ri.reason,
               ri.rejected_at
        FROM public.rejected_inputs ri
        """,
    ),
)


def _literal(value: str) -> str:
    """A SQL string literal of a constant written in this file (never user input)."""
    return "'" + value.replace("'", "''") + "'"


def upgrade() -> None:
    op.execute("CREATE SCHEMA analytics")
    op.execute(f"COMMENT ON SCHEMA analytics IS {_literal(SCHEMA_COMMENT)}")
    for view in VIEWS:
        op.execute(f"CREATE VIEW analytics.{view.name} AS {view.sql.strip()}")
        op.execute(f"COMMENT ON VIEW analytics.{view.name} IS {_literal(view.comment)}")
        for column, comment in view.columns.items():
            op.execute(f"COMMENT ON COLUMN analytics.{view.name}.{column} IS {_literal(comment)}")


def downgrade() -> None:
    for view in reversed(VIEWS):
        op.execute(f"DROP VIEW analytics.{view.name}")
    op.execute("DROP SCHEMA analytics")
