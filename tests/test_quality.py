"""Recording completeness and the incomplete-month flags, with hand-worked numbers."""

from __future__ import annotations

import pandas as pd
import pytest

from hidden_communities import quality


def months(rows):
    return pd.DataFrame(
        rows,
        columns=[
            "dataset",
            "grouping",
            "records",
            "community_recorded",
            "area_recorded",
            "date_recorded",
        ],
    )


def test_completeness_shares_and_wilson_intervals():
    long = quality.completeness(months([("contacts", "2021-01", 40, 30, 40, 40)]))
    community = long[long["field"] == "community"].iloc[0]
    # 30/40 = 75%; Wilson 95% with z^2 = 3.841459: (60 + 3.841459 -/+ 1.959964 *
    # sqrt(3.841459 + 4*30*0.25)) / (2*43.841459) = (63.841459 -/+ 11.401784) / 87.682918
    # = 0.598061 to 0.858128.
    assert community["share"] == 0.75
    assert community["lower"] == pytest.approx(0.598061, abs=5e-6)
    assert community["upper"] == pytest.approx(0.858128, abs=5e-6)
    area = long[long["field"] == "area"].iloc[0]
    assert (area["share"], area["upper"]) == (1.0, 1.0)


def test_a_volume_drop_is_flagged():
    # Median of 100, 100, 100, 50 is 100; 50 < 60% of it. 59/100 would also be flagged,
    # 60 would not (the rule is strictly under 60%).
    rows = [
        ("reports", m, n, n, n, n)
        for m, n in (("2024-01", 100), ("2024-02", 100), ("2024-03", 100), ("2024-04", 50))
    ]
    flags = quality.flag_months(months(rows)).set_index("month")["flag"]
    assert flags["2024-04"] == "only 50 records against a typical 100"
    assert (flags.drop("2024-04") == "").all()


def test_a_month_is_flagged_only_when_significantly_below_the_overall_share():
    # Overall community share (36*5 + 8) / 240 = 78.3%. March: 8/40 = 20%, 99.8% Wilson
    # upper limit 0.419 < 0.783, flagged. With March at 30/40 = 75% instead, the overall
    # is 210/240 = 87.5% and March's 99.8% upper limit (z^2 = 9.5495) is (69.5495 +
    # 3.0902*sqrt(39.5495)) / 99.099 = 0.898 > 0.875: ordinary noise, not flagged.
    rows = [("contacts", f"2021-0{m}", 40, 36, 40, 40) for m in (1, 2, 4, 5, 6)]
    rows.insert(2, ("contacts", "2021-03", 40, 8, 40, 40))
    flags = quality.flag_months(months(rows)).set_index("month")["flag"]
    assert flags["2021-03"] == "community filled in for 20% (usually 78%)"
    assert (flags.drop("2021-03") == "").all()
    rows[2] = ("contacts", "2021-03", 40, 30, 40, 40)
    assert (quality.flag_months(months(rows))["flag"] == "").all()
