-- The counts behind every scorecard indicator for one period, for the whole district and
-- every record (targets are set for the district): one row per community (the registry's,
-- bound as $communities) and one for all residents ($comparator).
--
-- contacts / reports: records naming the community (for all residents: every record that
--   says who was involved, the base a community's share is taken of);
-- proactive: proactive contacts naming it (all residents: every proactive contact), of
--   proactive_base contacts (all residents: every contact);
-- records_recorded / all_records: contacts and reports saying whether a community was
--   involved, of all of them (recording completeness; the same on every row);
-- covered: whether the records span the period, month by month (a period before the first
--   record or after the last has no figures, not zeros).
-- Like for like, as on every page: a community the census counts among residents aged 16+
-- ($adult_communities) is counted in adults' records only, and its totals (contacts_recorded,
-- reports_recorded) are adults' records too; reports are victim-based crime only
-- ($victim_based_crime_types, Home Office Counting Rules). Completeness counts every record.
-- The records come grouped (contact_groups / report_groups, macros.sql: the rollups for
-- whole months) and are summed once by the fields counted here before the spread over
-- communities: sum(n) counts what count(*) counted.
-- Parameters: $start_date, $end_date
-- Counts: contacts, contacts_recorded, all_contacts, proactive, proactive_base, reports,
--     reports_recorded, all_reports, records_recorded, all_records
-- Not counts: residents, population_base, days
WITH contact_rows AS (
    SELECT community_recorded AS recorded, CAST(direction AS VARCHAR) = 'proactive' AS proactive,
           CAST(communities AS VARCHAR[]) AS members, CAST(age_band AS VARCHAR) = 'adult' AS adult,
           sum(n) AS n
    FROM contact_groups($start_date, $end_date, [], [], [])
    GROUP BY ALL
),
report_rows AS (
    SELECT victim_community_recorded AS recorded, CAST(victim_communities AS VARCHAR[]) AS members,
           CAST(age_band AS VARCHAR) = 'adult' AS adult, sum(n) AS n
    FROM report_groups($start_date, $end_date, [], $victim_based_crime_types, [])
    GROUP BY ALL
),
span AS (
    SELECT least((SELECT min(contact_date) FROM contacts),
                 (SELECT min(reported_on) FROM reports WHERE source = 'records_system'))
               AS first_day,
           greatest((SELECT max(contact_date) FROM contacts),
                    (SELECT max(reported_on) FROM reports WHERE source = 'records_system'))
               AS last_day
),
populations AS (
    SELECT community,
           list_contains(CAST($adult_communities AS VARCHAR[]), community) AS adults_only
    FROM (SELECT unnest(list_append(CAST($communities AS VARCHAR[]), $comparator)) AS community)
),
baselines AS (
    SELECT CAST(m.community AS VARCHAR) AS community, m.universe,
           p.count AS residents, p.denominator AS population_base
    FROM measures AS m
    JOIN population AS p ON p.measure = m.measure
    JOIN areas AS a ON a.area_code = p.area_code AND a.area_level = 'district'
    WHERE m.is_primary
),
-- A sum over no groups is NULL where a count of no rows was 0, hence the coalesce; the
-- casts keep count's BIGINT (a sum of BIGINT is HUGEINT).
contact_counts AS (
    SELECT p.community,
           CAST(coalesce(sum(c.n) FILTER (WHERE list_contains(c.members, p.community)
                                          OR (p.community = $comparator AND c.recorded)), 0)
                AS BIGINT) AS contacts,
           CAST(coalesce(sum(c.n) FILTER (WHERE c.proactive
                                          AND (list_contains(c.members, p.community)
                                               OR p.community = $comparator)), 0)
                AS BIGINT) AS proactive,
           CAST(coalesce(sum(c.n) FILTER (WHERE list_contains(c.members, p.community)
                                          OR p.community = $comparator), 0)
                AS BIGINT) AS proactive_base,
           CAST(coalesce(sum(c.n) FILTER (WHERE c.recorded), 0) AS BIGINT) AS base_recorded
    FROM populations AS p
    LEFT JOIN contact_rows AS c ON c.adult OR NOT p.adults_only
    GROUP BY p.community
),
report_counts AS (
    SELECT p.community,
           CAST(coalesce(sum(r.n) FILTER (WHERE list_contains(r.members, p.community)
                                          OR (p.community = $comparator AND r.recorded)), 0)
                AS BIGINT) AS reports,
           CAST(coalesce(sum(r.n) FILTER (WHERE r.recorded), 0) AS BIGINT) AS base_recorded
    FROM populations AS p
    LEFT JOIN report_rows AS r ON r.adult OR NOT p.adults_only
    GROUP BY p.community
),
totals AS (
    SELECT (SELECT CAST(coalesce(sum(n) FILTER (WHERE recorded), 0) AS BIGINT)
            FROM contact_rows) AS contacts_recorded,
           (SELECT CAST(coalesce(sum(n), 0) AS BIGINT) FROM contact_rows) AS all_contacts,
           (SELECT CAST(coalesce(sum(n) FILTER (WHERE recorded), 0) AS BIGINT)
            FROM report_rows) AS reports_recorded,
           (SELECT CAST(coalesce(sum(n), 0) AS BIGINT) FROM report_rows) AS all_reports
),
final AS (
    SELECT
        p.community,
        b.universe,
        b.residents,
        b.population_base,
        cc.contacts,
        cc.base_recorded AS contacts_recorded,
        t.all_contacts,
        cc.proactive,
        cc.proactive_base,
        rc.reports,
        rc.base_recorded AS reports_recorded,
        t.all_reports,
        t.contacts_recorded + t.reports_recorded AS records_recorded,
        t.all_contacts + t.all_reports AS all_records,
        CAST(CAST($end_date AS DATE) - CAST($start_date AS DATE) + 1 AS INTEGER) AS days,
        coalesce(date_trunc('month', s.first_day) <= CAST($start_date AS DATE)
                 AND last_day(s.last_day) >= CAST($end_date AS DATE), false) AS covered
    FROM populations AS p
    LEFT JOIN baselines AS b ON b.community = p.community
    JOIN contact_counts AS cc ON cc.community = p.community
    JOIN report_counts AS rc ON rc.community = p.community
    CROSS JOIN totals AS t
    CROSS JOIN span AS s
)
SELECT * FROM final
ORDER BY CASE community WHEN $comparator THEN 1 ELSE 0 END,
         list_position(CAST($communities AS VARCHAR[]), community)
