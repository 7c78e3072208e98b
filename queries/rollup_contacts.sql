-- Add one import's contacts to the contact rollup ($sign 1, after loading them) or take
-- them away ($sign -1, before deleting them); with $import_id NULL, every contact (the
-- rollup is emptied first: hidden_communities/rollups.py). A group whose count falls to
-- zero is deleted, so the rollup holds exactly the combinations that have records.
-- Exact because none of the grouped fields ever changes on a stored record: a write only
-- inserts records, deletes them, or changes fields the rollup does not keep (import_id on
-- an undo's pass-on, outcome, record_key).
-- Parameters: $import_id, $sign
MERGE INTO contact_rollup AS r
USING (
    SELECT CAST(date_trunc('month', contact_date) AS DATE) AS month, area_code, channel,
           direction, age_band, community_recorded, communities, $sign * count(*) AS n
    FROM contacts
    WHERE $import_id IS NULL OR import_id = $import_id
    GROUP BY ALL
) AS d
ON r.month = d.month AND r.area_code IS NOT DISTINCT FROM d.area_code
   AND r.channel = d.channel AND r.direction = d.direction AND r.age_band = d.age_band
   AND r.community_recorded = d.community_recorded AND r.communities = d.communities
WHEN MATCHED AND r.n + d.n = 0 THEN DELETE
WHEN MATCHED THEN UPDATE SET n = r.n + d.n
-- A negative count here would mean the rollup had drifted: the CHECK (n > 0) refuses it,
-- and the write's transaction is rolled back.
WHEN NOT MATCHED THEN INSERT (month, area_code, channel, direction, age_band,
                              community_recorded, communities, n)
    VALUES (d.month, d.area_code, d.channel, d.direction, d.age_band, d.community_recorded,
            d.communities, d.n)
