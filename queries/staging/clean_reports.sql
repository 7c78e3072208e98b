-- The valid rows of a checked crime-reports file (no row of `problems`), typed as
-- queries/load_reports.sql loads them, each with its record key: the hash of its identity
-- (queries/staging/check_reports.sql) and its occurrence among rows of the file alike, as
-- hidden_communities/record_keys.py numbers them; stored as the 16 bytes of the MD5 of
-- that key's text (record_keys.stored).
WITH valid AS NOT MATERIALIZED (
    SELECT * FROM checked AS c
    WHERE NOT EXISTS (SELECT 1 FROM problems AS p WHERE p.pos = c.pos)
),
-- The occurrence of each row among rows of the file with the same identity, counted only
-- where an identity repeats (a 64-bit hash of it finds those, the identity decides).
repeated AS (
    SELECT hash(identity_hash) AS h FROM valid GROUP BY h HAVING count(*) > 1
),
numbered AS (
    SELECT pos, row_number() OVER (PARTITION BY identity_hash ORDER BY pos) AS occurrence
    FROM valid
    WHERE hash(identity_hash) IN (SELECT h FROM repeated)
),
final AS (
    SELECT
        c.pos + 2 AS file_row,
        unhex(md5('r:' || c.identity_hash || '#' || coalesce(n.occurrence, 1)))
            AS record_key,
        c.reference <> '' AS by_reference,
        'records_system' AS source,
        nullif(c.reference, '') AS reference,
        c.reported_day AS reported_on,
        'day' AS date_precision,
        c.occurred_day AS occurred_on,
        area.code AS area_code,
        nullif(c.team, '') AS team,
        crime_type.code AS crime_type,
        hate_strands.codes AS hate_strands,
        victim_communities.recorded AS victim_community_recorded,
        victim_communities.codes AS victim_communities,
        outcome.code AS outcome,
        coalesce(age_band.code, 'not_recorded') AS age_band
    FROM valid AS c
    LEFT JOIN numbered AS n ON n.pos = c.pos
    JOIN stage_values AS area ON area.id = c.area_id
    JOIN stage_values AS crime_type ON crime_type.id = c.crime_type_id
    JOIN stage_values AS hate_strands ON hate_strands.id = c.hate_strands_id
    JOIN stage_values AS victim_communities ON victim_communities.id = c.victim_communities_id
    JOIN stage_values AS outcome ON outcome.id = c.outcome_id
    JOIN stage_values AS age_band ON age_band.id = c.age_band_id
)
SELECT * FROM final
