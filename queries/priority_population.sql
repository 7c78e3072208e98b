-- Each community's residents and population base in the district, by its primary census
-- measure (as on the Overview), for the reweighting of contact topics.
-- Parameters: none ($comparator is bound from the registry)
-- Not counts: residents, population_base
SELECT CAST(m.community AS VARCHAR) AS community, p.count AS residents,
       p.denominator AS population_base
FROM measures AS m
JOIN population AS p ON p.measure = m.measure
JOIN areas AS a ON a.area_code = p.area_code AND a.area_level = 'district'
WHERE m.is_primary AND CAST(m.community AS VARCHAR) <> $comparator
ORDER BY community
