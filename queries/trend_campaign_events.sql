-- Campaign milestones inside the filtered period, for the time axis of the trend charts.
-- Parameters: $start_date, $end_date
WITH events AS (
    SELECT event_date, CAST(kind AS VARCHAR) AS kind, title,
           CAST(communities AS VARCHAR[]) AS communities
    FROM campaign_events
    WHERE event_date BETWEEN CAST($start_date AS DATE) AND CAST($end_date AS DATE)
),
final AS (
    SELECT * FROM events
)
SELECT * FROM final
ORDER BY event_date, title
