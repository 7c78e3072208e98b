"""Which census baselines the reference data holds: (measure, map level) pairs.

A community's registry record declares where a baseline can exist (`area_baselines`:
ONS publishes the table there); whether this build's reference data has it is a fact
about the data: population rows for the measure at areas of that level. The reference
build writes small-area rows only from the files it was given (the Nomis bulk files for
veterans and Eastern European residents are optional), so the app asks the data, never
the declaration alone. `Community.baseline_at(level, held)` combines the two.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd

from .settings import REFERENCE_DIR

Held = frozenset[tuple[str, str]]


def held(frame: pd.DataFrame) -> Held:
    """The (measure, area level) pairs of a frame with `measure` and `area_level` columns
    (queries/baseline_levels.sql returns one)."""
    return frozenset(zip(frame["measure"], frame["area_level"].astype(str), strict=True))


def of_reference(population: pd.DataFrame, areas: pd.DataFrame) -> Held:
    """The pairs the reference tables' population rows cover (areas give each level)."""
    level = areas.set_index("area_code")["area_level"]
    rows = pd.DataFrame(
        {"measure": population["measure"], "area_level": population["area_code"].map(level)}
    )
    return held(rows.dropna())


@cache
def in_reference_dir(reference_dir: Path = REFERENCE_DIR) -> Held:
    """The pairs the reference files in a folder hold (data/reference by default, which
    the app's database is built from)."""
    population = pd.read_csv(reference_dir / "population.csv", dtype={"area_code": str})
    areas = pd.read_csv(reference_dir / "areas.csv", dtype=str, keep_default_na=False)
    return of_reference(population, areas)
