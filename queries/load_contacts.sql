-- Insert validated contacts from the registered frame `staged`, skipping any already
-- loaded. A record's key is the hash of its content plus its occurrence number among
-- identical rows of the same file: re-loading a file (or an overlapping one) adds
-- nothing, while two identical rows in one file stay two records. `entry_ref` is blank for
-- files; the log-a-contact form sets a fresh one per submission, so two identical
-- contacts logged one after the other are two records.
-- Parameters: $import_id
INSERT INTO contacts (record_key, import_id, contact_date, area_code, team, community_recorded,
                      communities, channel, direction, place_type, people_reached, language,
                      topics, follow_up_needed, note)
WITH typed AS (
    SELECT
        file_row,
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
        CAST(entry_ref AS VARCHAR) AS entry_ref
    FROM staged
),
hashed AS (
    SELECT *, md5(concat_ws('|', contact_date, coalesce(area_code, '-'), coalesce(team, '-'),
                            community_recorded, communities, channel, direction, place_type,
                            people_reached, language, topics, follow_up_needed,
                            coalesce(note, '-'), coalesce(entry_ref, ''))) AS content_hash
    FROM typed
),
keyed AS (
    SELECT *, 'c:' || content_hash || '#'
              || row_number() OVER (PARTITION BY content_hash ORDER BY file_row) AS record_key
    FROM hashed
),
final AS (
    SELECT * FROM keyed AS k
    WHERE NOT EXISTS (SELECT 1 FROM contacts AS c WHERE c.record_key = k.record_key)
)
SELECT record_key, $import_id, contact_date, area_code, team, community_recorded, communities,
       channel, direction, place_type, people_reached, language, topics, follow_up_needed, note
FROM final
ORDER BY file_row
