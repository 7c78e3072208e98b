"""Boundaries held as read-only arrays (hidden_communities/geometry.py): the maps built from
them write exactly the JSON they wrote from the file's plain lists."""

from __future__ import annotations

import json

import duckdb
import numpy as np
import pandas as pd
import plotly.io as pio
import pytest

from hidden_communities import areas_view as av
from hidden_communities import district_view as dv
from hidden_communities import geometry, text
from hidden_communities.disclosure import apply_disclosure
from hidden_communities.settings import REFERENCE_DIR
from tests.test_areas_view import FRAME
from tests.test_national import _view as district_view_query


def _plain(path):
    """The file as json reads it: every ring a list of [lon, lat] lists."""
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture
def plain_geometry(monkeypatch):
    """Build the maps from plain lists instead (the way they were built before)."""

    def use(plain: bool) -> None:
        monkeypatch.setattr(geometry, "read", _plain if plain else _arrays)
        dv._every_boundary.cache_clear()
        dv._view.cache_clear()

    _arrays = geometry.read
    yield use
    monkeypatch.setattr(geometry, "read", _arrays)
    dv._every_boundary.cache_clear()
    dv._view.cache_clear()


def test_rings_are_read_only_arrays_of_the_files_coordinates():
    path = REFERENCE_DIR / "boundaries_lsoa.geojson"
    held, plain = geometry.read(path), _plain(path)
    assert geometry.read(path) is held  # read once a process
    assert [f["id"] for f in held["features"]] == [f["id"] for f in plain["features"]]
    pairs = list(zip(geometry.rings(held), geometry.rings(plain), strict=True))
    assert len(pairs) >= len(plain["features"])
    for ring, listed in pairs:
        assert isinstance(ring, np.ndarray) and ring.shape == (len(listed), 2)
        assert ring.tolist() == listed
        with pytest.raises(ValueError):
            ring[0, 0] = 0.0  # shared by every map of the process


def test_a_geometry_that_is_not_an_area_is_refused(tmp_path):
    path = tmp_path / "points.geojson"
    point = {"type": "Feature", "id": "x", "geometry": {"type": "Point", "coordinates": [0, 0]}}
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [point]}))
    with pytest.raises(ValueError, match="Point is not an area's boundary"):
        geometry.read(path)


@pytest.mark.parametrize("language", ["en", "pl"])
def test_the_district_map_writes_the_same_json(demo_db_path, plain_geometry, language):
    con = duckdb.connect(str(demo_db_path), read_only=True)
    try:
        raw = district_view_query(con, "lgbtq")
    finally:
        con.close()
    written = {}
    with text.language(language):
        for plain in (True, False):
            plain_geometry(plain)
            shown = dv.map_frame(raw, "contacts", 730)
            written[plain] = pio.to_json(dv.map_figure(shown, "lgbtq", "contacts"), validate=False)
    assert written[True] == written[False]
    # Nottinghamshire's eight districts, each polygon in one trace: Ashfield coloured, the
    # seven with no records in grey.
    traces = json.loads(written[False])["data"]
    assert [len(t["geojson"]["features"]) for t in traces] == [1, 7]


@pytest.mark.parametrize("measure", ["count", "ratio", "rate"])
def test_the_area_map_writes_the_same_json(plain_geometry, measure):
    view = av.map_view("eastern_european", "contacts", "ward", measure)
    shown = apply_disclosure(av.map_frame(FRAME, view), av.MAP_SPEC, "inspector")
    towns = pd.DataFrame({"town": ["Hucknall"], "label_lon": [-1.21], "label_lat": [53.03]})
    written = {}
    for plain in (True, False):
        plain_geometry(plain)
        written[plain] = pio.to_json(av.map_figure(shown, view, towns), validate=False)
    assert written[True] == written[False]
