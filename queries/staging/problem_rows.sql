-- The rows with any problem (the frame `problems_found`, each problem's row place): the
-- load leaves them out, and a partial load gives them back as written.
CREATE TABLE problems AS
WITH final AS (
    SELECT DISTINCT CAST(pos AS BIGINT) AS pos FROM problems_found
)
SELECT * FROM final
