-- The free texts in which Python's patterns found personal data (the frame
-- `personal_rows`, hidden_communities/staged_checks.py): column, text, the rule's code
-- (what was found) and its place among the cell's problems.
CREATE TABLE personal_hits AS
WITH final AS (
    SELECT CAST(column_name AS VARCHAR) AS column_name, CAST(value AS VARCHAR) AS value,
           CAST(rule AS VARCHAR) AS rule, CAST(seq AS BIGINT) AS seq
    FROM personal_rows
)
SELECT * FROM final
