-- The distinct free texts of a checked contacts file (team, note) that could hold personal data: an email
-- address needs an @, a phone number a 0 (or +44) and eight more digits, a postcode two
-- digits and two letters after the second. Python's own patterns (validation.py, with
-- Unicode digits, letters and spaces as Python reads them) then decide on these few.
WITH texts AS (
    UNPIVOT (SELECT team, note FROM checked)
    ON team, note INTO NAME column_name VALUE value
),
final AS (
    SELECT DISTINCT column_name, value
    FROM texts
    WHERE contains(value, '@')
       OR regexp_matches(value, '(?s)(\+44|0)(.*\p{Nd}){8}')
       OR regexp_matches(value, '(?s)\p{Nd}.*\p{Nd}\pL\pL')
)
SELECT * FROM final
