"""What the Data and Log-a-contact pages say about a file, a load and a logged contact, in
the language in use (no streamlit here).

The loading code keeps its own English summary (`LoadResult.summary`) for the import
command; the pages write the same facts from the catalogue. The reasons a file or a row
is refused (readers.py, validation.py) are still English sentences and are passed through
as they are.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from babel import dates as babel_dates

from . import text
from .ingest import ImportOutcome
from .loading import LoadResult

WORDS = "load_words"
# The problem report's columns (ingest.ImportOutcome.problems) and the loads list's
# (queries/imports_list.sql), each shown under a catalogue header.
PROBLEM_COLUMNS = ("row", "column", "value", "rule")
IMPORT_COLUMNS = (
    "import_id", "kind", "file_name", "loaded_at", "loaded_by", "rows_in_file", "rows_accepted",
    "rows_duplicate", "rows_updated", "rows_rejected", "rows_outside_area", "is_demonstration",
    "undone_at", "undone_by",
)  # fmt: skip


def setting(value: float) -> str:
    """A setting's number with the decimals it needs (50, 0.5), in the language in use."""
    written = f"{value:g}"
    decimals = len(written.partition(".")[2]) if "e" not in written else 0
    return text.number(value, decimals)


def load_summary(load: LoadResult) -> str:
    """What a load did, in one sentence: "3 new record(s) loaded; 1 rejected."."""
    if load.already_loaded_as is not None:
        return text.t(f"{WORDS}.already_loaded", load=load.already_loaded_as)
    parts = [text.plural(f"{WORDS}.new", load.rows_accepted)]
    if load.rows_duplicate and load.rows_updated:
        parts.append(
            text.plural(
                f"{WORDS}.duplicate_updated",
                load.rows_duplicate,
                updated=text.number(load.rows_updated),
            )
        )
    elif load.rows_duplicate:
        parts.append(text.plural(f"{WORDS}.duplicate", load.rows_duplicate))
    if load.rows_rejected:
        parts.append(text.plural(f"{WORDS}.rejected", load.rows_rejected))
    if load.rows_outside_area:
        if load.outside_detail:
            parts.append(
                text.plural(
                    f"{WORDS}.outside_detail", load.rows_outside_area, detail=load.outside_detail
                )
            )
        else:
            parts.append(text.plural(f"{WORDS}.outside", load.rows_outside_area))
    return text.t(f"{WORDS}.sentence", parts=text.t(f"{WORDS}.joiner").join(parts))


def outcome_message(outcome: ImportOutcome) -> str:
    """What happened to a file: its load's summary, or why it was not loaded."""
    if outcome.load is not None:
        return load_summary(outcome.load)
    if outcome.errors:
        return text.t(
            f"{WORDS}.not_loaded_because", file=outcome.file_name, errors="; ".join(outcome.errors)
        )
    return text.t(f"{WORDS}.not_loaded", file=outcome.file_name)


def check_sentence(outcome: ImportOutcome) -> str:
    """A checked file with no file-level error: whether every row is valid."""
    validation = outcome.validation
    if outcome.problems.empty:
        return text.plural(f"{WORDS}.all_valid", validation.rows_in_file, encoding=outcome.read_as)
    return text.t(
        f"{WORDS}.rows_break",
        rejected=text.number(len(validation.rejected_rows)),
        rows=text.number(validation.rows_in_file),
    )


def undone_sentence(import_id: int, removed: int) -> str:
    return text.plural(f"{WORDS}.undone", removed, load=import_id)


def problems_table(problems: pd.DataFrame) -> pd.DataFrame:
    """The problem report with its headers in the current language."""
    return problems.rename(columns={c: text.t(f"{WORDS}.problem_col.{c}") for c in PROBLEM_COLUMNS})


def imports_table(imports: pd.DataFrame) -> pd.DataFrame:
    """The loads so far with their kinds in words and headers in the current language."""
    shown = imports.copy()
    shown["kind"] = [text.label("import_kind", kind) for kind in shown["kind"]]
    return shown.rename(columns={c: text.t(f"{WORDS}.import_col.{c}") for c in IMPORT_COLUMNS})


def numeric_date(day: dt.date) -> str:
    """A date in digits as the language writes it: 14/05/2021, 14.05.2021."""
    return babel_dates.format_date(day, "short", locale=text.locale_code())


def saved_contact(channel: str, day: dt.date) -> str:
    """The note after a logged contact is saved."""
    return text.t(
        f"{WORDS}.saved",
        channel=text.label("channel", channel).lower(),
        date=numeric_date(day),
    )
