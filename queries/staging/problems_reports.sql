-- Every broken rule of a checked crime-reports file (queries/staging/check_reports.sql): one row
-- per cell and rule, with the rule's code (hidden_communities/staged_checks.py words it as
-- validation.py does). A coded cell's rules are read off its text in stage_values, so a
-- rule is tested once per distinct text. `seq` orders a cell's problems as validation
-- finds them: each column's own rules in the columns' order,
-- then personal data (found in Python on the few texts that could hold it,
-- `personal_hits`), then an offence that happened after it was reported.
-- Parameters: $today, $earliest, $max_reference, $max_team
WITH rules AS (
    SELECT pos, 'reference' AS column_name, reference AS value, 'too_long' AS rule, 1011 AS seq
    FROM checked WHERE length(reference) > $max_reference
    UNION ALL
    SELECT c.pos, 'reported_on', v.t, 'required', 1020
    FROM checked AS c JOIN stage_values AS v ON v.id = c.reported_on_id
    WHERE v.t = ''
    UNION ALL
    SELECT c.pos, 'reported_on', v.t, 'date', 1021
    FROM checked AS c JOIN stage_values AS v ON v.id = c.reported_on_id
    WHERE v.t <> '' AND v.day IS NULL
    UNION ALL
    SELECT c.pos, 'reported_on', v.t, 'future', 1022
    FROM checked AS c JOIN stage_values AS v ON v.id = c.reported_on_id
    WHERE v.day > $today
    UNION ALL
    SELECT c.pos, 'reported_on', v.t, 'too_early', 1023
    FROM checked AS c JOIN stage_values AS v ON v.id = c.reported_on_id
    WHERE v.day < $earliest
    UNION ALL
    SELECT c.pos, 'occurred_on', v.t, 'date', 1031
    FROM checked AS c JOIN stage_values AS v ON v.id = c.occurred_on_id
    WHERE v.t <> '' AND v.day IS NULL
    UNION ALL
    SELECT c.pos, 'occurred_on', v.t, 'future', 1032
    FROM checked AS c JOIN stage_values AS v ON v.id = c.occurred_on_id
    WHERE v.day > $today
    UNION ALL
    SELECT c.pos, 'occurred_on', v.t, 'too_early', 1033
    FROM checked AS c JOIN stage_values AS v ON v.id = c.occurred_on_id
    WHERE v.day < $earliest
    UNION ALL
    SELECT c.pos, 'area', v.t, 'area', 1041
    FROM checked AS c JOIN stage_values AS v ON v.id = c.area_id
    WHERE v.t <> '' AND v.code IS NULL
    UNION ALL
    SELECT pos, 'team', team, 'too_long', 1051
    FROM checked WHERE length(team) > $max_team
    UNION ALL
    SELECT c.pos, 'crime_type', v.t, 'required', 1060
    FROM checked AS c JOIN stage_values AS v ON v.id = c.crime_type_id
    WHERE v.t = ''
    UNION ALL
    SELECT c.pos, 'crime_type', v.t, 'allowed', 1061
    FROM checked AS c JOIN stage_values AS v ON v.id = c.crime_type_id
    WHERE v.t <> '' AND v.code IS NULL
    UNION ALL
    SELECT c.pos, 'hate_strands', v.t, 'allowed', 1071
    FROM checked AS c JOIN stage_values AS v ON v.id = c.hate_strands_id
    WHERE v.unknown
    UNION ALL
    SELECT c.pos, 'victim_communities', v.t, 'mixed', 1081
    FROM checked AS c JOIN stage_values AS v ON v.id = c.victim_communities_id
    WHERE v.mixed
    UNION ALL
    SELECT c.pos, 'victim_communities', v.t, 'allowed', 1082
    FROM checked AS c JOIN stage_values AS v ON v.id = c.victim_communities_id
    WHERE v.unknown
    UNION ALL
    SELECT c.pos, 'outcome', v.t, 'required', 1090
    FROM checked AS c JOIN stage_values AS v ON v.id = c.outcome_id
    WHERE v.t = ''
    UNION ALL
    SELECT c.pos, 'outcome', v.t, 'allowed', 1091
    FROM checked AS c JOIN stage_values AS v ON v.id = c.outcome_id
    WHERE v.t <> '' AND v.code IS NULL
    UNION ALL
    SELECT c.pos, 'age_band', v.t, 'allowed', 1101
    FROM checked AS c JOIN stage_values AS v ON v.id = c.age_band_id
    WHERE v.t <> '' AND v.code IS NULL
    UNION ALL
    SELECT c.pos, h.column_name, h.value, h.rule, h.seq
    FROM checked AS c
    JOIN personal_hits AS h ON h.column_name = 'reference' AND h.value = c.reference
    UNION ALL
    SELECT c.pos, h.column_name, h.value, h.rule, h.seq
    FROM checked AS c
    JOIN personal_hits AS h ON h.column_name = 'team' AND h.value = c.team
    UNION ALL
    SELECT c.pos, 'occurred_on', v.t, 'occurred_after', 3000
    FROM checked AS c JOIN stage_values AS v ON v.id = c.occurred_on_id
    WHERE c.occurred_day > c.reported_day
),
final AS (
    SELECT pos, column_name, value, rule, seq FROM rules
)
SELECT * FROM final
