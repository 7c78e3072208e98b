-- Whether any row of the staged CSV has more cells than the header (a value, even an
-- empty one, in the extra column stage_read_csv.sql adds); staging.py then has Python's
-- reader name the line.
WITH final AS (
    SELECT count(*) AS rows FROM upload WHERE stage_overflow IS NOT NULL
)
SELECT rows FROM final
