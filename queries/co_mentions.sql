-- name: co_mentions
-- description: Entities mentioned together in the same articles. One row per entity pair.
-- param: min_articles int = 2  -- keep pairs mentioned together in at least this many articles
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

with article_entities as (
    select distinct
        article_id,
        source_id,
        entity_id,
        entity,
        entity_type
    from analytics.mentions
)

select
    a.entity as entity_a,
    b.entity as entity_b,
    count(distinct a.article_id) as articles,
    count(distinct a.source_id) as sources,
    a.entity_type as entity_a_type,
    b.entity_type as entity_b_type
from article_entities as a
inner join article_entities as b
    on
        b.article_id = a.article_id
        and (a.entity, a.entity_id) < (b.entity, b.entity_id)
group by a.entity_id, a.entity, a.entity_type, b.entity_id, b.entity, b.entity_type
having count(distinct a.article_id) >= :min_articles
order by articles desc, entity_a, entity_b, entity_a_type, entity_b_type;
