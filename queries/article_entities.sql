-- name: article_entities
-- description: Entities each article mentions, with how often and in which words, by file name (case-insensitive) and article, most mentioned first. One row per article and entity.
-- param: source_file text = all  -- article file name (all: every article)
-- param: limit text = 1000  -- at most this many rows (all: every row)
-- column: source_file  -- file name of the article
-- column: entity  -- canonical name of the entity
-- column: entity_type  -- person, organization, government_body, country, armed_group, weapon_system or program
-- column: mentions  -- times the article mentions it
-- column: surface_forms  -- the words used for it, comma-separated
\if :{?source_file}
\else
  \set source_file all
\endif
\if :{?limit}
\else
  \set limit 1000
\endif

-- Articles in the order of an index on (lower(source_file), id); each one's entities are counted
-- only when it is reached, so the first page reads a few articles, not every mention.
with chosen as (
    select
        a.article_id,
        a.source_file
    from analytics.articles as a
    where lower(:'source_file') = 'all' or lower(a.source_file) = lower(:'source_file')
)

select
    c.source_file,
    e.entity,
    e.entity_type,
    e.mentions,
    e.surface_forms
from chosen as c
cross join lateral (
    select
        m.entity,
        m.entity_type,
        count(*) as mentions,
        string_agg(distinct m.surface, ', ' order by m.surface) as surface_forms
    from analytics.mentions as m
    where m.article_id = c.article_id
    group by m.entity_id, m.entity, m.entity_type
) as e
order by lower(c.source_file), c.article_id, e.mentions desc, e.entity, e.entity_type
limit case when lower(:'limit') = 'all' then null else cast(:'limit'::text as bigint) end;
