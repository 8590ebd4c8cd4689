-- name: entity_profile
-- description: Everything the database knows about one entity: what it is, its other names, posts, quotes, deals, aid, agreements, events and the articles that mention it, each kind newest first. One row per fact about the entity, or per article that mentions it.
-- param: name text required  -- entity name, alias, surname or a close spelling, case-insensitive (the best match is used; a match row names it and the others)
-- param: limit text = 1000  -- at most this many rows (all: every row)
-- column: entity  -- canonical name of the entity
-- column: aspect  -- match (which entity a non-exact or ambiguous name chose), identity, alias, position, quote, deal, aid, agreement, event or mentioned_in
-- column: detail  -- the fact, in words (mentioned_in: how often and as what, in one article)
-- column: source_file  -- files of the articles that state it, comma-separated
\if :{?name}
\else
  \warn 'entity_profile needs a name: psql -v name=VALUE -f queries/entity_profile.sql'
  \quit
\endif
\if :{?limit}
\else
  \set limit 1000
\endif

with page as (
    select case when lower(:'limit') = 'all' then null else cast(:'limit'::text as bigint) end as n
),

matches as (
    select f.entity_id, f.entity, f.matched, f.match_kind, f.pick
    from analytics.find_entities(:'name') with ordinality
        as f (entity_id, entity, entity_type, matched, match_kind, score, mentions, pick)
),

target as (
    select e.entity_id, e.entity, e.entity_type, e.country, e.description, e.aliases
    from analytics.entities as e
    inner join matches as m on m.entity_id = e.entity_id and m.pick = 1
    limit 1  -- there is one pick 1: saying so lets the planner look each fact up by index
),

head_facts as (
    select t.entity_id, 0 as rank, 0::bigint as ord, 'match' as aspect,
        '"' || :'name' || '" matched ' || m.entity || ' (' || m.match_kind
        || case when m.match_kind = 'name' then '' else ': ' || m.matched end || ')'
        || coalesce('; also matches: ' || (
            select string_agg(o.entity || ' (' || o.match_kind || ')', ', ' order by o.pick)
            from matches as o where o.pick > 1
        ), '') as detail,
        null::text as source_file
    from target as t inner join matches as m on m.entity_id = t.entity_id and m.pick = 1
    where m.match_kind <> 'name' or exists (select 1 from matches as o where o.pick > 1)
    union all
    select t.entity_id, 1 as rank, 0 as ord, 'identity' as aspect,
        t.entity_type || coalesce(' in ' || t.country, '') || coalesce(': ' || t.description, '') as detail,
        null::text as source_file
    from target as t
    union all
    select t.entity_id, 2, 0, 'alias', a.alias || ' (' || a.kind || ')', a.first_seen_source_file
    from target as t inner join analytics.entity_aliases as a on a.entity_id = t.entity_id
),

-- Rows are listed kind by kind (ranks 0 to 9), so a page needs of each kind only what the kinds
-- before it left of the page: each list is cut at that, and stops at once when nothing is left.
left_for_positions as (
    select l.n - least(l.n, (select count(*) from head_facts)) as n from page as l
),

position_facts as (
    select t.entity_id, 3, -p.position_id, 'position',
        case when p.person_id = t.entity_id then '' else p.person || ': ' end
        || p.position || coalesce(', ' || p.organization, '') || coalesce(' (' || p.country || ')', ''),
        p.source_files
    from target as t
    cross join lateral (  -- its posts, and posts at it held by others; each kind of fact newest first, by index
        (
            select * from analytics.positions as x where x.person_id = t.entity_id
            order by x.position_id desc limit (select n from left_for_positions)
        )
        union all
        (
            select * from analytics.positions as x
            where x.organization_id = t.entity_id and x.person_id <> t.entity_id
            order by x.position_id desc limit (select n from left_for_positions)
        )
    ) as p
),

left_for_quotes as (
    select l.n - least(l.n, (select count(*) from position_facts)) as n from left_for_positions as l
),

quote_facts as (
    select t.entity_id, 4, -q.quote_id, 'quote', '"' || q.quote || '"', q.source_files
    from target as t
    cross join lateral (
        select x.* from analytics.quotes as x where x.speaker_id = t.entity_id
        order by x.quote_id desc limit (select n from left_for_quotes)
    ) as q
),

left_for_deals as (
    select l.n - least(l.n, (select count(*) from quote_facts)) as n from left_for_quotes as l
),

deal_facts as (
    select t.entity_id, 5, -d.deal_id, 'deal', d.deal || ': ' || r.role || coalesce(', ' || d.status, '')
        || coalesce(', ' || d.value_usd::text || ' USD', ''), d.source_files
    from target as t
    cross join lateral (  -- its deals newest first, once per role; each list an index range cut at the page
        select * from (
            (
                select b.deal_id, 'buyer' as role from (  -- as the deal's buyer or one of its buyer parties
                    select distinct u.deal_id from (
                        (
                            select x.deal_id from analytics.deal_buyers as x where x.buyer_id = t.entity_id
                            order by x.deal_id desc limit (select n from left_for_deals)
                        )
                        union all
                        (
                            select x.deal_id from analytics.deal_parties as x
                            where x.party_id = t.entity_id and x.role = 'buyer'
                            order by x.deal_id desc limit (select n from left_for_deals)
                        )
                    ) as u
                    order by u.deal_id desc limit (select n from left_for_deals)
                ) as b
            )
            union all
            (
                select x.deal_id, replace(x.role, '_', ' ') from analytics.deal_parties as x
                where x.party_id = t.entity_id and x.role <> 'buyer'
                order by x.deal_id desc limit (select n from left_for_deals)
            )
        ) as rr
        order by rr.deal_id desc, rr.role limit (select n from left_for_deals)  -- the order of the page
    ) as r
    cross join lateral (  -- one lookup per deal of the page
        select x.* from analytics.deals as x where x.deal_id = r.deal_id offset 0
    ) as d
),

left_for_aid as (
    select l.n - least(l.n, (select count(*) from deal_facts)) as n from left_for_deals as l
),

aid_facts as (
    select t.entity_id, 6, -a.aid_allocation_id, 'aid',
        case when a.donor_id = t.entity_id then 'gives ' else 'receives ' end
        || a.amount::text || ' ' || a.currency || ' (' || a.purpose || ', ' || a.stage
        || coalesce(', FY' || a.fiscal_year::text, '') || ')'
        || case when a.donor_id = t.entity_id then coalesce(' to ' || a.recipient, '')
            else coalesce(' from ' || a.donor, '') end,
        a.source_files
    from target as t
    cross join lateral (  -- aid it gives, and aid it receives from others
        (
            select * from analytics.aid as x where x.donor_id = t.entity_id
            order by x.aid_allocation_id desc limit (select n from left_for_aid)
        )
        union all
        (
            select * from analytics.aid as x
            where x.recipient_id = t.entity_id and x.donor_id is distinct from t.entity_id
            order by x.aid_allocation_id desc limit (select n from left_for_aid)
        )
    ) as a
),

left_for_agreements as (
    select l.n - least(l.n, (select count(*) from aid_facts)) as n from left_for_aid as l
),

agreement_facts as (
    select t.entity_id, 7, -g.agreement_id, 'agreement',
        g.agreement || ' (' || g.agreement_type || coalesce(', ' || g.signed_on::text, '') || ')', g.source_files
    from target as t
    cross join lateral (
        select x.agreement_id from analytics.agreement_parties as x where x.party_id = t.entity_id
        order by x.agreement_id desc limit (select n from left_for_agreements)
    ) as ap
    cross join lateral (  -- one lookup per agreement of the page (a join would scan every agreement)
        select x.* from analytics.agreements as x where x.agreement_id = ap.agreement_id offset 0
    ) as g
),

left_for_events as (
    select l.n - least(l.n, (select count(*) from agreement_facts)) as n from left_for_agreements as l
),

event_facts as (
    select t.entity_id, 8, -ev.event_id, 'event', ev.event_type || ': ' || ev.description
        || coalesce(' (' || ev.event_date::text || ')', ''), ev.source_files
    from target as t
    cross join lateral (
        select x.event_id from analytics.event_participants as x where x.participant_id = t.entity_id
        order by x.event_id desc limit (select n from left_for_events)
    ) as ep
    cross join lateral (
        select x.* from analytics.events as x where x.event_id = ep.event_id offset 0
    ) as ev
),

left_for_mentions as (
    select l.n - least(l.n, (select count(*) from event_facts)) as n from left_for_events as l
),

mentioned_facts as (
    select t.entity_id, 9, -m.article_id, 'mentioned_in',
        m.mentions::text || ' mention(s) as ' || m.surfaces, m.source_file
    from target as t
    cross join lateral (  -- the latest articles first
        select x.article_id, x.source_file, count(*) as mentions,
            string_agg(distinct x.surface, ', ' order by x.surface) as surfaces
        from analytics.mentions as x
        where x.entity_id = t.entity_id
        group by x.article_id, x.source_file
        order by x.article_id desc
        limit (select n from left_for_mentions)
    ) as m
),

facts as (
    select * from head_facts
    union all
    select * from position_facts
    union all
    select * from quote_facts
    union all
    select * from deal_facts
    union all
    select * from aid_facts
    union all
    select * from agreement_facts
    union all
    select * from event_facts
    union all
    select * from mentioned_facts
)

select
    t.entity,
    f.aspect,
    f.detail,
    f.source_file
from facts as f
inner join target as t on t.entity_id = f.entity_id
order by t.entity, t.entity_id, f.rank, f.ord, f.source_file nulls first, f.detail
limit case when lower(:'limit') = 'all' then null else cast(:'limit'::text as bigint) end;
