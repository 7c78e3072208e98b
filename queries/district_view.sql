-- The district view: one row per district of the forces the database's records are in
-- (every district of England and Wales for a national database), with one community's
-- contacts and reports in the filtered period and its Census 2021 baseline there.
--
-- A record is placed in a district through its area (areas.district_code: an LSOA, ward
-- or MSOA of a district, or a district itself), which the grouping macros carry. The community's records are counted in
-- its census universe, as on every page: a community counted among residents aged 16+
-- ($adult_communities) against adults' records only. all_contacts / all_reports count
-- every record of the district in the period, so a district with none shows as no data
-- rather than a rate of zero. For all residents ($community = $comparator) every record
-- counts, against all usual residents. The area filter does not apply: districts are compared
-- whole. The records come grouped, from every district (contact_groups_everywhere /
-- report_groups_everywhere, macros.sql).
-- Parameters: $start_date, $end_date, $channels, $directions, $crime_types,
--             $hate_strands, $community
-- Counts: contacts, all_contacts, reports, all_reports
-- Not counts: residents, population_base, label_lon, label_lat
WITH record_areas AS (
    SELECT area_code FROM contact_rollup
    UNION
    SELECT area_code FROM report_rollup
),
forces AS (
    SELECT DISTINCT d.force_code
    FROM record_areas AS r
    JOIN areas AS a ON a.area_code = r.area_code
    JOIN districts AS d ON d.district_code = a.district_code
),
adults_only AS (
    SELECT list_contains($adult_communities, $community) AS adults_only
),
contact_counts AS (
    SELECT g.district_code,
           CAST(sum(g.n) AS BIGINT) AS all_contacts,
           CAST(coalesce(sum(g.n) FILTER (
               WHERE $community = $comparator
                  OR (list_contains(CAST(g.communities AS VARCHAR[]), $community)
                      AND (NOT o.adults_only OR g.age_band = 'adult'))), 0) AS BIGINT) AS contacts
    FROM contact_groups_everywhere($start_date, $end_date, [], $channels, $directions) AS g
    CROSS JOIN adults_only AS o
    WHERE g.district_code IS NOT NULL
    GROUP BY g.district_code
),
report_counts AS (
    SELECT g.district_code,
           CAST(sum(g.n) AS BIGINT) AS all_reports,
           CAST(coalesce(sum(g.n) FILTER (
               WHERE $community = $comparator
                  OR (list_contains(CAST(g.victim_communities AS VARCHAR[]), $community)
                      AND (NOT o.adults_only OR g.age_band = 'adult'))), 0) AS BIGINT) AS reports
    FROM report_groups_everywhere($start_date, $end_date, [], $crime_types, $hate_strands) AS g
    CROSS JOIN adults_only AS o
    WHERE g.district_code IS NOT NULL
    GROUP BY g.district_code
),
baselines AS (
    SELECT p.district_code, p.count AS residents, p.denominator AS population_base
    FROM district_population AS p
    JOIN measures AS m ON m.measure = p.measure
    WHERE m.is_primary AND CAST(m.community AS VARCHAR) = $community
),
final AS (
    SELECT d.district_code, d.district_name, d.force_code, d.force_name,
           d.label_lon, d.label_lat, b.residents, b.population_base,
           coalesce(c.contacts, 0) AS contacts, coalesce(c.all_contacts, 0) AS all_contacts,
           coalesce(r.reports, 0) AS reports, coalesce(r.all_reports, 0) AS all_reports
    FROM districts AS d
    JOIN forces AS f ON f.force_code = d.force_code
    LEFT JOIN baselines AS b ON b.district_code = d.district_code
    LEFT JOIN contact_counts AS c ON c.district_code = d.district_code
    LEFT JOIN report_counts AS r ON r.district_code = d.district_code
)
SELECT * FROM final
ORDER BY district_code
