-- Every row of a staged contacts file (the view raw_rows, its columns named for the
-- contacts columns, hidden_communities/staged_checks.py) as the checks and the load take
-- it: each cell stripped, and what it holds (a day, a number, a code, codes). A column the
-- file lacks is blank. A text is looked up once however many rows repeat it.
-- Parameters: $latest (a year after today), $not_recorded_words, $special_words
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
        stage_text(contact_date) AS contact_date,
        stage_text(area) AS area,
        stage_text(team) AS team,
        stage_text(communities) AS communities,
        stage_text(channel) AS channel,
        stage_text(direction) AS direction,
        stage_text(place_type) AS place_type,
        stage_text(people_reached) AS people_reached,
        stage_text(language) AS language,
        stage_text(topics) AS topics,
        stage_text(follow_up_needed) AS follow_up_needed,
        -- A multi-line column: a Windows line break (CR LF) is read as a plain one.
        replace(stage_text(note), chr(13) || chr(10), chr(10)) AS note,
        stage_text(age_band) AS age_band
    FROM (SELECT * FROM template UNION ALL BY NAME SELECT * FROM raw_rows)
),
vocabularies AS (
    SELECT
        map(list(key) FILTER (vocabulary = 'communities'),
            list(code) FILTER (vocabulary = 'communities')) AS communities,
        map(list(key) FILTER (vocabulary = 'topics'),
            list(code) FILTER (vocabulary = 'topics')) AS topics
    FROM stage_lookup
),
dates AS (
    SELECT t, stage_plausible_date(t, $latest) AS day
    FROM (SELECT DISTINCT contact_date AS t FROM cells)
),
numbers AS (
    SELECT t, stage_number(t) AS number FROM (SELECT DISTINCT people_reached AS t FROM cells)
),
areas AS (
    SELECT d.t, l.code
    FROM (SELECT DISTINCT area AS t FROM cells) AS d
    LEFT JOIN stage_lookup AS l ON l.vocabulary = 'area' AND l.key = stage_key(d.t)
),
channels AS (
    SELECT d.t, l.code
    FROM (SELECT DISTINCT channel AS t FROM cells) AS d
    LEFT JOIN stage_lookup AS l ON l.vocabulary = 'channel' AND l.key = stage_key(d.t)
),
directions AS (
    SELECT d.t, l.code
    FROM (SELECT DISTINCT direction AS t FROM cells) AS d
    LEFT JOIN stage_lookup AS l ON l.vocabulary = 'direction' AND l.key = stage_key(d.t)
),
place_types AS (
    SELECT d.t, l.code
    FROM (SELECT DISTINCT place_type AS t FROM cells) AS d
    LEFT JOIN stage_lookup AS l ON l.vocabulary = 'place_type' AND l.key = stage_key(d.t)
),
languages AS (
    SELECT d.t, l.code
    FROM (SELECT DISTINCT language AS t FROM cells) AS d
    LEFT JOIN stage_lookup AS l ON l.vocabulary = 'language' AND l.key = stage_key(d.t)
),
age_bands AS (
    SELECT d.t, l.code
    FROM (SELECT DISTINCT age_band AS t FROM cells) AS d
    LEFT JOIN stage_lookup AS l ON l.vocabulary = 'age_band' AND l.key = stage_key(d.t)
),
-- Communities: blank or 'not_recorded' means not recorded, 'none' none of them; either
-- beside a community (or each other) is `mixed` (validation._parse_code_lists).
community_keys AS (
    SELECT t, keys,
           NOT coalesce(list_bool_and(list_transform(
               keys, lambda k: list_contains($not_recorded_words, k))), true) AS recorded,
           list_distinct(list_filter(
               keys, lambda k: list_contains($special_words, k))) AS special
    FROM (SELECT t, stage_list_keys(t) AS keys
          FROM (SELECT DISTINCT communities AS t FROM cells))
),
community_lists AS (
    SELECT t, recorded,
           recorded AND len(special) > 0
               AND (len(special) > 1 OR len(special) < len(list_distinct(keys))) AS mixed,
           CASE WHEN recorded AND NOT (len(special) > 0
                    AND (len(special) > 1 OR len(special) < len(list_distinct(keys))))
                THEN list_filter(keys, lambda k: NOT list_contains($special_words, k))
                ELSE [] END AS kept
    FROM community_keys
),
communities AS (
    SELECT t, recorded, mixed,
           coalesce(list_bool_or(list_transform(kept, lambda k: v.communities[k] IS NULL)),
                    false) AS unknown,
           list_distinct(list_filter(list_transform(kept, lambda k: v.communities[k]),
                                     lambda c: c IS NOT NULL)) AS codes
    FROM community_lists, vocabularies AS v
),
topics AS (
    SELECT t,
           coalesce(list_bool_or(list_transform(keys, lambda k: v.topics[k] IS NULL)),
                    false) AS unknown,
           list_distinct(list_filter(list_transform(keys, lambda k: v.topics[k]),
                                     lambda c: c IS NOT NULL)) AS codes
    FROM (SELECT t, stage_list_keys(t) AS keys
          FROM (SELECT DISTINCT topics AS t FROM cells)), vocabularies AS v
),
final AS (
    SELECT
        c.*,
        dates.day AS contact_day,
        areas.code AS area_code,
        communities.recorded AS community_recorded,
        communities.mixed AS communities_mixed,
        communities.unknown AS communities_unknown,
        communities.codes AS community_codes,
        channels.code AS channel_code,
        directions.code AS direction_code,
        place_types.code AS place_type_code,
        numbers.number AS people_number,
        languages.code AS language_code,
        topics.unknown AS topics_unknown,
        topics.codes AS topic_codes,
        lower(c.follow_up_needed) AS follow_up_word,
        age_bands.code AS age_band_code
    FROM cells AS c
    LEFT JOIN dates ON dates.t = c.contact_date
    LEFT JOIN areas ON areas.t = c.area
    LEFT JOIN communities ON communities.t = c.communities
    LEFT JOIN channels ON channels.t = c.channel
    LEFT JOIN directions ON directions.t = c.direction
    LEFT JOIN place_types ON place_types.t = c.place_type
    LEFT JOIN numbers ON numbers.t = c.people_reached
    LEFT JOIN languages ON languages.t = c.language
    LEFT JOIN topics ON topics.t = c.topics
    LEFT JOIN age_bands ON age_bands.t = c.age_band
)
SELECT * FROM final
