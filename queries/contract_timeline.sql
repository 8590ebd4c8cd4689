-- name: contract_timeline
-- description: The life of each deal step by step (tendered, bid, awarded, protested, cancelled...), with the article sentence that states each step. One row per deal event.
-- param: deal_id text = all  -- deal id from arms_deals (all: every deal)
-- param: limit text = 1000  -- at most this many rows (all: every row)
-- column: deal_id  -- id of the deal
-- column: deal  -- title of the deal
-- column: event  -- tendered, bid, awarded, protested, cancelled, signed, delivered or never_materialized
-- column: party  -- party that acted (bidder, protester...)
-- column: event_date  -- when, truncated to its precision
-- column: date_precision  -- day, month or year
-- column: source_file  -- file of the earliest article stating it
-- column: evidence  -- the sentence of that article that states it
-- column: articles  -- distinct articles that state it
-- column: source_files  -- files of all articles that state it, comma-separated
\if :{?deal_id}
\else
  \set deal_id all
\endif
\if :{?limit}
\else
  \set limit 1000
\endif

with events as (
    select e.*
    from analytics.deal_events as e
    where
        lower(:'deal_id') = 'all'
        or (
            -- the id as a number too, so that one deal is looked up by index
            e.deal_id = case when trim(:'deal_id') ~ '^[0-9]{1,18}$' then cast(trim(:'deal_id') as bigint) end
            and e.deal_id::text = trim(:'deal_id')
        )
)

select
    e.deal_id,
    e.deal,
    e.event,
    e.party,
    e.event_date,
    e.date_precision,
    f.source_file,
    f.excerpt as evidence,
    e.articles,
    e.source_files
from events as e
left join lateral (
    select ev.source_file, ev.excerpt
    from analytics.evidence as ev
    where ev.fact_type = 'deal_event' and ev.fact_id = e.deal_event_id
    order by ev.published_on nulls last, ev.source_file, ev.char_start
    limit 1
) as f on true
order by e.deal_id, e.event_date nulls last, e.event_order, e.deal_event_id
limit case when lower(:'limit') = 'all' then null else cast(:'limit'::text as bigint) end;
