-- Every census measure of every community for the whole district: its count and its own
-- denominator (the measure's universe: all residents, residents aged 16+, or aged 3+ for
-- main language), for the census-measure choice and the sensitivity table.
-- Parameters: none
-- Not counts: residents, population_base
SELECT CAST(m.community AS VARCHAR) AS community, m.measure, m.label AS measure_label,
       m.universe, p.count AS residents, p.denominator AS population_base
FROM measures AS m
JOIN population AS p ON p.measure = m.measure
JOIN areas AS a ON a.area_code = p.area_code AND a.area_level = 'district'
ORDER BY community, measure
