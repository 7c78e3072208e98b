-- The staged file's own cells, once the checks have read them (or when the Python reader is
-- to read the file instead): DuckDB has the memory back.
DROP VIEW IF EXISTS raw_rows;
DROP TABLE IF EXISTS upload;
