"""Boundary files as the maps hold them: each GeoJSON file of data/reference read once a
process, with every ring of coordinates a read-only (n, 2) numpy array.

Plotly deep-copies a trace's properties when it builds a figure and again when it writes
one out. Rings as lists of [lon, lat] pairs are thousands of small Python lists for
copy.deepcopy to walk (the 318 districts' map: 97 ms to build and 87 ms to write); as
arrays each ring is one block of memory, and plotly writes an array exactly as the list it
replaces (the same JSON, byte for byte: tests/test_geometry.py), in a third of the time.
The arrays are read-only because every map of the process shares them.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import numpy as np


def _frozen_rings(coordinates: list, depth: int) -> list | np.ndarray:
    """Coordinates `depth` list levels above their rings, with each ring an array."""
    if depth == 0:
        ring = np.asarray(coordinates, dtype=float)
        ring.flags.writeable = False
        return ring
    return [_frozen_rings(part, depth - 1) for part in coordinates]


# How many list levels a geometry's coordinates have above its rings.
_RING_DEPTH = {"Polygon": 1, "MultiPolygon": 2}


@cache
def read(path: Path) -> dict:
    """The FeatureCollection in `path`, read once a process (callers must not change it)."""
    collection = json.loads(Path(path).read_text(encoding="utf-8"))
    for feature in collection["features"]:
        geometry = feature["geometry"]
        depth = _RING_DEPTH.get(geometry["type"])
        if depth is None:
            raise ValueError(f"{path}: a {geometry['type']} is not an area's boundary")
        geometry["coordinates"] = _frozen_rings(geometry["coordinates"], depth)
    return collection


def rings(collection: dict):
    """Every ring of every feature, outer and inner alike."""
    for feature in collection["features"]:
        geometry = feature["geometry"]
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        for polygon in polygons:
            yield from polygon
