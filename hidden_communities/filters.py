"""The shared filters as one value object: its SQL parameters and its description in words.

The sidebar widgets (dashboard.py) are bound to the URL query string by streamlit, so a
copied link reproduces the view; every page then reads the same `Filters`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from . import vocab

# Short labels: bound widgets write the label into the URL (?audience=Public+meeting).
AUDIENCE_LABELS = {
    "inspector": "Inspector",
    "leadership": "Leadership review",
    "public": "Public meeting",
}

ALLOWED = {
    "communities": vocab.COMMUNITIES,
    "channels": vocab.CHANNELS,
    "directions": vocab.DIRECTIONS,
    "crime_types": vocab.CRIME_TYPES,
    "hate_strands": vocab.HATE_STRANDS,
}


@dataclass(frozen=True)
class Filters:
    start: date
    end: date
    communities: tuple[str, ...] = tuple(vocab.COMMUNITIES)
    areas: tuple[str, ...] = ()  # ward or LSOA codes; empty = the whole district
    channels: tuple[str, ...] = ()  # empty = every channel
    directions: tuple[str, ...] = ()
    crime_types: tuple[str, ...] = ()
    hate_strands: tuple[str, ...] = ()
    audience: str = "inspector"

    # ---- SQL parameters ------------------------------------------------------------
    def contact_params(self) -> dict:
        return {
            "start_date": self.start,
            "end_date": self.end,
            "area_codes": list(self.areas),
            "channels": list(self.channels),
            "directions": list(self.directions),
        }

    def report_params(self) -> dict:
        return {
            "start_date": self.start,
            "end_date": self.end,
            "area_codes": list(self.areas),
            "crime_types": list(self.crime_types),
            "hate_strands": list(self.hate_strands),
        }

    def params(self) -> dict:
        """Every SQL parameter a query over both tables needs."""
        return {**self.contact_params(), **self.report_params()}

    # ---- words ---------------------------------------------------------------------
    def describe(self, area_names: Mapping[str, str] | None = None) -> str:
        """The filter in one sentence, for the line above each chart."""
        area_names = area_names or {}
        parts = [f"{self.start:%-d %b %Y} to {self.end:%-d %b %Y}"]
        parts.append(
            "whole district"
            if not self.areas
            else "areas: " + ", ".join(area_names.get(a, a) for a in self.areas)
        )
        for name, noun in (
            ("channels", "channels"),
            ("directions", "direction"),
            ("crime_types", "crime types"),
            ("hate_strands", "hate-crime strands"),
        ):
            chosen = getattr(self, name)
            if chosen:
                labels = ALLOWED[name]
                parts.append(f"{noun}: " + ", ".join(labels[c] for c in chosen))
        return "; ".join(parts)
