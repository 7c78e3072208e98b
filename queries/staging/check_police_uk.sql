-- Every row of a staged data.police.uk street-level file (raw_rows, its columns named for
-- the published columns in lower case: hidden_communities/staged_checks.py): the free
-- texts a rule reads stripped, each other cell as the `id` of its text in stage_values,
-- the district's LSOA (null outside it), and the hash of the record's identity, written
-- exactly as hidden_communities/record_keys.py writes it (a Crime ID with its LSOA
-- identifies a report; anti-social behaviour has none, so every field does).
-- Parameters: $head_reference, $head_content (the identities' openings, record_keys._head)
CREATE TABLE checked AS
WITH template AS (
    SELECT NULL::BIGINT AS pos, NULL::VARCHAR AS crime_id, NULL::VARCHAR AS month,
           NULL::VARCHAR AS reported_by, NULL::VARCHAR AS falls_within,
           NULL::VARCHAR AS lsoa_code, NULL::VARCHAR AS crime_type,
           NULL::VARCHAR AS last_outcome_category
    LIMIT 0
),
cells AS (
    SELECT
        pos,
        stage_text(crime_id) AS crime_id,
        stage_text(reported_by) AS reported_by,
        stage_text(falls_within) AS falls_within,
        coalesce(month, '') AS month,
        coalesce(lsoa_code, '') AS lsoa_code,
        coalesce(crime_type, '') AS crime_type,
        coalesce(last_outcome_category, '') AS last_outcome_category
    FROM (SELECT * FROM template UNION ALL BY NAME SELECT * FROM raw_rows)
),
final AS (
    SELECT
        c.pos,
        c.crime_id,
        c.reported_by,
        c.falls_within,
        month.id AS month_id,
        month.day AS month_day,
        lsoa_code.id AS lsoa_code_id,
        lsoa_code.code AS lsoa,
        crime_type.id AS crime_type_id,
        last_outcome_category.id AS last_outcome_category_id,
        sha256(CASE
            WHEN c.crime_id <> '' THEN concat(
                $head_reference, '["source","text","police_uk"],',
                stage_text_field('reference', c.crime_id), ',', lsoa_code.part, ']]')
            ELSE concat(
                $head_content, '["source","text","police_uk"],', month.part,
                ',["date_precision","text","month"],["occurred_on","null"],', lsoa_code.part,
                ',["team","null"],', crime_type.part, ',["hate_strands","list",[]],',
                '["victim_community_recorded","bool",false],["victim_communities","list",[]],',
                last_outcome_category.part, ']]')
        END) AS identity_hash
    FROM cells AS c
    JOIN stage_values AS month ON month.column_name = 'month' AND month.raw = c.month
    JOIN stage_values AS lsoa_code
        ON lsoa_code.column_name = 'lsoa_code' AND lsoa_code.raw = c.lsoa_code
    JOIN stage_values AS crime_type
        ON crime_type.column_name = 'crime_type' AND crime_type.raw = c.crime_type
    JOIN stage_values AS last_outcome_category
        ON last_outcome_category.column_name = 'last_outcome_category'
       AND last_outcome_category.raw = c.last_outcome_category
)
SELECT * FROM final
