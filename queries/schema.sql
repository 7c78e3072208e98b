-- The database schema. The enum types it uses are created first, from
-- hidden_communities/vocab.py (see hidden_communities/schema.py), so the allowed
-- values live in one place and the database itself refuses anything else.

CREATE SEQUENCE IF NOT EXISTS import_id_seq START 1;
CREATE SEQUENCE IF NOT EXISTS contact_id_seq START 1;
CREATE SEQUENCE IF NOT EXISTS report_id_seq START 1;

-- One row per load: who, when, which file, and what happened to its rows.
-- Records point to their import by import_id without a declared foreign key: DuckDB
-- refuses to update a referenced row in the transaction that deletes its records, which
-- is exactly what an undo does. tests/test_integrity.py checks the relationship instead.
CREATE TABLE IF NOT EXISTS imports (
    import_id        INTEGER PRIMARY KEY DEFAULT nextval('import_id_seq'),
    kind             import_kind NOT NULL,
    file_name        VARCHAR NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
    file_sha256      VARCHAR NOT NULL CHECK (regexp_full_match(file_sha256, '[0-9a-f]{64}')),
    loaded_at        TIMESTAMP NOT NULL,
    loaded_by        VARCHAR NOT NULL CHECK (length(loaded_by) BETWEEN 1 AND 100),
    rows_in_file     INTEGER NOT NULL CHECK (rows_in_file >= 0),
    rows_accepted    INTEGER NOT NULL CHECK (rows_accepted >= 0),
    rows_duplicate   INTEGER NOT NULL CHECK (rows_duplicate >= 0),
    rows_rejected    INTEGER NOT NULL CHECK (rows_rejected >= 0),
    rows_outside_area INTEGER NOT NULL DEFAULT 0 CHECK (rows_outside_area >= 0),
    -- Of the duplicates, the reports whose outcome this file had newer (outcome_updates).
    rows_updated     INTEGER NOT NULL DEFAULT 0 CHECK (rows_updated >= 0),
    is_demonstration BOOLEAN NOT NULL DEFAULT false,
    -- An undone import keeps its row here (the audit trail); its records are deleted.
    undone_at        TIMESTAMP,
    undone_by        VARCHAR CHECK (length(undone_by) BETWEEN 1 AND 100),
    CHECK (rows_accepted + rows_duplicate + rows_rejected + rows_outside_area = rows_in_file),
    CHECK (rows_updated <= rows_duplicate)
);

-- The district's census areas at every level, with their parents.
CREATE TABLE IF NOT EXISTS areas (
    area_code     VARCHAR PRIMARY KEY CHECK (regexp_full_match(area_code, '[EW][0-9]{8}')),
    area_level    area_level NOT NULL,
    area_name     VARCHAR NOT NULL,
    msoa_code     VARCHAR,
    ward_code     VARCHAR,
    district_code VARCHAR NOT NULL,
    label_lon     DOUBLE NOT NULL CHECK (label_lon BETWEEN -8.7 AND 2.0),
    label_lat     DOUBLE NOT NULL CHECK (label_lat BETWEEN 49.8 AND 60.9),
    rural_urban   VARCHAR,
    CHECK (area_level <> 'lsoa' OR (msoa_code IS NOT NULL AND ward_code IS NOT NULL))
);

-- What each population measure counts; one per community is its primary baseline.
CREATE TABLE IF NOT EXISTS measures (
    measure    VARCHAR PRIMARY KEY,
    community  population_community NOT NULL,
    label      VARCHAR NOT NULL,
    universe   VARCHAR NOT NULL,
    geography  VARCHAR NOT NULL,
    source     VARCHAR NOT NULL,
    method     VARCHAR NOT NULL,
    is_primary BOOLEAN NOT NULL
);

-- Census 2021 baselines, long format: `count` of `denominator` residents in an area.
CREATE TABLE IF NOT EXISTS population (
    area_code   VARCHAR NOT NULL REFERENCES areas (area_code),
    community   population_community NOT NULL,
    measure     VARCHAR NOT NULL REFERENCES measures (measure),
    count       INTEGER NOT NULL CHECK (count >= 0),
    denominator INTEGER NOT NULL CHECK (denominator > 0),
    source      VARCHAR NOT NULL,
    PRIMARY KEY (area_code, measure),
    CHECK (count <= denominator)
);

-- One engagement between officers and residents. No personal data: no names, addresses,
-- dates of birth or contact details. `note` is optional free text, shown to inspectors only.
CREATE TABLE IF NOT EXISTS contacts (
    contact_id         BIGINT PRIMARY KEY DEFAULT nextval('contact_id_seq'),
    -- record_keys.py: the MD5 of the record's key text, 16 bytes (schema version 6).
    record_key         BLOB NOT NULL UNIQUE,
    import_id          INTEGER NOT NULL,  -- imports.import_id (see the note on imports)
    contact_date       DATE NOT NULL CHECK (contact_date >= DATE '2000-01-01'),
    area_code          VARCHAR REFERENCES areas (area_code),
    team               VARCHAR CHECK (length(team) <= 60),
    community_recorded BOOLEAN NOT NULL,
    communities        community[] NOT NULL,
    channel            channel NOT NULL,
    direction          direction NOT NULL,
    place_type         place_type NOT NULL,
    people_reached     INTEGER NOT NULL CHECK (people_reached BETWEEN 1 AND 5000),
    language           language NOT NULL,
    topics             topic[] NOT NULL,
    follow_up_needed   BOOLEAN NOT NULL,
    note               VARCHAR CHECK (length(note) <= 500),
    -- adult (16+), under_16 or not_recorded: communities counted among adults are
    -- compared with adults' records only (schema version 3).
    age_band           age_band NOT NULL DEFAULT 'not_recorded',
    CHECK (community_recorded OR len(communities) = 0),
    CHECK (len(communities) = len(list_distinct(communities))),
    CHECK (len(topics) = len(list_distinct(topics)))
);

-- One crime or incident report. `victim_community_recorded` false means the record
-- does not say; true with an empty list means the victim is in none of the communities.
CREATE TABLE IF NOT EXISTS reports (
    report_id                 BIGINT PRIMARY KEY DEFAULT nextval('report_id_seq'),
    record_key                BLOB NOT NULL UNIQUE,  -- as contacts.record_key
    import_id                 INTEGER NOT NULL,  -- imports.import_id
    source                    report_source NOT NULL,
    reference                 VARCHAR CHECK (length(reference) <= 100),
    reported_on               DATE NOT NULL CHECK (reported_on >= DATE '2000-01-01'),
    date_precision            date_precision NOT NULL,
    occurred_on               DATE,
    area_code                 VARCHAR REFERENCES areas (area_code),
    team                      VARCHAR CHECK (length(team) <= 60),
    crime_type                crime_type NOT NULL,
    hate_strands              hate_strand[] NOT NULL,
    victim_community_recorded BOOLEAN NOT NULL,
    victim_communities        community[] NOT NULL,
    outcome                   outcome NOT NULL,
    -- The victim's age band (data.police.uk rows: not_recorded; schema version 3).
    age_band                  age_band NOT NULL DEFAULT 'not_recorded',
    CHECK (victim_community_recorded OR len(victim_communities) = 0),
    CHECK (occurred_on IS NULL OR occurred_on <= reported_on),
    CHECK (date_precision = 'day' OR day(reported_on) = 1),
    CHECK (len(victim_communities) = len(list_distinct(victim_communities))),
    CHECK (len(hate_strands) = len(list_distinct(hate_strands)))
);

-- Dated campaign milestones, drawn on the time axis of every trend chart.
CREATE TABLE IF NOT EXISTS campaign_events (
    event_date  DATE NOT NULL,
    kind        event_kind NOT NULL,
    title       VARCHAR NOT NULL CHECK (length(title) BETWEEN 1 AND 120),
    description VARCHAR,
    communities community[] NOT NULL,
    import_id   INTEGER,  -- imports.import_id
    PRIMARY KEY (event_date, title)
);

-- Town label points for the maps.
CREATE TABLE IF NOT EXISTS towns (
    town      VARCHAR PRIMARY KEY,
    label_lon DOUBLE NOT NULL,
    label_lat DOUBLE NOT NULL,
    wards     VARCHAR NOT NULL
);

-- The schema's version (one row). hidden_communities/schema.py sets it on a new database
-- and brings an older one up to date when it is opened; a database built before versions
-- were recorded has no such table and is version 1.
CREATE TABLE IF NOT EXISTS schema_version (
    version INTEGER NOT NULL CHECK (version >= 1)
);

-- The other live imports that hold a record: a load whose file repeated a record already
-- in the database. A record belongs first to its own import_id; undoing that import passes
-- it to the earliest other holder instead of deleting it, so a record stays while any
-- live import holds it. An undone import's rows here are removed.
CREATE TABLE IF NOT EXISTS record_holders (
    record_key BLOB NOT NULL,  -- contacts.record_key or reports.record_key
    import_id  INTEGER NOT NULL,  -- imports.import_id
    PRIMARY KEY (record_key, import_id)
);

-- Outcomes a load changed: its file held a report already in the database (matched by its
-- reference: a records-system crime reference, or a data.police.uk Crime ID and LSOA) with
-- a different outcome, as when the force republishes a month. The last file loaded wins.
-- `outcome_before` is what undoing the load puts back; when a later live load has updated
-- the same report since, the undo passes it on to that load's row instead.
CREATE TABLE IF NOT EXISTS outcome_updates (
    import_id      INTEGER NOT NULL,  -- imports.import_id of the load that changed it
    record_key     BLOB NOT NULL,  -- reports.record_key
    outcome_before outcome NOT NULL,
    outcome_after  outcome NOT NULL,
    PRIMARY KEY (import_id, record_key)
);

-- Rollups (schema version 4): the records counted by calendar month and by every field a
-- page filters or splits them by, so that a page reads a few thousand grouped rows instead
-- of every record. `n` is how many records share the fields; a combination with no records
-- has no row. They hold nothing the record tables do not: hidden_communities/rollups.py
-- keeps them equal to the records' counts inside every write's own transaction (a load
-- adds its records' counts, an undo takes them away before deleting), and
-- tests/test_rollups.py checks that they are. The macros contact_groups / report_groups
-- (macros.sql) read them for the calendar months wholly inside a period and the records
-- themselves for the days of a partly covered month at either end.
CREATE TABLE IF NOT EXISTS contact_rollup (
    month              DATE NOT NULL CHECK (day(month) = 1),
    area_code          VARCHAR,
    channel            channel NOT NULL,
    direction          direction NOT NULL,
    age_band           age_band NOT NULL,
    community_recorded BOOLEAN NOT NULL,
    communities        community[] NOT NULL,
    n                  BIGINT NOT NULL CHECK (n > 0)
);

CREATE TABLE IF NOT EXISTS report_rollup (
    month                     DATE NOT NULL CHECK (day(month) = 1),
    area_code                 VARCHAR,
    source                    report_source NOT NULL,
    crime_type                crime_type NOT NULL,
    hate_strands              hate_strand[] NOT NULL,
    age_band                  age_band NOT NULL,
    victim_community_recorded BOOLEAN NOT NULL,
    victim_communities        community[] NOT NULL,
    n                         BIGINT NOT NULL CHECK (n > 0)
);

-- Every district of England and Wales (schema version 5), from the national reference
-- build (data/reference/districts.csv): its police force area and a label point. Loaded in
-- every database, whatever its records cover: the district view compares the districts
-- of the forces a database's records are in (all of them in a national database). The
-- Census 2021 districts merged in 2023 are summed into their successor (census_codes).
CREATE TABLE IF NOT EXISTS districts (
    district_code VARCHAR PRIMARY KEY CHECK (regexp_full_match(district_code, '[EW][0-9]{8}')),
    district_name VARCHAR NOT NULL,
    force_code    VARCHAR NOT NULL CHECK (regexp_full_match(force_code, '[EW][0-9]{8}')),
    force_name    VARCHAR NOT NULL,
    label_lon     DOUBLE NOT NULL CHECK (label_lon BETWEEN -8.7 AND 2.0),
    label_lat     DOUBLE NOT NULL CHECK (label_lat BETWEEN 49.8 AND 60.9),
    census_codes  VARCHAR NOT NULL
);

-- Each district's Census 2021 baselines, as `population` holds the district's own areas'
-- (data/reference/district_population.csv): kept apart from `population`, so the pages
-- that read the database's district from `population` see the same rows as before.
CREATE TABLE IF NOT EXISTS district_population (
    district_code VARCHAR NOT NULL REFERENCES districts (district_code),
    community     population_community NOT NULL,
    measure       VARCHAR NOT NULL REFERENCES measures (measure),
    count         INTEGER NOT NULL CHECK (count >= 0),
    denominator   INTEGER NOT NULL CHECK (denominator > 0),
    source        VARCHAR NOT NULL,
    PRIMARY KEY (district_code, measure),
    CHECK (count <= denominator)
);
