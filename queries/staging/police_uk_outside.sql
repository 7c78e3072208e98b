-- data.police.uk rows that break no rule but fall outside the district: in an LSOA that is
-- not one of its own, or with no location. They are counted, not loaded.
WITH valid AS (
    SELECT c.lsoa, v.t AS lsoa_code
    FROM checked AS c
    JOIN stage_values AS v ON v.id = c.lsoa_code_id
    WHERE NOT EXISTS (SELECT 1 FROM problems AS p WHERE p.pos = c.pos)
),
final AS (
    SELECT
        count(*) FILTER (WHERE lsoa_code <> '' AND lsoa IS NULL) AS outside,
        count(*) FILTER (WHERE lsoa_code = '') AS no_location
    FROM valid
)
SELECT * FROM final
