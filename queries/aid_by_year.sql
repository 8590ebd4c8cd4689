-- name: aid_by_year
-- description: Aid allocations by donor, recipient and fiscal year, with how many articles and independent sources state each. One row per allocation.
-- param: donor text = all  -- donor: name, alias or ISO code, surname or close spelling, case-insensitive (all: every donor)
-- param: recipient text = all  -- recipient: name, alias or ISO code, surname or close spelling, case-insensitive (all: every recipient)
-- param: limit text = 1000  -- at most this many rows (all: every row)
-- column: donor  -- donor country or body
-- column: recipient  -- recipient country or body
-- column: fiscal_year  -- fiscal year the amount is for
-- column: purpose  -- total, counternarcotics, counterterrorism...
-- column: stage  -- requested, appropriated, estimated, actual, projected or change
-- column: amount_usd  -- amount in nominal USD (negative for reductions)
-- column: articles  -- distinct articles that state it
-- column: sources  -- independent sources that state it
-- column: publishers  -- publishers that state it, comma-separated
-- column: amount  -- amount in its currency
-- column: currency  -- ISO 4217 code
-- column: qualifier  -- at least, about, top...
-- column: attributed_to  -- who the figure is attributed to
\if :{?donor}
\else
  \set donor all
\endif
\if :{?recipient}
\else
  \set recipient all
\endif
\if :{?limit}
\else
  \set limit 1000
\endif

with groups as (  -- each fiscal year, donor and recipient, in the listing's order by index (ix_aid_groups_listing)
    select g.fiscal_year, g.donor_id, g.donor, g.recipient_id, g.recipient
    from analytics.aid_groups as g
    where
        (
            lower(:'donor') = 'all'
            or g.donor_id in (
                select t.entity_id from analytics.entity_terms as t where t.term = lower(:'donor')
                union
                select f.entity_id from analytics.find_entities(:'donor') as f
            )
        )
        and (
            lower(:'recipient') = 'all'
            or g.recipient_id in (
                select t.entity_id from analytics.entity_terms as t where t.term = lower(:'recipient')
                union
                select f.entity_id from analytics.find_entities(:'recipient') as f
            )
        )
    order by g.fiscal_year nulls last, g.donor, g.recipient
)

select
    a.donor,
    a.recipient,
    a.fiscal_year,
    a.purpose,
    a.stage,
    a.amount_usd,
    a.articles,
    a.sources,
    a.publishers,
    a.amount,
    a.currency,
    a.qualifier,
    a.attributed_to
from groups as g
cross join lateral (  -- a group's allocations, by index: the page stops after the groups it needs
    select x.*
    from analytics.aid as x
    where
        coalesce(x.fiscal_year, 0) = coalesce(g.fiscal_year, 0)
        and coalesce(x.donor_id, 0) = coalesce(g.donor_id, 0)
        and coalesce(x.recipient_id, 0) = coalesce(g.recipient_id, 0)
    offset 0  -- not flattened into a join: a group's rows are read when the page reaches it
) as a
order by g.fiscal_year nulls last, g.donor, g.recipient, a.purpose, a.stage, a.amount_usd, a.aid_allocation_id
limit case when lower(:'limit') = 'all' then null else cast(:'limit'::text as bigint) end;
