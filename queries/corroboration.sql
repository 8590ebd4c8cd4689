-- name: corroboration
-- description: How well each fact or quote is corroborated: distinct articles, independent sources (syndicated copies of one wire story count once) and publishers, best corroborated first. One row per fact or quote.
-- param: min_sources int = 1  -- keep facts stated by at least this many independent sources
-- param: limit text = 1000  -- at most this many rows (all: every row)
-- column: kind  -- deal, deal_event, aid_allocation, position, agreement, event or quote
-- column: fact  -- one-line description of the fact
-- column: articles  -- distinct articles that state it
-- column: sources  -- independent sources that state it
-- column: publishers  -- publishers that state it, comma-separated
-- column: first_published_on  -- earliest publication date among those articles
-- column: source_files  -- files of those articles, comma-separated
\if :{?min_sources}
\else
  \set min_sources 1
\endif
\if :{?limit}
\else
  \set limit 1000
\endif

-- A page (the default) reads the facts some article states in the order of an index on
-- (sources, articles) and stops at the limit; limit=all reads every fact at once. Facts no article
-- states (0 sources, listed last) come in only when min_sources is 0 or less.
with page as (
    select fact_type, fact_id, fact, articles, sources, publishers, first_published_on, source_files
    from analytics.stated_facts
    where sources >= :min_sources and lower(:'limit') <> 'all'
    order by sources desc, articles desc, fact_type, fact, fact_id
    limit case when lower(:'limit') = 'all' then null else cast(:'limit'::text as bigint) end
),

rest as (
    select fact_type, fact_id, fact, articles, sources, publishers, first_published_on, source_files
    from analytics.corroboration
    where sources >= :min_sources and (lower(:'limit') = 'all' or (sources = 0 and 0 >= :min_sources))
    order by sources desc, articles desc, fact_type, fact, fact_id
    limit case when lower(:'limit') = 'all' then null else cast(:'limit'::text as bigint) end
),

facts as (
    select * from page
    union all
    select * from rest
)

select
    fact_type as kind,
    fact,
    articles,
    sources,
    publishers,
    first_published_on,
    source_files
from facts
order by sources desc, articles desc, kind, fact, fact_id
limit case when lower(:'limit') = 'all' then null else cast(:'limit'::text as bigint) end;
