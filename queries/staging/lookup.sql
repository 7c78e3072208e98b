-- Every key a coded cell may be read as, per vocabulary (codes and labels compared without
-- case or punctuation, area codes and names, data.police.uk outcome categories, the
-- district's LSOA codes), from the frame `lookup_rows` staged_checks.py builds with
-- validation.py's own lookups.
CREATE TABLE stage_lookup AS
WITH final AS (
    SELECT CAST(vocabulary AS VARCHAR) AS vocabulary, CAST(key AS VARCHAR) AS key,
           CAST(code AS VARCHAR) AS code
    FROM lookup_rows
)
SELECT * FROM final
