-- Contacts and crime reports per calendar month and community, for the filtered period,
-- with the all-resident comparator and the residents each per-1,000 rate divides by.
-- The comparator counts the records that say who was involved (the community field filled
-- in), as the overview does; all_contacts / all_reports count every record, including
-- those that do not say.
-- Every month of the period is listed, so a month with no records shows as zero.
-- days: how many days of the month the period covers (the first and last months may be
-- partial). residents: the community's primary census count for the whole district; with
-- an area filter only all residents have a count (the listed wards' or LSOAs' usual
-- residents), since the census publishes the three communities for the district only.
-- The records come grouped (contact_groups / report_groups, macros.sql: the rollups for
-- whole months), are summed once per month and kind of record, and only then spread over
-- the communities: sum(n) counts what count(*) counted row by row.
-- Parameters: $start_date, $end_date, $area_codes, $channels, $directions, $crime_types,
--             $hate_strands
-- Counts: contacts, contacts_recorded, all_contacts, reports, reports_recorded, all_reports
-- Not counts: days, month_days, residents
WITH contact_cells AS (
    SELECT month, community_recorded AS recorded,
           CAST(communities AS VARCHAR[]) AS members, sum(n) AS n
    FROM contact_groups($start_date, $end_date, $area_codes, $channels, $directions)
    GROUP BY ALL
),
report_cells AS (
    SELECT month, victim_community_recorded AS recorded,
           CAST(victim_communities AS VARCHAR[]) AS members, sum(n) AS n
    FROM report_groups($start_date, $end_date, $area_codes, $crime_types, $hate_strands)
    GROUP BY ALL
),
months AS (
    SELECT CAST(m AS DATE) AS month
    FROM generate_series(date_trunc('month', CAST($start_date AS DATE)),
                         date_trunc('month', CAST($end_date AS DATE)),
                         INTERVAL 1 MONTH) AS g(m)
),
baselines AS (
    SELECT CAST(m.community AS VARCHAR) AS community, p.count AS district_residents,
           m.universe
    FROM measures AS m
    JOIN population AS p ON p.measure = m.measure
    JOIN areas AS a ON a.area_code = p.area_code AND a.area_level = 'district'
    WHERE m.is_primary
),
filtered_residents AS (
    SELECT sum(count) AS residents
    FROM population
    WHERE measure = 'usual_residents'
      AND list_contains(CAST($area_codes AS VARCHAR[]), area_code)
),
contact_counts AS (
    SELECT mo.month, b.community,
           CAST(coalesce(sum(c.n) FILTER (WHERE (b.community = $comparator AND c.recorded)
                                          OR list_contains(c.members, b.community)), 0)
                AS BIGINT) AS contacts,
           CAST(coalesce(sum(c.n) FILTER (WHERE c.recorded), 0) AS BIGINT) AS contacts_recorded,
           CAST(coalesce(sum(c.n), 0) AS BIGINT) AS all_contacts
    FROM months AS mo
    CROSS JOIN baselines AS b
    LEFT JOIN contact_cells AS c ON c.month = mo.month
    GROUP BY ALL
),
report_counts AS (
    SELECT mo.month, b.community,
           CAST(coalesce(sum(r.n) FILTER (WHERE (b.community = $comparator AND r.recorded)
                                          OR list_contains(r.members, b.community)), 0)
                AS BIGINT) AS reports,
           CAST(coalesce(sum(r.n) FILTER (WHERE r.recorded), 0) AS BIGINT) AS reports_recorded,
           CAST(coalesce(sum(r.n), 0) AS BIGINT) AS all_reports
    FROM months AS mo
    CROSS JOIN baselines AS b
    LEFT JOIN report_cells AS r ON r.month = mo.month
    GROUP BY ALL
),
final AS (
    SELECT
        cc.month,
        cc.community,
        CAST(least(last_day(cc.month), CAST($end_date AS DATE))
             - greatest(cc.month, CAST($start_date AS DATE)) + 1 AS INTEGER) AS days,
        CAST(day(last_day(cc.month)) AS INTEGER) AS month_days,
        cc.contacts, cc.contacts_recorded, cc.all_contacts,
        rc.reports, rc.reports_recorded, rc.all_reports,
        CASE WHEN len(CAST($area_codes AS VARCHAR[])) = 0 THEN b.district_residents
             WHEN b.community = $comparator THEN (SELECT residents FROM filtered_residents)
        END AS residents,
        b.universe
    FROM contact_counts AS cc
    JOIN report_counts AS rc USING (month, community)
    JOIN baselines AS b USING (community)
)
SELECT * FROM final
ORDER BY month, CASE community WHEN $comparator THEN 1 ELSE 0 END, community
