-- name: quotes
-- description: Direct quotes and who said them; a quote repeated by several articles is one row. One row per quote.
-- param: speaker text = all  -- speaker: name, alias or part of the name, surname or close spelling, case-insensitive (all: every speaker)
-- column: speaker  -- who said it (empty when unattributed)
-- column: quote  -- the quote as first seen
-- column: articles  -- distinct articles that carry it
-- column: sources  -- independent sources that carry it
-- column: first_published_on  -- earliest publication date among those articles
-- column: publishers  -- publishers that carry it, comma-separated
\if :{?speaker}
\else
  \set speaker all
\endif

select
    q.speaker,
    q.quote,
    q.articles,
    q.sources,
    q.first_published_on,
    q.publishers
from analytics.quotes as q
where
    lower(:'speaker') = 'all'
    or strpos(lower(q.speaker), lower(:'speaker')) > 0
    or exists (
        select 1 from analytics.entity_terms as t
        where t.entity_id = q.speaker_id and t.term_kind in ('name', 'alias') and t.term = lower(:'speaker')
    )
    or q.speaker_id in (select f.entity_id from analytics.find_entities(:'speaker') as f)
order by q.speaker nulls last, q.first_published_on nulls last, q.quote, q.quote_id;
