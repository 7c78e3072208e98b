-- Every broken rule of a checked data.police.uk file (queries/staging/check_police_uk.sql): one row
-- per cell and rule, with the rule's code (hidden_communities/staged_checks.py words it as
-- validation.py does). A coded cell's rules are read off its text in stage_values, so a
-- rule is tested once per distinct text. `seq` orders a cell's problems as validation
-- finds them: each column's own rules in the columns' order, then the outcome
-- category. The LSOA code is not a rule: a row outside the district is counted, not
-- refused. A published file's free text is not loaded, so it is not searched for personal
-- data.
-- Parameters: $today, $earliest, $max_crime_id, $max_reported_by, $max_falls_within
WITH rules AS (
    SELECT pos, 'Crime ID' AS column_name, crime_id AS value, 'too_long' AS rule, 1011 AS seq
    FROM checked WHERE length(crime_id) > $max_crime_id
    UNION ALL
    SELECT c.pos, 'Month', v.t, 'required', 1020
    FROM checked AS c JOIN stage_values AS v ON v.id = c.month_id
    WHERE v.t = ''
    UNION ALL
    SELECT c.pos, 'Month', v.t, 'month', 1021
    FROM checked AS c JOIN stage_values AS v ON v.id = c.month_id
    WHERE v.t <> '' AND v.day IS NULL
    UNION ALL
    SELECT c.pos, 'Month', v.t, 'future', 1022
    FROM checked AS c JOIN stage_values AS v ON v.id = c.month_id
    WHERE v.day > $today
    UNION ALL
    SELECT c.pos, 'Month', v.t, 'too_early', 1023
    FROM checked AS c JOIN stage_values AS v ON v.id = c.month_id
    WHERE v.day < $earliest
    UNION ALL
    SELECT pos, 'Reported by', reported_by, 'too_long', 1031
    FROM checked WHERE length(reported_by) > $max_reported_by
    UNION ALL
    SELECT pos, 'Falls within', falls_within, 'too_long', 1041
    FROM checked WHERE length(falls_within) > $max_falls_within
    UNION ALL
    SELECT c.pos, 'Crime type', v.t, 'required', 1100
    FROM checked AS c JOIN stage_values AS v ON v.id = c.crime_type_id
    WHERE v.t = ''
    UNION ALL
    SELECT c.pos, 'Crime type', v.t, 'allowed', 1101
    FROM checked AS c JOIN stage_values AS v ON v.id = c.crime_type_id
    WHERE v.t <> '' AND v.code IS NULL
    UNION ALL
    SELECT c.pos, 'Last outcome category', v.t, 'outcome', 3000
    FROM checked AS c JOIN stage_values AS v ON v.id = c.last_outcome_category_id
    WHERE v.code IS NULL
),
final AS (
    SELECT pos, column_name, value, rule, seq FROM rules
)
SELECT * FROM final
