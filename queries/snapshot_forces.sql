-- The police force areas of the database's districts (a snapshot files a record with no
-- area under the force when there is only one).
WITH final AS (
    SELECT DISTINCT f.force_code
    FROM areas AS a
    JOIN police_force_areas AS f ON f.district_code = a.district_code
)
SELECT force_code FROM final
ORDER BY force_code
