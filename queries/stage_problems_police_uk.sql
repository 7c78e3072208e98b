-- Every broken rule of a checked data.police.uk file (queries/stage_check_police_uk.sql):
-- one row per cell and rule, with the rule's code (hidden_communities/staged_checks.py
-- words it as validation.py does). `seq` orders a cell's problems as validation finds
-- them: each column's own rules in the columns' order, then the outcome category. The
-- LSOA code is not a rule: a row outside the district is counted, not refused. A published
-- file's free text is not loaded, so it is not searched for personal data.
-- Parameters: $today, $earliest, $max_crime_id, $max_reported_by, $max_falls_within
WITH rules AS (
    SELECT pos, 'Crime ID' AS column_name, crime_id AS value, 'too_long' AS rule, 1011 AS seq
    FROM checked WHERE length(crime_id) > $max_crime_id
    UNION ALL
    SELECT pos, 'Month', month, 'required', 1020
    FROM checked WHERE month = ''
    UNION ALL
    SELECT pos, 'Month', month, 'month', 1021
    FROM checked WHERE month <> '' AND month_day IS NULL
    UNION ALL
    SELECT pos, 'Month', month, 'future', 1022
    FROM checked WHERE month_day > $today
    UNION ALL
    SELECT pos, 'Month', month, 'too_early', 1023
    FROM checked WHERE month_day < $earliest
    UNION ALL
    SELECT pos, 'Reported by', reported_by, 'too_long', 1031
    FROM checked WHERE length(reported_by) > $max_reported_by
    UNION ALL
    SELECT pos, 'Falls within', falls_within, 'too_long', 1041
    FROM checked WHERE length(falls_within) > $max_falls_within
    UNION ALL
    SELECT pos, 'Crime type', crime_type, 'required', 1100
    FROM checked WHERE crime_type = ''
    UNION ALL
    SELECT pos, 'Crime type', crime_type, 'allowed', 1101
    FROM checked WHERE crime_type <> '' AND crime_type_code IS NULL
    UNION ALL
    SELECT pos, 'Last outcome category', last_outcome_category, 'outcome', 3000
    FROM checked WHERE outcome_code IS NULL
),
final AS (
    SELECT pos, column_name, value, rule, seq FROM rules
)
SELECT * FROM final
