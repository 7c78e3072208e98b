-- Undoing a load: where its outcome update is the latest one still live, put the outcome
-- back to what it was before it.
-- Parameters: $import_id
UPDATE reports SET outcome = mine.outcome_before
FROM outcome_updates AS mine
WHERE mine.import_id = $import_id
  AND reports.record_key = mine.record_key
  AND NOT EXISTS (
      SELECT 1
      FROM outcome_updates AS later
      JOIN imports AS i ON i.import_id = later.import_id
      WHERE later.record_key = mine.record_key AND later.import_id > $import_id
        AND i.undone_at IS NULL
  )
