-- Insert validated reports from the registered frame `staged`, skipping any already
-- loaded. The key is the report's reference (data.police.uk: Crime ID and LSOA, since one
-- published ID can appear at two places) when there is one, otherwise the hash of its
-- content; plus its occurrence number among rows with the same basis in this file, so
-- repeats across files add nothing and repeats inside a file (anti-social behaviour rows
-- carry no ID) stay separate records.
-- Parameters: $import_id
INSERT INTO reports (record_key, import_id, source, reference, reported_on, date_precision,
                     occurred_on, area_code, team, crime_type, hate_strands,
                     victim_community_recorded, victim_communities, outcome)
WITH typed AS (
    SELECT
        file_row,
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
        CAST(outcome AS outcome) AS outcome
    FROM staged
),
based AS (
    SELECT *,
        CASE
            WHEN reference IS NOT NULL AND source = 'police_uk'
                THEN 'id:' || reference || '@' || coalesce(area_code, '-')
            WHEN reference IS NOT NULL THEN 'id:' || reference
            ELSE 'h:' || md5(concat_ws('|', reported_on, date_precision,
                                       coalesce(CAST(occurred_on AS VARCHAR), '-'),
                                       coalesce(area_code, '-'), coalesce(team, '-'),
                                       crime_type, hate_strands, victim_community_recorded,
                                       victim_communities, outcome))
        END AS key_basis
    FROM typed
),
keyed AS (
    SELECT *, CAST(source AS VARCHAR) || ':' || key_basis || '#'
              || row_number() OVER (PARTITION BY key_basis ORDER BY file_row) AS record_key
    FROM based
),
final AS (
    SELECT * FROM keyed AS k
    WHERE NOT EXISTS (SELECT 1 FROM reports AS r WHERE r.record_key = k.record_key)
)
SELECT record_key, $import_id, source, reference, reported_on, date_precision, occurred_on,
       area_code, team, crime_type, hate_strands, victim_community_recorded,
       victim_communities, outcome
FROM final
ORDER BY file_row
