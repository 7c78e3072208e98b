-- Every area of the district with its level and parents (for validation and pickers).
-- Not counts: label_lon, label_lat
WITH final AS (
    SELECT area_code, area_level, area_name, msoa_code, ward_code, label_lon, label_lat
    FROM areas
)
SELECT * FROM final
ORDER BY area_level, area_code
