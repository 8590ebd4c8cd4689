-- name: arms_deals
-- description: Arms deals, tenders and sales with buyer, suppliers, value and current status. One row per deal.
-- param: buyer text = all  -- buyer: name, alias, country name or ISO code, surname or close spelling, case-insensitive (all: every buyer)
-- param: limit text = 1000  -- at most this many rows (all: every row)
-- column: deal_id  -- id of the deal (the contract_timeline parameter)
-- column: deal  -- short title of the deal
-- column: buyer  -- buying government, ministry or force
-- column: suppliers  -- suppliers and consortium members, comma-separated
-- column: supplier_countries  -- their countries, comma-separated
-- column: item  -- what is bought
-- column: value_usd  -- value in nominal USD
-- column: status  -- planning, tender, awarded, active, complete, cancelled, unsuccessful or unknown
-- column: status_date  -- date of the event that set the status
-- column: articles  -- distinct articles that state it
-- column: sources  -- independent sources that state it
-- column: bidders  -- other bidders, comma-separated
-- column: value  -- value in its currency
-- column: currency  -- ISO 4217 code of the value
-- column: year  -- year of the deal
\if :{?buyer}
\else
  \set buyer all
\endif
\if :{?limit}
\else
  \set limit 1000
\endif

select
    d.deal_id,
    d.deal,
    d.buyer,
    d.suppliers,
    d.supplier_countries,
    d.item,
    d.value_usd,
    d.status,
    d.status_date,
    d.articles,
    d.sources,
    d.bidders,
    d.value,
    d.currency,
    d.year
from analytics.deals as d
where
    lower(:'buyer') = 'all'
    or d.deal_id in (  -- the buyers' deals, by index
        select b.deal_id
        from analytics.deal_buyers as b
        where b.buyer_id in (
            select t.entity_id from analytics.entity_terms as t where t.term = lower(:'buyer')
            union
            select f.entity_id from analytics.find_entities(:'buyer') as f
        )
    )
order by d.year nulls last, d.deal, d.deal_id
limit case when lower(:'limit') = 'all' then null else cast(:'limit'::text as bigint) end;
