-- Wards and LSOAs of the district for the area pickers, with a readable label.
WITH wards AS (
    SELECT area_code, area_name FROM areas WHERE area_level = 'ward'
),
final AS (
    SELECT a.area_code, a.area_level, a.area_name, a.ward_code,
           CASE WHEN a.area_level = 'lsoa' THEN a.area_name || ' (' || w.area_name || ')'
                ELSE a.area_name END AS label
    FROM areas AS a
    LEFT JOIN wards AS w ON w.area_code = a.ward_code
    WHERE a.area_level IN ('ward', 'lsoa')
)
SELECT * FROM final
ORDER BY area_level DESC, label
