-- The valid rows of a checked crime-reports file (no row of `problems`), typed as
-- queries/load_reports.sql loads them, each with its record key written exactly as
-- hidden_communities/record_keys.py writes it: a report with a reference is identified by
-- its source and reference (`by_reference`, a later export may update its outcome), one
-- without by every field; then the row's occurrence among rows of the file alike.
-- Parameters: $head_reference, $head_content (record_keys._head)
WITH valid AS (
    SELECT * FROM checked AS c
    WHERE NOT EXISTS (SELECT 1 FROM problems AS p WHERE p.pos = c.pos)
),
typed AS (
    SELECT
        pos + 2 AS file_row,
        'records_system' AS source,
        nullif(reference, '') AS reference,
        reported_day AS reported_on,
        'day' AS date_precision,
        occurred_day AS occurred_on,
        area_code,
        nullif(team, '') AS team,
        crime_type_code AS crime_type,
        hate_strand_codes AS hate_strands,
        victim_community_recorded,
        victim_community_codes AS victim_communities,
        outcome_code AS outcome,
        coalesce(age_band_code, 'not_recorded') AS age_band
    FROM valid
),
identified AS (
    SELECT *,
        reference IS NOT NULL AS by_reference,
        sha256(CASE
            WHEN reference IS NOT NULL THEN $head_reference || concat_ws(',',
                stage_text_field('source', source),
                stage_text_field('reference', reference),
                stage_text_field('area_code', NULL::VARCHAR)
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
                stage_text_field('outcome', outcome),
                -- The age band joins the identity only when recorded (record_keys.py).
                CASE WHEN age_band <> 'not_recorded'
                     THEN stage_text_field('age_band', age_band) END
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
