-- Every broken rule of a checked contacts file (queries/staging/check_contacts.sql): one row
-- per cell and rule, with the rule's code (hidden_communities/staged_checks.py words it as
-- validation.py does). A coded cell's rules are read off its text in stage_values, so a
-- rule is tested once per distinct text. `seq` orders a cell's problems as validation
-- finds them: each column's own rules in the columns' order,
-- then personal data (found in Python on the few texts that could hold it,
-- `personal_hits`).
-- Parameters: $today, $earliest, $bool_words, $max_team, $max_note
WITH rules AS (
    SELECT c.pos AS pos, 'contact_date' AS column_name, v.t AS value, 'required' AS rule, 1010 AS seq
    FROM checked AS c JOIN stage_values AS v ON v.id = c.contact_date_id
    WHERE v.t = ''
    UNION ALL
    SELECT c.pos, 'contact_date', v.t, 'date', 1011
    FROM checked AS c JOIN stage_values AS v ON v.id = c.contact_date_id
    WHERE v.t <> '' AND v.day IS NULL
    UNION ALL
    SELECT c.pos, 'contact_date', v.t, 'future', 1012
    FROM checked AS c JOIN stage_values AS v ON v.id = c.contact_date_id
    WHERE v.day > $today
    UNION ALL
    SELECT c.pos, 'contact_date', v.t, 'too_early', 1013
    FROM checked AS c JOIN stage_values AS v ON v.id = c.contact_date_id
    WHERE v.day < $earliest
    UNION ALL
    SELECT c.pos, 'area', v.t, 'area', 1021
    FROM checked AS c JOIN stage_values AS v ON v.id = c.area_id
    WHERE v.t <> '' AND v.code IS NULL
    UNION ALL
    SELECT pos, 'team', team, 'too_long', 1031
    FROM checked WHERE length(team) > $max_team
    UNION ALL
    SELECT c.pos, 'communities', v.t, 'mixed', 1041
    FROM checked AS c JOIN stage_values AS v ON v.id = c.communities_id
    WHERE v.mixed
    UNION ALL
    SELECT c.pos, 'communities', v.t, 'allowed', 1042
    FROM checked AS c JOIN stage_values AS v ON v.id = c.communities_id
    WHERE v.unknown
    UNION ALL
    SELECT c.pos, 'channel', v.t, 'required', 1050
    FROM checked AS c JOIN stage_values AS v ON v.id = c.channel_id
    WHERE v.t = ''
    UNION ALL
    SELECT c.pos, 'channel', v.t, 'allowed', 1051
    FROM checked AS c JOIN stage_values AS v ON v.id = c.channel_id
    WHERE v.t <> '' AND v.code IS NULL
    UNION ALL
    SELECT c.pos, 'direction', v.t, 'required', 1060
    FROM checked AS c JOIN stage_values AS v ON v.id = c.direction_id
    WHERE v.t = ''
    UNION ALL
    SELECT c.pos, 'direction', v.t, 'allowed', 1061
    FROM checked AS c JOIN stage_values AS v ON v.id = c.direction_id
    WHERE v.t <> '' AND v.code IS NULL
    UNION ALL
    SELECT c.pos, 'place_type', v.t, 'required', 1070
    FROM checked AS c JOIN stage_values AS v ON v.id = c.place_type_id
    WHERE v.t = ''
    UNION ALL
    SELECT c.pos, 'place_type', v.t, 'allowed', 1071
    FROM checked AS c JOIN stage_values AS v ON v.id = c.place_type_id
    WHERE v.t <> '' AND v.code IS NULL
    UNION ALL
    SELECT c.pos, 'people_reached', v.t, 'required', 1080
    FROM checked AS c JOIN stage_values AS v ON v.id = c.people_reached_id
    WHERE v.t = ''
    UNION ALL
    SELECT c.pos, 'people_reached', v.t, 'whole_number', 1081
    FROM checked AS c JOIN stage_values AS v ON v.id = c.people_reached_id
    WHERE v.t <> '' AND NOT stage_whole(v.number)
    UNION ALL
    SELECT c.pos, 'people_reached', v.t, 'people_range', 1082
    FROM checked AS c JOIN stage_values AS v ON v.id = c.people_reached_id
    WHERE v.t <> '' AND stage_whole(v.number) AND (v.number < 1 OR v.number > 5000)
    UNION ALL
    SELECT c.pos, 'language', v.t, 'required', 1090
    FROM checked AS c JOIN stage_values AS v ON v.id = c.language_id
    WHERE v.t = ''
    UNION ALL
    SELECT c.pos, 'language', v.t, 'allowed', 1091
    FROM checked AS c JOIN stage_values AS v ON v.id = c.language_id
    WHERE v.t <> '' AND v.code IS NULL
    UNION ALL
    SELECT c.pos, 'topics', v.t, 'allowed', 1101
    FROM checked AS c JOIN stage_values AS v ON v.id = c.topics_id
    WHERE v.unknown
    UNION ALL
    SELECT c.pos, 'follow_up_needed', v.t, 'required', 1110
    FROM checked AS c JOIN stage_values AS v ON v.id = c.follow_up_needed_id
    WHERE v.t = ''
    UNION ALL
    SELECT c.pos, 'follow_up_needed', v.t, 'yes_no', 1111
    FROM checked AS c JOIN stage_values AS v ON v.id = c.follow_up_needed_id
    WHERE v.t <> '' AND NOT list_contains($bool_words, v.word)
    UNION ALL
    SELECT pos, 'note', note, 'too_long', 1121
    FROM checked WHERE length(note) > $max_note
    UNION ALL
    SELECT c.pos, 'age_band', v.t, 'allowed', 1131
    FROM checked AS c JOIN stage_values AS v ON v.id = c.age_band_id
    WHERE v.t <> '' AND v.code IS NULL
    UNION ALL
    SELECT c.pos, h.column_name, h.value, h.rule, h.seq
    FROM checked AS c
    JOIN personal_hits AS h ON h.column_name = 'team' AND h.value = c.team
    UNION ALL
    SELECT c.pos, h.column_name, h.value, h.rule, h.seq
    FROM checked AS c
    JOIN personal_hits AS h ON h.column_name = 'note' AND h.value = c.note
),
final AS (
    SELECT pos, column_name, value, rule, seq FROM rules
)
SELECT * FROM final
