-- name: officials
-- description: People and the posts they hold, with when the post is attested, by person name. One row per person and position.
-- param: limit text = 1000  -- at most this many rows (all: every row)
-- column: person  -- the person
-- column: position  -- title as written, e.g. Defense Minister
-- column: organization  -- organization, when named
-- column: country  -- country of the post
-- column: valid_from  -- earliest date the post is attested
-- column: valid_to  -- date it is known to have ended (empty if current or unknown)
-- column: source_file  -- files of the articles that state it, comma-separated
-- column: articles  -- distinct articles that state it
-- column: sources  -- independent sources that state it
\if :{?limit}
\else
  \set limit 1000
\endif

-- Ordered as an index on entities (name, id), so the first page stops early.
select
    person,
    position,
    organization,
    country,
    valid_from,
    valid_to,
    source_files as source_file,
    articles,
    sources
from analytics.positions
order by person, person_id, valid_from nulls last, position, position_id
limit case when lower(:'limit') = 'all' then null else cast(:'limit'::text as bigint) end;
