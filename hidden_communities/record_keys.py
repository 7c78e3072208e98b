"""Record keys: which stored record a row of a file is, so that loading it again adds nothing.

A key is `c:` (contacts) or `r:` (reports), the SHA-256 of the record's *identity*, `#`
and the row's occurrence number among rows of its file with the same identity (two
identical rows in one file are two records; the same row in a later file is the same
record).

The identity is a canonical encoding: a JSON array naming the scheme, the table, the kind
of identity and, for every field, its name, its type and its value. JSON quotes and
escapes every text and brackets every list, and each value carries its type, so no two
different records can encode alike (`"A|b"` as a team and `"A"` followed by `"b"` are
different texts in different places), unlike fields joined with a separator. Lists are
sorted, since the order of communities in a cell means nothing.

- A contact's identity is every field, plus `entry_ref` (a fresh value for each
  submission of the log-a-contact form, blank for files).
- The age band (schema version 3) joins a content identity only when it is recorded
  (`adult` or `under_16`): a record that does not say keeps the key it had before age
  bands existed, so older databases need no re-keying.
- A report with a reference is identified by its source and reference (a data.police.uk
  Crime ID also by its LSOA: one published ID can appear at two places), so the same report
  in a later export is the same record, even when its outcome has changed since. A report
  without one (anti-social behaviour on data.police.uk) is identified by every field.

The database stores each key as the 16 bytes of the MD5 of its text (`stored`; schema
version 6), not the 68-character text: a unique index on random 68-character texts cost
most of a large load, and keys that short are written and compared several times faster.
MD5 is safe here although it is broken for chosen inputs: what it digests is a SHA-256
digest (of a text a file decides) and a number, which nobody can choose to collide, and
two of the few million keys a database holds share an MD5 by chance with a probability
under 10^-24. DuckDB writes the same bytes as `unhex(md5(key))` (queries/staging/clean_*.sql).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from json.encoder import encode_basestring_ascii as _quoted  # what json.dumps uses

import numpy as np
import pandas as pd

SCHEME = "hidden-communities record key"
SCHEME_VERSION = 2
CONTACT_FIELDS = (
    "contact_date",
    "area_code",
    "team",
    "community_recorded",
    "communities",
    "channel",
    "direction",
    "place_type",
    "people_reached",
    "language",
    "topics",
    "follow_up_needed",
    "note",
    "entry_ref",
)
REPORT_FIELDS = (
    "source",
    "reported_on",
    "date_precision",
    "occurred_on",
    "area_code",
    "team",
    "crime_type",
    "hate_strands",
    "victim_community_recorded",
    "victim_communities",
    "outcome",
)
PREFIX = {"contacts": "c", "reports": "r"}
# Part of a content identity only when recorded (see the module's docstring).
AGE_BAND = "age_band"
AGE_NOT_RECORDED = "not_recorded"


def typed(value) -> list:
    """One value as [type, value]: null, bool, int, date (ISO), text or list (sorted)."""
    if value is None or value is pd.NaT or value is pd.NA:
        return ["null"]
    if isinstance(value, float) and math.isnan(value):
        return ["null"]
    if isinstance(value, bool | np.bool_):
        return ["bool", bool(value)]
    if isinstance(value, int | np.integer):
        return ["int", int(value)]
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return ["int", int(value)]  # a whole number that went through a float column
    if isinstance(value, datetime):  # also pandas.Timestamp: the database keeps the day
        if value.time() != datetime.min.time():
            raise ValueError(f"a record key takes dates, not times: {value!r}")
        return ["date", value.date().isoformat()]
    if isinstance(value, date):
        return ["date", value.isoformat()]
    if isinstance(value, str):
        return ["text", value]
    if isinstance(value, list | tuple | np.ndarray):
        items = list(value)
        if not all(isinstance(item, str) for item in items):
            raise TypeError(f"a record key takes lists of codes, not {items!r}")
        return ["list", sorted(items)]
    raise TypeError(f"no key encoding for {type(value).__name__}")


def _fragment(name: str, value) -> str:
    """[name, type, value] as compact ASCII JSON."""
    if isinstance(value, str):  # the common case, without json.dumps's overhead
        return f'[{_quoted(name)},"text",{_quoted(value)}]'
    return json.dumps([name, *typed(value)], ensure_ascii=True, separators=(",", ":"))


def _head(table: str, kind: str) -> str:
    return json.dumps([SCHEME, SCHEME_VERSION, table, kind], separators=(",", ":"))[:-1] + ",["


def identity(table: str, kind: str, fields: Iterable[tuple[str, object]]) -> str:
    """The canonical text of a record's identity: the JSON array
    [scheme, version, table, kind, [[field, type, value], ...]] written compactly."""
    return _head(table, kind) + ",".join(_fragment(n, v) for n, v in fields) + "]]"


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def contact_identity(record: Mapping) -> str:
    """The identity of one contact: every field (`entry_ref` blank or missing for files)."""
    fields = [(name, record.get(name)) for name in CONTACT_FIELDS[:-1]]
    fields.append(("entry_ref", record.get("entry_ref") or None))
    return identity("contacts", "content", [*fields, *_age_field(record)])


def _age_field(record: Mapping) -> list[tuple[str, object]]:
    band = record.get(AGE_BAND)
    return [] if band in (None, AGE_NOT_RECORDED) else [(AGE_BAND, band)]


def report_identity(record: Mapping) -> tuple[str, bool]:
    """The identity of one report, and whether it is its reference (True) or its content."""
    reference = record.get("reference")
    if not _is_null(reference):
        source = record["source"]
        area = record.get("area_code") if source == "police_uk" else None
        fields = [("source", source), ("reference", reference), ("area_code", area)]
        return identity("reports", "reference", fields), True
    fields = [(n, record.get(n)) for n in REPORT_FIELDS]
    return identity("reports", "content", [*fields, *_age_field(record)]), False


def _is_null(value) -> bool:
    return typed(value) == ["null"] if not isinstance(value, list | tuple | np.ndarray) else False


_LISTS = (list, tuple, np.ndarray)
_NULL = ("null",)


def _column_fragments(name: str, values: pd.Series) -> list[str]:
    """`_fragment` for a whole column, encoding each distinct value once."""
    cache: dict[tuple, str] = {}
    out = []
    for value in values.tolist():
        kind = value.__class__
        if kind in _LISTS:
            key = ("list", *sorted(value))
        elif (
            value is None or value is pd.NaT or value is pd.NA or (kind is float and value != value)
        ):
            key = _NULL
        else:
            key = (kind, value)  # True and 1 are different values here
        fragment = cache.get(key)
        if fragment is None:
            fragment = cache[key] = _fragment(name, value)
        out.append(fragment)
    return out


def _identities(
    table: str, kind: str, columns: Mapping[str, pd.Series], rows: pd.DataFrame | None = None
) -> list[str]:
    """`identity` for every row of some columns (all of one length), column by column:
    the same text as row by row, built about twenty times faster. With `rows`, a content
    identity also takes the recorded age bands."""
    head = _head(table, kind)
    parts = [_column_fragments(name, values) for name, values in columns.items()]
    if rows is not None:
        parts.append(_age_fragments(rows).tolist())
    return [head + ",".join(filter(None, fields)) + "]]" for fields in zip(*parts, strict=True)]


def _age_fragments(rows: pd.DataFrame) -> pd.Series:
    """The age band's fragment where it is recorded, "" (left out) where it is not."""
    if AGE_BAND not in rows:
        return pd.Series("", index=rows.index, dtype=object)
    bands = rows[AGE_BAND]
    recorded = bands.notna() & (bands != AGE_NOT_RECORDED)
    return pd.Series(
        [_fragment(AGE_BAND, b) if r else "" for b, r in zip(bands, recorded, strict=True)],
        index=rows.index,
        dtype=object,
    )


def stored(keys: pd.Series) -> pd.Series:
    """The keys as the database stores them: the MD5 of each key's text, 16 bytes."""
    return pd.Series(
        [hashlib.md5(key.encode("ascii")).digest() for key in keys],
        index=keys.index,
        dtype=object,
    )


def numbered(table: str, hashes: pd.Series, order: pd.Series) -> pd.Series:
    """`prefix:hash#n`, n counting the rows with the same hash in `order` (from 1)."""
    in_order = hashes.loc[order.sort_values(kind="stable").index]
    occurrence = in_order.groupby(in_order, sort=False).cumcount().add(1).reindex(hashes.index)
    return PREFIX[table] + ":" + hashes + "#" + occurrence.astype(str)


def contact_keys(rows: pd.DataFrame) -> pd.Series:
    """The keys of validated contact rows (with `file_row`), in the same order."""
    columns = {name: rows[name] for name in CONTACT_FIELDS[:-1]}
    columns["entry_ref"] = rows["entry_ref"].where(rows["entry_ref"] != "", None)
    texts = _identities("contacts", "content", columns, rows)
    hashes = pd.Series([digest(t) for t in texts], index=rows.index, dtype=object)
    return numbered("contacts", hashes, rows["file_row"])


def report_keys(rows: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """The keys of validated report rows (with `file_row`), and which rows are keyed by
    their reference (the ones a later file may update)."""
    by_reference = rows["reference"].notna()
    hashes = pd.Series("", index=rows.index, dtype=object)
    named = rows[by_reference]
    if not named.empty:
        area = named["area_code"].where(named["source"] == "police_uk", None)
        columns = {"source": named["source"], "reference": named["reference"], "area_code": area}
        texts = _identities("reports", "reference", columns)
        hashes[by_reference] = [digest(t) for t in texts]
    unnamed = rows[~by_reference]
    if not unnamed.empty:
        columns = {n: unnamed[n] for n in REPORT_FIELDS}
        texts = _identities("reports", "content", columns, unnamed)
        hashes[~by_reference] = [digest(t) for t in texts]
    return numbered("reports", hashes, rows["file_row"]), by_reference.astype(bool)
