-- Contacts and crime reports for one community in every area of one level (ward, LSOA or
-- MSOA), with the census baselines that exist there, followed by one row per reason a
-- record cannot be placed at that level. Areas and unplaced rows share one frame so that
-- disclosure control sees every cell that adds up to the district total.
--
-- Where a record sits at each level: an LSOA record is in its LSOA, its ward and its MSOA;
-- a ward-only record is in its ward only (wards do not nest in LSOAs or MSOAs); an
-- MSOA-only record is in its MSOA only; a record with no area is nowhere.
-- coverage: how much of the area the sidebar's area filter includes ('all', 'part',
-- 'none'), counted over its LSOAs: a partly included area's counts are partial, so the
-- pages give it no rate.
-- The records come grouped (contact_groups / report_groups, macros.sql: the rollups for
-- whole months), each group with its area's ward and MSOA, so areas are joined once here
-- and sum(n) counts what count(*) counted.
-- Parameters: $start_date, $end_date, $area_codes, $channels, $directions, $crime_types,
--             $hate_strands, $level ('lsoa' | 'ward' | 'msoa'), $community (a community
--             code or $comparator, the all-resident code), $area_measure (the community's census measure at
--             this level, or NULL where none is published)
-- Counts: contacts, contacts_recorded, all_contacts, reports, reports_recorded, all_reports
-- Not counts: residents, base_count, base_denominator, district_count, district_denominator
WITH adults_only AS (
    -- Like for like: a community the census counts among residents aged 16+
    -- ($adult_communities) is mapped in adults' records only, its totals included.
    SELECT list_contains(CAST($adult_communities AS VARCHAR[]), $community) AS yes
),
records AS (
    SELECT 'contacts' AS kind, area_code, area_level, ward_code, msoa_code,
           community_recorded AS recorded,
           ($community = $comparator
            OR list_contains(CAST(communities AS VARCHAR[]), $community)) AS member, n
    FROM contact_groups($start_date, $end_date, $area_codes, $channels, $directions)
    WHERE NOT (SELECT yes FROM adults_only) OR CAST(age_band AS VARCHAR) = 'adult'
    UNION ALL
    SELECT 'reports', area_code, area_level, ward_code, msoa_code, victim_community_recorded,
           ($community = $comparator
            OR list_contains(CAST(victim_communities AS VARCHAR[]), $community)), n
    FROM report_groups($start_date, $end_date, $area_codes, $crime_types, $hate_strands)
    WHERE NOT (SELECT yes FROM adults_only) OR CAST(age_band AS VARCHAR) = 'adult'
),
placed AS (
    SELECT kind, recorded, member, n,
           CASE
               WHEN $level = 'lsoa' AND area_level = 'lsoa' THEN area_code
               WHEN $level = 'ward' AND area_level IN ('lsoa', 'ward') THEN ward_code
               WHEN $level = 'msoa' AND area_level IN ('lsoa', 'msoa') THEN msoa_code
           END AS place,
           CASE
               WHEN area_code IS NULL THEN 'no_area'
               WHEN area_level = 'ward' THEN 'ward_only'
               WHEN area_level = 'msoa' THEN 'msoa_only'
               ELSE 'other'
           END AS reason
    FROM records
),
counts AS (
    SELECT place, CASE WHEN place IS NULL THEN reason END AS reason,
           CAST(coalesce(sum(n) FILTER (WHERE kind = 'contacts' AND member), 0) AS BIGINT)
               AS contacts,
           CAST(coalesce(sum(n) FILTER (WHERE kind = 'contacts' AND recorded), 0) AS BIGINT)
               AS contacts_recorded,
           CAST(coalesce(sum(n) FILTER (WHERE kind = 'contacts'), 0) AS BIGINT) AS all_contacts,
           CAST(coalesce(sum(n) FILTER (WHERE kind = 'reports' AND member), 0) AS BIGINT)
               AS reports,
           CAST(coalesce(sum(n) FILTER (WHERE kind = 'reports' AND recorded), 0) AS BIGINT)
               AS reports_recorded,
           CAST(coalesce(sum(n) FILTER (WHERE kind = 'reports'), 0) AS BIGINT) AS all_reports
    FROM placed
    GROUP BY ALL
),
lsoas AS (
    SELECT area_code, ward_code, msoa_code,
           (len(CAST($area_codes AS VARCHAR[])) = 0
            OR list_contains(CAST($area_codes AS VARCHAR[]), area_code)
            OR list_contains(CAST($area_codes AS VARCHAR[]), ward_code)) AS included
    FROM areas
    WHERE area_level = 'lsoa'
),
coverage AS (
    SELECT CASE $level WHEN 'lsoa' THEN area_code WHEN 'ward' THEN ward_code
                       ELSE msoa_code END AS area_code,
           CASE WHEN bool_and(included) THEN 'all' WHEN bool_or(included) THEN 'part'
                ELSE 'none' END AS coverage
    FROM lsoas
    GROUP BY 1
),
district AS (
    SELECT p.count AS district_count, p.denominator AS district_denominator
    FROM measures AS m
    JOIN population AS p ON p.measure = m.measure
    JOIN areas AS a ON a.area_code = p.area_code AND a.area_level = 'district'
    WHERE m.is_primary AND CAST(m.community AS VARCHAR) = $community
),
area_rows AS (
    SELECT a.area_code, a.area_name, CAST(a.area_level AS VARCHAR) AS area_level,
           CAST(NULL AS VARCHAR) AS unplaced_reason, coalesce(cv.coverage, 'none') AS coverage,
           coalesce(c.contacts, 0) AS contacts,
           coalesce(c.contacts_recorded, 0) AS contacts_recorded,
           coalesce(c.all_contacts, 0) AS all_contacts,
           coalesce(c.reports, 0) AS reports,
           coalesce(c.reports_recorded, 0) AS reports_recorded,
           coalesce(c.all_reports, 0) AS all_reports,
           res.count AS residents,
           base.count AS base_count, base.denominator AS base_denominator
    FROM areas AS a
    LEFT JOIN counts AS c ON c.place = a.area_code
    LEFT JOIN coverage AS cv ON cv.area_code = a.area_code
    LEFT JOIN population AS res ON res.area_code = a.area_code
                               AND res.measure = 'usual_residents'
    LEFT JOIN population AS base ON base.area_code = a.area_code
                                AND base.measure = CAST($area_measure AS VARCHAR)
    WHERE CAST(a.area_level AS VARCHAR) = $level
),
-- The reasons a record cannot be placed at this level (always listed, zeros included).
reasons AS (
    SELECT * FROM (VALUES ('no_area', 1), ('ward_only', 2), ('msoa_only', 3)) AS v(reason, ord)
    WHERE NOT (reason = 'ward_only' AND $level = 'ward')
      AND NOT (reason = 'msoa_only' AND $level = 'msoa')
),
unplaced_rows AS (
    SELECT CAST(NULL AS VARCHAR) AS area_code, CAST(NULL AS VARCHAR) AS area_name,
           'district' AS area_level, r.reason AS unplaced_reason, 'all' AS coverage,
           coalesce(c.contacts, 0) AS contacts,
           coalesce(c.contacts_recorded, 0) AS contacts_recorded,
           coalesce(c.all_contacts, 0) AS all_contacts,
           coalesce(c.reports, 0) AS reports,
           coalesce(c.reports_recorded, 0) AS reports_recorded,
           coalesce(c.all_reports, 0) AS all_reports, r.ord
    FROM reasons AS r
    LEFT JOIN counts AS c ON c.place IS NULL AND c.reason = r.reason
),
final AS (
    SELECT ar.*, d.district_count, d.district_denominator, 0 AS ord
    FROM area_rows AS ar CROSS JOIN district AS d
    UNION ALL BY NAME
    SELECT u.* EXCLUDE (ord), d.district_count, d.district_denominator, u.ord
    FROM unplaced_rows AS u CROSS JOIN district AS d
)
SELECT * EXCLUDE (ord) FROM final
ORDER BY ord, area_name
