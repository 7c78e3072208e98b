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
-- The records come grouped (contact_groups / report_groups, macros.sql), read once for the
-- days before the launch and once for the days from it: the month of the launch is split
-- by it, so those macros count its records one by one, and every other whole month comes
-- from the rollups. Summed by side of the launch and kind of record first, the groups are
-- spread over the communities after. With no launch event every record is on neither
-- side (side 'none'), as before: its channel is listed, with zeros.
-- Parameters: $start_date, $end_date, $area_codes, $channels, $directions, $crime_types,
--             $hate_strands
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
-- The filter's period cut at the launch. least / greatest skip a NULL, so a missing launch
-- is spelt out: the whole period is one side ('none') and the other side is empty.
sides AS (
    SELECT CASE WHEN launch_date IS NULL THEN 'none' ELSE 'before' END AS first_side,
           CASE WHEN launch_date IS NULL THEN CAST($end_date AS DATE)
                ELSE least(CAST($end_date AS DATE), launch_date - 1) END AS before_end,
           CASE WHEN launch_date IS NOT NULL
                THEN greatest(CAST($start_date AS DATE), launch_date) END AS after_start
    FROM launch
),
communities AS (
    -- Every registered community (bound from the registry), then the comparator.
    SELECT unnest(list_append(CAST($communities AS VARCHAR[]), $comparator)) AS community
),
contact_cells AS (
    SELECT (SELECT first_side FROM sides) AS side, CAST(channel AS VARCHAR) AS channel,
           community_recorded AS recorded, CAST(communities AS VARCHAR[]) AS members,
           sum(n) AS n
    FROM contact_groups($start_date, (SELECT before_end FROM sides), $area_codes, $channels,
                        $directions)
    GROUP BY ALL
    UNION ALL
    SELECT 'after', CAST(channel AS VARCHAR), community_recorded,
           CAST(communities AS VARCHAR[]), sum(n)
    FROM contact_groups((SELECT after_start FROM sides), $end_date, $area_codes, $channels,
                        $directions)
    GROUP BY ALL
),
report_cells AS (
    SELECT (SELECT first_side FROM sides) AS side, 'all' AS channel,
           victim_community_recorded AS recorded,
           CAST(victim_communities AS VARCHAR[]) AS members, sum(n) AS n
    FROM report_groups($start_date, (SELECT before_end FROM sides), $area_codes,
                       $crime_types, $hate_strands)
    GROUP BY ALL
    UNION ALL
    SELECT 'after', 'all', victim_community_recorded,
           CAST(victim_communities AS VARCHAR[]), sum(n)
    FROM report_groups((SELECT after_start FROM sides), $end_date, $area_codes,
                       $crime_types, $hate_strands)
    GROUP BY ALL
),
tagged AS (
    SELECT 'contacts' AS records, channel, c.community, side, n
    FROM contact_cells, communities AS c
    WHERE (c.community = $comparator AND recorded) OR list_contains(members, c.community)
    UNION ALL
    SELECT 'contacts', 'all', c.community, side, n
    FROM contact_cells, communities AS c
    WHERE (c.community = $comparator AND recorded) OR list_contains(members, c.community)
    UNION ALL
    SELECT 'reports', channel, c.community, side, n
    FROM report_cells, communities AS c
    WHERE (c.community = $comparator AND recorded) OR list_contains(members, c.community)
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
