-- The live (not undone) import of this kind that loaded a file with this content, if any.
-- Parameters: $kind, $file_sha256
WITH final AS (
    SELECT import_id, rows_in_file
    FROM imports
    WHERE kind = $kind AND file_sha256 = $file_sha256 AND undone_at IS NULL
    ORDER BY import_id
    LIMIT 1
)
SELECT * FROM final
