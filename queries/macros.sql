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

-- The pages about one district compare its records with that district's census baselines
-- (the `population` rows the database was built with). In a force or national database
-- records placed in other districts are left out of them, so counts and baselines are
-- about the same place; those districts are compared on the Districts compared page
-- (`*_groups_everywhere`). A record with no area, or an area of no district, stays in, as
-- it always has.
CREATE OR REPLACE MACRO in_home_district(district) AS
    district IS NULL OR district IN (
        SELECT a.district_code FROM areas AS a JOIN population AS p ON p.area_code = a.area_code
    );

-- The same test on a record's own area code, the one every record-reading macro uses: the areas
-- of other districts are few (a national database places most records at district level),
-- so leaving them out before grouping is cheap, and grouping a country's rows to keep one
-- district's is not.
CREATE OR REPLACE MACRO foreign_area_codes() AS TABLE
    SELECT a.area_code FROM areas AS a WHERE NOT in_home_district(a.district_code);

CREATE OR REPLACE MACRO in_home_area(area) AS
    area IS NULL OR area NOT IN (SELECT f.area_code FROM foreign_area_codes() AS f);

CREATE OR REPLACE MACRO filtered_contacts(start_date, end_date, area_codes, channels, directions) AS TABLE
    SELECT c.*, a.area_level, a.ward_code
    FROM contacts AS c
    LEFT JOIN areas AS a ON a.area_code = c.area_code
    WHERE c.contact_date BETWEEN start_date AND end_date
      AND in_home_area(c.area_code)
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
      AND in_home_area(r.area_code)
      AND in_areas(area_codes, r.area_code, a.ward_code)
      AND (len(CAST(crime_types AS VARCHAR[])) = 0
           OR list_contains(CAST(crime_types AS VARCHAR[]), CAST(r.crime_type AS VARCHAR)))
      AND (len(CAST(hate_strands AS VARCHAR[])) = 0
           OR list_has_any(CAST(r.hate_strands AS VARCHAR[]), CAST(hate_strands AS VARCHAR[])));

-- The same records grouped, for the queries that count them (schema version 4): one row
-- per calendar month and combination of fields, with `n` records, after the same filters
-- as filtered_contacts / filtered_reports. The calendar months wholly inside the period
-- come from the rollups (contact_rollup, report_rollup: a few thousand rows however many
-- records there are); the days of a month the period only partly covers, at either end,
-- come from the records themselves, grouped the same way, so a day-precise period counts
-- exactly what filtered_contacts / filtered_reports would. A query sums `n` where it
-- would have counted rows.
--
-- whole_months_from: the first day of the first month wholly inside a period starting on
-- first_day; whole_months_to: the day after the last month wholly inside a period ending
-- on last_day. When first_day is a month's 1st it starts a whole month; when last_day is a
-- month's last day it ends one. Every column is qualified: a macro's parameter would
-- stand in for a column of the same name (hate_strands).
CREATE OR REPLACE MACRO whole_months_from(first_day) AS
    CAST(date_trunc('month', CAST(first_day AS DATE) - 1) + INTERVAL 1 MONTH AS DATE);

CREATE OR REPLACE MACRO whole_months_to(last_day) AS
    CAST(date_trunc('month', CAST(last_day AS DATE) + 1) AS DATE);

-- The partly covered days are read as two plain ranges, the head [first_day,
-- head_last_day] and the tail [tail_first_day, last_day], which never overlap (with no
-- whole month between them both are cut at whole_months_from). A range that ends before it
-- starts is empty, and with the period's dates bound DuckDB sees that and reads nothing.
CREATE OR REPLACE MACRO head_last_day(first_day, last_day) AS
    least(CAST(last_day AS DATE), whole_months_from(first_day) - 1);

CREATE OR REPLACE MACRO tail_first_day(first_day, last_day) AS
    CASE WHEN first_day IS NOT NULL  -- greatest would skip it
         THEN greatest(CAST(first_day AS DATE), whole_months_from(first_day),
                       whole_months_to(last_day)) END;

CREATE OR REPLACE MACRO contact_groups_of(start_date, end_date, area_codes, channels, directions, home_only) AS TABLE
    WITH grouped AS (
        SELECT r.month, r.area_code, r.channel, r.direction, r.age_band,
               r.community_recorded, r.communities, r.n
        FROM contact_rollup AS r
        WHERE r.month >= whole_months_from(start_date) AND r.month < whole_months_to(end_date)
          AND (NOT home_only OR in_home_area(r.area_code))
        UNION ALL
        SELECT CAST(date_trunc('month', c.contact_date) AS DATE), c.area_code, c.channel,
               c.direction, c.age_band, c.community_recorded, c.communities, count(*)
        FROM contacts AS c
        WHERE c.contact_date BETWEEN start_date AND head_last_day(start_date, end_date)
          AND (NOT home_only OR in_home_area(c.area_code))
        GROUP BY ALL
        UNION ALL
        SELECT CAST(date_trunc('month', c.contact_date) AS DATE), c.area_code, c.channel,
               c.direction, c.age_band, c.community_recorded, c.communities, count(*)
        FROM contacts AS c
        WHERE c.contact_date BETWEEN tail_first_day(start_date, end_date) AND end_date
          AND (NOT home_only OR in_home_area(c.area_code))
        GROUP BY ALL
    )
    SELECT g.*, a.area_level, a.ward_code, a.msoa_code, a.district_code
    FROM grouped AS g
    LEFT JOIN areas AS a ON a.area_code = g.area_code
    WHERE in_areas(area_codes, g.area_code, a.ward_code)
      AND (len(CAST(channels AS VARCHAR[])) = 0
           OR list_contains(CAST(channels AS VARCHAR[]), CAST(g.channel AS VARCHAR)))
      AND (len(CAST(directions AS VARCHAR[])) = 0
           OR list_contains(CAST(directions AS VARCHAR[]), CAST(g.direction AS VARCHAR)));

-- Records-system reports only, as filtered_reports.
CREATE OR REPLACE MACRO report_groups_of(start_date, end_date, area_codes, crime_types, hate_strands, home_only) AS TABLE
    WITH grouped AS (
        SELECT r.month, r.area_code, r.crime_type, r.hate_strands, r.age_band,
               r.victim_community_recorded, r.victim_communities, r.n
        FROM report_rollup AS r
        WHERE r.source = 'records_system'
          AND r.month >= whole_months_from(start_date) AND r.month < whole_months_to(end_date)
          AND (NOT home_only OR in_home_area(r.area_code))
        UNION ALL
        SELECT CAST(date_trunc('month', p.reported_on) AS DATE), p.area_code, p.crime_type,
               p.hate_strands, p.age_band, p.victim_community_recorded, p.victim_communities,
               count(*)
        FROM reports AS p
        WHERE p.source = 'records_system'
          AND p.reported_on BETWEEN start_date AND head_last_day(start_date, end_date)
          AND (NOT home_only OR in_home_area(p.area_code))
        GROUP BY ALL
        UNION ALL
        SELECT CAST(date_trunc('month', p.reported_on) AS DATE), p.area_code, p.crime_type,
               p.hate_strands, p.age_band, p.victim_community_recorded, p.victim_communities,
               count(*)
        FROM reports AS p
        WHERE p.source = 'records_system'
          AND p.reported_on BETWEEN tail_first_day(start_date, end_date) AND end_date
          AND (NOT home_only OR in_home_area(p.area_code))
        GROUP BY ALL
    )
    SELECT g.*, a.area_level, a.ward_code, a.msoa_code, a.district_code
    FROM grouped AS g
    LEFT JOIN areas AS a ON a.area_code = g.area_code
    WHERE in_areas(area_codes, g.area_code, a.ward_code)
      AND (len(CAST(crime_types AS VARCHAR[])) = 0
           OR list_contains(CAST(crime_types AS VARCHAR[]), CAST(g.crime_type AS VARCHAR)))
      AND (len(CAST(hate_strands AS VARCHAR[])) = 0
           OR list_has_any(CAST(g.hate_strands AS VARCHAR[]), CAST(hate_strands AS VARCHAR[])));

-- home_only: the one-district pages' records (in_home_area, above), the others left out
-- before they are grouped; false for Districts compared, which reads every district (DuckDB
-- still plans the test's anti-join there, against the few areas of other districts).
CREATE OR REPLACE MACRO contact_groups_everywhere(start_date, end_date, area_codes, channels, directions) AS TABLE
    SELECT * FROM contact_groups_of(start_date, end_date, area_codes, channels, directions, false);

CREATE OR REPLACE MACRO report_groups_everywhere(start_date, end_date, area_codes, crime_types, hate_strands) AS TABLE
    SELECT * FROM report_groups_of(start_date, end_date, area_codes, crime_types, hate_strands, false);

CREATE OR REPLACE MACRO contact_groups(start_date, end_date, area_codes, channels, directions) AS TABLE
    SELECT * EXCLUDE (district_code)
    FROM contact_groups_of(start_date, end_date, area_codes, channels, directions, true);

CREATE OR REPLACE MACRO report_groups(start_date, end_date, area_codes, crime_types, hate_strands) AS TABLE
    SELECT * EXCLUDE (district_code)
    FROM report_groups_of(start_date, end_date, area_codes, crime_types, hate_strands, true);
