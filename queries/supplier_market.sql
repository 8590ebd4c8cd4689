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
    select d.deal_id, d.value_usd, d.status
    from analytics.deals as d
    where
        lower(:'buyer') = 'all'
        or exists (
            select 1 from analytics.entity_terms as t
            where t.entity_id = d.buyer_id and t.term = lower(:'buyer')
        )
        or d.buyer_id in (select f.entity_id from analytics.find_entities(:'buyer') as f)
),

supplier_parties as (
    select
        d.deal_id,
        d.value_usd,
        d.status,
        coalesce(p.country, 'unknown') as supplier_country,
        p.party
    from chosen_deals as d
    inner join analytics.deal_parties as p on p.deal_id = d.deal_id
    where p.role in ('supplier', 'consortium_member')
),

countries as (
    select
        supplier_country,
        count(*) as deals,
        sum(value_usd) as value_usd,
        string_agg(distinct status, ', ' order by status) as statuses
    from (select distinct deal_id, value_usd, status, supplier_country from supplier_parties) as d
    group by supplier_country
),

suppliers as (
    select
        supplier_country,
        string_agg(distinct party, ', ' order by party) as suppliers
    from supplier_parties
    group by supplier_country
)

select
    c.supplier_country,
    c.deals,
    c.value_usd,
    c.statuses,
    s.suppliers
from countries as c
inner join suppliers as s on s.supplier_country = c.supplier_country
order by c.value_usd desc nulls last, c.supplier_country;
