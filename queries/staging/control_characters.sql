-- Cells of a staged file, in any column (loaded or not), that hold a control character:
-- C0 (U+0000-U+001F), DEL or C1 (U+0080-U+009F), once the cell is stripped; a multi-line
-- column (the note) may hold line breaks, a Windows one (CR LF) read as a plain one. A row
-- is looked at closely only when its cells hold one anywhere. `place` is the first one's
-- place in the stripped cell (from 1), `code_point` its code.
-- Parameters: $multiline (names of the columns that may hold line breaks)
WITH suspects AS (
    SELECT *
    FROM raw_rows
    WHERE regexp_matches(concat_ws('', *COLUMNS(* EXCLUDE (pos))), '[\x00-\x1f\x7f-\x{9f}]')
),
cells AS (
    UNPIVOT suspects ON COLUMNS(* EXCLUDE (pos)) INTO NAME column_name VALUE cell
),
stripped AS (
    SELECT pos, column_name, list_contains($multiline, column_name) AS multiline,
           CASE WHEN list_contains($multiline, column_name)
                THEN replace(stage_text(cell), chr(13) || chr(10), chr(10))
                ELSE stage_text(cell) END AS value
    FROM cells
),
found AS (
    SELECT pos, column_name, value,
           1 + CASE WHEN multiline
                    THEN length(regexp_extract(value, '^[^\x00-\x09\x0b-\x1f\x7f-\x{9f}]*'))
                    ELSE length(regexp_extract(value, '^[^\x00-\x1f\x7f-\x{9f}]*')) END AS place
    FROM stripped
),
final AS (
    SELECT pos, column_name, value, place, unicode(substr(value, place, 1)) AS code_point
    FROM found
    WHERE place <= length(value)
)
SELECT * FROM final
