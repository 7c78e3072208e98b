-- Every report with what its record key is computed from, for re-keying a database whose
-- keys were built the version 1 way (hidden_communities/schema.py). Codes come out as text
-- (as validation gives them), never as enum numbers.
-- Parameters: none
-- Not counts: report_id
WITH final AS (
    SELECT report_id, record_key AS old_key, CAST(source AS VARCHAR) AS source, reference,
           reported_on, CAST(date_precision AS VARCHAR) AS date_precision, occurred_on,
           area_code, team, CAST(crime_type AS VARCHAR) AS crime_type,
           CAST(hate_strands AS VARCHAR[]) AS hate_strands, victim_community_recorded,
           CAST(victim_communities AS VARCHAR[]) AS victim_communities,
           CAST(outcome AS VARCHAR) AS outcome
    FROM reports
)
SELECT * FROM final
ORDER BY report_id
