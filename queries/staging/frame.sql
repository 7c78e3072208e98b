-- The text cells a Python reader returned (a workbook, or a CSV DuckDB does not read alike;
-- see hidden_communities/staging.py), registered as `upload_frame` with each row's place
-- under the header in `pos` and the cells in columns named as staging.py names them.
CREATE TABLE upload AS
SELECT pos, CAST(COLUMNS(* EXCLUDE (pos)) AS VARCHAR)
FROM upload_frame
