-- Recording completeness per month: how many contacts and records-system reports have
-- their community, area and date of occurrence filled in. Only the period applies: the
-- other filters would hide exactly the records that lack a field.
-- Parameters: $start_date, $end_date, $group_by ('month' or 'team')
-- Counts: records, community_recorded, area_recorded, date_recorded
WITH contact_rows AS (
    -- A record with no team is grouped under NULL: the page names that group in its language.
    SELECT 'contacts' AS dataset,
           CASE WHEN $group_by = 'team' THEN team
                ELSE strftime(contact_date, '%Y-%m') END AS grouping,
           community_recorded AS has_community,
           area_code IS NOT NULL AS has_area,
           true AS has_date
    FROM contacts
    WHERE contact_date BETWEEN $start_date AND $end_date
),
report_rows AS (
    SELECT 'reports' AS dataset,
           CASE WHEN $group_by = 'team' THEN team
                ELSE strftime(reported_on, '%Y-%m') END AS grouping,
           victim_community_recorded AS has_community,
           area_code IS NOT NULL AS has_area,
           occurred_on IS NOT NULL AS has_date
    FROM reports
    WHERE source = 'records_system' AND reported_on BETWEEN $start_date AND $end_date
),
final AS (
    SELECT dataset, grouping,
           count(*) AS records,
           count(*) FILTER (WHERE has_community) AS community_recorded,
           count(*) FILTER (WHERE has_area) AS area_recorded,
           count(*) FILTER (WHERE has_date) AS date_recorded
    FROM (SELECT * FROM contact_rows UNION ALL SELECT * FROM report_rows)
    GROUP BY ALL
)
SELECT * FROM final
ORDER BY dataset, grouping
