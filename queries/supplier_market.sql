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

with markets as (
    select m.*
    from analytics.supplier_markets as m
    where
        lower(:'buyer') = 'all'
        or exists (
            select 1 from analytics.entity_terms as t
            where t.entity_id = m.buyer_id and t.term = lower(:'buyer')
        )
        or m.buyer_id in (select f.entity_id from analytics.find_entities(:'buyer') as f)
),

suppliers as (
    select
        p.supplier_country,
        string_agg(distinct p.supplier, ', ' order by p.supplier) as suppliers
    from analytics.supplier_market_parties as p
    where
        lower(:'buyer') = 'all'
        or exists (
            select 1 from analytics.entity_terms as t
            where t.entity_id = p.buyer_id and t.term = lower(:'buyer')
        )
        or p.buyer_id in (select f.entity_id from analytics.find_entities(:'buyer') as f)
    group by p.supplier_country
)

select
    m.supplier_country,
    cast(sum(m.deals) as bigint) as deals,
    sum(m.value_usd) as value_usd,
    string_agg(distinct m.status, ', ' order by m.status) as statuses,
    s.suppliers
from markets as m
inner join suppliers as s on s.supplier_country = m.supplier_country
group by m.supplier_country, s.suppliers
order by value_usd desc nulls last, m.supplier_country;
