-- name: source_discrepancies
-- description: Where sources disagree: the same subject and attribute with different values, and the article behind each side. One row per disagreement.
-- param: limit text = 1000  -- at most this many rows (all: every row)
-- column: subject  -- what the sources talk about
-- column: attribute  -- what they disagree on
-- column: value_a  -- first side's value
-- column: source_a  -- file of the first side's article
-- column: value_b  -- second side's value
-- column: source_b  -- file of the second side's article
-- column: kind  -- figure, date, status, spelling or claim
-- column: publisher_a  -- publisher of the first side
-- column: publisher_b  -- publisher of the second side
-- column: excerpt_a  -- first side's evidence text
-- column: excerpt_b  -- second side's evidence text
\if :{?limit}
\else
  \set limit 1000
\endif

select
    subject,
    attribute,
    value_a,
    source_a,
    value_b,
    source_b,
    kind,
    publisher_a,
    publisher_b,
    excerpt_a,
    excerpt_b
from analytics.discrepancies
order by subject, attribute, value_a, value_b, discrepancy_id
limit case when lower(:'limit') = 'all' then null else cast(:'limit'::text as bigint) end;
