-- Filtered views of the record tables, shared by every query so that a filter means the
-- same thing on every page. Created with the schema, and refreshed whenever the app opens
-- the database for writing.
--
-- An area filter lists ward or LSOA codes (empty = the whole district). A record matches
-- when its own area is listed, or its LSOA lies in a listed ward; a record placed only at
-- ward level never matches an LSOA filter, since it cannot be put inside one LSOA.

-- The list arguments may be bound as empty Python lists, which carry no type: each is
-- cast to VARCHAR[] here, once, rather than in every query.
CREATE OR REPLACE MACRO in_areas(area_codes, rec_area, rec_ward) AS
    len(CAST(area_codes AS VARCHAR[])) = 0
    OR list_contains(CAST(area_codes AS VARCHAR[]), rec_area)
    OR list_contains(CAST(area_codes AS VARCHAR[]), rec_ward);

CREATE OR REPLACE MACRO filtered_contacts(start_date, end_date, area_codes, channels, directions) AS TABLE
    SELECT c.*, a.area_level, a.ward_code
    FROM contacts AS c
    LEFT JOIN areas AS a ON a.area_code = c.area_code
    WHERE c.contact_date BETWEEN start_date AND end_date
      AND in_areas(area_codes, c.area_code, a.ward_code)
      AND (len(CAST(channels AS VARCHAR[])) = 0
           OR list_contains(CAST(channels AS VARCHAR[]), CAST(c.channel AS VARCHAR)))
      AND (len(CAST(directions AS VARCHAR[])) = 0
           OR list_contains(CAST(directions AS VARCHAR[]), CAST(c.direction AS VARCHAR)));

-- Reports from the force records system (the source that records victims' communities);
-- data.police.uk rows are the all-resident comparator and are queried separately.
CREATE OR REPLACE MACRO filtered_reports(start_date, end_date, area_codes, crime_types, hate_strands) AS TABLE
    SELECT r.*, a.area_level, a.ward_code
    FROM reports AS r
    LEFT JOIN areas AS a ON a.area_code = r.area_code
    WHERE r.source = 'records_system'
      AND r.reported_on BETWEEN start_date AND end_date
      AND in_areas(area_codes, r.area_code, a.ward_code)
      AND (len(CAST(crime_types AS VARCHAR[])) = 0
           OR list_contains(CAST(crime_types AS VARCHAR[]), CAST(r.crime_type AS VARCHAR)))
      AND (len(CAST(hate_strands AS VARCHAR[])) = 0
           OR list_has_any(CAST(r.hate_strands AS VARCHAR[]), CAST(hate_strands AS VARCHAR[])));
