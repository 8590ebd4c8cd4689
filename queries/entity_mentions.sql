-- name: entity_mentions
-- description: How often each entity is mentioned, in how many articles and independent sources. One row per entity.
-- param: entity_type text = all  -- person, organization, government_body, country, armed_group, weapon_system, program (all: every type)
-- column: entity  -- canonical name
-- column: entity_type  -- type of the entity
-- column: country  -- the entity's country
-- column: mentions  -- times it is mentioned
-- column: articles  -- distinct articles that mention it
-- column: sources  -- independent sources that mention it (syndicated copies count once)
\if :{?entity_type}
\else
  \set entity_type all
\endif

select
    entity,
    entity_type,
    country,
    mentions,
    articles,
    sources
from analytics.entities
where
    mentions > 0
    and (lower(:'entity_type') = 'all' or entity_type = lower(:'entity_type'))
order by mentions desc, entity, entity_type;
