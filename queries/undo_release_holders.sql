-- Undoing an import: forget what it held, and the holdings that have just become a
-- record's own import (queries/undo_pass_on_*.sql).
-- Parameters: $import_id
DELETE FROM record_holders AS h
WHERE h.import_id = $import_id
   OR EXISTS (SELECT 1 FROM contacts AS c
              WHERE c.record_key = h.record_key AND c.import_id = h.import_id)
   OR EXISTS (SELECT 1 FROM reports AS r
              WHERE r.record_key = h.record_key AND r.import_id = h.import_id)
