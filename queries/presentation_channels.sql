-- Contacts with any of the registered communities by channel, for the presentation's
-- "what we are doing" slide: a contact naming two communities counts once. Every channel
-- of the vocabulary is listed, zeros included. The presentation publishes these counts
-- before anything is computed from them.
-- Parameters: $start_date, $end_date
-- Counts: contacts
WITH contact_rows AS (
    SELECT CAST(channel AS VARCHAR) AS channel
    FROM contacts
    WHERE contact_date BETWEEN CAST($start_date AS DATE) AND CAST($end_date AS DATE)
      AND in_home_area(area_code)  -- the district's own records (macros.sql)
      AND list_has_any(CAST(communities AS VARCHAR[]), CAST($communities AS VARCHAR[]))
),
channels AS (
    SELECT CAST(unnest(enum_range(NULL::channel)) AS VARCHAR) AS channel
),
final AS (
    SELECT ch.channel, count(r.channel) AS contacts
    FROM channels AS ch
    LEFT JOIN contact_rows AS r ON r.channel = ch.channel
    GROUP BY ALL
)
SELECT * FROM final
ORDER BY contacts DESC, channel
