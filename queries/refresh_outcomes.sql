-- Give reports the newer outcomes this load noted (queries/refresh_outcomes_note.sql).
-- Parameters: $import_id
UPDATE reports SET outcome = u.outcome_after
FROM outcome_updates AS u
WHERE u.import_id = $import_id AND reports.record_key = u.record_key
