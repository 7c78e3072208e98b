"""Reading a file into DuckDB (staging.py) gives exactly the cells, row numbers and refusals
of the Python reader (readers.py), whichever reader reads it."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from hidden_communities import staging
from hidden_communities.readers import FileProblem, read_upload


def staged_cells(data: bytes, **kw) -> tuple[str, pd.DataFrame, str]:
    """What staging reads: how, the rows (indexed by place under the header, headers as
    columns, blank cells ''), and which reader read them."""
    con = duckdb.connect()
    try:
        found = staging.stage_upload(con, data, "upload.csv", **kw)
        rows = con.execute("SELECT * FROM raw_rows ORDER BY pos").df()
    finally:
        con.close()
    cells = rows.drop(columns="pos").fillna("").astype(object)
    cells.columns = found.headers
    cells.index = pd.Index(rows["pos"].to_numpy(dtype="int64"))
    return found.read_as, cells, found.reader


def python_cells(data: bytes, **kw) -> tuple[str, pd.DataFrame]:
    frame, how = read_upload(data, "upload.csv", **kw)
    frame = frame.astype(object)
    frame.index = pd.Index(frame.index.to_numpy(dtype="int64"))
    return how, frame


def same_reading(data: bytes, **kw) -> str:
    """Assert both readers agree on `data`; return which one staging used ('refused' when
    both refuse it, with the same message)."""
    try:
        expected = python_cells(data, **kw)
    except FileProblem as problem:
        with pytest.raises(FileProblem) as refused:
            staged_cells(data, **kw)
        assert str(refused.value) == str(problem)
        return "refused"
    how, cells, reader = staged_cells(data, **kw)
    assert how == expected[0]
    pd.testing.assert_frame_equal(cells, expected[1], check_index_type=False)
    return reader


HEADER = b"contact_date,area,team,note\n"


def test_a_plain_file_is_read_by_duckdb():
    data = HEADER + b"14/05/2021,E01027925,Sutton,\n01/06/2021,,Kirkby,met at the shop\n"
    assert same_reading(data) == "duckdb"


@pytest.mark.parametrize(
    "body",
    [
        b'a,"b,c",d,"""hi""!"\n',  # quoted cells and doubled quotes
        b"a,b\n",  # a short row, padded
        b",,,\n,x,,\n",  # a blank row (left out, keeps its number), then one with a value
        b"a,b,c,d\n\n\n",  # blank lines at the end
        b"a,b,c,d",  # no line end at the end
        "Łódź,ą,€,😀\n".encode(),
        "Łódź,b,c,d\n".encode("cp1250"),  # decoded by Python, then read by DuckDB
    ],
)
def test_files_duckdb_reads_are_read_alike(body):
    assert same_reading(HEADER + body) == "duckdb"


def test_windows_line_ends_are_read_by_duckdb():
    assert same_reading((HEADER + b"a,b,c,d\ne,f,g,h\n").replace(b"\n", b"\r\n")) == "duckdb"


@pytest.mark.parametrize(
    "body",
    [
        b'a,b,c,"two\nlines"\n',  # a quoted line break: Python's reader
        b"a,b,c,d\n\ne,f,g,h\n",  # a blank line inside: numbering as Python numbers
        b'a, "b",c,d\n',  # a space before a quote
        b"a,b,c,d\r\ne,f,g,h\n",  # line ends of both kinds
        b"a,b,c,d,\n",  # one cell too many
        b'a,"b,c,d\n',  # a quote never closed
        b'a,"b"c,d,e\n',  # text after a closing quote
        b"a,b\rc,d\n",  # a carriage return alone
    ],
)
def test_files_duckdb_would_read_otherwise_are_left_to_python(body):
    assert same_reading(HEADER + body) in ("python", "refused")


def test_a_cell_longer_than_pythons_limit_is_refused_as_python_refuses_it():
    assert same_reading(HEADER + b"a,b,c," + b"x" * 140_000 + b"\n") == "refused"


def test_the_row_limit_is_the_same():
    data = HEADER + b"a,b,c,d\n" * 11
    assert same_reading(data, max_rows=10) == "refused"
    assert same_reading(data, max_rows=11) == "duckdb"


FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# The characters that make CSV hard, and a few ordinary ones.
tricky = st.text(alphabet=st.sampled_from('ab ,;\t"\r\n\x00é'), max_size=40)


@FUZZ
@given(body=tricky)
@example(body='a,"b\n')
@example(body="a,b,c,\n,,,,\n")
@example(body='"",a\n"a"" ",b\n')
def test_random_files_are_read_alike(body):
    same_reading(HEADER + body.encode("utf-8"))


@FUZZ
@given(header=st.text(alphabet=st.sampled_from('ab ,;"\r\n'), max_size=12), body=tricky)
def test_random_headers_are_read_alike(header, body):
    same_reading((header + "\n" + body).encode("utf-8"))
