-- Undoing an import: its reports that another live import also holds pass to the earliest
-- such import instead of being deleted (holders are always live: see record_holders).
-- Parameters: $import_id
UPDATE reports SET import_id = h.import_id
FROM (
    SELECT record_key, min(import_id) AS import_id
    FROM record_holders
    WHERE import_id <> $import_id
    GROUP BY record_key
) AS h
WHERE reports.import_id = $import_id AND reports.record_key = h.record_key
