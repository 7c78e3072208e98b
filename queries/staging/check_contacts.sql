-- Every row of a staged contacts file (raw_rows, its columns named for the contacts
-- columns: hidden_communities/staged_checks.py): its free texts stripped, each other cell
-- as the `id` of its text in stage_values (read once for all the rows that repeat it), and
-- the hash of the record's identity, written exactly as hidden_communities/record_keys.py
-- writes it (a contact is identified by every field). A column the file lacks is blank.
-- Parameters: $head (the identity's opening, record_keys._head)
CREATE TABLE checked AS
WITH template AS (
    SELECT NULL::BIGINT AS pos, NULL::VARCHAR AS contact_date, NULL::VARCHAR AS area,
           NULL::VARCHAR AS team, NULL::VARCHAR AS communities, NULL::VARCHAR AS channel,
           NULL::VARCHAR AS direction, NULL::VARCHAR AS place_type,
           NULL::VARCHAR AS people_reached, NULL::VARCHAR AS language, NULL::VARCHAR AS topics,
           NULL::VARCHAR AS follow_up_needed, NULL::VARCHAR AS note, NULL::VARCHAR AS age_band
    LIMIT 0
),
cells AS (
    SELECT
        pos,
        stage_text(team) AS team,
        -- A multi-line column: a Windows line break (CR LF) is read as a plain one.
        replace(stage_text(note), chr(13) || chr(10), chr(10)) AS note,
        coalesce(contact_date, '') AS contact_date,
        coalesce(area, '') AS area,
        coalesce(communities, '') AS communities,
        coalesce(channel, '') AS channel,
        coalesce(direction, '') AS direction,
        coalesce(place_type, '') AS place_type,
        coalesce(people_reached, '') AS people_reached,
        coalesce(language, '') AS language,
        coalesce(topics, '') AS topics,
        coalesce(follow_up_needed, '') AS follow_up_needed,
        coalesce(age_band, '') AS age_band
    FROM (SELECT * FROM template UNION ALL BY NAME SELECT * FROM raw_rows)
),
final AS (
    SELECT
        c.pos,
        c.team,
        c.note,
        contact_date.id AS contact_date_id,
        area.id AS area_id,
        communities.id AS communities_id,
        channel.id AS channel_id,
        direction.id AS direction_id,
        place_type.id AS place_type_id,
        people_reached.id AS people_reached_id,
        language.id AS language_id,
        topics.id AS topics_id,
        follow_up_needed.id AS follow_up_needed_id,
        age_band.id AS age_band_id,
        sha256(concat(
            $head, contact_date.part, ',', area.part, ',',
            stage_text_field('team', nullif(c.team, '')), ',', communities.part, ',',
            channel.part, ',', direction.part, ',', place_type.part, ',',
            people_reached.part, ',', language.part, ',', topics.part, ',',
            follow_up_needed.part, ',', stage_text_field('note', nullif(c.note, '')), ',',
            '["entry_ref","null"]', age_band.part, ']]'
        )) AS identity_hash
    FROM cells AS c
    JOIN stage_values AS contact_date
        ON contact_date.column_name = 'contact_date' AND contact_date.raw = c.contact_date
    JOIN stage_values AS area ON area.column_name = 'area' AND area.raw = c.area
    JOIN stage_values AS communities
        ON communities.column_name = 'communities' AND communities.raw = c.communities
    JOIN stage_values AS channel ON channel.column_name = 'channel' AND channel.raw = c.channel
    JOIN stage_values AS direction
        ON direction.column_name = 'direction' AND direction.raw = c.direction
    JOIN stage_values AS place_type
        ON place_type.column_name = 'place_type' AND place_type.raw = c.place_type
    JOIN stage_values AS people_reached
        ON people_reached.column_name = 'people_reached'
       AND people_reached.raw = c.people_reached
    JOIN stage_values AS language
        ON language.column_name = 'language' AND language.raw = c.language
    JOIN stage_values AS topics ON topics.column_name = 'topics' AND topics.raw = c.topics
    JOIN stage_values AS follow_up_needed
        ON follow_up_needed.column_name = 'follow_up_needed'
       AND follow_up_needed.raw = c.follow_up_needed
    JOIN stage_values AS age_band
        ON age_band.column_name = 'age_band' AND age_band.raw = c.age_band
)
SELECT * FROM final
