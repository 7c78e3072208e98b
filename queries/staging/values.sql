-- Each distinct text of each coded, dated or numbered column of a staged file
-- (`stage_texts`, queries/staging/texts_<kind>.sql) read once, however many rows repeat it:
-- stripped, then the day, number, yes/no, code or codes it holds, as validation.py reads
-- them, and its part of the record's identity as hidden_communities/record_keys.py writes
-- it. Rows then refer to it by `id` (queries/staging/check_<kind>.sql).
--
-- `parse` says how a column is read: date (dd/mm/yyyy or yyyy-mm-dd), month (yyyy-mm),
-- int (people reached), bool (yes/no), code (one code or label of `vocabulary`), codes
-- (a list of them), communities (a list, where blank or 'not_recorded' means not recorded
-- and 'none' none of them: either beside a community, or each other, is `mixed`), lsoa
-- (an LSOA code of the district, in any case). `field` is the column's name in the
-- identity.
-- Parameters: $latest (a year after today), $not_recorded_words, $special_words,
-- $true_words (validation.py's word lists)
CREATE TABLE stage_values AS
WITH vocabularies AS (
    SELECT vocabulary, map(list(key), list(code)) AS lookup
    FROM stage_lookup
    GROUP BY vocabulary
),
texts AS (
    SELECT s.column_name, s.parse, s.field, s.raw, stage_text(s.raw) AS t,
           row_number() OVER () AS id, v.lookup
    FROM stage_texts AS s
    LEFT JOIN vocabularies AS v USING (vocabulary)
),
listed AS (
    SELECT *,
           CASE WHEN parse IN ('codes', 'communities') THEN stage_list_keys(t) END AS keys
    FROM texts
),
communities AS (
    SELECT *,
           CASE WHEN parse = 'communities'
                THEN NOT coalesce(list_bool_and(list_transform(
                         keys, lambda k: list_contains($not_recorded_words, k))), true)
                ELSE true END AS recorded,
           CASE WHEN parse = 'communities'
                THEN list_distinct(list_filter(
                         keys, lambda k: list_contains($special_words, k)))
                ELSE [] END AS special
    FROM listed
),
mixed AS (
    SELECT *,
           recorded AND len(special) > 0
               AND (len(special) > 1 OR len(special) < len(list_distinct(keys))) AS mixed
    FROM communities
),
parsed AS (
    SELECT
        column_name, parse, field, raw, t, id, recorded, mixed, lookup,
        CASE parse
            WHEN 'date' THEN stage_plausible_date(t, $latest)
            WHEN 'month' THEN stage_plausible_month(t, $latest)
        END AS day,
        CASE WHEN parse = 'int' THEN stage_number(t) END AS number,
        CASE WHEN parse = 'bool' THEN lower(t) END AS word,
        CASE parse
            WHEN 'code' THEN lookup[stage_key(t)]
            WHEN 'lsoa' THEN lookup[upper(t)]
        END AS code,
        CASE parse
            WHEN 'codes' THEN keys
            WHEN 'communities' THEN (
                CASE WHEN NOT recorded OR mixed THEN []::VARCHAR[]
                     ELSE list_filter(keys, lambda k: NOT list_contains($special_words, k)) END)
        END AS kept
    FROM mixed
),
coded AS (
    SELECT *,
           coalesce(list_bool_or(list_transform(kept, lambda k: lookup[k] IS NULL)),
                    false) AS unknown,
           list_distinct(list_filter(list_transform(kept, lambda k: lookup[k]),
                                     lambda c: c IS NOT NULL)) AS codes
    FROM parsed
),
final AS (
    SELECT
        column_name, raw, t, id, day, number, word, code, recorded, mixed, unknown, codes,
        CASE
            WHEN parse IN ('date', 'month') THEN stage_date_field(field, day)
            WHEN parse = 'int' THEN stage_int_field(
                field, CASE WHEN stage_whole(number) AND number BETWEEN 1 AND 5000
                            THEN number END)
            WHEN parse = 'bool' THEN stage_bool_field(field, list_contains($true_words, word))
            -- The age band joins the identity only when recorded (record_keys.py).
            WHEN field = 'age_band' THEN (
                CASE WHEN coalesce(code, 'not_recorded') <> 'not_recorded'
                     THEN ',' || stage_text_field(field, code) ELSE '' END)
            WHEN parse IN ('code', 'lsoa') THEN stage_text_field(field, code)
            WHEN parse = 'codes' THEN stage_list_field(field, codes)
            WHEN parse = 'communities' THEN
                stage_bool_field(CASE field WHEN 'communities' THEN 'community_recorded'
                                            ELSE 'victim_community_recorded' END, recorded)
                || ',' || stage_list_field(field, codes)
        END AS part
    FROM coded
)
SELECT * FROM final
