-- The length in characters of the longest cell of each column DuckDB read (staging.py
-- hands a file with a cell as long as Python's csv module refuses back to that reader,
-- for its message).
SELECT max(length(COLUMNS(* EXCLUDE (stage_overflow)))) FROM upload
