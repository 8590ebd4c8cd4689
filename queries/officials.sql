-- name: officials
-- description: People and the posts they hold, with when the post is attested. One row per person and position.
-- column: person  -- the person
-- column: position  -- title as written, e.g. Defense Minister
-- column: organization  -- organization, when named
-- column: country  -- country of the post
-- column: valid_from  -- earliest date the post is attested
-- column: valid_to  -- date it is known to have ended (empty if current or unknown)
-- column: source_file  -- files of the articles that state it, comma-separated
-- column: articles  -- distinct articles that state it
-- column: sources  -- independent sources that state it

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
order by person, valid_from nulls last, position, position_id;
