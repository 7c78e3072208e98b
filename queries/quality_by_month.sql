-- Recording completeness per month: how many contacts and records-system reports have
-- their community, area and date of occurrence filled in. Only the period applies: the
-- other filters would hide exactly the records that lack a field.
-- Parameters: $start_date, $end_date, $group_by ('month' or 'team')
-- Counts: records, community_recorded, area_recorded, date_recorded
-- Grouped first by the month as a date (or the team) and written as 'YYYY-MM' after:
-- formatting every record's date before grouping cost three times the scan.
WITH contact_rows AS (
    -- A record with no team is grouped under NULL: the page names that group in its language.
    SELECT 'contacts' AS dataset,
           CASE WHEN $group_by = 'team' THEN team END AS team,
           CASE WHEN $group_by = 'month' THEN date_trunc('month', contact_date) END AS month,
           community_recorded AS has_community,
           area_code IS NOT NULL AS has_area,
           true AS has_date
    FROM contacts
    WHERE contact_date BETWEEN $start_date AND $end_date
),
report_rows AS (
    SELECT 'reports' AS dataset,
           CASE WHEN $group_by = 'team' THEN team END AS team,
           CASE WHEN $group_by = 'month' THEN date_trunc('month', reported_on) END AS month,
           victim_community_recorded AS has_community,
           area_code IS NOT NULL AS has_area,
           occurred_on IS NOT NULL AS has_date
    FROM reports
    WHERE source = 'records_system' AND reported_on BETWEEN $start_date AND $end_date
),
grouped AS (
    SELECT dataset, team, month,
           count(*) AS records,
           count(*) FILTER (WHERE has_community) AS community_recorded,
           count(*) FILTER (WHERE has_area) AS area_recorded,
           count(*) FILTER (WHERE has_date) AS date_recorded
    FROM (SELECT * FROM contact_rows UNION ALL SELECT * FROM report_rows)
    GROUP BY ALL
),
final AS (
    SELECT dataset,
           CASE WHEN $group_by = 'team' THEN team ELSE strftime(month, '%Y-%m') END AS grouping,
           records, community_recorded, area_recorded, date_recorded
    FROM grouped
)
SELECT * FROM final
ORDER BY dataset, grouping
