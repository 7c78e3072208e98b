-- How many contacts raised each topic, per group, for the presentation's "what residents
-- tell us" and "whose voice sets priorities" slides: each registered community (a contact
-- naming two communities counts for each), $remainder (the community was recorded and is
-- none of them), $unrecorded (the community was not recorded) and $everyone (every contact
-- once). A contact raising two topics counts for each topic. Every group has a row for
-- every topic, zeros included. The presentation publishes these counts before ranking.
-- Parameters: $start_date, $end_date, $remainder, $unrecorded, $everyone
-- Counts: mentions
WITH contact_rows AS (
    SELECT CAST(communities AS VARCHAR[]) AS members, community_recorded AS recorded,
           CAST(topics AS VARCHAR[]) AS raised
    FROM contacts
    WHERE contact_date BETWEEN CAST($start_date AS DATE) AND CAST($end_date AS DATE)
      AND in_home_area(area_code)  -- the district's own records (macros.sql)
      AND len(topics) > 0
),
grouped AS (
    SELECT unnest(CASE WHEN len(members) > 0 THEN members
                       WHEN recorded THEN [$remainder]
                       ELSE [$unrecorded] END) AS grp, raised
    FROM contact_rows
    UNION ALL
    SELECT $everyone, raised FROM contact_rows
),
mentions AS (
    SELECT grp, unnest(raised) AS topic FROM grouped
),
groups AS (
    SELECT unnest(list_concat(CAST($communities AS VARCHAR[]),
                              [$remainder, $unrecorded, $everyone])) AS grp
),
topics AS (
    SELECT unnest(enum_range(NULL::topic)) AS topic
),
final AS (
    SELECT g.grp AS community, CAST(t.topic AS VARCHAR) AS topic,
           count(m.topic) AS mentions
    FROM groups AS g
    CROSS JOIN topics AS t
    LEFT JOIN mentions AS m ON m.grp = g.grp AND m.topic = CAST(t.topic AS VARCHAR)
    GROUP BY ALL
)
SELECT * FROM final
ORDER BY community, topic
