-- Published crime (data.police.uk, source 'police_uk') per LSOA, ward or MSOA for the filtered
-- period, with the area's usual residents (Census 2021) for a rate per 1,000 a year, and
-- the first and last months present. Every LSOA (or ward) of the district is listed, so an
-- area with none shows zero. data.police.uk places every crime in an LSOA (rows outside
-- the district or with no location are not loaded), so a ward or an MSOA is the sum of its
-- LSOAs.
-- Parameters: $start_date, $end_date, $area_codes, $crime_types (empty: every type),
--             $level ('lsoa' | 'ward' | 'msoa')
-- Counts: crimes
-- Not counts: residents
WITH crimes AS (
    SELECT a.area_code AS lsoa, a.ward_code
    FROM reports AS r
    JOIN areas AS a ON a.area_code = r.area_code
    WHERE r.source = 'police_uk'
      AND r.reported_on BETWEEN $start_date AND $end_date
      AND in_areas($area_codes, r.area_code, a.ward_code)
      AND (len(CAST($crime_types AS VARCHAR[])) = 0
           OR list_contains(CAST($crime_types AS VARCHAR[]), CAST(r.crime_type AS VARCHAR)))
),
lsoas AS (
    SELECT a.area_code AS lsoa, a.ward_code, a.msoa_code, p.count AS residents
    FROM areas AS a
    JOIN population AS p ON p.area_code = a.area_code AND p.measure = 'usual_residents'
    WHERE a.area_level = 'lsoa'
      AND in_areas($area_codes, a.area_code, a.ward_code)
),
per_lsoa AS (
    SELECT l.lsoa, l.ward_code, l.msoa_code, l.residents, count(c.lsoa) AS crimes
    FROM lsoas AS l
    LEFT JOIN crimes AS c ON c.lsoa = l.lsoa
    GROUP BY ALL
),
places AS (
    SELECT CASE $level WHEN 'ward' THEN ward_code WHEN 'msoa' THEN msoa_code ELSE lsoa END
               AS area_code,
           sum(residents) AS residents, sum(crimes) AS crimes
    FROM per_lsoa
    GROUP BY ALL
)
SELECT p.area_code, a.area_name, CAST(a.area_level AS VARCHAR) AS area_level,
       CAST(p.crimes AS BIGINT) AS crimes, CAST(p.residents AS BIGINT) AS residents
FROM places AS p
JOIN areas AS a ON a.area_code = p.area_code
ORDER BY a.area_name
