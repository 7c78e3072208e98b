-- Every contact with what its record key is computed from, for re-keying a database whose
-- keys were built the version 1 way (hidden_communities/schema.py). Codes come out as text
-- (as validation gives them), never as enum numbers. A contact logged through the form was
-- keyed by its submission's reference, which was never stored: its import, one per
-- submission, stands for it.
-- Parameters: none
-- Not counts: contact_id, people_reached
WITH final AS (
    SELECT c.contact_id, c.record_key AS old_key, c.contact_date, c.area_code, c.team,
           c.community_recorded, CAST(c.communities AS VARCHAR[]) AS communities,
           CAST(c.channel AS VARCHAR) AS channel, CAST(c.direction AS VARCHAR) AS direction,
           CAST(c.place_type AS VARCHAR) AS place_type, c.people_reached,
           CAST(c.language AS VARCHAR) AS language, CAST(c.topics AS VARCHAR[]) AS topics,
           c.follow_up_needed, c.note,
           CASE WHEN i.kind = 'form' THEN 'form import ' || c.import_id END AS entry_ref
    FROM contacts AS c
    LEFT JOIN imports AS i USING (import_id)
)
SELECT * FROM final
ORDER BY contact_id
