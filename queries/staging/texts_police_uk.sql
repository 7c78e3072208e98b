-- The distinct texts of a staged data.police.uk file's coded and dated columns, with how
-- each column is read (queries/staging/values.sql): the month, the crime type, the outcome
-- category (mapped to an outcome group) and the LSOA code. Every row of the file counts
-- (the header and blank rows only add texts to read); a column the file lacks is blank.
CREATE TABLE stage_texts AS
WITH template AS (
    SELECT NULL::VARCHAR AS month, NULL::VARCHAR AS crime_type,
           NULL::VARCHAR AS last_outcome_category, NULL::VARCHAR AS lsoa_code
    LIMIT 0
),
everything AS NOT MATERIALIZED (
    SELECT * FROM template UNION ALL BY NAME SELECT * FROM upload
),
final AS (
    SELECT DISTINCT 'month' AS column_name, 'month' AS parse, NULL::VARCHAR AS vocabulary,
           'reported_on' AS field, coalesce(month, '') AS raw
    FROM everything
    UNION ALL SELECT DISTINCT 'crime_type', 'code', 'crime_type', 'crime_type',
           coalesce(crime_type, '')
    FROM everything
    UNION ALL SELECT DISTINCT 'last_outcome_category', 'code', 'police_uk_outcome', 'outcome',
           coalesce(last_outcome_category, '')
    FROM everything
    UNION ALL SELECT DISTINCT 'lsoa_code', 'lsoa', 'lsoa', 'area_code', coalesce(lsoa_code, '')
    FROM everything
)
SELECT * FROM final
