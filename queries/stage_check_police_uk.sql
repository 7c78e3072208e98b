-- Every row of a staged data.police.uk street-level file (the view raw_rows, its columns
-- named for the published columns in lower case, hidden_communities/staged_checks.py) as
-- the checks and the load take it: each cell stripped, the month, the crime type, the
-- outcome group of the published outcome category, and whether the LSOA is the
-- district's. A text is looked up once however many rows repeat it.
-- Parameters: $latest (a year after today)
CREATE TABLE checked AS
WITH template AS (
    SELECT NULL::BIGINT AS pos, NULL::VARCHAR AS crime_id, NULL::VARCHAR AS month,
           NULL::VARCHAR AS reported_by, NULL::VARCHAR AS falls_within,
           NULL::VARCHAR AS longitude, NULL::VARCHAR AS latitude, NULL::VARCHAR AS location,
           NULL::VARCHAR AS lsoa_code, NULL::VARCHAR AS lsoa_name, NULL::VARCHAR AS crime_type,
           NULL::VARCHAR AS last_outcome_category, NULL::VARCHAR AS context
    LIMIT 0
),
cells AS (
    SELECT
        pos,
        stage_text(crime_id) AS crime_id,
        stage_text(month) AS month,
        stage_text(reported_by) AS reported_by,
        stage_text(falls_within) AS falls_within,
        stage_text(longitude) AS longitude,
        stage_text(latitude) AS latitude,
        stage_text(location) AS location,
        stage_text(lsoa_code) AS lsoa_code,
        stage_text(lsoa_name) AS lsoa_name,
        stage_text(crime_type) AS crime_type,
        stage_text(last_outcome_category) AS last_outcome_category,
        stage_text(context) AS context
    FROM (SELECT * FROM template UNION ALL BY NAME SELECT * FROM raw_rows)
),
months AS (
    SELECT t, stage_plausible_month(t, $latest) AS day
    FROM (SELECT DISTINCT month AS t FROM cells)
),
crime_types AS (
    SELECT d.t, l.code
    FROM (SELECT DISTINCT crime_type AS t FROM cells) AS d
    LEFT JOIN stage_lookup AS l ON l.vocabulary = 'crime_type' AND l.key = stage_key(d.t)
),
outcomes AS (
    SELECT d.t, l.code
    FROM (SELECT DISTINCT last_outcome_category AS t FROM cells) AS d
    LEFT JOIN stage_lookup AS l ON l.vocabulary = 'police_uk_outcome' AND l.key = stage_key(d.t)
),
-- LSOA codes are read in any case: e01027926 is the district's E01027926.
lsoas AS (
    SELECT d.t, l.code
    FROM (SELECT DISTINCT lsoa_code AS t FROM cells) AS d
    LEFT JOIN stage_lookup AS l ON l.vocabulary = 'lsoa' AND l.key = upper(d.t)
),
final AS (
    SELECT
        c.*,
        months.day AS month_day,
        crime_types.code AS crime_type_code,
        outcomes.code AS outcome_code,
        lsoas.code AS lsoa
    FROM cells AS c
    LEFT JOIN months ON months.t = c.month
    LEFT JOIN crime_types ON crime_types.t = c.crime_type
    LEFT JOIN outcomes ON outcomes.t = c.last_outcome_category
    LEFT JOIN lsoas ON lsoas.t = c.lsoa_code
)
SELECT * FROM final
