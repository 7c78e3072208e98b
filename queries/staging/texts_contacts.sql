-- The distinct texts of a staged contacts file's coded, dated and numbered columns, with
-- how each column is read (queries/staging/values.sql). Every row of the file counts (the
-- header and blank rows only add texts to read); a column the file lacks is blank.
CREATE TABLE stage_texts AS
WITH template AS (
    SELECT NULL::VARCHAR AS contact_date, NULL::VARCHAR AS area, NULL::VARCHAR AS communities,
           NULL::VARCHAR AS channel, NULL::VARCHAR AS direction, NULL::VARCHAR AS place_type,
           NULL::VARCHAR AS people_reached, NULL::VARCHAR AS language, NULL::VARCHAR AS topics,
           NULL::VARCHAR AS follow_up_needed, NULL::VARCHAR AS age_band
    LIMIT 0
),
everything AS NOT MATERIALIZED (
    SELECT * FROM template UNION ALL BY NAME SELECT * FROM upload
),
final AS (
    SELECT DISTINCT 'contact_date' AS column_name, 'date' AS parse,
           NULL::VARCHAR AS vocabulary, 'contact_date' AS field, coalesce(contact_date, '') AS raw
    FROM everything
    UNION ALL SELECT DISTINCT 'area', 'code', 'area', 'area_code', coalesce(area, '')
    FROM everything
    UNION ALL SELECT DISTINCT 'communities', 'communities', 'communities', 'communities',
           coalesce(communities, '')
    FROM everything
    UNION ALL SELECT DISTINCT 'channel', 'code', 'channel', 'channel', coalesce(channel, '')
    FROM everything
    UNION ALL SELECT DISTINCT 'direction', 'code', 'direction', 'direction',
           coalesce(direction, '')
    FROM everything
    UNION ALL SELECT DISTINCT 'place_type', 'code', 'place_type', 'place_type',
           coalesce(place_type, '')
    FROM everything
    UNION ALL SELECT DISTINCT 'people_reached', 'int', NULL, 'people_reached',
           coalesce(people_reached, '')
    FROM everything
    UNION ALL SELECT DISTINCT 'language', 'code', 'language', 'language', coalesce(language, '')
    FROM everything
    UNION ALL SELECT DISTINCT 'topics', 'codes', 'topics', 'topics', coalesce(topics, '')
    FROM everything
    UNION ALL SELECT DISTINCT 'follow_up_needed', 'bool', NULL, 'follow_up_needed',
           coalesce(follow_up_needed, '')
    FROM everything
    UNION ALL SELECT DISTINCT 'age_band', 'code', 'age_band', 'age_band', coalesce(age_band, '')
    FROM everything
)
SELECT * FROM final
