-- Undoing a load: where a later live load has updated the same report since, the report
-- keeps that newer outcome, and undoing the later load will put back what this one found.
-- Parameters: $import_id
UPDATE outcome_updates AS later SET outcome_before = mine.outcome_before
FROM outcome_updates AS mine
WHERE mine.import_id = $import_id
  AND later.record_key = mine.record_key
  AND later.import_id = (
      SELECT min(u.import_id)
      FROM outcome_updates AS u
      JOIN imports AS i ON i.import_id = u.import_id
      WHERE u.record_key = mine.record_key AND u.import_id > $import_id AND i.undone_at IS NULL
  )
