-- What the database holds: record counts and date range, and whether any live import is
-- demonstration data (the app then shows its banner). `version` changes with every load
-- or undo, so cached query results are refreshed at once.
-- Counts: contacts, reports
-- Not counts: demonstration_imports
WITH live AS (
    SELECT * FROM imports WHERE undone_at IS NULL
),
final AS (
    SELECT
        (SELECT count(*) FROM contacts) AS contacts,
        (SELECT count(*) FROM reports) AS reports,
        (SELECT count(*) FROM live WHERE is_demonstration) AS demonstration_imports,
        (SELECT least(min(c.contact_date), (SELECT min(reported_on) FROM reports))
         FROM contacts AS c) AS first_date,
        (SELECT greatest(max(c.contact_date), (SELECT max(reported_on) FROM reports))
         FROM contacts AS c) AS last_date,
        (SELECT count(*) || '-' || coalesce(max(import_id), 0) || '-' || count(undone_at)
         FROM imports) AS version
)
SELECT * FROM final
