-- Each community's primary district baseline with the residents who did not answer the
-- question it rests on, where the census publishes that (the voluntary sexual orientation
-- and gender identity questions: measure '<primary>_not_answered'). They bound how far the
-- baseline could move: from none of them in the community to all of them.
-- Parameters: none
-- Not counts: residents, population_base, not_answered
WITH primary_baselines AS (
    SELECT CAST(m.community AS VARCHAR) AS community, m.measure, p.area_code,
           p.count AS residents, p.denominator AS population_base
    FROM measures AS m
    JOIN population AS p ON p.measure = m.measure
    JOIN areas AS a ON a.area_code = p.area_code AND a.area_level = 'district'
    WHERE m.is_primary
),
final AS (
    SELECT b.community, b.measure, b.residents, b.population_base,
           na.count AS not_answered, na.measure AS not_answered_measure,
           nm.label AS not_answered_label
    FROM primary_baselines AS b
    LEFT JOIN population AS na ON na.area_code = b.area_code
                              AND na.measure = b.measure || '_not_answered'
    LEFT JOIN measures AS nm ON nm.measure = na.measure
)
SELECT * FROM final
ORDER BY community
