-- Contacts a calendar quarter per community, for the presentation's "how contact has
-- changed since the campaign began" slide. Every quarter from $start_date to $end_date is
-- listed for every registered community, so a quarter with no contact shows as zero. A
-- contact that names two communities counts for each. The presentation publishes these
-- counts (rounded to 5, withheld under 10) before anything is computed from them.
-- Parameters: $start_date, $end_date (whole quarters)
-- Counts: contacts
WITH quarters AS (
    SELECT CAST(q AS DATE) AS quarter
    FROM generate_series(date_trunc('quarter', CAST($start_date AS DATE)),
                         date_trunc('quarter', CAST($end_date AS DATE)),
                         INTERVAL 3 MONTH) AS g(q)
),
communities AS (
    SELECT unnest(CAST($communities AS VARCHAR[])) AS community
),
contact_rows AS (
    SELECT CAST(date_trunc('quarter', contact_date) AS DATE) AS quarter,
           CAST(communities AS VARCHAR[]) AS members
    FROM contacts
    WHERE contact_date BETWEEN CAST($start_date AS DATE) AND CAST($end_date AS DATE)
      AND in_home_area(area_code)  -- the district's own records (macros.sql)
),
final AS (
    SELECT q.quarter, c.community,
           count(r.quarter) FILTER (WHERE list_contains(r.members, c.community)) AS contacts
    FROM quarters AS q
    CROSS JOIN communities AS c
    LEFT JOIN contact_rows AS r ON r.quarter = q.quarter
    GROUP BY ALL
)
SELECT * FROM final
ORDER BY quarter, list_position(CAST($communities AS VARCHAR[]), community)
