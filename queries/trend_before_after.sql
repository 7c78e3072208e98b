-- Contacts per community and channel (and crime reports per community) before and after
-- the campaign launch, with the days each period covers, for the rate ratio after/before.
--
-- The launch is the first campaign event of kind 'launch'. The periods run from the start
-- of the filter (or of the records, if later) to the day before the launch, and from the
-- launch to the end of the filter (or of the records, if earlier): months with no records
-- at all are outside what the data covers and would make every rate look lower.
-- channel 'all' rows hold every channel together; reports have no channel.
-- The comparator counts the records that say who was involved (the community field filled
-- in), as the overview and the monthly trends do.
-- The records come grouped by month (contact_groups / report_groups, macros.sql: the
-- rollups for whole months), each month wholly before or after the launch; the launch's
-- own month is split by it, so its records are read one by one (filtered_contacts /
-- filtered_reports within that month). Summed by side of the launch and kind of record
-- first, the groups are spread over the communities after. With no launch event every
-- record is on neither side (side 'none'), as before: its channel is listed, with zeros.
-- Parameters: $start_date, $end_date, $area_codes, $channels, $directions, $crime_types,
--             $hate_strands
-- Counts: before, after
-- Not counts: days_before, days_after
WITH launch AS (
    SELECT min(event_date) AS launch_date FROM campaign_events WHERE kind = 'launch'
),
spans AS (
    SELECT 'contacts' AS records,
           greatest(CAST($start_date AS DATE), min(contact_date)) AS first_day,
           least(CAST($end_date AS DATE), max(contact_date)) AS last_day
    FROM contacts
    UNION ALL
    SELECT 'reports', greatest(CAST($start_date AS DATE), min(reported_on)),
           least(CAST($end_date AS DATE), max(reported_on))
    FROM reports WHERE source = 'records_system'
),
periods AS (
    SELECT s.records, l.launch_date,
           CAST(greatest(l.launch_date - s.first_day, 0) AS INTEGER) AS days_before,
           CAST(greatest(s.last_day - l.launch_date + 1, 0) AS INTEGER) AS days_after
    FROM spans AS s CROSS JOIN launch AS l
),
-- The launch's month within the filter's period (none without a launch: least and
-- greatest would skip the NULL).
launch_month AS (
    SELECT CAST(date_trunc('month', launch_date) AS DATE) AS month,
           CASE WHEN launch_date IS NOT NULL
                THEN greatest(CAST($start_date AS DATE),
                              CAST(date_trunc('month', launch_date) AS DATE)) END AS first_day,
           CASE WHEN launch_date IS NOT NULL
                THEN least(CAST($end_date AS DATE), last_day(launch_date)) END AS last_day
    FROM launch
),
communities AS (
    -- Every registered community (bound from the registry), then the comparator.
    SELECT unnest(list_append(CAST($communities AS VARCHAR[]), $comparator)) AS community
),
contact_cells AS (
    SELECT CASE WHEN l.launch_date IS NULL THEN 'none'
                WHEN g.month < lm.month THEN 'before' ELSE 'after' END AS side,
           CAST(g.channel AS VARCHAR) AS channel, g.community_recorded AS recorded,
           CAST(g.communities AS VARCHAR[]) AS members, sum(g.n) AS n
    FROM contact_groups($start_date, $end_date, $area_codes, $channels, $directions) AS g
    CROSS JOIN launch AS l
    CROSS JOIN launch_month AS lm
    WHERE l.launch_date IS NULL OR g.month <> lm.month
    GROUP BY ALL
    UNION ALL
    SELECT CASE WHEN f.contact_date < l.launch_date THEN 'before' ELSE 'after' END,
           CAST(f.channel AS VARCHAR), f.community_recorded, CAST(f.communities AS VARCHAR[]),
           count(*)
    FROM filtered_contacts($start_date, $end_date, $area_codes, $channels, $directions) AS f
    JOIN launch_month AS lm ON f.contact_date BETWEEN lm.first_day AND lm.last_day
    CROSS JOIN launch AS l
    GROUP BY ALL
),
report_cells AS (
    SELECT CASE WHEN l.launch_date IS NULL THEN 'none'
                WHEN g.month < lm.month THEN 'before' ELSE 'after' END AS side,
           'all' AS channel, g.victim_community_recorded AS recorded,
           CAST(g.victim_communities AS VARCHAR[]) AS members, sum(g.n) AS n
    FROM report_groups($start_date, $end_date, $area_codes, $crime_types, $hate_strands) AS g
    CROSS JOIN launch AS l
    CROSS JOIN launch_month AS lm
    WHERE l.launch_date IS NULL OR g.month <> lm.month
    GROUP BY ALL
    UNION ALL
    SELECT CASE WHEN f.reported_on < l.launch_date THEN 'before' ELSE 'after' END, 'all',
           f.victim_community_recorded, CAST(f.victim_communities AS VARCHAR[]), count(*)
    FROM filtered_reports($start_date, $end_date, $area_codes, $crime_types, $hate_strands) AS f
    JOIN launch_month AS lm ON f.reported_on BETWEEN lm.first_day AND lm.last_day
    CROSS JOIN launch AS l
    GROUP BY ALL
),
-- Each contact group counts for its channel and for 'all' channels together.
tagged AS (
    SELECT 'contacts' AS records, ch.channel, c.community, x.side, x.n
    FROM contact_cells AS x
    CROSS JOIN communities AS c
    CROSS JOIN unnest([x.channel, 'all']) AS ch(channel)
    WHERE (c.community = $comparator AND x.recorded) OR list_contains(x.members, c.community)
    UNION ALL
    SELECT 'reports', x.channel, c.community, x.side, x.n
    FROM report_cells AS x
    CROSS JOIN communities AS c
    WHERE (c.community = $comparator AND x.recorded) OR list_contains(x.members, c.community)
),
-- Every community gets an 'all' row (zeros included); channels appear where they have records.
cells AS (
    SELECT DISTINCT records, channel FROM tagged
    UNION
    SELECT * FROM (VALUES ('contacts', 'all'), ('reports', 'all')) AS v(records, channel)
),
final AS (
    SELECT cl.records, c.community, cl.channel, p.launch_date,
           CAST(coalesce(sum(t.n) FILTER (WHERE t.side = 'before'), 0) AS BIGINT) AS before,
           CAST(coalesce(sum(t.n) FILTER (WHERE t.side = 'after'), 0) AS BIGINT) AS after,
           p.days_before, p.days_after
    FROM cells AS cl
    CROSS JOIN communities AS c
    JOIN periods AS p ON p.records = cl.records
    LEFT JOIN tagged AS t
           ON t.records = cl.records AND t.channel = cl.channel AND t.community = c.community
    GROUP BY ALL
)
SELECT * FROM final
ORDER BY records, CASE community WHEN $comparator THEN 1 ELSE 0 END, community,
         CASE channel WHEN 'all' THEN 0 ELSE 1 END, channel
