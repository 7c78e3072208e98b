-- Every row of a staged crime-reports file (the view raw_rows, its columns named for the
-- report columns, hidden_communities/staged_checks.py) as the checks and the load take
-- it: each cell stripped, and what it holds (a day, a code, codes). A column the file
-- lacks is blank. A text is looked up once however many rows repeat it.
-- Parameters: $latest (a year after today), $not_recorded_words, $special_words
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
        stage_text(reported_on) AS reported_on,
        stage_text(occurred_on) AS occurred_on,
        stage_text(area) AS area,
        stage_text(team) AS team,
        stage_text(crime_type) AS crime_type,
        stage_text(hate_strands) AS hate_strands,
        stage_text(victim_communities) AS victim_communities,
        stage_text(outcome) AS outcome,
        stage_text(age_band) AS age_band
    FROM (SELECT * FROM template UNION ALL BY NAME SELECT * FROM raw_rows)
),
vocabularies AS (
    SELECT
        map(list(key) FILTER (vocabulary = 'communities'),
            list(code) FILTER (vocabulary = 'communities')) AS communities,
        map(list(key) FILTER (vocabulary = 'hate_strands'),
            list(code) FILTER (vocabulary = 'hate_strands')) AS hate_strands
    FROM stage_lookup
),
dates AS (
    SELECT t, stage_plausible_date(t, $latest) AS day
    FROM (SELECT DISTINCT reported_on AS t FROM cells
          UNION SELECT DISTINCT occurred_on FROM cells)
),
areas AS (
    SELECT d.t, l.code
    FROM (SELECT DISTINCT area AS t FROM cells) AS d
    LEFT JOIN stage_lookup AS l ON l.vocabulary = 'area' AND l.key = stage_key(d.t)
),
crime_types AS (
    SELECT d.t, l.code
    FROM (SELECT DISTINCT crime_type AS t FROM cells) AS d
    LEFT JOIN stage_lookup AS l ON l.vocabulary = 'crime_type' AND l.key = stage_key(d.t)
),
outcomes AS (
    SELECT d.t, l.code
    FROM (SELECT DISTINCT outcome AS t FROM cells) AS d
    LEFT JOIN stage_lookup AS l ON l.vocabulary = 'outcome' AND l.key = stage_key(d.t)
),
age_bands AS (
    SELECT d.t, l.code
    FROM (SELECT DISTINCT age_band AS t FROM cells) AS d
    LEFT JOIN stage_lookup AS l ON l.vocabulary = 'age_band' AND l.key = stage_key(d.t)
),
hate_strands AS (
    SELECT t,
           coalesce(list_bool_or(list_transform(keys, lambda k: v.hate_strands[k] IS NULL)),
                    false) AS unknown,
           list_distinct(list_filter(list_transform(keys, lambda k: v.hate_strands[k]),
                                     lambda c: c IS NOT NULL)) AS codes
    FROM (SELECT t, stage_list_keys(t) AS keys
          FROM (SELECT DISTINCT hate_strands AS t FROM cells)), vocabularies AS v
),
-- Communities: blank or 'not_recorded' means not recorded, 'none' none of them; either
-- beside a community (or each other) is `mixed` (validation._parse_code_lists).
community_keys AS (
    SELECT t, keys,
           NOT coalesce(list_bool_and(list_transform(
               keys, lambda k: list_contains($not_recorded_words, k))), true) AS recorded,
           list_distinct(list_filter(
               keys, lambda k: list_contains($special_words, k))) AS special
    FROM (SELECT t, stage_list_keys(t) AS keys
          FROM (SELECT DISTINCT victim_communities AS t FROM cells))
),
community_lists AS (
    SELECT t, recorded,
           recorded AND len(special) > 0
               AND (len(special) > 1 OR len(special) < len(list_distinct(keys))) AS mixed,
           CASE WHEN recorded AND NOT (len(special) > 0
                    AND (len(special) > 1 OR len(special) < len(list_distinct(keys))))
                THEN list_filter(keys, lambda k: NOT list_contains($special_words, k))
                ELSE [] END AS kept
    FROM community_keys
),
victim_communities AS (
    SELECT t, recorded, mixed,
           coalesce(list_bool_or(list_transform(kept, lambda k: v.communities[k] IS NULL)),
                    false) AS unknown,
           list_distinct(list_filter(list_transform(kept, lambda k: v.communities[k]),
                                     lambda c: c IS NOT NULL)) AS codes
    FROM community_lists, vocabularies AS v
),
final AS (
    SELECT
        c.*,
        reported.day AS reported_day,
        occurred.day AS occurred_day,
        areas.code AS area_code,
        crime_types.code AS crime_type_code,
        hate_strands.unknown AS hate_strands_unknown,
        hate_strands.codes AS hate_strand_codes,
        victim_communities.recorded AS victim_community_recorded,
        victim_communities.mixed AS victim_communities_mixed,
        victim_communities.unknown AS victim_communities_unknown,
        victim_communities.codes AS victim_community_codes,
        outcomes.code AS outcome_code,
        age_bands.code AS age_band_code
    FROM cells AS c
    LEFT JOIN dates AS reported ON reported.t = c.reported_on
    LEFT JOIN dates AS occurred ON occurred.t = c.occurred_on
    LEFT JOIN areas ON areas.t = c.area
    LEFT JOIN crime_types ON crime_types.t = c.crime_type
    LEFT JOIN hate_strands ON hate_strands.t = c.hate_strands
    LEFT JOIN victim_communities ON victim_communities.t = c.victim_communities
    LEFT JOIN outcomes ON outcomes.t = c.outcome
    LEFT JOIN age_bands ON age_bands.t = c.age_band
)
SELECT * FROM final
