"""The community registry: one record per community, and nothing else names one.

A fourth community is registered here from nothing but its registry record and its
Census 2021 figures (Roma, Gypsy and Irish Traveller residents, TS021), and every page
must show it with the right figures.
"""

from __future__ import annotations

import ast
import json
import re
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest  # noqa: TC002 - a type in signatures

from hidden_communities import baselines, database, indicators, registry, settings, text, vocab
from hidden_communities.registry import Community, DemoProfile
from queries import run_query
from tests.builders import PROJECT_ROOT, open_page, page_stems, table_with

ASHFIELD = "E07000170"

# Census 2021 TS021 (ethnic group), Ashfield: White: Gypsy or Irish Traveller 67, White:
# Roma 54, of 126,299 usual residents (the table's own total).
GYPSY_TRAVELLER, ROMA, TS021_TOTAL = 67, 54, 126_299
TS021 = "ons-census2021-ltla-nomis/census2021-ts021-ltla.csv"

ROMA_GRT = Community(
    code="roma_gypsy_traveller",
    order=40,
    universe=registry.ALL_AGES,
    primary_measure="roma_gypsy_irish_traveller",
    colour="#E69F00",
    demo=DemoProfile(contact_share=0.004, campaign_weight=0.15, hotspots=2),
)
ROMA_TEXTS = {
    "en": {
        "community.roma_gypsy_traveller.label": "Roma, Gypsy and Irish Traveller",
        "community.roma_gypsy_traveller.people": "Roma, Gypsy and Irish Traveller residents",
        "community.roma_gypsy_traveller.people_mid": "Roma, Gypsy and Irish Traveller residents",
        "community.roma_gypsy_traveller.described": "Roma, Gypsy and Irish Traveller residents",
    }
}

# --------------------------------------------------------------------------- the registry


def test_every_community_derives_from_the_registry():
    codes = registry.codes()
    assert codes == ("eastern_european", "armed_forces", "lgbtq")
    assert tuple(vocab.COMMUNITIES) == codes
    assert vocab.enums()["community"] == codes
    assert vocab.enums()["population_community"] == (*codes, "all_residents")
    assert [registry.colour(c) for c in codes] == ["#0072B2", "#009E73", "#CC79A7"]
    assert registry.colour("not_registered") == registry.COMPARATOR_COLOUR
    assert [registry.universe(c) for c in codes] == [
        "usual_residents",
        "residents_16_plus",
        "residents_16_plus",
    ]


def test_every_reference_measure_belongs_to_its_community():
    measures = pd.read_csv(settings.REFERENCE_DIR / "measures.csv")
    for row in measures.itertuples():
        owner = registry.community_of_measure(row.measure) or registry.ALL_RESIDENTS
        assert owner == row.community, row.measure


def test_register_refuses_a_bad_record():
    with pytest.raises(ValueError, match="registered already"):
        registry.register(registry.get("lgbtq"), {"en": {"community.lgbtq.label": "x"}})
    bad = Community(code="Bad Code", order=1, universe=registry.ALL_AGES, primary_measure="m")
    with pytest.raises(ValueError, match="snake_case"):
        registry.register(bad, {"en": {"community.Bad Code.label": "x"}})
    no_text = Community(code="quiet", order=1, universe=registry.ALL_AGES, primary_measure="m")
    with pytest.raises(ValueError, match="English texts"):
        registry.register(no_text, {"en": {}})
    with pytest.raises(ValueError, match="campaign"):
        registry.unregister("lgbtq")


def test_a_declared_small_area_baseline_counts_only_where_the_data_holds_it():
    """`area_baselines` says where ONS publishes a community's count; the reference data
    says where this build has it. data/reference has no small-area veterans or Eastern
    European figures (no Nomis bulk files), so only LGBTQ+'s MSOA proxy is held."""
    veterans = registry.get(registry.community_of_measure("veterans"))
    assert veterans.baseline_at("lsoa", frozenset()) is None
    assert veterans.baseline_at("lsoa", {("veterans", "lsoa")}) == "veterans"
    assert veterans.baseline_at("lsoa", {("veterans", "msoa")}) is None
    held = baselines.in_reference_dir()
    assert {c.code: c.baseline_levels(held) for c in registry.communities()} == {
        c: (("msoa",) if c == registry.community_of_measure("lgb_plus") else ())
        for c in registry.codes()
    }
    note = indicators.area_filter_note(registry.codes(), held)
    assert "by MSOA, but the overview uses the district figure" in note
    assert indicators.area_filter_note(registry.codes()) == note


# ------------------------------------------------------------- no community named elsewhere

CODE_DIRS = ("hidden_communities", "ui", "pages", "queries", "benchmarks")
CODE_FILES = ("dashboard.py", "dev.py")


def _code_files() -> list[Path]:
    found = [PROJECT_ROOT / f for f in CODE_FILES]
    for folder in CODE_DIRS:
        found += sorted((PROJECT_ROOT / folder).rglob("*.py"))
        found += sorted((PROJECT_ROOT / folder).rglob("*.sql"))
    return [f for f in found if f.name != "registry.py"]


def _python_strings(path: Path) -> list[tuple[int, str]]:
    """String constants in code, docstrings left out (they may name a code as an example)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            value = body[0].value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                docstrings.add(id(value))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def _sql_strings(path: Path) -> list[tuple[int, str]]:
    found = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        code = line.split("--", 1)[0]
        found += [(number, literal) for literal in re.findall(r"'((?:[^']|'')*)'", code)]
    return found


def test_no_community_code_is_written_outside_the_registry():
    codes = set(registry.population_codes())
    offences = []
    for path in _code_files():
        strings = _sql_strings(path) if path.suffix == ".sql" else _python_strings(path)
        for line, value in strings:
            tokens = set(re.split(r"[\s;,|/]+", value))
            named = tokens & codes
            if named:
                offences.append(f"{path.relative_to(PROJECT_ROOT)}:{line}: {sorted(named)}")
    assert offences == []


def test_the_literal_check_finds_a_literal(tmp_path):
    """The check above must be able to fail: it sees a code in code and in SQL."""
    py = tmp_path / "x.py"
    py.write_text('"""Mentions lgbtq in a docstring."""\nCHOSEN = "eastern_european;lgbtq"\n')
    sql = tmp_path / "x.sql"
    sql.write_text("-- 'lgbtq' in a comment\nSELECT 1 WHERE c = 'armed_forces'\n")
    assert _python_strings(py) == [(2, "eastern_european;lgbtq")]
    assert _sql_strings(sql) == [(2, "armed_forces")]


# ----------------------------------------------------------------- a fourth community


def _ts021_from_the_raw_file() -> tuple[int, int, int] | None:
    raw = settings.RAW_REFERENCE_DIR / TS021
    if not raw.is_file():
        return None
    row = pd.read_csv(raw).set_index("geography code").loc[ASHFIELD]
    return (
        int(row["Ethnic group: White: Gypsy or Irish Traveller"]),
        int(row["Ethnic group: White: Roma"]),
        int(row["Ethnic group: Total: All usual residents"]),
    )


def test_the_fourth_community_figures_are_the_published_ones():
    published = _ts021_from_the_raw_file()
    if published is None:
        pytest.skip("the raw Nomis TS021 file is not staged here")
    assert published == (GYPSY_TRAVELLER, ROMA, TS021_TOTAL)


def _reference_with_the_fourth_community(folder: Path) -> Path:
    """A copy of the reference tables with TS021's Roma, Gypsy and Irish Traveller count
    added for the district: the only data the new community brings."""
    shutil.copytree(settings.REFERENCE_DIR, folder)
    measures = pd.read_csv(folder / "measures.csv")
    measures.loc[len(measures)] = {
        "measure": ROMA_GRT.primary_measure,
        "community": ROMA_GRT.code,
        "label": "White: Gypsy or Irish Traveller, or White: Roma",
        "universe": "All usual residents",
        "geography": "district only",
        "source": "ONS Census 2021 TS021",
        "method": "Sum of the two published categories.",
        "is_primary": True,
    }
    measures.to_csv(folder / "measures.csv", index=False)
    population = pd.read_csv(folder / "population.csv", dtype={"area_code": str})
    population.loc[len(population)] = {
        "area_code": ASHFIELD,
        "community": ROMA_GRT.code,
        "measure": ROMA_GRT.primary_measure,
        "count": GYPSY_TRAVELLER + ROMA,
        "denominator": TS021_TOTAL,
        "source": "ONS Census 2021 TS021",
    }
    population.to_csv(folder / "population.csv", index=False)
    return folder


@pytest.fixture(scope="module")
def fourth_community_db(tmp_path_factory) -> Path:
    """A database built while the fourth community is registered (each test registers it
    again for itself, so no other test sees it)."""
    root = tmp_path_factory.mktemp("fourth")
    with registry.registered(ROMA_GRT, ROMA_TEXTS):
        reference = _reference_with_the_fourth_community(root / "reference")
        return database.build_database(
            root / "fourth.duckdb", seed=5, scale=0.3, reference_dir=reference
        )


@pytest.fixture
def fourth_registered():
    with registry.registered(ROMA_GRT, ROMA_TEXTS):
        yield


def test_the_demonstration_generator_makes_records_for_it(fourth_community_db, fourth_registered):
    con = duckdb.connect(str(fourth_community_db), read_only=True)
    try:
        contacts = con.execute(
            "SELECT count(*) FROM contacts WHERE list_contains(communities, $c)",
            {"c": ROMA_GRT.code},
        ).fetchall()[0][0]
        reports = con.execute(
            "SELECT count(*) FROM reports WHERE list_contains(victim_communities, $c)",
            {"c": ROMA_GRT.code},
        ).fetchall()[0][0]
        enum = con.execute(
            "SELECT enum_range(NULL::community)::VARCHAR[]",
        ).fetchall()[0][0]
        overview = run_query(
            con,
            "overview_by_community",
            start_date=pd.Timestamp("2020-01-01").date(),
            end_date=pd.Timestamp("2023-01-01").date(),
            area_codes=[],
            channels=[],
            directions=[],
            crime_types=[],
            hate_strands=[],
        ).set_index("community")
    finally:
        con.close()
    assert contacts > 0 and reports > 0
    assert enum == [*registry.codes()[:3], ROMA_GRT.code]
    row = overview.loc[ROMA_GRT.code]
    assert (row["residents"], row["population_base"]) == (121, 126_299)


PAGE_FILES = page_stems()


def _run(db: Path, monkeypatch, page: str) -> AppTest:
    return open_page(db, monkeypatch, page, community=ROMA_GRT.code)


def _shown(at: AppTest) -> str:
    parts = (
        [m.value for m in at.markdown] + [m.value for m in at.info] + [m.value for m in at.caption]
    )
    parts += [t.value.to_csv() for t in at.dataframe]
    parts += [el.proto.spec for el in at.main if getattr(el, "type", "") == "plotly_chart"]
    return "\n".join(parts)


@pytest.mark.parametrize("page", PAGE_FILES)
def test_every_page_renders_the_fourth_community(
    fourth_community_db, fourth_registered, monkeypatch, page
):
    at = _run(fourth_community_db, monkeypatch, page)
    assert at.multiselect(key="community").value == [ROMA_GRT.code]
    assert text.community(ROMA_GRT.code) in at.multiselect(key="community").options
    if page in ("overview", "map", "trends", "representation", "scorecard"):
        assert "Roma, Gypsy and Irish Traveller" in _shown(at)


def test_the_overview_shows_its_census_share(fourth_community_db, fourth_registered, monkeypatch):
    at = _run(fourth_community_db, monkeypatch, "overview")
    table = table_with(at, "Community", "Share of population")
    row = table.set_index("Community").loc["Roma, Gypsy and Irish Traveller"]
    # 121 of 126,299 usual residents = 0.0958%, shown to one decimal place.
    assert row["Share of population"] == "0.1%"
    chart = json.loads(next(el.proto.spec for el in at.main if el.type == "plotly_chart"))
    names = {str(y) for trace in chart["data"] for y in trace.get("y", [])}
    assert "Roma, Gypsy and Irish Traveller" in names
