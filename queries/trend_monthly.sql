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
-- Parameters: $start_date, $end_date, $area_codes, $channels, $directions, $crime_types,
--             $hate_strands
-- Counts: contacts, contacts_recorded, all_contacts, reports, reports_recorded, all_reports
-- Not counts: days, month_days, residents
WITH contacts_f AS (
    SELECT *
    FROM filtered_contacts($start_date, $end_date, $area_codes, $channels, $directions)
),
reports_f AS (
    SELECT *
    FROM filtered_reports($start_date, $end_date, $area_codes, $crime_types, $hate_strands)
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
contact_rows AS (
    SELECT date_trunc('month', contact_date) AS month, community_recorded AS recorded,
           CAST(communities AS VARCHAR[]) AS members
    FROM contacts_f
),
report_rows AS (
    SELECT date_trunc('month', reported_on) AS month, victim_community_recorded AS recorded,
           CAST(victim_communities AS VARCHAR[]) AS members
    FROM reports_f
),
contact_counts AS (
    SELECT CAST(mo.month AS DATE) AS month, b.community,
           count(c.month) FILTER (WHERE (b.community = $comparator AND c.recorded)
                                  OR list_contains(c.members, b.community)) AS contacts,
           count(c.month) FILTER (WHERE c.recorded) AS contacts_recorded,
           count(c.month) AS all_contacts
    FROM months AS mo
    CROSS JOIN baselines AS b
    LEFT JOIN contact_rows AS c ON c.month = mo.month
    GROUP BY ALL
),
report_counts AS (
    SELECT CAST(mo.month AS DATE) AS month, b.community,
           count(r.month) FILTER (WHERE (b.community = $comparator AND r.recorded)
                                  OR list_contains(r.members, b.community)) AS reports,
           count(r.month) FILTER (WHERE r.recorded) AS reports_recorded,
           count(r.month) AS all_reports
    FROM months AS mo
    CROSS JOIN baselines AS b
    LEFT JOIN report_rows AS r ON r.month = mo.month
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
