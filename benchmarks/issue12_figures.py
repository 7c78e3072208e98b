"""Issue 12 figures on a database: what the new statistics say about its data.

    .venv/bin/python -m hidden_communities build-db --db /tmp/stats_demo.duckdb
    .venv/bin/python benchmarks/issue12_figures.py --db /tmp/stats_demo.duckdb

For the all-resident funnel of records per LSOA (the Under-representation page's funnel,
built by `representation.funnel`): phi and tau2, and how many LSOAs lie outside the 99.8%
limits with no adjustment, multiplicative and additive, and flagged after false
discovery control (with the same three kinds of test). For each community's monthly counts: the interrupted time series level and
slope change at the campaign launch, alone and against all residents. It prints figures
and asserts nothing; nothing here is used by the app.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hidden_communities import database, representation, settings, stats, vocab  # noqa: E402
from hidden_communities.areas_view import area_measure  # noqa: E402
from hidden_communities.filters import Filters  # noqa: E402
from queries import run_query  # noqa: E402

OUTSIDE_998 = (stats.ABOVE_998, stats.BELOW_998)


def funnel_figures(con, filters: Filters, records: str) -> None:
    raw = run_query(
        con,
        "map_by_area",
        **filters.params(),
        level="lsoa",
        community=vocab.ALL_RESIDENTS,
        area_measure=area_measure(vocab.ALL_RESIDENTS, "lsoa"),
    )
    areas = representation.funnel(raw, vocab.ALL_RESIDENTS, records)
    overall = float(areas["overall"].iloc[0])
    spread = stats.overdispersion(
        areas["events"], areas["denominator"], overall, kind="rate", per=1000
    )
    print(f"\n{records} per 1,000 residents, {len(areas)} LSOAs, overall {overall:.3f}")
    print(
        f"  phi {spread.phi:.3f}, tau2 {spread.tau2:.3f} (per 1,000)^2, k phi "
        f"{spread.statistic:.1f} against chi2(0.95; {spread.k - 1}) "
        f"{spread.critical_value:.1f}: overdispersed {spread.overdispersed}"
    )
    kw = {"kind": "rate", "per": 1000}
    for adjustment in stats.FUNNEL_ADJUSTMENTS:
        placed = stats.classify_funnel(
            areas, "value", "denominator", overall, adjustment=adjustment, **kw
        )
        counts = placed["funnel_position"].value_counts()
        outside = int(sum(counts.get(label, 0) for label in OUTSIDE_998))
        detail = ", ".join(f"{label} {counts.get(label, 0)}" for label in OUTSIDE_998)
        print(f"  outside 99.8% ({adjustment}): {outside} ({detail})")
    for adjustment in stats.FUNNEL_ADJUSTMENTS:
        fdr = stats.add_false_discovery(
            areas, "events", "denominator", overall, adjustment=adjustment, **kw
        )
        print(
            f"  flagged after false discovery control (q = 0.05, {adjustment}): "
            f"{int(fdr['fdr_flagged'].sum())} of {int(fdr['fdr_p_value'].notna().sum())}"
        )


def _effect(effect: stats.Effect) -> str:
    return f"{effect.ratio:.3f} ({effect.lower:.3f} to {effect.upper:.3f}), p {effect.p_value:.3g}"


def its_figures(con, filters: Filters, launch: date) -> None:
    monthly = run_query(con, "trend_monthly", **filters.params())
    everyone = monthly[monthly["community"] == vocab.ALL_RESIDENTS].set_index("month")
    for records in ("contacts", "reports"):
        print(f"\nInterrupted time series of monthly {records}, launch {launch}:")
        for community in vocab.COMMUNITIES:
            if community == vocab.ALL_RESIDENTS:
                continue
            rows = monthly[monthly["community"] == community].set_index("month")
            control = everyone.loc[rows.index, records]
            for label, kwargs in (("alone", {}), ("vs all residents", {"control": control})):
                result = stats.interrupted_time_series(rows[records], rows.index, launch, **kwargs)
                if not result.estimable:
                    print(f"  {community:17} {label:17} {result.status}: {result.reason}")
                    continue
                print(
                    f"  {community:17} {label:17} level {_effect(result.level_change)}; "
                    f"slope {_effect(result.slope_change)}; dispersion {result.dispersion:.2f}"
                )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=str(settings.db_path()))
    args = parser.parse_args()
    con = database.connect(Path(args.db))
    try:
        status = run_query(con, "data_status").iloc[0]
        filters = Filters(start=status["first_date"], end=status["last_date"])
        events = run_query(
            con, "trend_campaign_events", start_date=filters.start, end_date=filters.end
        )
        launch = events.loc[events["kind"] == "launch", "event_date"].min()
        print(f"{args.db}: {filters.start} to {filters.end}")
        for records in ("reports", "contacts"):
            funnel_figures(con, filters, records)
        its_figures(con, filters, launch)
    finally:
        con.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
