-- Every contact with the partition keys of a Parquet snapshot (hidden_communities/snapshots.py):
-- the police force area of its district (data/reference/police_force_areas.csv, registered
-- as police_force_areas) and its month. A contact with no area, or an area the lookup does
-- not know, is filed under $unplaced_force.
WITH final AS (
    SELECT c.*,
           coalesce(f.force_code, $unplaced_force) AS force,
           strftime(c.contact_date, '%Y-%m') AS month
    FROM contacts AS c
    LEFT JOIN areas AS a ON a.area_code = c.area_code
    LEFT JOIN police_force_areas AS f ON f.district_code = a.district_code
)
SELECT * FROM final
ORDER BY contact_id
