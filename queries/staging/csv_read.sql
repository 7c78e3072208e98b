-- What staging.py checks once DuckDB has read a CSV (queries/staging/read_csv.sql), in one
-- pass: the rows with a value, the rows longer than the header (a value, even an empty
-- one, in the extra column), then each column's longest cell in characters. A long row,
-- or a cell as long as Python's csv module refuses, sends the file to that reader for its
-- message.
SELECT
    count(*) FILTER (
        WHERE rowid > 0 AND greatest(*COLUMNS(* EXCLUDE (stage_overflow))) <> ''
    ) AS stage_rows,
    count(*) FILTER (WHERE stage_overflow IS NOT NULL) AS stage_overflowing,
    max(length(COLUMNS(* EXCLUDE (stage_overflow))))
FROM upload
