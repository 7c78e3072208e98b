"""Validation in DuckDB: every rule of validation.py, as SQL over a staged upload.

An upload is read into a staging connection of its own (staging.py), then:

1. the header row is checked in Python, as validation.check_header_row does (it is one
   row, and its problems concern the file as a whole);
2. each distinct text of a coded, dated or numbered column is read once
   (queries/staging/texts_<kind>.sql, queries/staging/values.sql): the day, number, code or
   codes it holds, and its part of the record's identity; then `checked`
   (queries/staging/check_<kind>.sql) gives every row its free texts, the ids of its other
   texts and the hash of its identity;
3. `problems` gathers every broken rule, one row per cell and rule with a rule code: the
   control characters in any column (queries/staging/control_characters.sql), the rules of
   the kind (queries/staging/problems_<kind>.sql) and personal data in free text. Python's
   regular expressions decide personal data (Unicode digits, letters and spaces as Python
   reads them), on the few texts SQL finds could hold any;
4. the valid rows come out typed, with their record keys
   (queries/staging/clean_<kind>.sql), as an Arrow table the load inserts as it is.

The rule codes are worded here with validation.py's own messages, so the problems read
exactly as they always have (row, column, value, rule), in the same order. Only the few
rows with problems, and the valid rows, ever leave DuckDB.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from queries import execute, run_query, sql

from . import record_keys, validation
from .columns import SPECS, Column
from .staging import Staged, stage_frame
from .validation import FIRST_DATA_ROW

SEQ_PERSONAL = 2000  # personal data comes after each column's own rules (validation.py)


def sql_name(name: str) -> str:
    """A column's name in the staging table: the spec's, in lower case ('Crime ID' ->
    'crime_id')."""
    return name.lower().replace(" ", "_")


def column_names(headers: list[str], kind: str) -> list[str]:
    """What the staging table calls each column of the file: the spec column it is read
    as, or `extra_<n>` for the n-th column when it is not one (or when the header row has
    a problem and no column is read as anything)."""
    found = validation.check_header_row(headers, kind, SPECS[kind], [], has_rows=True)
    by_header = {header: sql_name(name) for name, header in (found or {}).items()}
    return [
        by_header.get(header, f"extra_{number}") for number, header in enumerate(headers, start=1)
    ]


@dataclass
class StagedValidation:
    """validation.ValidationResult for a file checked in DuckDB: the same problems and
    counts, with the valid rows already keyed as an Arrow table (`staged`)."""

    kind: str
    rows_in_file: int
    problems: pd.DataFrame
    staged: pa.Table | None = None
    file_errors: list[str] = field(default_factory=list)
    rows_outside_area: int = 0
    outside_detail: str = ""

    @property
    def ok(self) -> bool:
        return not self.file_errors and self.problems.empty

    @property
    def rejected_rows(self) -> list[int]:
        return sorted(set(self.problems["row"].tolist()))

    @property
    def clean(self) -> pd.DataFrame:
        """The valid rows as a frame (built when asked for: the load takes `staged`)."""
        if self.staged is None:
            return pd.DataFrame()
        rows = self.staged.drop_columns(["record_key"]).to_pandas()
        return rows.sort_values("file_row", ignore_index=True)

    def keyed_rows(self, table: str) -> pa.Table:
        """The valid rows with their record keys, as queries/load_<table>.sql takes them."""
        return self.staged


def check_staged(
    con: duckdb.DuckDBPyConnection,
    staged: Staged,
    kind: str,
    areas: pd.DataFrame,
    *,
    today: date | None = None,
) -> tuple[StagedValidation, pd.DataFrame]:
    """Check every cell of the staged upload on `con`; return what validation.validate
    returns, and the rejected rows as they are in the file (indexed by place under the
    header, for ImportOutcome.rejected_rows)."""
    today = today or date.today()
    spec = SPECS[kind]
    result = StagedValidation(kind, staged.rows, _no_problems())
    found = validation.check_header_row(
        staged.headers, kind, spec, result.file_errors, has_rows=staged.rows > 0
    )
    if found is None:
        return result, pd.DataFrame()
    execute(con, "staging/setup")
    _lookups(con, spec, kind, areas)
    if staged.no_control_characters:
        control = pd.DataFrame(columns=["pos", "column_name", "value", "place", "code_point"])
    else:
        control = run_query(
            con,
            "staging/control_characters",
            multiline=[sql_name(c.name) for c in spec if c.multiline],
        )
    execute(con, f"staging/texts_{kind}")
    execute(
        con,
        "staging/values",
        latest=validation._latest_plausible_date(today),
        not_recorded_words=sorted(validation._NOT_RECORDED_WORDS),
        special_words=sorted(validation._SPECIAL_COMMUNITY_WORDS),
        true_words=sorted(validation._TRUE),
    )
    execute(con, f"staging/check_{kind}", **_identity_params(kind))
    _personal_hits(con, spec, kind)
    rules = run_query(con, f"staging/problems_{kind}", **_rule_params(spec, kind, today))
    problems = _worded(control, rules, spec, staged.headers)
    con.register("problems_found", problems[["pos"]])
    execute(con, "staging/problem_rows")
    con.unregister("problems_found")
    result.problems = problems.drop(columns="pos")
    rejected = _rejected(con, problems, staged.headers)
    execute(con, "staging/drop_file")  # the checks have read the file's own cells
    if kind == "police_uk":
        outside = run_query(con, "staging/police_uk_outside").iloc[0]
        result.rows_outside_area = int(outside["outside"] + outside["no_location"])
        result.outside_detail = (
            f"{int(outside['outside'])} in LSOAs outside the district, "
            f"{int(outside['no_location'])} with no location"
        )
    clean = {"true_words": sorted(validation._TRUE)} if kind == "contacts" else None
    rows = con.sql(sql(f"staging/clean_{kind}"), params=clean).to_arrow_table()
    result.staged = _codes_as_dictionaries(rows)
    return result, rejected


def check_frame(
    frame: pd.DataFrame, kind: str, areas: pd.DataFrame, *, today: date | None = None
) -> StagedValidation:
    """Check a frame of text cells (the demonstration's records) as a file is checked, on
    a staging connection of its own."""
    con = duckdb.connect()
    try:
        names = column_names([str(h) for h in frame.columns], kind)
        staged = stage_frame(con, frame, "frame", lambda _headers: names)
        return check_staged(con, staged, kind, areas, today=today)[0]
    finally:
        con.close()


# Free texts, and keys: nearly every value differs, so a dictionary would not help.
_DISTINCT_TEXTS = {"record_key", "reference", "team", "note"}


def _codes_as_dictionaries(rows: pa.Table) -> pa.Table:
    """The valid rows with each code column (a few codes repeated a million times) as a
    dictionary: the table waits in memory for the load, at a fraction of the size."""
    for number, column in enumerate(rows.schema):
        if pa.types.is_string(column.type) and column.name not in _DISTINCT_TEXTS:
            encoded = pc.dictionary_encode(rows.column(number))
            rows = rows.set_column(number, column.name, encoded)
    return rows


def _no_problems() -> pd.DataFrame:
    return validation._Problems(pd.RangeIndex(0)).frame()


def _lookups(con: duckdb.DuckDBPyConnection, spec, kind: str, areas: pd.DataFrame) -> None:
    """`stage_lookup(vocabulary, key, code)`: every key a cell may be read as, per
    vocabulary, exactly as validation.py builds its lookups."""
    rows: list[tuple[str, str, str]] = []
    for col in spec:
        if col.allowed is not None:
            vocabulary = "communities" if col.kind == "communities" else sql_name(col.name)
            rows += [(vocabulary, k, c) for k, c in validation.code_lookup(col.allowed).items()]
    rows += [("area", k, c) for k, c in validation._area_lookup(areas).items()]
    if kind == "police_uk":
        rows += [("police_uk_outcome", k, c) for k, c in validation._POLICE_UK_OUTCOME_KEYS.items()]
        lsoas = areas.loc[areas["area_level"] == "lsoa", "area_code"]
        rows += [("lsoa", code, code) for code in lsoas]
    frame = pd.DataFrame(rows, columns=["vocabulary", "key", "code"]).drop_duplicates(
        ["vocabulary", "key"]
    )
    con.register("lookup_rows", frame)
    execute(con, "staging/lookup")
    con.unregister("lookup_rows")


# data.police.uk columns validation.py does not parse: outside rows are counted, outcome
# categories mapped (queries/staging/check_police_uk.sql).
_NOT_PARSED = {"police_uk": ("LSOA code", "Last outcome category")}


def _rule_params(spec: tuple[Column, ...], kind: str, today: date) -> dict:
    params = {"today": today, "earliest": validation.EARLIEST_DATE}
    for col in spec:
        if col.name in _NOT_PARSED.get(kind, ()):
            continue
        if col.kind == "text" and col.max_length:
            params[f"max_{sql_name(col.name)}"] = col.max_length
        if col.kind == "bool":
            params["bool_words"] = sorted(validation._TRUE | validation._FALSE)
    return params


def _identity_params(kind: str) -> dict:
    """What the check needs to write each record's identity as record_keys.py does."""
    if kind == "contacts":
        return {"head": record_keys._head("contacts", "content")}
    return {
        "head_reference": record_keys._head("reports", "reference"),
        "head_content": record_keys._head("reports", "content"),
    }


# --------------------------------------------------------------------------- personal data


def _personal_hits(con: duckdb.DuckDBPyConnection, spec, kind: str) -> None:
    """`personal_hits(column_name, value, rule, seq)`: the free texts Python's patterns
    (validation._PERSONAL_PATTERNS) find personal data in, among the candidates SQL picks."""
    rows = []
    if kind != "police_uk":
        candidates = run_query(con, f"staging/personal_candidates_{kind}")
        order = {sql_name(c.name): n for n, c in enumerate(spec)}
        patterns = [
            (f"personal_{what}", pattern) for what, pattern in validation._PERSONAL_PATTERNS
        ]
        for column, value in candidates.itertuples(index=False):
            for n, (rule, pattern) in enumerate(patterns):
                if pattern.search(value):
                    rows.append((column, value, rule, SEQ_PERSONAL + 10 * order[column] + n))
    frame = pd.DataFrame(rows, columns=["column_name", "value", "rule", "seq"])
    frame["seq"] = frame["seq"].astype("int64")
    con.register("personal_rows", frame)
    execute(con, "staging/personal_hits")
    con.unregister("personal_rows")


# --------------------------------------------------------------------------- wording


def _worded(
    control: pd.DataFrame, rules: pd.DataFrame, spec: tuple[Column, ...], headers: list[str]
) -> pd.DataFrame:
    """Every problem as validation.py words it, in its order: by row, then column, then as
    found (control characters first)."""
    columns = {sql_name(c.name): c for c in spec}
    control_rows = pd.DataFrame(
        {
            "pos": control["pos"].to_numpy(dtype="int64"),
            "column": [_column_shown(n, columns, headers) for n in control["column_name"]],
            "value": control["value"].to_numpy(dtype=object),
            "rule": [
                validation.rule("control", what=_control_name(int(code)), at=int(at))
                for code, at in zip(control["code_point"], control["place"], strict=True)
            ],
            "seq": 0,
        }
    )
    by_name = {c.name: c for c in spec}
    rule_rows = pd.DataFrame(
        {
            "pos": rules["pos"].to_numpy(dtype="int64"),
            "column": rules["column_name"].to_numpy(dtype=object),
            "value": rules["value"].to_numpy(dtype=object),
            "rule": _rule_texts(rules, by_name),
            "seq": rules["seq"].to_numpy(dtype="int64"),
        }
    )
    found = pd.concat([control_rows, rule_rows], ignore_index=True)
    found = found.sort_values(["pos", "column", "seq"], kind="stable", ignore_index=True)
    shaped = validation._Problems(pd.RangeIndex(0)).frame()
    out = pd.DataFrame(
        {
            "row": (found["pos"] + FIRST_DATA_ROW).astype(shaped["row"].dtype),
            "column": found["column"].astype(shaped["column"].dtype),
            "value": found["value"].astype(shaped["value"].dtype),
            "rule": found["rule"].astype(shaped["rule"].dtype),
        }
    )
    out.insert(0, "pos", found["pos"].to_numpy())
    return out


def _column_shown(name: str, columns: Mapping[str, Column], headers: list[str]) -> str:
    """How a problem names a column: the spec's name, or the header as written (`column
    <n>` when it has none) for a column the import does not use."""
    if name in columns:
        return columns[name].name
    number = int(name.removeprefix("extra_"))
    return headers[number - 1] or f"column {number}"


def _control_name(code: int) -> str:
    return validation._control_name(chr(code))


def _rule_texts(rules: pd.DataFrame, by_name: Mapping[str, Column]) -> list[str]:
    """Each problem's words, worded once per rule and column (a file may break one rule a
    million times)."""
    pairs = list(zip(rules["rule"], rules["column_name"], strict=True))
    words = {pair: _rule_text(pair[0], by_name[pair[1]]) for pair in set(pairs)}
    return [words[pair] for pair in pairs]


def _rule_text(rule: str, col: Column) -> str:
    """A rule code as validation.py words it for this column (the staged SQL's codes are
    the catalogue's: import_rules.<code>)."""
    if rule.startswith("personal_"):
        return validation.personal_rule(rule.removeprefix("personal_"), col.name)
    if rule == "allowed":
        return validation.rule_allowed(col.allowed)
    if rule == "too_long":
        return validation.rule("too_long", n=col.max_length)
    return validation.rule(rule)


def _rejected(
    con: duckdb.DuckDBPyConnection, problems: pd.DataFrame, headers: list[str]
) -> pd.DataFrame:
    """The rows with problems as they are in the file, indexed by place under the header."""
    if problems.empty:
        return pd.DataFrame()
    rows = run_query(con, "staging/rejected_rows")
    cells = rows.drop(columns="pos").fillna("").astype(object)
    cells.columns = headers
    cells.index = pd.Index(rows["pos"].to_numpy(dtype="int64"))
    return cells
