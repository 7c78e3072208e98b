-- The valid rows of a checked contacts file (no row of `problems`), typed as
-- queries/load_contacts.sql loads them, each with its record key: the SHA-256 of the
-- record's identity, written exactly as hidden_communities/record_keys.py writes it (so a
-- file loaded before this check existed is recognised), and the row's occurrence among
-- identical rows of the file.
-- Parameters: $head (the identity's opening, record_keys._head), $true_words
WITH valid AS (
    SELECT * FROM checked AS c
    WHERE NOT EXISTS (SELECT 1 FROM problems AS p WHERE p.pos = c.pos)
),
typed AS (
    SELECT
        pos + 2 AS file_row,
        contact_day AS contact_date,
        area_code,
        nullif(team, '') AS team,
        community_recorded,
        community_codes AS communities,
        channel_code AS channel,
        direction_code AS direction,
        place_type_code AS place_type,
        CAST(people_number AS INTEGER) AS people_reached,
        language_code AS language,
        topic_codes AS topics,
        list_contains($true_words, follow_up_word) AS follow_up_needed,
        nullif(note, '') AS note,
        coalesce(age_band_code, 'not_recorded') AS age_band
    FROM valid
),
identified AS (
    SELECT *,
        sha256($head || concat_ws(',',
            stage_date_field('contact_date', contact_date),
            stage_text_field('area_code', area_code),
            stage_text_field('team', team),
            stage_bool_field('community_recorded', community_recorded),
            stage_list_field('communities', communities),
            stage_text_field('channel', channel),
            stage_text_field('direction', direction),
            stage_text_field('place_type', place_type),
            stage_int_field('people_reached', people_reached),
            stage_text_field('language', language),
            stage_list_field('topics', topics),
            stage_bool_field('follow_up_needed', follow_up_needed),
            stage_text_field('note', note),
            stage_text_field('entry_ref', NULL::VARCHAR),
            -- The age band joins the identity only when recorded (record_keys.py).
            CASE WHEN age_band <> 'not_recorded' THEN stage_text_field('age_band', age_band) END
        ) || ']]') AS identity_hash
    FROM typed
),
final AS (
    SELECT
        file_row,
        'c:' || identity_hash || '#'
            || row_number() OVER (PARTITION BY identity_hash ORDER BY file_row) AS record_key,
        contact_date, area_code, team, community_recorded, communities, channel, direction,
        place_type, people_reached, language, topics, follow_up_needed, note, age_band
    FROM identified
)
SELECT * FROM final ORDER BY file_row
