-- Every report with the partition keys of a Parquet snapshot, as snapshot_contacts.sql: the
-- force of its district and the month it was reported in.
WITH final AS (
    SELECT r.*,
           coalesce(f.force_code, $unplaced_force) AS force,
           strftime(r.reported_on, '%Y-%m') AS month
    FROM reports AS r
    LEFT JOIN areas AS a ON a.area_code = r.area_code
    LEFT JOIN police_force_areas AS f ON f.district_code = a.district_code
)
SELECT * FROM final
ORDER BY report_id
