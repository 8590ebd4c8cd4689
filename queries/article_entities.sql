-- name: article_entities
-- description: Entities each article mentions, with how often and in which words. One row per article and entity.
-- param: source_file text = all  -- article file name (all: every article)
-- column: source_file  -- file name of the article
-- column: entity  -- canonical name of the entity
-- column: entity_type  -- person, organization, government_body, country, armed_group, weapon_system or program
-- column: mentions  -- times the article mentions it
-- column: surface_forms  -- the words used for it, comma-separated
\if :{?source_file}
\else
  \set source_file all
\endif

with chosen as (
    select m.*
    from analytics.mentions as m
    where lower(:'source_file') = 'all' or lower(m.source_file) = lower(:'source_file')
)

select
    source_file,
    entity,
    entity_type,
    count(*) as mentions,
    string_agg(distinct surface, ', ' order by surface) as surface_forms
from chosen
group by article_id, source_file, entity_id, entity, entity_type
order by source_file, mentions desc, entity, entity_type;
