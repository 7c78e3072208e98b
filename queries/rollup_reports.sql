-- Add one import's reports to the report rollup ($sign 1, after loading them) or take them
-- away ($sign -1, before deleting them); with $import_id NULL, every report (the rollup is
-- emptied first: hidden_communities/rollups.py). As queries/rollup_contacts.sql: exact
-- because no grouped field of a stored report ever changes (an outcome update changes the
-- outcome, which the rollup does not keep).
-- Parameters: $import_id, $sign
MERGE INTO report_rollup AS r
USING (
    SELECT CAST(date_trunc('month', reported_on) AS DATE) AS month, area_code, source,
           crime_type, hate_strands, age_band, victim_community_recorded, victim_communities,
           $sign * count(*) AS n
    FROM reports
    WHERE $import_id IS NULL OR import_id = $import_id
    GROUP BY ALL
) AS d
ON r.month = d.month AND r.area_code IS NOT DISTINCT FROM d.area_code
   AND r.source = d.source AND r.crime_type = d.crime_type
   AND r.hate_strands = d.hate_strands AND r.age_band = d.age_band
   AND r.victim_community_recorded = d.victim_community_recorded
   AND r.victim_communities = d.victim_communities
WHEN MATCHED AND r.n + d.n = 0 THEN DELETE
WHEN MATCHED THEN UPDATE SET n = r.n + d.n
WHEN NOT MATCHED THEN INSERT (month, area_code, source, crime_type, hate_strands, age_band,
                              victim_community_recorded, victim_communities, n)
    VALUES (d.month, d.area_code, d.source, d.crime_type, d.hate_strands, d.age_band,
            d.victim_community_recorded, d.victim_communities, d.n)
