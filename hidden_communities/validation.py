"""Row-by-row validation of an import, vectorised column by column.

`validate(frame, kind, areas)` takes the file's cells as text and returns every problem at
once (row, column, value, rule) plus the typed rows ready for the database. Nothing here
touches the database; `loading.py` does that in one transaction.

Row numbers are spreadsheet row numbers: the header is row 1, the first record row 2. The
frame's integer index is the row's position under the header (readers keep it when they
skip blank rows), so a problem is reported on the row the person sees.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from . import text as wording  # `text` names cells' text throughout
from . import vocab
from .columns import NONE_OF_THESE, SPECS, Column, normalise_header

FIRST_DATA_ROW = 2
EARLIEST_DATE = date(2000, 1, 1)
# A date before this, or more than a year after today, is a typing slip (0000-01-01,
# 01/01/2201), not a late or early record: it is "not a date" rather than out of range.
EARLIEST_PLAUSIBLE_DATE = date(1900, 1, 1)


# Rules, worded for the person fixing the file in the language in use (catalogue section
# `import_rules`: English on the command line, the Data page's own language there).
def rule(code: str, /, **values: object) -> str:
    """A rule's words: `rule("too_long", n=60)` is "longer than 60 characters"."""
    return wording.t(f"import_rules.{code}", **values)


def rule_allowed(allowed: Mapping[str, str]) -> str:
    return rule("allowed", codes=", ".join(allowed))


# Each kind of personal data (its code: import_rules.personal_what.<code>) and its pattern.
_PERSONAL_PATTERNS = (
    ("email", re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")),
    ("phone", re.compile(r"(?:\+44\s?|\b0)\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}\b")),
    ("postcode", re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[ABD-HJLNP-UW-Z]{2}\b", re.IGNORECASE)),
)
# What the personal-data rule calls each free-text column's values.
_PERSONAL_WHERE = ("note", "team", "reference")


def personal_rule(what: str, column: str) -> str:
    """The personal-data rule for a kind of personal data (a code of _PERSONAL_PATTERNS)
    found in a free-text column."""
    where = (
        rule(f"personal_where.{column}")
        if column in _PERSONAL_WHERE
        else rule("personal_where.other", column=column)
    )
    return rule("personal", what=rule(f"personal_what.{what}"), where=where)


# Control characters: C0 (U+0000-U+001F), DEL and C1 (U+0080-U+009F). Inside a cell none
# is structural: the reader has already used the delimiters and line ends. A line break
# is allowed in a multi-line column (a note written with Alt+Enter in Excel).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_BUT_LINE_BREAK = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
_CONTROL_NAMES = {  # import_rules.control_name.<code>
    0x00: "nul",
    0x09: "tab",
    0x0A: "line_break",
    0x0D: "carriage_return",
    0x1B: "escape",
    0x7F: "del",
}
# ASCII digits only: Python's \d would also read other scripts' digits as a date.
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_UK_DATE = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
_TRUE = {"yes", "y", "true", "1"}
_FALSE = {"no", "n", "false", "0"}
_NOT_RECORDED_WORDS = {"", "notrecorded", "unknown", "notknown"}


def _key(text: str) -> str:
    return normalise_header(text)


def _keys(text: pd.Series) -> pd.Series:
    """`_key` for a whole column at once (lower case, letters and digits only)."""
    return text.str.lower().str.replace(r"[\W_]+", "", regex=True)


def code_lookup(allowed: Mapping[str, str]) -> dict[str, str]:
    """Codes and labels, compared without case, spaces or punctuation."""
    out = {_key(code): code for code in allowed}
    out.update({_key(label): code for code, label in allowed.items()})
    return out


@dataclass
class ValidationResult:
    kind: str
    rows_in_file: int
    clean: pd.DataFrame  # valid rows, database columns, typed, with `file_row`
    problems: pd.DataFrame  # row, column, value, rule
    file_errors: list[str] = field(default_factory=list)  # problems with the file as a whole
    rows_outside_area: int = 0
    outside_detail: str = ""

    @property
    def ok(self) -> bool:
        return not self.file_errors and self.problems.empty

    @property
    def rejected_rows(self) -> list[int]:
        return sorted(set(self.problems["row"].tolist()))


class _Problems:
    """The problems found so far, and which rows they rule out (`bad`)."""

    def __init__(self, index: pd.Index) -> None:
        self.parts: list[pd.DataFrame] = []
        self.bad = pd.Series(False, index=index)

    def add(self, mask: pd.Series, column: str, values: pd.Series, rule: str | pd.Series) -> None:
        """Record `rule` for every row in `mask`, and rule those rows out."""
        if not mask.any():
            return
        self.bad |= mask
        rows = mask[mask].index
        self.parts.append(
            pd.DataFrame(
                {
                    "row": rows + FIRST_DATA_ROW,
                    "column": column,
                    "value": values.loc[rows].astype(str).to_numpy(),
                    "rule": rule.loc[rows].to_numpy() if isinstance(rule, pd.Series) else rule,
                }
            )
        )

    def frame(self) -> pd.DataFrame:
        if not self.parts:
            return pd.DataFrame(
                {
                    "row": pd.Series(dtype="int64"),
                    "column": pd.Series(dtype=str),
                    "value": pd.Series(dtype=str),
                    "rule": pd.Series(dtype=str),
                }
            )
        out = pd.concat(self.parts, ignore_index=True)
        return out.sort_values(["row", "column"], kind="stable", ignore_index=True)


def match_columns(headers: list[str], spec: tuple[Column, ...]) -> tuple[dict[str, str], list[str]]:
    """Map the spec's column names to the file's headers; list the missing required ones."""
    by_key: dict[str, str] = {}
    for header in headers:
        by_key.setdefault(_key(header), header)
    found, missing = {}, []
    for col in spec:
        for name in (col.name, *col.aliases):
            if _key(name) in by_key:
                found[col.name] = by_key[_key(name)]
                break
        else:
            if col.required:
                missing.append(col.name)
    return found, missing


def guess_kind(headers: list[str]) -> str | None:
    """Which import the headers fit completely, if any."""
    for kind, spec in SPECS.items():
        if not match_columns(headers, spec)[1]:
            return kind
    return None


def _latest_plausible_date(today: date) -> date:
    """A year after today (28 February when today is 29 February)."""
    try:
        return today.replace(year=today.year + 1)
    except ValueError:
        return today.replace(year=today.year + 1, day=28)


def plausible_date(text: str, today: date, *, month: bool = False) -> date | None:
    """The date a cell names (yyyy-mm-dd or dd/mm/yyyy; yyyy-mm when `month`), or None
    when it names none: malformed, impossible (31/02/2021, year 0) or implausible (before
    1900, or more than a year after today)."""
    if month:
        found = _MONTH.fullmatch(text)
        parts = (found.group(1), found.group(2), "1") if found else None
    elif found := _ISO_DATE.fullmatch(text):
        parts = found.group(1, 2, 3)
    elif found := _UK_DATE.fullmatch(text):
        parts = found.group(3, 2, 1)
    else:
        parts = None
    if parts is None:
        return None
    try:
        day = date(*(int(p) for p in parts))
    except ValueError:
        return None
    if day < EARLIEST_PLAUSIBLE_DATE or day > _latest_plausible_date(today):
        return None
    return day


def _parse_dates(text: pd.Series, today: date, *, month: bool = False) -> pd.Series:
    """`plausible_date` for a whole column (once per distinct text), as timestamps."""
    parsed = {t: plausible_date(t, today, month=month) for t in _distinct(text)}
    return pd.to_datetime(text.map(parsed))


def _distinct(cells: pd.Series) -> list[str]:
    """The distinct texts of a column as a Python list (converted at C speed, not by
    iterating an Arrow array value by value)."""
    return np.asarray(pd.unique(cells), dtype=object).tolist()


def _check_date_range(
    problems: _Problems, parsed: pd.Series, raw: pd.Series, column: str, today: date
) -> None:
    ok = parsed.notna()
    problems.add(ok & (parsed > pd.Timestamp(today)), column, raw, rule("future"))
    problems.add(ok & (parsed < pd.Timestamp(EARLIEST_DATE)), column, raw, rule("too_early"))


_SEPARATOR = re.compile(r"[;|,]")
_SPECIAL_COMMUNITY_WORDS = {_key(NONE_OF_THESE), *(_NOT_RECORDED_WORDS - {""})}


def _parse_code_lists(
    texts: pd.Series, allowed: Mapping[str, str], communities: bool
) -> pd.DataFrame:
    """Parse list cells ("a;b") into codes. Columns: recorded, codes, mixed, unknown.

    For community columns, blank or "not_recorded" means not recorded and "none" means
    recorded as none of them; either combined with a community (or with each other) is
    `mixed`. Codes and labels both count; a repeated code is kept once.
    """
    lookup = code_lookup(allowed)
    rows = []
    for text in texts:
        keys = [_key(item) for item in _SEPARATOR.split(text) if item.strip()]
        recorded, mixed = True, False
        if communities:
            if all(k in _NOT_RECORDED_WORDS for k in keys):
                recorded, keys = False, []
            else:
                special = {k for k in keys if k in _SPECIAL_COMMUNITY_WORDS}
                mixed = bool(special) and (len(special) > 1 or len(special) < len(set(keys)))
                keys = [] if mixed else [k for k in keys if k not in _SPECIAL_COMMUNITY_WORDS]
        unknown = any(k not in lookup for k in keys)
        codes = list(dict.fromkeys(lookup[k] for k in keys if k in lookup))
        rows.append((recorded, codes, mixed, unknown))
    return pd.DataFrame(rows, columns=["recorded", "codes", "mixed", "unknown"], index=texts.index)


def _by_distinct(raw: pd.Series, parse) -> pd.DataFrame:
    """Run `parse` once per distinct cell text and spread the result back to every row:
    list columns repeat a few combinations many thousands of times."""
    distinct = pd.Series(pd.unique(raw), dtype=object)
    parsed = parse(distinct)
    positions = pd.Index(distinct).get_indexer(raw)
    return parsed.iloc[positions].set_axis(raw.index)


def validate(
    frame: pd.DataFrame, kind: str, areas: pd.DataFrame, *, today: date | None = None
) -> ValidationResult:
    """Check every cell of an import; never raises on bad data.

    The steps: the header row (`check_headers`), control characters in any cell
    (`check_control_characters`), each column's cells parsed by its kind
    (`parse_columns`), free text checked for personal data (`check_personal_data`), then
    the rules of the kind of import, which also shape the rows for the database
    (`contact_rows`, `report_rows`, `police_uk_rows`). Repeated records are not a problem
    here: the load skips the ones already in the database (queries/load_*.sql).
    """
    today = today or date.today()
    spec = SPECS[kind]
    frame = _with_row_positions(frame)
    result = _empty_result(kind, len(frame))
    found = check_headers(frame, kind, spec, result.file_errors)
    if found is None:
        return result
    text = cell_texts(frame, spec, found)
    problems = _Problems(frame.index)
    check_control_characters(frame, spec, found, text, problems)
    out = parse_columns(text, spec, kind, areas, today, problems)
    check_personal_data(text, spec, kind, problems)
    if kind == "contacts":
        clean = contact_rows(frame, out)
    elif kind == "reports":
        clean = report_rows(frame, text, out, problems)
    else:
        clean = police_uk_rows(frame, text, out, areas, problems, result)
    result.problems = problems.frame()
    result.clean = clean.loc[~problems.bad.to_numpy()].reset_index(drop=True)
    if "people_reached" in result.clean:
        result.clean["people_reached"] = result.clean["people_reached"].astype("int64")
    return result


def _with_row_positions(frame: pd.DataFrame) -> pd.DataFrame:
    """Row numbers come from the index: keep an integer one (readers set it), else number
    the rows from 0."""
    if not isinstance(frame.index, pd.RangeIndex) and not pd.api.types.is_integer_dtype(
        frame.index
    ):
        return frame.reset_index(drop=True)
    return frame


def check_headers(
    frame: pd.DataFrame, kind: str, spec: tuple[Column, ...], file_errors: list[str]
) -> dict[str, str] | None:
    """Match the header row to the kind's columns. On a problem with the file as a whole
    (a control character in a header, two columns for the same thing, a missing column,
    the wrong kind of file, no rows) add it to `file_errors` and return None; otherwise
    return the spec column name -> file header mapping."""
    return check_header_row(
        [str(h) for h in frame.columns], kind, spec, file_errors, has_rows=not frame.empty
    )


def check_header_row(
    headers: list[str],
    kind: str,
    spec: tuple[Column, ...],
    file_errors: list[str],
    *,
    has_rows: bool,
) -> dict[str, str] | None:
    """`check_headers` for a header row and whether any row follows it (the check in
    DuckDB, staged_checks.py, has no frame)."""
    for number, header in enumerate(headers, start=1):
        if found := _CONTROL.search(header):
            what = _control_name(found.group())
            file_errors.append(rule("header_control", n=number, what=what))
    file_errors.extend(_duplicate_headers(headers, spec))
    if file_errors:
        return None
    found, missing = match_columns(headers, spec)
    if missing:
        guess = guess_kind(headers)
        if guess and guess != kind:
            file_errors.append(
                rule(
                    "wrong_kind",
                    guess=vocab.IMPORT_KINDS[guess].lower(),
                    kind=vocab.IMPORT_KINDS[kind].lower(),
                    missing=", ".join(missing),
                )
            )
        else:
            file_errors.append(rule("missing_columns", missing=", ".join(missing)))
        return None
    if not has_rows:
        file_errors.append(rule("no_rows"))
        return None
    return found


def _duplicate_headers(headers: list[str], spec: tuple[Column, ...]) -> list[str]:
    """Two headers that mean the same column ('people_reached' twice, 'contact_date' and
    'Contact Date', or 'area' and its alias 'lsoa'): which one would be loaded is a guess,
    so the file is refused. Headers the import does not use are compared as written."""
    meaning = {_key(name): col.name for col in spec for name in (col.name, *col.aliases)}
    groups: dict[str, list[tuple[int, str]]] = {}
    for number, header in enumerate(headers, start=1):
        key = _key(header)
        if key:
            groups.setdefault(meaning.get(key, key), []).append((number, header))
    return [
        rule(
            "duplicate_header",
            count=len(group),
            name=name if name in meaning.values() else group[0][1],
            where=", ".join(
                rule("duplicate_header_place", header=header, number=number)
                for number, header in group
            ),
        )
        for name, group in groups.items()
        if len(group) > 1
    ]


def cell_texts(
    frame: pd.DataFrame, spec: tuple[Column, ...], found: Mapping[str, str]
) -> dict[str, pd.Series]:
    """Each spec column's cells as stripped text; a column the file lacks is all blank.
    In a multi-line column a Windows line break (CR LF) is read as a plain line break."""
    text = {}
    for col in spec:
        if col.name not in found:
            text[col.name] = pd.Series("", index=frame.index)
            continue
        cells = frame[found[col.name]].fillna("").astype(str).str.strip()
        text[col.name] = cells.str.replace("\r\n", "\n", regex=False) if col.multiline else cells
    return text


def _control_name(character: str) -> str:
    code = ord(character)
    name = _CONTROL_NAMES.get(code)
    return f"{rule(f'control_name.{name}')}, U+{code:04X}" if name else f"U+{code:04X}"


def check_control_characters(
    frame: pd.DataFrame,
    spec: tuple[Column, ...],
    found: Mapping[str, str],
    text: Mapping[str, pd.Series],
    problems: _Problems,
) -> None:
    """Refuse any cell, in any column (used or not), that holds a control character: a
    NUL, an escape, DEL or a C1 character is never meant, and a tab or carriage return
    inside a value is a sign of a damaged file. Edges are stripped first, as every cell
    is; a multi-line column (the note) may hold line breaks."""
    multiline = {found[col.name] for col in spec if col.multiline and col.name in found}
    used = {header: name for name, header in found.items()}
    for position, header in enumerate(frame.columns):
        header = str(header)
        if header in used:
            name, cells = used[header], text[used[header]]
        else:
            name = header or f"column {position + 1}"
            cells = frame.iloc[:, position].fillna("").astype(str).str.strip()
        pattern = _CONTROL_BUT_LINE_BREAK if header in multiline else _CONTROL
        flagged = cells.str.contains(pattern.pattern, regex=True)  # vectorised
        if not flagged.any():
            continue
        rules = cells[flagged].map(lambda cell, p=pattern: _control_rule(p.search(cell)))
        problems.add(flagged, name, cells, rules.reindex(cells.index))


def _control_rule(found: re.Match) -> str:
    return rule("control", what=_control_name(found.group()), at=found.start() + 1)


def parse_columns(
    text: Mapping[str, pd.Series],
    spec: tuple[Column, ...],
    kind: str,
    areas: pd.DataFrame,
    today: date,
    problems: _Problems,
) -> dict[str, pd.Series]:
    """Parse each column by its kind, recording every cell that breaks its rule.

    Returns the typed values by column name; a list column also gives
    `<name>__recorded` (false when the cell says the communities were not recorded).
    """
    out: dict[str, pd.Series] = {}
    area_lookup = _area_lookup(areas)
    for col in spec:
        if kind == "police_uk" and col.name in ("LSOA code", "Last outcome category"):
            continue  # police_uk_rows: outside rows are counted, outcomes are mapped
        raw = text[col.name]
        present = raw != ""
        if not col.nullable:
            problems.add(~present, col.name, raw, rule("required"))
        parse = _PARSERS.get(col.kind)
        if parse is None:  # pragma: no cover - a spec error, not a data error
            raise ValueError(f"unknown column kind {col.kind}")
        out.update(parse(col, raw, present, problems, today=today, area_lookup=area_lookup))
    return out


def _parse_date_column(col, raw, present, problems, *, today, **_) -> dict[str, pd.Series]:
    """dd/mm/yyyy or yyyy-mm-dd, not in the future and not before 2000."""
    parsed = _parse_dates(raw, today)
    problems.add(present & parsed.isna(), col.name, raw, rule("date"))
    _check_date_range(problems, parsed, raw, col.name, today)
    return {col.name: parsed.dt.date.where(parsed.notna(), None)}


def _parse_month_column(col, raw, present, problems, *, today, **_) -> dict[str, pd.Series]:
    """yyyy-mm (data.police.uk), stored as the first of the month."""
    parsed = _parse_dates(raw, today, month=True)
    problems.add(present & parsed.isna(), col.name, raw, rule("month"))
    _check_date_range(problems, parsed, raw, col.name, today)
    return {col.name: parsed.dt.date.where(parsed.notna(), None)}


def _parse_int_column(col, raw, present, problems, **_) -> dict[str, pd.Series]:
    """A whole number from 1 to 5000 (people reached)."""
    number = pd.to_numeric(raw.where(present, None), errors="coerce")
    not_whole = present & (number.isna() | (number % 1 != 0))
    problems.add(not_whole, col.name, raw, rule("whole_number"))
    out_of_range = present & ~not_whole & ((number < 1) | (number > 5000))
    problems.add(out_of_range, col.name, raw, rule("people_range"))
    return {col.name: number.where(~(not_whole | out_of_range) & present)}


def _parse_bool_column(col, raw, present, problems, **_) -> dict[str, pd.Series]:
    """yes/no (also y/n, true/false, 1/0)."""
    lowered = raw.str.lower()
    problems.add(present & ~lowered.isin(_TRUE | _FALSE), col.name, raw, rule("yes_no"))
    return {col.name: lowered.isin(_TRUE)}


def _parse_code_column(col, raw, present, problems, **_) -> dict[str, pd.Series]:
    """One code of the column's vocabulary, by code or label, without regard to case."""
    codes = _keys(raw).map(code_lookup(col.allowed))
    problems.add(present & codes.isna(), col.name, raw, rule_allowed(col.allowed))
    return {col.name: codes}


def _parse_list_column(col, raw, present, problems, **_) -> dict[str, pd.Series]:
    """Codes separated by ';' (see `_parse_code_lists`)."""
    parsed = _by_distinct(
        raw, lambda t: _parse_code_lists(t, col.allowed, col.kind == "communities")
    )
    problems.add(parsed["mixed"], col.name, raw, rule("mixed"))
    problems.add(parsed["unknown"], col.name, raw, rule_allowed(col.allowed))
    return {col.name: parsed["codes"], col.name + "__recorded": parsed["recorded"]}


def _parse_area_column(col, raw, present, problems, *, area_lookup, **_) -> dict[str, pd.Series]:
    """An LSOA, MSOA or ward of the district, by code or name, without regard to case."""
    codes = _keys(raw).map(area_lookup)
    problems.add(present & codes.isna(), col.name, raw, rule("area"))
    return {col.name: codes}


def _parse_text_column(col, raw, present, problems, **_) -> dict[str, pd.Series]:
    """Free text, within the column's length limit; blank is stored as null."""
    if col.max_length:
        too_long = raw.str.len() > col.max_length
        problems.add(too_long, col.name, raw, rule("too_long", n=col.max_length))
    return {col.name: raw.where(present, None)}


_PARSERS = {
    "date": _parse_date_column,
    "month": _parse_month_column,
    "int": _parse_int_column,
    "bool": _parse_bool_column,
    "code": _parse_code_column,
    "codes": _parse_list_column,
    "communities": _parse_list_column,
    "area": _parse_area_column,
    "text": _parse_text_column,
}


def check_personal_data(
    text: Mapping[str, pd.Series], spec: tuple[Column, ...], kind: str, problems: _Problems
) -> None:
    """Refuse free text (every text column of contacts and reports: the note, the team,
    the reference) that looks like it holds an email address, phone number or postcode.
    A data.police.uk file is published open data whose text columns are not loaded."""
    if kind == "police_uk":
        return
    for col in spec:
        if col.kind != "text":
            continue
        cells = text[col.name]
        distinct = _distinct(cells)  # a team name repeats; each is searched once
        for what, pattern in _PERSONAL_PATTERNS:
            found = [cell for cell in distinct if pattern.search(cell)]
            if found:
                hit = cells.isin(found)
                problems.add(hit, col.name, cells, personal_rule(what, col.name))


def contact_rows(frame: pd.DataFrame, out: Mapping[str, pd.Series]) -> pd.DataFrame:
    """Contacts in the database's shape (queries/load_contacts.sql)."""
    return pd.DataFrame(
        {
            "file_row": frame.index + FIRST_DATA_ROW,
            "contact_date": out["contact_date"],
            "area_code": out["area"],
            "team": out["team"],
            "community_recorded": out["communities__recorded"],
            "communities": out["communities"],
            "channel": out["channel"],
            "direction": out["direction"],
            "place_type": out["place_type"],
            "people_reached": out["people_reached"],
            "language": out["language"],
            "topics": out["topics"],
            "follow_up_needed": out["follow_up_needed"],
            "note": out["note"],
            "entry_ref": "",  # set by the log-a-contact form, blank for files
            "age_band": _age_bands(out),
        }
    )


def report_rows(
    frame: pd.DataFrame,
    text: Mapping[str, pd.Series],
    out: Mapping[str, pd.Series],
    problems: _Problems,
) -> pd.DataFrame:
    """Records-system reports: an offence cannot have happened after it was reported.
    Returns the reports in the database's shape (queries/load_reports.sql)."""
    occurred, reported = out["occurred_on"], out["reported_on"]
    after = (
        occurred.notna() & reported.notna() & (pd.to_datetime(occurred) > pd.to_datetime(reported))
    )
    problems.add(after, "occurred_on", text["occurred_on"], rule("occurred_after"))
    return pd.DataFrame(
        {
            "file_row": frame.index + FIRST_DATA_ROW,
            "source": "records_system",
            "reference": out["reference"],
            "reported_on": reported,
            "date_precision": "day",
            "occurred_on": occurred,
            "area_code": out["area"],
            "team": out["team"],
            "crime_type": out["crime_type"],
            "hate_strands": out["hate_strands"],
            "victim_community_recorded": out["victim_communities__recorded"],
            "victim_communities": out["victim_communities"],
            "outcome": out["outcome"],
            "age_band": _age_bands(out),
        }
    )


def _age_bands(out: Mapping[str, pd.Series]) -> pd.Series:
    """The age band column: blank (or a file without the column) is not_recorded."""
    return out["age_band"].astype(object).where(out["age_band"].notna(), vocab.AGE_NOT_RECORDED)


def police_uk_rows(
    frame: pd.DataFrame,
    text: Mapping[str, pd.Series],
    out: Mapping[str, pd.Series],
    areas: pd.DataFrame,
    problems: _Problems,
    result: ValidationResult,
) -> pd.DataFrame:
    """data.police.uk rows: the outcome category is mapped to an outcome group, and rows
    outside the district's LSOAs (or with no location) are counted in `result`, not
    loaded. Returns the reports in the database's shape."""
    outcome_text = text["Last outcome category"]
    outcomes = _keys(outcome_text).map(_POLICE_UK_OUTCOME_KEYS)
    problems.add(outcomes.isna(), "Last outcome category", outcome_text, rule("outcome"))
    lsoa = text["LSOA code"].str.upper()  # codes are case-insensitive: e01027926 is ours
    known = set(areas.loc[areas["area_level"] == "lsoa", "area_code"])
    no_location = lsoa == ""
    outside = ~no_location & ~lsoa.isin(known)
    valid = ~problems.bad
    result.rows_outside_area = int(((no_location | outside) & valid).sum())
    result.outside_detail = (
        f"{int((outside & valid).sum())} in LSOAs outside the district, "
        f"{int((no_location & valid).sum())} with no location"
    )
    problems.bad |= no_location | outside
    return pd.DataFrame(
        {
            "file_row": frame.index + FIRST_DATA_ROW,
            "source": "police_uk",
            "reference": out["Crime ID"],
            "reported_on": out["Month"],
            "date_precision": "month",
            "occurred_on": None,
            "area_code": lsoa.where(~(no_location | outside), None),
            "team": None,
            "crime_type": out["Crime type"],
            "hate_strands": [[] for _ in range(len(frame))],
            "victim_community_recorded": False,
            "victim_communities": [[] for _ in range(len(frame))],
            "outcome": outcomes,
            "age_band": vocab.AGE_NOT_RECORDED,  # data.police.uk publishes no victim's age
        }
    )


# Published outcome categories, compared without case, spaces or punctuation.
_POLICE_UK_OUTCOME_KEYS = {_key(text): code for text, code in vocab.POLICE_UK_OUTCOMES.items()}


def _area_lookup(areas: pd.DataFrame) -> dict[str, str]:
    lookup = {}
    for code, name, level in areas[["area_code", "area_name", "area_level"]].itertuples(
        index=False
    ):
        if level == "district":
            continue  # a district-wide record says nothing about where: leave the area blank
        lookup[_key(code)] = code
        lookup.setdefault(_key(name), code)
    return lookup


def _empty_result(kind: str, rows: int) -> ValidationResult:
    return ValidationResult(
        kind=kind,
        rows_in_file=rows,
        clean=pd.DataFrame(),
        problems=_Problems(pd.RangeIndex(0)).frame(),
    )
