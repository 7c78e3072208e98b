-- Residents, contacts and reports per community for the filtered period, with the
-- all-resident comparator. Shares are computed among records whose community field was
-- filled in: a record that does not say cannot count for or against a community.
-- Parameters: $start_date, $end_date, $area_codes, $channels, $directions, $crime_types,
--             $hate_strands
WITH contacts_f AS (
    SELECT *
    FROM filtered_contacts($start_date, $end_date, $area_codes, $channels, $directions)
),
reports_f AS (
    SELECT *
    FROM filtered_reports($start_date, $end_date, $area_codes, $crime_types, $hate_strands)
),
contact_totals AS (
    SELECT count(*) AS all_contacts,
           count(*) FILTER (WHERE community_recorded) AS contacts_recorded
    FROM contacts_f
),
report_totals AS (
    SELECT count(*) AS all_reports,
           count(*) FILTER (WHERE victim_community_recorded) AS reports_recorded
    FROM reports_f
),
contact_counts AS (
    SELECT CAST(u.community AS VARCHAR) AS community, count(*) AS contacts
    FROM contacts_f, unnest(contacts_f.communities) AS u(community)
    GROUP BY ALL
),
report_counts AS (
    SELECT CAST(u.community AS VARCHAR) AS community, count(*) AS reports
    FROM reports_f, unnest(reports_f.victim_communities) AS u(community)
    GROUP BY ALL
),
baselines AS (
    SELECT CAST(m.community AS VARCHAR) AS community, m.measure, m.label AS measure_label,
           m.universe, p.count AS residents, p.denominator AS population_base
    FROM measures AS m
    JOIN population AS p ON p.measure = m.measure
    JOIN areas AS a ON a.area_code = p.area_code AND a.area_level = 'district'
    WHERE m.is_primary
),
final AS (
    SELECT
        b.community,
        b.measure,
        b.measure_label,
        b.universe,
        b.residents,
        b.population_base,
        CASE WHEN b.community = $comparator THEN ct.contacts_recorded
             ELSE coalesce(cc.contacts, 0) END AS contacts,
        ct.contacts_recorded,
        ct.all_contacts,
        CASE WHEN b.community = $comparator THEN rt.reports_recorded
             ELSE coalesce(rc.reports, 0) END AS reports,
        rt.reports_recorded,
        rt.all_reports
    FROM baselines AS b
    CROSS JOIN contact_totals AS ct
    CROSS JOIN report_totals AS rt
    LEFT JOIN contact_counts AS cc ON cc.community = b.community
    LEFT JOIN report_counts AS rc ON rc.community = b.community
)
SELECT * FROM final
ORDER BY CASE community WHEN $comparator THEN 1 ELSE 0 END, community
