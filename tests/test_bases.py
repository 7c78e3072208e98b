"""Issue 11, "compare like with like": each community is compared with records on the base
of its census count (adults' records for a community counted among residents aged 16+),
with the sensitivities the review asked for beside each ratio. Every expected value is
worked by hand in the comments from the hand-made database below."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from hidden_communities import census_measures, indicators, registry, representation, vocab
from hidden_communities.filters import Filters
from queries import run_query
from tests.builders import (
    chart,
    contacts,
    empty_database,
    load_frame,
    open_page,
    reports,
    table_with,
)

# Census 2021, Ashfield (the real reference tables):
VETERANS = 4325 / 102846  # 0.0420532 of adults
EASTERN = 2885 / 126300  # 0.0228424 of residents
LGBTQ = 2871 / 102851  # 0.0279142 of adults


@pytest.fixture(scope="module")
def bases_db(tmp_path_factory, reference) -> Path:
    """All on one day in one LSOA; crime type burglary (victim-based crime).

    Contacts (community, age band, how many):
      veterans: adult 6, age not recorded 2
      Eastern European: adult 5, under 16 5
      none of them: adult 60, under 16 20, age not recorded 10
      community not recorded: adult 8, under 16 4
    Reports (victim's community, age band, how many):
      LGBTQ+: adult 10, age not recorded 5
      none of them: adult 100, under 16 40, age not recorded 20
      community not recorded: adult 30, under 16 10
    and 20 drug offences against LGBTQ+ adults (a crime against society: left out by default).
    """
    path = tmp_path_factory.mktemp("bases") / "bases.duckdb"
    con = empty_database(path, reference)
    areas = reference["areas"]
    spec = [
        ("armed_forces", "adult", 6),
        ("armed_forces", "not_recorded", 2),
        ("eastern_european", "adult", 5),
        ("eastern_european", "under_16", 5),
        ("none", "adult", 60),
        ("none", "under_16", 20),
        ("none", "", 10),  # blank: not recorded
        ("not_recorded", "adult", 8),
        ("not_recorded", "under_16", 4),
    ]
    load_frame(con, contacts(spec, fields=("communities", "age_band")), "contacts", areas)
    spec = [
        ("lgbtq", "adult", 10),
        ("lgbtq", "not_recorded", 5),
        ("none", "adult", 100),
        ("none", "under_16", 40),
        ("none", "not_recorded", 20),
        ("not_recorded", "adult", 30),
        ("not_recorded", "under_16", 10),
    ]
    frame = reports(spec, fields=("victim_communities", "age_band"), crime_type="burglary")
    load_frame(con, frame, "reports", areas)
    # Crimes against society, not counted by default: 20 drug offences, LGBTQ+ adult.
    drugs = reports([("lgbtq", 20)], age_band="adult", crime_type="drugs", reference="")
    load_frame(con, drugs, "reports", areas, "drugs.csv")
    con.close()
    return path


# The default filters: victim-based crime only.
PERIOD = Filters(start=date(2021, 1, 1), end=date(2021, 12, 31)).params()


@pytest.fixture(scope="module")
def overview(bases_db):
    con = duckdb.connect(str(bases_db), read_only=True)
    try:
        return indicators.overview(run_query(con, "overview_by_community", **PERIOD)).set_index(
            "community"
        )
    finally:
        con.close()


def test_a_community_counted_among_adults_is_compared_with_adults_records(overview):
    veterans = overview.loc["armed_forces"]
    # Adults' contacts that record the community: 6 veterans + 5 Eastern European + 60 none
    # = 71 (not the 108 of all ages). Veterans 6/71 = 8.4507% against 4.2053% of adults:
    # ratio 2.0095.
    assert veterans["record_base"] == "adults"
    assert (veterans["contacts"], veterans["contacts_recorded"]) == (6, 71)
    assert veterans["contact_ratio"] == pytest.approx(2.00953, abs=1e-5)
    # Sensitivity: the 2 veterans' and 10 other contacts with no age as if all adults:
    # (6 + 2)/(71 + 12) = 8/83 = 9.6386%, ratio 2.2920.
    assert veterans["contact_ratio_if_adult"] == pytest.approx(2.29199, abs=1e-5)


def test_a_community_counted_among_all_residents_keeps_every_record(overview):
    eastern = overview.loc["eastern_european"]
    # All 108 contacts that record the community, children's too: 10/108 = 9.259% against
    # 2.2842% of residents, ratio 4.0535; no age sensitivity.
    assert eastern["record_base"] == "all_ages"
    assert (eastern["contacts"], eastern["contacts_recorded"]) == (10, 108)
    assert eastern["contact_ratio"] == pytest.approx(4.05353, abs=1e-5)
    assert eastern["contact_ratio_if_adult"] != eastern["contact_ratio_if_adult"]  # NaN


def test_reports_of_adult_victims_and_the_age_sensitivity(overview):
    lgbtq = overview.loc["lgbtq"]
    # Adult victims with the community recorded: 10 LGBTQ+ + 100 none = 110; 10/110 against
    # 2.7914% of adults: 3.2567. If the 25 with no age were adults: 15/135, 3.9805.
    assert (lgbtq["reports"], lgbtq["reports_recorded"]) == (10, 110)
    assert lgbtq["report_ratio"] == pytest.approx(3.25674, abs=1e-5)
    assert lgbtq["report_ratio_if_adult"] == pytest.approx(3.98046, abs=1e-5)


def test_manski_band_from_none_to_all_of_the_unrecorded(overview):
    veterans, eastern, lgbtq = (
        overview.loc[c] for c in ("armed_forces", "eastern_european", "lgbtq")
    )
    # Veterans: 8 adults' contacts do not say who was involved. None of them veterans:
    # 6/79 = 7.595%, ratio 1.8060; all of them: 14/79 = 17.722%, ratio 4.2141.
    assert veterans["contact_ratio_none_unrecorded"] == pytest.approx(1.80603, abs=1e-5)
    assert veterans["contact_ratio_all_unrecorded"] == pytest.approx(4.21407, abs=1e-5)
    # Eastern European (all ages): 12 unrecorded; 10/120 -> 3.6482, 22/120 -> 8.0260.
    assert eastern["contact_ratio_none_unrecorded"] == pytest.approx(3.64818, abs=1e-5)
    assert eastern["contact_ratio_all_unrecorded"] == pytest.approx(8.02600, abs=1e-5)
    # LGBTQ+ reports: 30 adult victims unrecorded; 10/140 -> 2.5589, 40/140 -> 10.2355.
    assert lgbtq["report_ratio_none_unrecorded"] == pytest.approx(2.55886, abs=1e-5)
    assert lgbtq["report_ratio_all_unrecorded"] == pytest.approx(10.23546, abs=1e-5)
    # The comparator has nothing to bound.
    assert overview.loc["all_residents", ["contact_ratio_none_unrecorded"]].isna().all()


def test_the_overview_page_states_the_base_and_shows_the_bands(bases_db, monkeypatch):
    at = open_page(bases_db, monkeypatch, "overview")
    table = table_with(at, "Records compared", "Contact ratio (95% CI)").set_index("Community")
    assert table.loc["Armed forces veterans", "Records compared"] == "Records about adults (16+)"
    assert table.loc["Eastern European", "Records compared"] == "Records of all ages"
    assert table.loc["Armed forces veterans", "Contact ratio if age not recorded were adults"] == (
        "2.29"
    )
    assert table.loc[
        "Armed forces veterans", "Contact ratio if unrecorded community were none to all"
    ] == ("1.81 to 4.21")
    sentences = "\n".join(m.value for m in at.markdown)
    # The verdict names its base, and the age sensitivity where it differs.
    assert "Armed-forces veterans made 8.5% of adults' contacts but are 4.2% of adults" in sentences
    assert (
        "if the contacts whose age was not recorded were all about adults, the ratio would be 2.29"
        in sentences
    )
    assert "Eastern European residents made 9.3% of contacts (all ages)" in sentences


def test_the_forest_plot_draws_the_manski_band(bases_db, monkeypatch):
    at = open_page(bases_db, monkeypatch, "representation")
    fig = chart(at, "forest_chart")
    bands = [t["x"] for t in fig["data"] if t.get("legendgroup", "").startswith("manski_contact")]
    # One dotted line per community with contacts, in registry order: Eastern European 3.648
    # to 8.026, veterans 1.806 to 4.214; LGBTQ+ (no contacts) none: a zero ratio is not drawn.
    assert [[round(v, 3) for v in x] for x in bands] == [[3.648, 8.026], [1.806, 4.214]]
    table = table_with(at, "Records compared", "Census non-respondents").set_index("Community")
    assert table.loc["LGBTQ+", "Report ratio if unrecorded community were none to all"] == (
        "2.56 to 10.24"
    )
    # The census central case for LGBTQ+: 10/110 / 0.030381 = 2.99, inside 0.83 (all
    # non-respondents, 10/110 / 0.109109) to 3.26 (as published).
    assert table.loc["LGBTQ+", "Report ratio, central case"] == "2.99"
    assert table.loc["LGBTQ+", "Report ratio then"] == "0.83"


def test_report_comparisons_count_victim_based_crime_by_default():
    default = Filters(start=date(2021, 1, 1), end=date(2021, 12, 31))
    # Home Office Counting Rules victim-based crime: nine of the fourteen police.uk types;
    # drugs, weapons, public order, other crime and anti-social behaviour are left out.
    assert default.report_params()["crime_types"] == list(vocab.VICTIM_BASED_CRIME_TYPES)
    assert set(vocab.CRIME_TYPES) - set(vocab.VICTIM_BASED_CRIME_TYPES) == {
        "anti_social_behaviour",
        "drugs",
        "other_crime",
        "possession_of_weapons",
        "public_order",
    }
    assert default.describe().endswith(
        "crime reports: victim-based crime only (Home Office Counting Rules; drugs, weapons, "
        "public order, other crime and anti-social behaviour left out)"
    )
    everything = Filters(start=date(2021, 1, 1), end=date(2021, 12, 31), report_scope="all_reports")
    assert everything.report_params()["crime_types"] == []
    assert everything.describe().endswith("crime reports: all crime and anti-social behaviour")
    # Crime types chosen by hand are counted as chosen, whatever the scope.
    chosen = Filters(start=date(2021, 1, 1), end=date(2021, 12, 31), crime_types=("drugs",))
    assert chosen.report_params()["crime_types"] == ["drugs"]


def test_the_include_all_control_is_bound_to_the_url(bases_db, monkeypatch):
    # Default: the 20 drug offences are left out; LGBTQ+ reports 10 of 110, ratio 3.26.
    at = open_page(bases_db, monkeypatch, "overview")
    table = table_with(at, "Records compared", "Report ratio (95% CI)").set_index("Community")
    assert table.loc["LGBTQ+", "Crime reports"] == "10"
    assert "victim-based crime only" in at.caption[0].value + "".join(c.value for c in at.caption)
    # ?scope=all_reports: 30 of 130 adult victims' reports, 0.23077/0.027914 = 8.27.
    at = open_page(bases_db, monkeypatch, "overview", scope="all_reports")
    table = table_with(at, "Records compared", "Report ratio (95% CI)").set_index("Community")
    assert table.loc["LGBTQ+", "Crime reports"] == "30"
    assert table.loc["LGBTQ+", "Report ratio (95% CI)"].startswith("8.27 ")
    assert any("all crime and anti-social behaviour" in c.value for c in at.caption)


# ----------------------------------------------------------------- item 5: one comparator


def test_overview_and_trends_count_the_same_comparator(bases_db, overview):
    # All residents are the records that say who was involved, on both pages. Contacts:
    # 120 in all, 12 not recorded (8 adults, 4 under 16): 108. Victim-based reports: 215 in
    # all (the 20 drug offences left out), 40 not recorded: 175.
    everyone = overview.loc["all_residents"]
    assert (everyone["contacts"], everyone["all_contacts"]) == (108, 120)
    assert (everyone["reports"], everyone["all_reports"]) == (175, 215)
    assert everyone["record_base"] == "said_who"
    con = duckdb.connect(str(bases_db), read_only=True)
    try:
        monthly = run_query(con, "trend_monthly", **PERIOD)
        before_after = run_query(con, "trend_before_after", **PERIOD)
    finally:
        con.close()
    comparator = monthly[monthly["community"] == "all_residents"]
    assert comparator[["contacts", "all_contacts", "reports", "all_reports"]].sum().tolist() == [
        108,
        120,
        175,
        215,
    ]
    both = before_after[
        (before_after["community"] == "all_residents") & (before_after["channel"] == "all")
    ].set_index("records")
    # No launch in this database: no day is before or after it, so none is counted.
    assert (both["before"] + both["after"]).tolist() == [0, 0]


def test_the_pages_show_the_same_comparator_and_label_every_record(bases_db, monkeypatch):
    at = open_page(bases_db, monkeypatch, "overview")
    table = table_with(at, "Records compared", "Contacts").set_index("Community")
    everyone = table.loc["All residents"]
    assert everyone["Records compared"] == "Records that say who was involved"
    assert (everyone["Contacts"], everyone["Crime reports"]) == ("108", "175")
    assert everyone["All contacts, including those that do not say who was involved"] == "120"
    at = open_page(bases_db, monkeypatch, "trends")
    table = table_with(at, "Month", "Community", "Count").set_index(["Community", "Month"])
    table = table.xs("May 2021 (part: 18 of 31 days)", level="Month")
    assert table.loc["All residents", "Count"] == "108"
    assert (
        table.loc["All residents", "All records, including those that do not say who was involved"]
        == "120"
    )
    captions = "\n".join(c.value for c in at.caption)
    assert "All residents: the contacts that say who was involved" in captions


# ------------------------------------------------------- item 7: the census measure chosen


@pytest.fixture(scope="module")
def measure_frames(bases_db):
    con = duckdb.connect(str(bases_db), read_only=True)
    try:
        return (
            run_query(con, "overview_by_community", **PERIOD),
            run_query(con, "measure_baselines"),
        )
    finally:
        con.close()


def test_each_census_measure_keeps_its_own_denominator(measure_frames):
    raw, baselines = measure_frames
    sens = census_measures.sensitivity(raw, baselines, registry.codes())
    eastern = sens[sens["community"] == "eastern_european"].set_index("measure")
    # The same 10 of 108 contacts (9.2593%) under each measure; only the baseline changes:
    # country of birth 2,885 / 126,300 -> 4.0535; ethnic group 2,519 / 126,293 -> 4.6422;
    # main language 2,500 / 122,414 (residents aged 3+) -> 4.5339; passports 2,367 / 126,297
    # -> 4.9405.
    assert list(eastern.index) == list(census_measures.choices("eastern_european"))
    assert eastern["population_base"].tolist() == [126300, 126293, 122414, 126297]
    assert eastern["contact_ratio"].tolist() == pytest.approx(
        [4.053534, 4.642238, 4.533852, 4.940501], abs=1e-6
    )
    assert eastern["primary"].tolist() == [True, False, False, False]
    # LGBTQ+ (adults' reports, 10 of 110): LGB+ or trans 2,871 / 102,851 -> 3.2567; LGB+
    # 2,641 / 102,843 -> 3.5401; trans 338 / 102,846 -> 27.6616.
    lgbtq = sens[sens["community"] == "lgbtq"].set_index("measure")
    assert lgbtq["report_ratio"].tolist() == pytest.approx(
        [3.256737, 3.540085, 27.661646], abs=1e-6
    )
    # Veterans have one measure: not in the table.
    assert "armed_forces" not in set(sens["community"])


def test_the_chosen_measure_drives_the_overview_and_is_in_the_url(bases_db, monkeypatch):
    key = "census_measure_eastern_european"
    at = open_page(bases_db, monkeypatch, "overview", **{key: "main_language_eastern_european"})
    assert at.selectbox(key=key).value == "main_language_eastern_european"
    table = table_with(at, "Records compared", "Contact ratio (95% CI)").set_index("Community")
    # 10 / 108 against 2,500 / 122,414: 4.53.
    assert table.loc["Eastern European", "Contact ratio (95% CI)"].startswith("4.53 (")
    at = open_page(bases_db, monkeypatch, "overview")
    table = table_with(at, "Records compared", "Contact ratio (95% CI)").set_index("Community")
    assert table.loc["Eastern European", "Contact ratio (95% CI)"].startswith("4.05 (")


def test_the_sensitivity_table_is_on_the_representation_page(bases_db, monkeypatch):
    at = open_page(bases_db, monkeypatch, "representation")
    table = table_with(at, "Census measure", "Contact ratio (95% CI)")
    eastern = table[table["Community"] == "Eastern European"].set_index("Census measure")
    assert len(eastern) == 4
    row = eastern.loc["Main language (Eastern European languages; residents aged 3+)"]
    assert row["Base (residents the measure counts among)"] == "122,414"
    assert row["Contact ratio (95% CI)"].startswith("4.53 (")
    assert eastern.loc["Country of birth (EU8 and EU2 countries)", "Default"] == "default"


def test_the_census_band_belongs_to_the_primary_measure(measure_frames, bases_db):
    raw, baselines = measure_frames
    con = duckdb.connect(str(bases_db), read_only=True)
    try:
        nonresponse = run_query(con, "representation_census_nonresponse")
    finally:
        con.close()
    primary = representation.forest(indicators.overview(raw), nonresponse, registry.codes())
    assert primary.set_index("community").loc["lgbtq", "not_answered"] == 8351
    chosen = census_measures.with_measures(raw, baselines, {"lgbtq": "lgb_plus"})
    other = representation.forest(indicators.overview(chosen), nonresponse, registry.codes())
    # Counted by sexual orientation only, LGBTQ+ residents have no band from the combined
    # question's non-response.
    assert other.set_index("community")["not_answered"].isna().all()


def test_the_map_counts_a_16_plus_community_in_adults_records(tmp_path, reference):
    """By area too: veterans are mapped among adults' records only (their totals as well);
    all residents keep every record."""
    path = tmp_path / "map.duckdb"
    con = empty_database(path, reference)
    frame = contacts(
        [("armed_forces", "adult", 5), ("none", "adult", 15), ("none", "under_16", 30)],
        fields=("communities", "age_band"),
    )
    load_frame(con, frame, "contacts", reference["areas"])
    params = Filters(start=date(2021, 1, 1), end=date(2021, 12, 31)).params()

    def lsoa_row(community: str):
        rows = run_query(
            con,
            "map_by_area",
            **params,
            level="lsoa",
            community=community,
            area_measure=None,
        ).set_index("area_code")
        return rows.loc["E01027925"]

    veterans, everyone = lsoa_row("armed_forces"), lsoa_row(registry.ALL_RESIDENTS)
    con.close()
    # Veterans: 5 of the 20 adults' contacts (the 30 about children are left out).
    assert (veterans["contacts"], veterans["contacts_recorded"]) == (5, 20)
    # All residents: all 50 contacts.
    assert (everyone["contacts"], everyone["contacts_recorded"]) == (50, 50)
