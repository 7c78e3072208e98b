-- Which census baselines the database holds: every (measure, area level) pair with a
-- population row. A community's small-area baseline exists only where its measure has
-- rows at that level (hidden_communities/baselines.py); the Nomis bulk files that give
-- them are optional in the reference build.
WITH final AS (
    SELECT DISTINCT p.measure, CAST(a.area_level AS VARCHAR) AS area_level
    FROM population AS p
    JOIN areas AS a ON a.area_code = p.area_code
)
SELECT * FROM final
ORDER BY measure, area_level
