-- name: corroboration
-- description: How well each fact or quote is corroborated: distinct articles, independent sources (syndicated copies of one wire story count once) and publishers. One row per fact or quote.
-- param: min_sources int = 1  -- keep facts stated by at least this many independent sources
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

select
    fact_type as kind,
    fact,
    articles,
    sources,
    publishers,
    first_published_on,
    source_files
from analytics.corroboration
where sources >= :min_sources
order by sources desc, articles desc, kind, fact, fact_id;
