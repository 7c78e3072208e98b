-- Note the reports this load holds a newer outcome for: staged rows keyed by their
-- reference (`by_reference`) that match a report another import loaded, with a different
-- outcome. queries/refresh_outcomes.sql then applies them.
-- Parameters: $import_id
INSERT INTO outcome_updates (import_id, record_key, outcome_before, outcome_after)
WITH final AS (
    SELECT r.record_key, r.outcome AS outcome_before, CAST(s.outcome AS outcome) AS outcome_after
    FROM staged AS s
    JOIN reports AS r ON r.record_key = s.record_key
    WHERE s.by_reference AND r.import_id <> $import_id
      AND r.outcome <> CAST(s.outcome AS outcome)
)
SELECT $import_id, record_key, outcome_before, outcome_after FROM final
