-- Every load, newest first, with what happened to its rows (the Data page's list).
-- Not counts: import_id, rows_in_file, rows_accepted, rows_duplicate, rows_updated,
--     rows_rejected, rows_outside_area
WITH final AS (
    SELECT import_id, kind, file_name, loaded_at, loaded_by, rows_in_file, rows_accepted,
           rows_duplicate, rows_updated, rows_rejected, rows_outside_area, is_demonstration,
           undone_at, undone_by
    FROM imports
)
SELECT * FROM final
ORDER BY import_id DESC
