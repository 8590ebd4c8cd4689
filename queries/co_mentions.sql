-- name: co_mentions
-- description: Entities mentioned together in the same articles, most often together first. One row per entity pair.
-- param: min_articles int = 2  -- keep pairs mentioned together in at least this many articles
-- param: limit text = 1000  -- at most this many rows (all: every row)
-- column: entity_a  -- first entity (alphabetically)
-- column: entity_b  -- second entity
-- column: articles  -- distinct articles that mention both
-- column: sources  -- independent sources that mention both
-- column: entity_a_type  -- type of the first entity
-- column: entity_b_type  -- type of the second entity
\if :{?min_articles}
\else
  \set min_articles 2
\endif
\if :{?limit}
\else
  \set limit 1000
\endif

-- An index on entity_pairs (articles) serves the order: the first page reads that many pairs.
select
    entity_a,
    entity_b,
    articles,
    sources,
    entity_a_type,
    entity_b_type
from analytics.entity_pairs
where articles >= :min_articles
order by articles desc, entity_a, entity_b, entity_a_type, entity_b_type
limit case when lower(:'limit') = 'all' then null else cast(:'limit'::text as bigint) end;
