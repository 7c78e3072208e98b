-- Insert validated reports from the registered frame `staged`, skipping any already
-- loaded. `record_key` comes with each row (hidden_communities/record_keys.py): the hash
-- of the report's reference when it has one (a data.police.uk Crime ID with its LSOA),
-- otherwise of all its fields, plus its occurrence number among rows of this file with the
-- same basis, so repeats across files add nothing and repeats inside a file (anti-social
-- behaviour rows carry no ID) stay separate records. It arrives as stored: 16 bytes
-- (record_keys.stored).
-- Parameters: $import_id
INSERT INTO reports (record_key, import_id, source, reference, reported_on, date_precision,
                     occurred_on, area_code, team, crime_type, hate_strands,
                     victim_community_recorded, victim_communities, outcome, age_band)
WITH typed AS (
    SELECT
        file_row,
        CAST(record_key AS BLOB) AS record_key,
        CAST(source AS report_source) AS source,
        CAST(reference AS VARCHAR) AS reference,
        CAST(reported_on AS DATE) AS reported_on,
        CAST(date_precision AS date_precision) AS date_precision,
        CAST(occurred_on AS DATE) AS occurred_on,
        CAST(area_code AS VARCHAR) AS area_code,
        CAST(team AS VARCHAR) AS team,
        CAST(crime_type AS crime_type) AS crime_type,
        CAST(list_sort(hate_strands) AS hate_strand[]) AS hate_strands,
        CAST(victim_community_recorded AS BOOLEAN) AS victim_community_recorded,
        CAST(list_sort(victim_communities) AS community[]) AS victim_communities,
        CAST(outcome AS outcome) AS outcome,
        CAST(age_band AS age_band) AS age_band
    FROM staged
),
final AS (
    SELECT * FROM typed AS t
    WHERE NOT EXISTS (SELECT 1 FROM reports AS r WHERE r.record_key = t.record_key)
)
SELECT record_key, $import_id, source, reference, reported_on, date_precision, occurred_on,
       area_code, team, crime_type, hate_strands, victim_community_recorded,
       victim_communities, outcome, age_band
FROM final
ORDER BY file_row
