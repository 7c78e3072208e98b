-- Contacts for the Priorities page, one row per kind of contact (the same communities,
-- recording, topics and weight) with how many there are: the bootstrap resamples contacts,
-- and contacts of one kind are exchangeable. The weight is 1 (every contact once) or the
-- people reached, as the user chooses.
-- Parameters: $start_date, $end_date, $area_codes, $channels, $directions, $by_people
-- Counts: contacts
-- Not counts: weight
SELECT list_sort(CAST(communities AS VARCHAR[])) AS communities,
       community_recorded,
       list_sort(CAST(topics AS VARCHAR[])) AS topics,
       CASE WHEN $by_people THEN people_reached ELSE 1 END AS weight,
       count(*) AS contacts
FROM filtered_contacts($start_date, $end_date, $area_codes, $channels, $directions)
WHERE len(topics) > 0
GROUP BY ALL
ORDER BY ALL
