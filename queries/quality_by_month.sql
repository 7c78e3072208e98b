-- Recording completeness per month: how many contacts and records-system reports have
-- their community, area and date of occurrence filled in. Only the period applies: the
-- other filters would hide exactly the records that lack a field.
-- Parameters: $start_date, $end_date, $group_by ('month' or 'team')
-- Counts: records, community_recorded, area_recorded, date_recorded
-- Grouped first by the month as a date (or the team) and written as 'YYYY-MM' after:
-- formatting every record's date before grouping cost three times the scan.
WITH contact_groups_q AS (
    -- A record with no team is grouped under NULL: the page names that group in its language.
    -- Each table is counted on its own and the two small results joined after.
    SELECT 'contacts' AS dataset,
           CASE WHEN $group_by = 'team' THEN team END AS team,
           CASE WHEN $group_by = 'month' THEN date_trunc('month', contact_date) END AS month,
           count(*) AS records,
           count(*) FILTER (WHERE community_recorded) AS community_recorded,
           count(area_code) AS area_recorded,
           count(*) AS date_recorded
    FROM contacts
    WHERE contact_date BETWEEN $start_date AND $end_date
    GROUP BY ALL
),
report_groups_q AS (
    SELECT 'reports' AS dataset,
           CASE WHEN $group_by = 'team' THEN team END AS team,
           CASE WHEN $group_by = 'month' THEN date_trunc('month', reported_on) END AS month,
           count(*) AS records,
           count(*) FILTER (WHERE victim_community_recorded) AS community_recorded,
           count(area_code) AS area_recorded,
           count(occurred_on) AS date_recorded
    FROM reports
    WHERE source = 'records_system' AND reported_on BETWEEN $start_date AND $end_date
    GROUP BY ALL
),
grouped AS (
    SELECT * FROM contact_groups_q UNION ALL SELECT * FROM report_groups_q
),
final AS (
    SELECT dataset,
           CASE WHEN $group_by = 'team' THEN team ELSE strftime(month, '%Y-%m') END AS grouping,
           records, community_recorded, area_recorded, date_recorded
    FROM grouped
)
SELECT * FROM final
ORDER BY dataset, grouping
