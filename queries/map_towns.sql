-- Town label points for the maps, so residents can find their way around.
-- Parameters: none
-- Not counts: label_lon, label_lat
WITH final AS (
    SELECT town, label_lon, label_lat FROM towns
)
SELECT * FROM final
ORDER BY town
