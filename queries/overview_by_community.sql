-- Residents, contacts and reports per community for the filtered period, with the
-- all-resident comparator. Shares are computed among records whose community field was
-- filled in: a record that does not say cannot count for or against a community.
--
-- The base of a community's shares matches its census universe: a community counted among
-- residents aged 16+ ($adult_communities, from the registry) is compared with adults' records only; the
-- records whose age is not recorded give the sensitivity `*_if_adult` (as if they were all
-- adults). `*_unrecorded` counts the records in the base whose community field was not
-- filled in (the Manski band: none of them in the community, or all of them).
-- Parameters: $start_date, $end_date, $area_codes, $channels, $directions, $crime_types,
--             $hate_strands
-- Counts: contacts, contacts_recorded, contacts_unrecorded, all_contacts,
--     contacts_if_adult, contacts_recorded_if_adult, reports, reports_recorded,
--     reports_unrecorded, all_reports, reports_if_adult, reports_recorded_if_adult
-- Not counts: residents, population_base
WITH contacts_f AS (
    SELECT *, CAST(age_band AS VARCHAR) AS age
    FROM filtered_contacts($start_date, $end_date, $area_codes, $channels, $directions)
),
reports_f AS (
    SELECT *, CAST(age_band AS VARCHAR) AS age
    FROM filtered_reports($start_date, $end_date, $area_codes, $crime_types, $hate_strands)
),
contact_totals AS (
    SELECT count(*) AS all_contacts,
           count(*) FILTER (WHERE community_recorded) AS contacts_recorded,
           count(*) FILTER (WHERE NOT community_recorded) AS contacts_unrecorded,
           count(*) FILTER (WHERE community_recorded AND age = 'adult') AS adult_recorded,
           count(*) FILTER (WHERE NOT community_recorded AND age = 'adult') AS adult_unrecorded,
           count(*) FILTER (WHERE community_recorded AND age = 'not_recorded') AS ageless_recorded
    FROM contacts_f
),
report_totals AS (
    SELECT count(*) AS all_reports,
           count(*) FILTER (WHERE victim_community_recorded) AS reports_recorded,
           count(*) FILTER (WHERE NOT victim_community_recorded) AS reports_unrecorded,
           count(*) FILTER (WHERE victim_community_recorded AND age = 'adult') AS adult_recorded,
           count(*) FILTER (WHERE NOT victim_community_recorded AND age = 'adult')
               AS adult_unrecorded,
           count(*) FILTER (WHERE victim_community_recorded AND age = 'not_recorded')
               AS ageless_recorded
    FROM reports_f
),
contact_counts AS (
    SELECT CAST(u.community AS VARCHAR) AS community, count(*) AS contacts,
           count(*) FILTER (WHERE age = 'adult') AS adult,
           count(*) FILTER (WHERE age = 'not_recorded') AS ageless
    FROM contacts_f, unnest(contacts_f.communities) AS u(community)
    GROUP BY ALL
),
report_counts AS (
    SELECT CAST(u.community AS VARCHAR) AS community, count(*) AS reports,
           count(*) FILTER (WHERE age = 'adult') AS adult,
           count(*) FILTER (WHERE age = 'not_recorded') AS ageless
    FROM reports_f, unnest(reports_f.victim_communities) AS u(community)
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
