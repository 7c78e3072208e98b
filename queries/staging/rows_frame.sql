-- The staged rows of a Python reader (queries/staging/frame.sql): it has left out the blank
-- rows already, keeping each row's place under the header in `pos`.
CREATE VIEW raw_rows AS
WITH final AS (
    SELECT * FROM upload
)
SELECT * FROM final
