-- Every row of a staged crime-reports file (raw_rows, its columns named for the report
-- columns: hidden_communities/staged_checks.py): its free texts stripped, its days, each
-- other cell as the `id` of its text in stage_values (read once for all the rows that
-- repeat it), and the hash of the record's identity, written exactly as
-- hidden_communities/record_keys.py writes it: a report with a reference is identified by
-- it (a later export may update its outcome), one without by every field. A column the
-- file lacks is blank.
-- Parameters: $head_reference, $head_content (the identities' openings, record_keys._head)
CREATE TABLE checked AS
WITH template AS (
    SELECT NULL::BIGINT AS pos, NULL::VARCHAR AS reference, NULL::VARCHAR AS reported_on,
           NULL::VARCHAR AS occurred_on, NULL::VARCHAR AS area, NULL::VARCHAR AS team,
           NULL::VARCHAR AS crime_type, NULL::VARCHAR AS hate_strands,
           NULL::VARCHAR AS victim_communities, NULL::VARCHAR AS outcome,
           NULL::VARCHAR AS age_band
    LIMIT 0
),
cells AS (
    SELECT
        pos,
        stage_text(reference) AS reference,
        stage_text(team) AS team,
        coalesce(reported_on, '') AS reported_on,
        coalesce(occurred_on, '') AS occurred_on,
        coalesce(area, '') AS area,
        coalesce(crime_type, '') AS crime_type,
        coalesce(hate_strands, '') AS hate_strands,
        coalesce(victim_communities, '') AS victim_communities,
        coalesce(outcome, '') AS outcome,
        coalesce(age_band, '') AS age_band
    FROM (SELECT * FROM template UNION ALL BY NAME SELECT * FROM raw_rows)
),
final AS (
    SELECT
        c.pos,
        c.reference,
        c.team,
        reported_on.id AS reported_on_id,
        reported_on.day AS reported_day,
        occurred_on.id AS occurred_on_id,
        occurred_on.day AS occurred_day,
        area.id AS area_id,
        crime_type.id AS crime_type_id,
        hate_strands.id AS hate_strands_id,
        victim_communities.id AS victim_communities_id,
        outcome.id AS outcome_id,
        age_band.id AS age_band_id,
        sha256(CASE
            WHEN c.reference <> '' THEN concat(
                $head_reference, '["source","text","records_system"],',
                stage_text_field('reference', c.reference), ',["area_code","null"]]]')
            ELSE concat(
                $head_content, '["source","text","records_system"],', reported_on.part,
                ',["date_precision","text","day"],', occurred_on.part, ',', area.part, ',',
                stage_text_field('team', nullif(c.team, '')), ',', crime_type.part, ',',
                hate_strands.part, ',', victim_communities.part, ',', outcome.part,
                age_band.part, ']]')
        END) AS identity_hash
    FROM cells AS c
    JOIN stage_values AS reported_on
        ON reported_on.column_name = 'reported_on' AND reported_on.raw = c.reported_on
    JOIN stage_values AS occurred_on
        ON occurred_on.column_name = 'occurred_on' AND occurred_on.raw = c.occurred_on
    JOIN stage_values AS area ON area.column_name = 'area' AND area.raw = c.area
    JOIN stage_values AS crime_type
        ON crime_type.column_name = 'crime_type' AND crime_type.raw = c.crime_type
    JOIN stage_values AS hate_strands
        ON hate_strands.column_name = 'hate_strands' AND hate_strands.raw = c.hate_strands
    JOIN stage_values AS victim_communities
        ON victim_communities.column_name = 'victim_communities'
       AND victim_communities.raw = c.victim_communities
    JOIN stage_values AS outcome ON outcome.column_name = 'outcome' AND outcome.raw = c.outcome
    JOIN stage_values AS age_band
        ON age_band.column_name = 'age_band' AND age_band.raw = c.age_band
)
SELECT * FROM final
