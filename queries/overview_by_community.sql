-- Residents, contacts and reports per community for the filtered period, with the
-- all-resident comparator. Shares are computed among records whose community field was
-- filled in: a record that does not say cannot count for or against a community.
--
-- The base of a community's shares matches its census universe: a community counted among
-- residents aged 16+ ($adult_communities, from the registry) is compared with adults' records only; the
-- records whose age is not recorded give the sensitivity `*_if_adult` (as if they were all
-- adults). `*_unrecorded` counts the records in the base whose community field was not
-- filled in (the Manski band: none of them in the community, or all of them).
-- The records come grouped (contact_groups / report_groups, macros.sql: the rollups for
-- whole months) and are summed once by recording, age band and communities before the
-- totals and the spread over communities: sum(n) counts what count(*) counted.
-- Parameters: $start_date, $end_date, $area_codes, $channels, $directions, $crime_types,
--             $hate_strands
-- Counts: contacts, contacts_recorded, contacts_unrecorded, all_contacts,
--     contacts_if_adult, contacts_recorded_if_adult, reports, reports_recorded,
--     reports_unrecorded, all_reports, reports_if_adult, reports_recorded_if_adult
-- Not counts: residents, population_base
WITH contact_cells AS (
    SELECT community_recorded AS recorded, CAST(age_band AS VARCHAR) AS age, communities,
           sum(n) AS n
    FROM contact_groups($start_date, $end_date, $area_codes, $channels, $directions)
    GROUP BY ALL
),
report_cells AS (
    SELECT victim_community_recorded AS recorded, CAST(age_band AS VARCHAR) AS age,
           victim_communities AS communities, sum(n) AS n
    FROM report_groups($start_date, $end_date, $area_codes, $crime_types, $hate_strands)
    GROUP BY ALL
),
-- A sum over no groups is NULL where a count of no rows was 0, hence the coalesce; the
-- casts keep count's BIGINT (a sum of BIGINT is HUGEINT).
contact_totals AS (
    SELECT CAST(coalesce(sum(n), 0) AS BIGINT) AS all_contacts,
           CAST(coalesce(sum(n) FILTER (WHERE recorded), 0) AS BIGINT) AS contacts_recorded,
           CAST(coalesce(sum(n) FILTER (WHERE NOT recorded), 0) AS BIGINT)
               AS contacts_unrecorded,
           CAST(coalesce(sum(n) FILTER (WHERE recorded AND age = 'adult'), 0) AS BIGINT)
               AS adult_recorded,
           CAST(coalesce(sum(n) FILTER (WHERE NOT recorded AND age = 'adult'), 0) AS BIGINT)
               AS adult_unrecorded,
           CAST(coalesce(sum(n) FILTER (WHERE recorded AND age = 'not_recorded'), 0)
                AS BIGINT) AS ageless_recorded
    FROM contact_cells
),
report_totals AS (
    SELECT CAST(coalesce(sum(n), 0) AS BIGINT) AS all_reports,
           CAST(coalesce(sum(n) FILTER (WHERE recorded), 0) AS BIGINT) AS reports_recorded,
           CAST(coalesce(sum(n) FILTER (WHERE NOT recorded), 0) AS BIGINT)
               AS reports_unrecorded,
           CAST(coalesce(sum(n) FILTER (WHERE recorded AND age = 'adult'), 0) AS BIGINT)
               AS adult_recorded,
           CAST(coalesce(sum(n) FILTER (WHERE NOT recorded AND age = 'adult'), 0) AS BIGINT)
               AS adult_unrecorded,
           CAST(coalesce(sum(n) FILTER (WHERE recorded AND age = 'not_recorded'), 0)
                AS BIGINT) AS ageless_recorded
    FROM report_cells
),
contact_counts AS (
    SELECT CAST(u.community AS VARCHAR) AS community, CAST(sum(n) AS BIGINT) AS contacts,
           CAST(coalesce(sum(n) FILTER (WHERE age = 'adult'), 0) AS BIGINT) AS adult,
           CAST(coalesce(sum(n) FILTER (WHERE age = 'not_recorded'), 0) AS BIGINT) AS ageless
    FROM contact_cells, unnest(contact_cells.communities) AS u(community)
    GROUP BY ALL
),
report_counts AS (
    SELECT CAST(u.community AS VARCHAR) AS community, CAST(sum(n) AS BIGINT) AS reports,
           CAST(coalesce(sum(n) FILTER (WHERE age = 'adult'), 0) AS BIGINT) AS adult,
           CAST(coalesce(sum(n) FILTER (WHERE age = 'not_recorded'), 0) AS BIGINT) AS ageless
    FROM report_cells, unnest(report_cells.communities) AS u(community)
    GROUP BY ALL
),
baselines AS (
    SELECT CAST(m.community AS VARCHAR) AS community, m.measure, m.label AS measure_label,
           m.universe, p.count AS residents, p.denominator AS population_base,
           list_contains($adult_communities, CAST(m.community AS VARCHAR)) AS adults_only
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
        CASE WHEN b.adults_only THEN 'adults' ELSE 'all_ages' END AS record_base,
        CASE WHEN b.community = $comparator THEN ct.contacts_recorded
             WHEN b.adults_only THEN coalesce(cc.adult, 0)
             ELSE coalesce(cc.contacts, 0) END AS contacts,
        CASE WHEN b.adults_only THEN ct.adult_recorded
             ELSE ct.contacts_recorded END AS contacts_recorded,
        CASE WHEN b.adults_only THEN ct.adult_unrecorded
             ELSE ct.contacts_unrecorded END AS contacts_unrecorded,
        ct.all_contacts,
        CASE WHEN b.adults_only THEN coalesce(cc.adult, 0) + coalesce(cc.ageless, 0) END
            AS contacts_if_adult,
        CASE WHEN b.adults_only THEN ct.adult_recorded + ct.ageless_recorded END
            AS contacts_recorded_if_adult,
        CASE WHEN b.community = $comparator THEN rt.reports_recorded
             WHEN b.adults_only THEN coalesce(rc.adult, 0)
             ELSE coalesce(rc.reports, 0) END AS reports,
        CASE WHEN b.adults_only THEN rt.adult_recorded
             ELSE rt.reports_recorded END AS reports_recorded,
        CASE WHEN b.adults_only THEN rt.adult_unrecorded
             ELSE rt.reports_unrecorded END AS reports_unrecorded,
        rt.all_reports,
        CASE WHEN b.adults_only THEN coalesce(rc.adult, 0) + coalesce(rc.ageless, 0) END
            AS reports_if_adult,
        CASE WHEN b.adults_only THEN rt.adult_recorded + rt.ageless_recorded END
            AS reports_recorded_if_adult
    FROM baselines AS b
    CROSS JOIN contact_totals AS ct
    CROSS JOIN report_totals AS rt
    LEFT JOIN contact_counts AS cc ON cc.community = b.community
    LEFT JOIN report_counts AS rc ON rc.community = b.community
)
SELECT * FROM final
ORDER BY CASE community WHEN $comparator THEN 1 ELSE 0 END, community
