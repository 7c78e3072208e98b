-- Record that this import also holds the staged records another import loaded first (the
-- registered frame `staged` has each row's record_key), so undoing that import keeps them.
-- Parameters: $import_id
INSERT INTO record_holders (record_key, import_id)
WITH final AS (
    SELECT s.record_key
    FROM staged AS s
    WHERE EXISTS (SELECT 1 FROM contacts AS c
                  WHERE c.record_key = s.record_key AND c.import_id <> $import_id)
       OR EXISTS (SELECT 1 FROM reports AS r
                  WHERE r.record_key = s.record_key AND r.import_id <> $import_id)
)
SELECT record_key, $import_id FROM final
