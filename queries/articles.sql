-- name: articles
-- description: Articles in the database with their publisher, date and size, oldest first. One row per article.
-- param: limit text = 1000  -- at most this many rows (all: every row)
-- column: article_id  -- id of the article
-- column: source_file  -- file name of the article
-- column: publisher  -- publisher (news outlet or wire service)
-- column: title  -- headline
-- column: published_on  -- publication date, truncated to its precision
-- column: date_precision  -- day, month or year
-- column: byline  -- author(s)
-- column: word_count  -- words in the clean body
-- column: wire_service  -- wire service the story comes from, when it is a wire story
-- column: syndicated_from  -- file of the original when the article is a syndicated copy
\if :{?limit}
\else
  \set limit 1000
\endif

-- An index on articles (published_on, source_file, id) serves the order.
select
    article_id,
    source_file,
    publisher,
    title,
    published_on,
    date_precision,
    byline,
    word_count,
    wire_service,
    original_source_file as syndicated_from
from analytics.articles
order by published_on nulls last, source_file, article_id
limit case when lower(:'limit') = 'all' then null else cast(:'limit'::text as bigint) end;
