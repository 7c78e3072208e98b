-- Every broken rule of a checked contacts file (queries/stage_check_contacts.sql): one row
-- per cell and rule, with the rule's code (hidden_communities/staged_checks.py words it as
-- validation.py does). `seq` orders a cell's problems as validation finds them: each
-- column's own rules in the columns' order, then personal data (found in Python on the few
-- texts that could hold it, `personal_hits`).
-- Parameters: $today, $earliest, $bool_words, $max_team, $max_note
WITH rules AS (
    SELECT pos, 'contact_date' AS column_name, contact_date AS value, 'required' AS rule, 1010 AS seq
    FROM checked WHERE contact_date = ''
    UNION ALL
    SELECT pos, 'contact_date', contact_date, 'date', 1011
    FROM checked WHERE contact_date <> '' AND contact_day IS NULL
    UNION ALL
    SELECT pos, 'contact_date', contact_date, 'future', 1012
    FROM checked WHERE contact_day > $today
    UNION ALL
    SELECT pos, 'contact_date', contact_date, 'too_early', 1013
    FROM checked WHERE contact_day < $earliest
    UNION ALL
    SELECT pos, 'area', area, 'area', 1021
    FROM checked WHERE area <> '' AND area_code IS NULL
    UNION ALL
    SELECT pos, 'team', team, 'too_long', 1031
    FROM checked WHERE length(team) > $max_team
    UNION ALL
    SELECT pos, 'communities', communities, 'mixed', 1041
    FROM checked WHERE communities_mixed
    UNION ALL
    SELECT pos, 'communities', communities, 'allowed', 1042
    FROM checked WHERE communities_unknown
    UNION ALL
    SELECT pos, 'channel', channel, 'required', 1050
    FROM checked WHERE channel = ''
    UNION ALL
    SELECT pos, 'channel', channel, 'allowed', 1051
    FROM checked WHERE channel <> '' AND channel_code IS NULL
    UNION ALL
    SELECT pos, 'direction', direction, 'required', 1060
    FROM checked WHERE direction = ''
    UNION ALL
    SELECT pos, 'direction', direction, 'allowed', 1061
    FROM checked WHERE direction <> '' AND direction_code IS NULL
    UNION ALL
    SELECT pos, 'place_type', place_type, 'required', 1070
    FROM checked WHERE place_type = ''
    UNION ALL
    SELECT pos, 'place_type', place_type, 'allowed', 1071
    FROM checked WHERE place_type <> '' AND place_type_code IS NULL
    UNION ALL
    SELECT pos, 'people_reached', people_reached, 'required', 1080
    FROM checked WHERE people_reached = ''
    UNION ALL
    SELECT pos, 'people_reached', people_reached, 'whole_number', 1081
    FROM checked WHERE people_reached <> '' AND NOT stage_whole(people_number)
    UNION ALL
    SELECT pos, 'people_reached', people_reached, 'people_range', 1082
    FROM checked
    WHERE people_reached <> '' AND stage_whole(people_number)
      AND (people_number < 1 OR people_number > 5000)
    UNION ALL
    SELECT pos, 'language', language, 'required', 1090
    FROM checked WHERE language = ''
    UNION ALL
    SELECT pos, 'language', language, 'allowed', 1091
    FROM checked WHERE language <> '' AND language_code IS NULL
    UNION ALL
    SELECT pos, 'topics', topics, 'allowed', 1101
    FROM checked WHERE topics_unknown
    UNION ALL
    SELECT pos, 'follow_up_needed', follow_up_needed, 'required', 1110
    FROM checked WHERE follow_up_needed = ''
    UNION ALL
    SELECT pos, 'follow_up_needed', follow_up_needed, 'yes_no', 1111
    FROM checked WHERE follow_up_needed <> '' AND NOT list_contains($bool_words, follow_up_word)
    UNION ALL
    SELECT pos, 'note', note, 'too_long', 1121
    FROM checked WHERE length(note) > $max_note
    UNION ALL
    SELECT pos, 'age_band', age_band, 'allowed', 1131
    FROM checked WHERE age_band <> '' AND age_band_code IS NULL
    UNION ALL
    SELECT c.pos, h.column_name, h.value, h.rule, h.seq
    FROM checked AS c JOIN personal_hits AS h ON h.column_name = 'team' AND h.value = c.team
    UNION ALL
    SELECT c.pos, h.column_name, h.value, h.rule, h.seq
    FROM checked AS c JOIN personal_hits AS h ON h.column_name = 'note' AND h.value = c.note
),
final AS (
    SELECT pos, column_name, value, rule, seq FROM rules
)
SELECT * FROM final
