-- A national demonstration database places its records in districts directly: every
-- district of England and Wales not yet in `areas` joins it as a district-level area
-- (its own district), so records can name it (hidden_communities/national_demo.py).
-- Parameters: none
INSERT INTO areas (area_code, area_level, area_name, district_code, label_lon, label_lat)
SELECT d.district_code, 'district', d.district_name, d.district_code, d.label_lon, d.label_lat
FROM districts AS d
WHERE d.district_code NOT IN (SELECT area_code FROM areas)
ORDER BY d.district_code
