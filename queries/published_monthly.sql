-- Published crime (data.police.uk street-level rows, source 'police_uk'): counts per month
-- and crime type for the filtered period and areas. Never mixed with the records system's
-- reports. data.police.uk gives months only (reported_on is the month's first day), so a
-- month is in the period when its first day is.
-- Parameters: $start_date, $end_date, $area_codes, $crime_types (empty: every type)
-- Counts: crimes
SELECT CAST(date_trunc('month', r.reported_on) AS DATE) AS month,
       CAST(r.crime_type AS VARCHAR) AS crime_type,
       count(*) AS crimes
FROM reports AS r
LEFT JOIN areas AS a ON a.area_code = r.area_code
WHERE r.source = 'police_uk'
  AND r.reported_on BETWEEN $start_date AND $end_date
  AND in_areas($area_codes, r.area_code, a.ward_code)
  AND (len(CAST($crime_types AS VARCHAR[])) = 0
       OR list_contains(CAST($crime_types AS VARCHAR[]), CAST(r.crime_type AS VARCHAR)))
GROUP BY ALL
ORDER BY month, crime_type
