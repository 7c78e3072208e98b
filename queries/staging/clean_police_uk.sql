-- The valid rows of a checked data.police.uk file inside the district (no row of
-- `problems`, an LSOA of the district), as queries/load_reports.sql loads them: a month's
-- report with its published outcome group and no victim details, each with its record key
-- (the hash of its identity, queries/staging/check_police_uk.sql, and its occurrence among
-- rows of the file alike, as hidden_communities/record_keys.py numbers them; stored as the
-- 16 bytes of the MD5 of that key's text, record_keys.stored).
WITH valid AS NOT MATERIALIZED (
    SELECT * FROM checked AS c
    WHERE lsoa IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM problems AS p WHERE p.pos = c.pos)
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
        c.crime_id <> '' AS by_reference,
        'police_uk' AS source,
        nullif(c.crime_id, '') AS reference,
        c.month_day AS reported_on,
        'month' AS date_precision,
        NULL::DATE AS occurred_on,
        c.lsoa AS area_code,
        NULL::VARCHAR AS team,
        crime_type.code AS crime_type,
        []::VARCHAR[] AS hate_strands,
        false AS victim_community_recorded,
        []::VARCHAR[] AS victim_communities,
        outcome.code AS outcome,
        'not_recorded' AS age_band  -- data.police.uk publishes no victim's age
    FROM valid AS c
    LEFT JOIN numbered AS n ON n.pos = c.pos
    JOIN stage_values AS crime_type ON crime_type.id = c.crime_type_id
    JOIN stage_values AS outcome ON outcome.id = c.last_outcome_category_id
)
SELECT * FROM final
