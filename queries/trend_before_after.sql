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
-- Parameters: $start_date, $end_date, $area_codes, $channels, $directions, $crime_types,
--             $hate_strands
-- Counts: before, after
-- Not counts: days_before, days_after
WITH contacts_f AS (
    SELECT *
    FROM filtered_contacts($start_date, $end_date, $area_codes, $channels, $directions)
),
reports_f AS (
    SELECT *
    FROM filtered_reports($start_date, $end_date, $area_codes, $crime_types, $hate_strands)
),
launch AS (
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
communities AS (
    -- Every registered community (bound from the registry), then the comparator.
    SELECT unnest(list_append(CAST($communities AS VARCHAR[]), $comparator)) AS community
),
contact_rows AS (
    SELECT contact_date AS day, CAST(channel AS VARCHAR) AS channel,
           community_recorded AS recorded, CAST(communities AS VARCHAR[]) AS members
    FROM contacts_f
),
report_rows AS (
    SELECT reported_on AS day, 'all' AS channel,
           victim_community_recorded AS recorded, CAST(victim_communities AS VARCHAR[]) AS members
    FROM reports_f
),
tagged AS (
    SELECT 'contacts' AS records, channel, c.community, day
    FROM contact_rows, communities AS c
    WHERE (c.community = $comparator AND recorded) OR list_contains(members, c.community)
    UNION ALL
    SELECT 'contacts', 'all', c.community, day
    FROM contact_rows, communities AS c
    WHERE (c.community = $comparator AND recorded) OR list_contains(members, c.community)
    UNION ALL
    SELECT 'reports', channel, c.community, day
    FROM report_rows, communities AS c
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
           count(t.day) FILTER (WHERE t.day < p.launch_date) AS before,
           count(t.day) FILTER (WHERE t.day >= p.launch_date) AS after,
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
