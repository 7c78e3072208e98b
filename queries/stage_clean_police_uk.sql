-- The valid rows of a checked data.police.uk file inside the district (no row of
-- `problems`, an LSOA of the district), as queries/load_reports.sql loads them: a month's
-- report with its published outcome group and no victim details, each with its record key
-- written exactly as hidden_communities/record_keys.py writes it (a Crime ID with its
-- LSOA identifies a report, `by_reference`; anti-social behaviour has none, so every
-- field does), then the row's occurrence among rows of the file alike.
-- Parameters: $head_reference, $head_content (record_keys._head)
WITH valid AS (
    SELECT * FROM checked AS c
    WHERE lsoa IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM problems AS p WHERE p.pos = c.pos)
),
typed AS (
    SELECT
        pos + 2 AS file_row,
        'police_uk' AS source,
        nullif(crime_id, '') AS reference,
        month_day AS reported_on,
        'month' AS date_precision,
        NULL::DATE AS occurred_on,
        lsoa AS area_code,
        NULL::VARCHAR AS team,
        crime_type_code AS crime_type,
        []::VARCHAR[] AS hate_strands,
        false AS victim_community_recorded,
        []::VARCHAR[] AS victim_communities,
        outcome_code AS outcome,
        'not_recorded' AS age_band  -- data.police.uk publishes no victim's age
    FROM valid
),
identified AS (
    SELECT *,
        reference IS NOT NULL AS by_reference,
        sha256(CASE
            WHEN reference IS NOT NULL THEN $head_reference || concat_ws(',',
                stage_text_field('source', source),
                stage_text_field('reference', reference),
                stage_text_field('area_code', area_code)
            ) || ']]'
            ELSE $head_content || concat_ws(',',
                stage_text_field('source', source),
                stage_date_field('reported_on', reported_on),
                stage_text_field('date_precision', date_precision),
                stage_date_field('occurred_on', occurred_on),
                stage_text_field('area_code', area_code),
                stage_text_field('team', team),
                stage_text_field('crime_type', crime_type),
                stage_list_field('hate_strands', hate_strands),
                stage_bool_field('victim_community_recorded', victim_community_recorded),
                stage_list_field('victim_communities', victim_communities),
                stage_text_field('outcome', outcome)
            ) || ']]'
        END) AS identity_hash
    FROM typed
),
final AS (
    SELECT
        file_row,
        'r:' || identity_hash || '#'
            || row_number() OVER (PARTITION BY identity_hash ORDER BY file_row) AS record_key,
        by_reference, source, reference, reported_on, date_precision, occurred_on, area_code,
        team, crime_type, hate_strands, victim_community_recorded, victim_communities,
        outcome, age_band
    FROM identified
)
SELECT * FROM final ORDER BY file_row
