-- The distinct texts of a staged crime-reports file's coded and dated columns, with how
-- each column is read (queries/staging/values.sql). Every row of the file counts (the
-- header and blank rows only add texts to read); a column the file lacks is blank.
CREATE TABLE stage_texts AS
WITH template AS (
    SELECT NULL::VARCHAR AS reported_on, NULL::VARCHAR AS occurred_on, NULL::VARCHAR AS area,
           NULL::VARCHAR AS crime_type, NULL::VARCHAR AS hate_strands,
           NULL::VARCHAR AS victim_communities, NULL::VARCHAR AS outcome,
           NULL::VARCHAR AS age_band
    LIMIT 0
),
everything AS NOT MATERIALIZED (
    SELECT * FROM template UNION ALL BY NAME SELECT * FROM upload
),
final AS (
    SELECT DISTINCT 'reported_on' AS column_name, 'date' AS parse,
           NULL::VARCHAR AS vocabulary, 'reported_on' AS field, coalesce(reported_on, '') AS raw
    FROM everything
    UNION ALL SELECT DISTINCT 'occurred_on', 'date', NULL, 'occurred_on',
           coalesce(occurred_on, '')
    FROM everything
    UNION ALL SELECT DISTINCT 'area', 'code', 'area', 'area_code', coalesce(area, '')
    FROM everything
    UNION ALL SELECT DISTINCT 'crime_type', 'code', 'crime_type', 'crime_type',
           coalesce(crime_type, '')
    FROM everything
    UNION ALL SELECT DISTINCT 'hate_strands', 'codes', 'hate_strands', 'hate_strands',
           coalesce(hate_strands, '')
    FROM everything
    UNION ALL SELECT DISTINCT 'victim_communities', 'communities', 'communities',
           'victim_communities', coalesce(victim_communities, '')
    FROM everything
    UNION ALL SELECT DISTINCT 'outcome', 'code', 'outcome', 'outcome', coalesce(outcome, '')
    FROM everything
    UNION ALL SELECT DISTINCT 'age_band', 'code', 'age_band', 'age_band', coalesce(age_band, '')
    FROM everything
)
SELECT * FROM final
