-- The national demonstration's contacts, generated in bulk (hidden_communities/national_demo.py)
-- and registered as `incoming`: one row a contact with its fields as codes, its
-- communities as a bit mask over the registry's $communities (bit i-1 for the i-th) and
-- its topics as one or two codes. The record key names the generator's import and row.
-- Parameters: $import_id, $communities
INSERT INTO contacts (record_key, import_id, contact_date, area_code, community_recorded,
                      communities, channel, direction, place_type, people_reached, language,
                      topics, follow_up_needed, age_band)
SELECT printf('national-demonstration/%d/%d', $import_id, i.row), $import_id, i.contact_date,
       i.area_code, i.recorded,
       CAST(list_filter($communities, lambda x, k: (i.members >> (k - 1)) & 1 = 1)
            AS community[]),
       CAST(i.channel AS channel), CAST(i.direction AS direction),
       CAST(i.place_type AS place_type), i.people_reached, CAST(i.language AS language),
       CAST(CASE WHEN i.topic_2 IS NULL
                   OR CAST(i.topic_2 AS VARCHAR) = CAST(i.topic_1 AS VARCHAR)
                 THEN [CAST(i.topic_1 AS VARCHAR)]
                 ELSE [CAST(i.topic_1 AS VARCHAR), CAST(i.topic_2 AS VARCHAR)] END AS topic[]),
       i.follow_up, CAST(i.age_band AS age_band)
FROM incoming AS i
ORDER BY i.row
