-- The live (not undone) import of this kind that loaded a file with this content, if any,
-- and how many rows the file had (loading.previous_load answers a second load with it).
-- Parameters: $kind, $file_sha256
-- Not counts: import_id, rows_in_file
WITH final AS (
    SELECT import_id, rows_in_file
    FROM imports
    WHERE kind = $kind AND file_sha256 = $file_sha256 AND undone_at IS NULL
    ORDER BY import_id
    LIMIT 1
)
SELECT * FROM final
