-- name: rejected_inputs
-- description: Inputs that an ETL run could not load, and why. One row per rejected input.
-- column: path  -- file that was rejected
-- column: reason  -- why, in plain words
-- column: run_id  -- id of the ETL run
-- column: rejected_at  -- when it was rejected
-- column: line  -- line number within the file, if any

select
    path,
    reason,
    run_id,
    rejected_at,
    line
from analytics.rejected_inputs
order by rejected_at, path, line nulls first, rejected_input_id;
