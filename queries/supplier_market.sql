-- name: supplier_market
-- description: Arms suppliers by country: deals their companies took part in as supplier or consortium member, and the value of those deals (a consortium deal counts in full for each member country). One row per supplier country.
-- param: buyer text = all  -- buyer: name, alias, country name or ISO code, surname or close spelling, case-insensitive (all: every buyer)
-- column: supplier_country  -- country of the suppliers (unknown when not known)
-- column: deals  -- distinct deals
-- column: value_usd  -- total value of those deals in nominal USD
-- column: statuses  -- statuses of those deals, comma-separated
-- column: suppliers  -- the suppliers, comma-separated
\if :{?buyer}
\else
  \set buyer all
\endif

with chosen_deals as (
    select d.*
    from analytics.deals as d
    where
        lower(:'buyer') = 'all'
        or exists (
            select 1 from analytics.entity_terms as t
            where t.entity_id = d.buyer_id and t.term = lower(:'buyer')
        )
        or d.buyer_id in (select f.entity_id from analytics.find_entities(:'buyer') as f)
),

deal_countries as (
    select distinct
        d.deal_id,
        d.value_usd,
        d.status,
        coalesce(p.country, 'unknown') as supplier_country
    from chosen_deals as d
    inner join analytics.deal_parties as p on p.deal_id = d.deal_id
    where p.role in ('supplier', 'consortium_member')
),

suppliers as (
    select
        coalesce(p.country, 'unknown') as supplier_country,
        string_agg(distinct p.party, ', ' order by p.party) as suppliers
    from chosen_deals as d
    inner join analytics.deal_parties as p on p.deal_id = d.deal_id
    where p.role in ('supplier', 'consortium_member')
    group by 1
)

select
    c.supplier_country,
    count(*) as deals,
    sum(c.value_usd) as value_usd,
    string_agg(distinct c.status, ', ' order by c.status) as statuses,
    s.suppliers
from deal_countries as c
inner join suppliers as s on s.supplier_country = c.supplier_country
group by c.supplier_country, s.suppliers
order by value_usd desc nulls last, c.supplier_country;
