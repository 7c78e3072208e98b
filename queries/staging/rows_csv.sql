-- The staged CSV's rows under the header (queries/staging/read_csv.sql), each with its place
-- under the header (`pos`, row number pos + 2), its cells in file order. A row with no value
-- in any cell is left out, but keeps its number, as the Python reader does.
CREATE VIEW raw_rows AS
WITH numbered AS (
    SELECT rowid - 1 AS pos, * EXCLUDE (stage_overflow) FROM upload
),
valued AS (
    SELECT greatest(*COLUMNS(* EXCLUDE (pos))) AS greatest_value, * FROM numbered
),
final AS (
    SELECT * EXCLUDE (greatest_value)
    FROM valued
    WHERE pos >= 0 AND greatest_value <> ''
)
SELECT * FROM final
