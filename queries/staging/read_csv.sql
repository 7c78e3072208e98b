-- An uploaded CSV's cells exactly as written, into the staging table `upload` (on a
-- staging connection of its own, see hidden_communities/staging.py): every column as text
-- with no type guessing, strict RFC 4180 quoting ("" inside quotes), a short row padded.
-- Row 0 is the header, which staging.py reads itself. Insertion order is kept, so a row's
-- rowid is its place in the file.
--
-- Two settings make DuckDB as strict as Python's csv module, where it is not by itself:
-- - one column more than the header (`stage_overflow`): DuckDB drops empty cells beyond
--   the columns it is given, so a row ending in an extra comma would pass unseen;
-- - a null marker no file holds ($null_marker): an empty cell is read as '', and only a
--   padded one (a short row) as null, so the extra column tells the two apart.
-- It reads in parallel (on one thread DuckDB lets a quote that is never closed end the
-- file), which refuses a quoted line break in a padded file: Python's reader takes those.
-- Parameters: $path (the file, bound like every value), $delimiter, $columns (name ->
-- VARCHAR, one per header cell, then stage_overflow), $null_marker
CREATE TABLE upload AS
SELECT *
FROM read_csv(
    $path,
    header = false,
    auto_detect = false,
    all_varchar = true,
    delim = $delimiter,
    quote = '"',
    escape = '"',
    strict_mode = true,
    null_padding = true,
    nullstr = $null_marker,
    parallel = true,
    columns = $columns
)
