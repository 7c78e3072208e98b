-- Insert validated contacts from the registered frame `staged`, skipping any already
-- loaded. `record_key` comes with each row (hidden_communities/record_keys.py): the hash
-- of the contact's fields plus its occurrence number among identical rows of the same
-- file, so re-loading a file (or an overlapping one) adds nothing, while two identical
-- rows in one file stay two records. It arrives as stored: 16 bytes (record_keys.stored).
-- Parameters: $import_id
INSERT INTO contacts (record_key, import_id, contact_date, area_code, team, community_recorded,
                      communities, channel, direction, place_type, people_reached, language,
                      topics, follow_up_needed, note, age_band)
WITH typed AS (
    SELECT
        file_row,
        CAST(record_key AS BLOB) AS record_key,
        CAST(contact_date AS DATE) AS contact_date,
        CAST(area_code AS VARCHAR) AS area_code,
        CAST(team AS VARCHAR) AS team,
        CAST(community_recorded AS BOOLEAN) AS community_recorded,
        CAST(list_sort(communities) AS community[]) AS communities,
        CAST(channel AS channel) AS channel,
        CAST(direction AS direction) AS direction,
        CAST(place_type AS place_type) AS place_type,
        CAST(people_reached AS INTEGER) AS people_reached,
        CAST(language AS language) AS language,
        CAST(list_sort(topics) AS topic[]) AS topics,
        CAST(follow_up_needed AS BOOLEAN) AS follow_up_needed,
        CAST(note AS VARCHAR) AS note,
        CAST(age_band AS age_band) AS age_band
    FROM staged
),
final AS (
    SELECT * FROM typed AS t
    WHERE NOT EXISTS (SELECT 1 FROM contacts AS c WHERE c.record_key = t.record_key)
)
SELECT record_key, $import_id, contact_date, area_code, team, community_recorded, communities,
       channel, direction, place_type, people_reached, language, topics, follow_up_needed, note,
       age_band
FROM final
ORDER BY file_row
