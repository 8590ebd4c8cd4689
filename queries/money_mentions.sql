-- name: money_mentions
-- description: Money amounts stated in articles, normalized and converted to USD, by file name (case-insensitive), article and position in the text. One row per money mention.
-- param: source_file text = all  -- article file name (all: every article)
-- param: limit text = 1000  -- at most this many rows (all: every row)
-- column: source_file  -- file name of the article
-- column: text  -- the amount as written
-- column: amount  -- amount in whole currency units
-- column: currency  -- ISO 4217 code
-- column: amount_usd  -- amount in nominal USD
-- column: kind  -- military_aid, economic_aid, contract_value, sale_value, budget or other
-- column: year  -- year the amount applies to
-- column: qualifier  -- at least, about, more than, up to...
-- column: amount_max  -- upper bound of a range
-- column: published_on  -- publication date of the article
\if :{?source_file}
\else
  \set source_file all
\endif
\if :{?limit}
\else
  \set limit 1000
\endif

-- Ordered as an index on articles (lower(source_file), id), so the first page stops early.
select
    source_file,
    text,
    amount,
    currency,
    amount_usd,
    kind,
    year,
    qualifier,
    amount_max,
    published_on
from analytics.money
where lower(:'source_file') = 'all' or lower(source_file) = lower(:'source_file')
order by lower(source_file), article_id, char_start, money_mention_id
limit case when lower(:'limit') = 'all' then null else cast(:'limit'::text as bigint) end;
