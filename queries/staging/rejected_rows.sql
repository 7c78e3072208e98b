-- The staged rows that broke a rule (the table `problems`), their cells as written, in
-- file order: the rows a partial load gives back to be fixed.
WITH final AS (
    SELECT * FROM raw_rows WHERE pos IN (SELECT pos FROM problems)
)
SELECT * FROM final ORDER BY pos
