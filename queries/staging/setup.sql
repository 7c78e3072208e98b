-- The staging connection that checks an upload (hidden_communities/staged_checks.py): its
-- settings, and macros that are each the SQL form of one step of
-- hidden_communities/validation.py, which says the same thing row by row in Python
-- (tests/test_staged_checks.py holds the two to the same answers).

-- Every join of the checks matches a million rows to a few hundred distinct texts, written
-- with the small side on the right. DuckDB's estimate of a filtered small side can fall
-- below the large one, and it would then build its hash table on the million rows (a
-- gigabyte): the joins are kept as written.
SET disabled_optimizers = 'join_order,build_side_probe_side';

-- A cell as validation reads it: blank for null, stripped as Python's str.strip() strips,
-- of every character str.isspace() holds for (not only spaces). trim() with a set of
-- characters is slow, so a cell that starts and ends with a printable ASCII character
-- (nearly every one) is taken as it is.
CREATE OR REPLACE MACRO stage_text(cell) AS (
    CASE
        WHEN cell IS NULL THEN ''
        WHEN ord(cell) BETWEEN 33 AND 126 AND ord(reverse(cell)) BETWEEN 33 AND 126 THEN cell
        ELSE trim(cell,
        chr(9) || chr(10) || chr(11) || chr(12) || chr(13) || chr(28) || chr(29) || chr(30) || chr(31) ||
        ' ' || chr(133) || chr(160) || chr(5760) || chr(8192) || chr(8193) || chr(8194) || chr(8195) || chr(8196) ||
        chr(8197) || chr(8198) || chr(8199) || chr(8200) || chr(8201) || chr(8202) || chr(8232) || chr(8233) || chr(8239) ||
        chr(8287) || chr(12288))
    END
);

-- A code, label or list item as compared with the vocabularies: lower case, with letters
-- and digits only (validation._keys; the classes are Unicode ones, as Python's).
CREATE OR REPLACE MACRO stage_key(t) AS
    regexp_replace(lower(t), '[^\pL\pN]+', '', 'g');

-- The day a date cell names, yyyy-mm-dd or dd/mm/yyyy in ASCII digits, when it is a real
-- day from 1900 to `latest` (a year after today); null otherwise (validation.plausible_date).
CREATE OR REPLACE MACRO stage_date(t, latest) AS (
    CASE
        WHEN regexp_full_match(t, '[0-9]{4}-[0-9]{2}-[0-9]{2}') THEN try(make_date(
            CAST(t[1:4] AS INTEGER), CAST(t[6:7] AS INTEGER), CAST(t[9:10] AS INTEGER)))
        WHEN regexp_full_match(t, '[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}') THEN try(make_date(
            CAST(split_part(t, '/', 3) AS INTEGER),
            CAST(split_part(t, '/', 2) AS INTEGER),
            CAST(split_part(t, '/', 1) AS INTEGER)))
    END
);
CREATE OR REPLACE MACRO stage_plausible_date(t, latest) AS (
    CASE WHEN stage_date(t, latest) BETWEEN DATE '1900-01-01' AND latest
         THEN stage_date(t, latest) END
);

-- The first of the month a yyyy-mm cell names (data.police.uk), as stage_plausible_date.
CREATE OR REPLACE MACRO stage_plausible_month(t, latest) AS (
    CASE WHEN regexp_full_match(t, '[0-9]{4}-[0-9]{2}') THEN (
        CASE WHEN try(make_date(CAST(t[1:4] AS INTEGER), CAST(t[6:7] AS INTEGER), 1))
                  BETWEEN DATE '1900-01-01' AND latest
             THEN try(make_date(CAST(t[1:4] AS INTEGER), CAST(t[6:7] AS INTEGER), 1)) END)
    END
);

-- The number a cell holds, as pandas.to_numeric reads it (which, unlike DuckDB, takes no
-- digit separators: '1_000' is not a number), or null.
CREATE OR REPLACE MACRO stage_number(t) AS (
    CASE WHEN t = '' OR contains(t, '_') THEN NULL ELSE TRY_CAST(t AS DOUBLE) END
);
CREATE OR REPLACE MACRO stage_whole(n) AS coalesce(isfinite(n) AND n = floor(n), false);

-- The keys of the items of a list cell ("a;b|c"), blank items left out.
CREATE OR REPLACE MACRO stage_list_keys(t) AS
    list_transform(
        list_filter(regexp_split_to_array(t, '[;|,]'), lambda item: stage_text(item) <> ''),
        lambda item: stage_key(item));

-- A cell as JSON text, escaped as Python's json.dumps(ensure_ascii=True) escapes it
-- (record_keys.py builds each record's identity that way): quote and backslash escaped,
-- control and non-ASCII characters as \uXXXX (two, a surrogate pair, beyond U+FFFF).
CREATE OR REPLACE MACRO stage_json_char(c) AS (
    CASE
        WHEN c = '"' THEN '\"'
        WHEN c = '\' THEN '\\'
        WHEN unicode(c) BETWEEN 32 AND 126 THEN c
        WHEN c = chr(10) THEN '\n'
        WHEN c = chr(13) THEN '\r'
        WHEN c = chr(9) THEN '\t'
        WHEN c = chr(8) THEN '\b'
        WHEN c = chr(12) THEN '\f'
        WHEN unicode(c) < 65536 THEN printf('\u%04x', unicode(c))
        ELSE printf('\u%04x\u%04x', 55296 + ((unicode(c) - 65536) >> 10),
                    56320 + ((unicode(c) - 65536) & 1023))
    END
);
CREATE OR REPLACE MACRO stage_json(t) AS (
    '"' || CASE
        WHEN regexp_full_match(t, '[ -~]*') THEN replace(replace(t, '\', '\\'), '"', '\"')
        ELSE array_to_string(list_transform(string_split(t, ''), lambda c: stage_json_char(c)), '')
    END || '"'
);

-- One field of a record's identity, [name, type, value], as record_keys._fragment writes it.
CREATE OR REPLACE MACRO stage_text_field(name, v) AS (
    CASE WHEN v IS NULL THEN '["' || name || '","null"]'
         ELSE '["' || name || '","text",' || stage_json(v) || ']' END
);
CREATE OR REPLACE MACRO stage_date_field(name, d) AS (
    CASE WHEN d IS NULL THEN '["' || name || '","null"]'
         ELSE '["' || name || '","date","' || strftime(d, '%Y-%m-%d') || '"]' END
);
CREATE OR REPLACE MACRO stage_bool_field(name, b) AS (
    '["' || name || '","bool",' || CASE WHEN b THEN 'true' ELSE 'false' END || ']'
);
CREATE OR REPLACE MACRO stage_int_field(name, n) AS (
    '["' || name || '","int",' || CAST(CAST(n AS BIGINT) AS VARCHAR) || ']'
);
CREATE OR REPLACE MACRO stage_list_field(name, items) AS (
    '["' || name || '","list",['
    || array_to_string(list_transform(list_sort(items), lambda i: stage_json(i)), ',') || ']]'
);
