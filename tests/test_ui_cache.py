"""The figure and result caches of ui.widgets: keyed by every input row, the language and
the audience, so a public view never gets a figure or table built for an inspector (or
in another language), even from the same inputs."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import pytest

from hidden_communities import disclosure, text
from ui import store, widgets

CALLS: list[tuple] = []


def chart(frame: pd.DataFrame, title: str) -> go.Figure:
    CALLS.append(("chart", text.current_language(), store.audience(), len(frame)))
    return go.Figure(layout=dict(title=title))


def total(frame: pd.DataFrame) -> pd.DataFrame:
    CALLS.append(("total", text.current_language(), store.audience(), len(frame)))
    return frame.assign(total=frame["n"].sum())


@pytest.fixture(autouse=True)
def fresh(monkeypatch):
    widgets._figure.clear()
    widgets._computed.clear()
    CALLS.clear()
    audience = {"now": disclosure.INSPECTOR}
    monkeypatch.setattr(store, "audience", lambda: audience["now"])
    return audience


def test_a_figure_is_kept_per_audience_and_language(fresh):
    frame = pd.DataFrame({"n": [1, 2, 3]})
    inspector = widgets.figure(chart, frame, "t")
    assert widgets.figure(chart, frame.copy(), "t") is inspector  # same inputs: kept
    fresh["now"] = disclosure.PUBLIC
    public = widgets.figure(chart, frame, "t")
    assert public is not inspector
    with text.language("pl"):
        polish = widgets.figure(chart, frame, "t")
    assert polish is not public
    assert widgets.figure(chart, frame, "t") is public
    fresh["now"] = disclosure.INSPECTOR
    assert widgets.figure(chart, frame, "t") is inspector
    assert CALLS == [
        ("chart", "en", "inspector", 3),
        ("chart", "en", "public", 3),
        ("chart", "pl", "public", 3),
    ]


def test_a_result_is_kept_per_audience_and_handed_out_as_a_copy(fresh):
    frame = pd.DataFrame({"n": [1, 2, 3]})
    first = widgets.computed(total, frame)
    first.loc[0, "total"] = 99  # a caller changing its copy changes nothing kept
    assert widgets.computed(total, frame)["total"].tolist() == [6, 6, 6]
    fresh["now"] = disclosure.LEADERSHIP
    assert widgets.computed(total, frame)["total"].tolist() == [6, 6, 6]
    assert CALLS == [("total", "en", "inspector", 3), ("total", "en", "leadership", 3)]


def test_every_row_of_a_large_frame_is_in_the_key():
    # Streamlit's own hash samples frames of 50,000 rows or more.
    big = pd.DataFrame({"n": range(60_000)})
    changed = big.copy()
    changed.loc[31_337, "n"] = -1
    assert widgets.figure(chart, big, "t") is not widgets.figure(chart, changed, "t")
    assert len(CALLS) == 2


def test_a_different_input_is_worked_out_again():
    frame = pd.DataFrame({"n": [1, 2, 3]})
    widgets.figure(chart, frame, "t")
    widgets.figure(chart, frame, "u")
    widgets.figure(chart, frame.iloc[:2], "t")
    assert [call[3] for call in CALLS] == [3, 3, 2]
