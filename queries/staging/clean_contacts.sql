-- The valid rows of a checked contacts file (no row of `problems`), typed as
-- queries/load_contacts.sql loads them, each with its record key: the hash of its identity
-- (queries/staging/check_contacts.sql) and its occurrence among identical rows of the file,
-- as hidden_communities/record_keys.py numbers them; stored as the 16 bytes of the MD5 of
-- that key's text (record_keys.stored).
-- Parameters: $true_words
WITH valid AS NOT MATERIALIZED (
    SELECT * FROM checked AS c
    WHERE NOT EXISTS (SELECT 1 FROM problems AS p WHERE p.pos = c.pos)
),
-- The occurrence of each row among rows of the file with the same identity, counted only
-- where an identity repeats (a 64-bit hash of it finds those, the identity decides).
repeated AS (
    SELECT hash(identity_hash) AS h FROM valid GROUP BY h HAVING count(*) > 1
),
numbered AS (
    SELECT pos, row_number() OVER (PARTITION BY identity_hash ORDER BY pos) AS occurrence
    FROM valid
    WHERE hash(identity_hash) IN (SELECT h FROM repeated)
),
final AS (
    SELECT
        c.pos + 2 AS file_row,
        unhex(md5('c:' || c.identity_hash || '#' || coalesce(n.occurrence, 1)))
            AS record_key,
        contact_date.day AS contact_date,
        area.code AS area_code,
        nullif(c.team, '') AS team,
        communities.recorded AS community_recorded,
        communities.codes AS communities,
        channel.code AS channel,
        direction.code AS direction,
        place_type.code AS place_type,
        CAST(people_reached.number AS INTEGER) AS people_reached,
        language.code AS language,
        topics.codes AS topics,
        list_contains($true_words, follow_up_needed.word) AS follow_up_needed,
        nullif(c.note, '') AS note,
        coalesce(age_band.code, 'not_recorded') AS age_band
    FROM valid AS c
    LEFT JOIN numbered AS n ON n.pos = c.pos
    JOIN stage_values AS contact_date ON contact_date.id = c.contact_date_id
    JOIN stage_values AS area ON area.id = c.area_id
    JOIN stage_values AS communities ON communities.id = c.communities_id
    JOIN stage_values AS channel ON channel.id = c.channel_id
    JOIN stage_values AS direction ON direction.id = c.direction_id
    JOIN stage_values AS place_type ON place_type.id = c.place_type_id
    JOIN stage_values AS people_reached ON people_reached.id = c.people_reached_id
    JOIN stage_values AS language ON language.id = c.language_id
    JOIN stage_values AS topics ON topics.id = c.topics_id
    JOIN stage_values AS follow_up_needed ON follow_up_needed.id = c.follow_up_needed_id
    JOIN stage_values AS age_band ON age_band.id = c.age_band_id
)
SELECT * FROM final
