-- Every broken rule of a checked crime-reports file (queries/stage_check_reports.sql):
-- one row per cell and rule, with the rule's code (hidden_communities/staged_checks.py
-- words it as validation.py does). `seq` orders a cell's problems as validation finds
-- them: each column's own rules in the columns' order, then personal data (found in
-- Python on the few texts that could hold it, `personal_hits`), then an offence that
-- happened after it was reported.
-- Parameters: $today, $earliest, $max_reference, $max_team
WITH rules AS (
    SELECT pos, 'reference' AS column_name, reference AS value, 'too_long' AS rule, 1011 AS seq
    FROM checked WHERE length(reference) > $max_reference
    UNION ALL
    SELECT pos, 'reported_on', reported_on, 'required', 1020
    FROM checked WHERE reported_on = ''
    UNION ALL
    SELECT pos, 'reported_on', reported_on, 'date', 1021
    FROM checked WHERE reported_on <> '' AND reported_day IS NULL
    UNION ALL
    SELECT pos, 'reported_on', reported_on, 'future', 1022
    FROM checked WHERE reported_day > $today
    UNION ALL
    SELECT pos, 'reported_on', reported_on, 'too_early', 1023
    FROM checked WHERE reported_day < $earliest
    UNION ALL
    SELECT pos, 'occurred_on', occurred_on, 'date', 1031
    FROM checked WHERE occurred_on <> '' AND occurred_day IS NULL
    UNION ALL
    SELECT pos, 'occurred_on', occurred_on, 'future', 1032
    FROM checked WHERE occurred_day > $today
    UNION ALL
    SELECT pos, 'occurred_on', occurred_on, 'too_early', 1033
    FROM checked WHERE occurred_day < $earliest
    UNION ALL
    SELECT pos, 'area', area, 'area', 1041
    FROM checked WHERE area <> '' AND area_code IS NULL
    UNION ALL
    SELECT pos, 'team', team, 'too_long', 1051
    FROM checked WHERE length(team) > $max_team
    UNION ALL
    SELECT pos, 'crime_type', crime_type, 'required', 1060
    FROM checked WHERE crime_type = ''
    UNION ALL
    SELECT pos, 'crime_type', crime_type, 'allowed', 1061
    FROM checked WHERE crime_type <> '' AND crime_type_code IS NULL
    UNION ALL
    SELECT pos, 'hate_strands', hate_strands, 'allowed', 1071
    FROM checked WHERE hate_strands_unknown
    UNION ALL
    SELECT pos, 'victim_communities', victim_communities, 'mixed', 1081
    FROM checked WHERE victim_communities_mixed
    UNION ALL
    SELECT pos, 'victim_communities', victim_communities, 'allowed', 1082
    FROM checked WHERE victim_communities_unknown
    UNION ALL
    SELECT pos, 'outcome', outcome, 'required', 1090
    FROM checked WHERE outcome = ''
    UNION ALL
    SELECT pos, 'outcome', outcome, 'allowed', 1091
    FROM checked WHERE outcome <> '' AND outcome_code IS NULL
    UNION ALL
    SELECT pos, 'age_band', age_band, 'allowed', 1101
    FROM checked WHERE age_band <> '' AND age_band_code IS NULL
    UNION ALL
    SELECT c.pos, h.column_name, h.value, h.rule, h.seq
    FROM checked AS c
    JOIN personal_hits AS h ON h.column_name = 'reference' AND h.value = c.reference
    UNION ALL
    SELECT c.pos, h.column_name, h.value, h.rule, h.seq
    FROM checked AS c JOIN personal_hits AS h ON h.column_name = 'team' AND h.value = c.team
    UNION ALL
    SELECT pos, 'occurred_on', occurred_on, 'occurred_after', 3000
    FROM checked WHERE occurred_day > reported_day
),
final AS (
    SELECT pos, column_name, value, rule, seq FROM rules
)
SELECT * FROM final
