-- The national demonstration's crime reports, as national_demo_contacts.sql: victims'
-- communities as a bit mask over $communities, at most one hate-crime strand.
-- Parameters: $import_id, $communities
INSERT INTO reports (record_key, import_id, source, reported_on, date_precision, occurred_on,
                     area_code, crime_type, hate_strands, victim_community_recorded,
                     victim_communities, outcome, age_band)
SELECT printf('national-demonstration/%d/%d', $import_id, i.row), $import_id,
       'records_system', i.reported_on, 'day', i.occurred_on, i.area_code,
       CAST(i.crime_type AS crime_type),
       CAST(CASE WHEN i.strand IS NULL THEN [] ELSE [i.strand] END AS hate_strand[]),
       i.recorded,
       CAST(list_filter($communities, lambda x, k: (i.members >> (k - 1)) & 1 = 1)
            AS community[]),
       CAST(i.outcome AS outcome), CAST(i.age_band AS age_band)
FROM incoming AS i
ORDER BY i.row
