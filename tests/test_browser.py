"""Browser tests: Playwright drives Debian's Chromium against `streamlit run` on loopback.

Each page must render its charts with no error boxes, no request may leave the machine,
the controls must be reachable from the keyboard, and a screenshot of every page is kept
in test-artifacts/screenshots/ for people to look at.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlparse

import pytest

from hidden_communities import database
from tests.builders import PROJECT_ROOT

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = PROJECT_ROOT / "test-artifacts" / "screenshots"
# axe-core, installed from npm by `python3 dev.py test` (see dev.py ensure_axe).
AXE = PROJECT_ROOT / ".tools" / "node_modules" / "axe-core" / "axe.min.js"
AXE_REPORTS = PROJECT_ROOT / "test-artifacts" / "axe"
# Flags that stop Chromium calling Google's services, which this machine cannot reach.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# (url path, heading, at least this many plotly charts)
PAGES = [
    ("", "Hidden Communities: overview", 1),
    ("engagement-map", "Engagement map", 1),
    ("monthly-trends", "Trends over time", 1),
    ("under-representation", "Under-representation", 3),
    ("districts-compared", "Districts compared", 2),
    ("data", "Data", 0),
    ("log-contact", "Log a contact", 0),
    ("data-quality", "Data quality", 1),
    ("methods", "Methods", 0),
    ("leadership-scorecard", "Leadership scorecard", 0),
    ("published-crime", "Published crime (data.police.uk)", 0),
    ("whose-voice", "Whose voice sets priorities", 1),
    ("public-presentation", "Hidden Communities: who we hear from", 0),  # charts are images
]

pytestmark = pytest.mark.browser

if not CHROMIUM.exists():
    if os.environ.get("HC_REQUIRE_BROWSER"):
        raise RuntimeError(f"{CHROMIUM} is missing and HC_REQUIRE_BROWSER is set")
    pytest.skip(
        f"{CHROMIUM} not installed (python3 dev.py test installs it)", allow_module_level=True
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(db: Path):
    """The dashboard as `dev.py run` serves it (`python -m ui.serve`, which is `streamlit
    run dashboard.py`), on a free loopback port, on the database `db`."""
    port = _free_port()
    env = {**os.environ, "HC_DB_PATH": str(db)}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ui.serve",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as reply:
                if reply.status == 200:
                    break
        except OSError:
            time.sleep(0.3)
    else:
        process.kill()
        raise RuntimeError("streamlit did not start: " + process.stdout.read().decode()[-2000:])
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("browser") / "browser.duckdb"
    database.build_database(db, seed=11, scale=0.2)
    return db


@pytest.fixture(scope="module")
def server(demo_db):
    """The dashboard on a loopback port, on a small fixed-seed demonstration database."""
    with serving(demo_db) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def warmed(server, browser):
    """One visit first: the very first request to a fresh server can race the page list."""
    page = browser.new_page()
    page.goto(server)
    page.wait_for_selector('[data-test-script-state="notRunning"]', timeout=60_000)
    page.close()
    if ARTIFACTS.exists():
        shutil.rmtree(ARTIFACTS)
    ARTIFACTS.mkdir(parents=True)
    return server


def open_page(browser, url: str):
    """Open a page and wait until the script has finished; return it and its requests."""
    page = browser.new_page(viewport={"width": 1400, "height": 1800})
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(url)
    page.wait_for_selector('[data-test-script-state="notRunning"]', timeout=60_000)
    page.wait_for_timeout(1500)  # plotly draws after the script ends
    return page, requests


def axe_serious(page, name: str) -> list[tuple[str, str, int]]:
    """Run axe-core on the page, keep its report in test-artifacts/axe/<name>.json, and
    return the serious and critical violations (rule, impact, how many nodes)."""
    if not AXE.exists():
        if os.environ.get("HC_REQUIRE_BROWSER"):
            raise RuntimeError(f"{AXE} is missing (python3 dev.py test installs it)")
        pytest.skip("axe-core not installed (python3 dev.py test installs it)")
    page.add_script_tag(path=str(AXE))
    report = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    AXE_REPORTS.mkdir(parents=True, exist_ok=True)
    (AXE_REPORTS / f"{name}.json").write_text(json.dumps(report, indent=1))
    return [
        (v["id"], v["impact"], len(v["nodes"]))
        for v in report["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def _off_machine(requests: list[str], server: str) -> list[str]:
    here = urlparse(server).netloc
    return [
        r
        for r in requests
        if urlparse(r).scheme in ("http", "https", "ws", "wss") and urlparse(r).netloc != here
    ]


@pytest.mark.parametrize(
    ("path", "heading", "charts"), PAGES, ids=[p[0] or "overview" for p in PAGES]
)
def test_page_renders_without_errors_or_network(browser, warmed, path, heading, charts):
    page, requests = open_page(browser, f"{warmed}/{path}")
    try:
        page.get_by_role("heading", name=heading).first.wait_for(timeout=90_000)
        drawn = page.locator('[data-testid="stPlotlyChart"] .js-plotly-plot')
        if charts:
            page.wait_for_function(
                f'() => document.querySelectorAll(\'[data-testid="stPlotlyChart"] '
                f".js-plotly-plot').length >= {charts}",
                timeout=30_000,
            )
        page.wait_for_selector('[data-test-script-state="notRunning"]', timeout=60_000)
        assert page.locator('[data-testid="stException"]').count() == 0
        assert drawn.count() >= charts
        for i in range(drawn.count()):
            assert drawn.nth(i).locator("svg, canvas").count() > 0
        # Every chart has a text alternative for screen readers.
        for label in page.locator('[data-testid="stPlotlyChart"]').evaluate_all(
            "els => els.map(e => e.getAttribute('aria-label') || '')"
        ):
            assert len(label) > 20
        page.screenshot(path=str(ARTIFACTS / f"{path or 'overview'}.png"), full_page=True)
        assert axe_serious(page, path or "overview") == []
    finally:
        page.close()
    assert _off_machine(requests, warmed) == []


def test_the_browser_tests_cover_every_page():
    from ui import frame

    assert {path for path, _, _ in PAGES} == {spec.url_path for spec in frame.PAGES}


def test_filters_in_the_url_survive_a_page_switch(browser, warmed):
    # An old link carries labels; it opens the same view, and the URL then carries codes.
    page, requests = open_page(browser, f"{warmed}/?audience=Public+meeting&community=LGBTQ%2B")
    try:
        page.get_by_role("link", name="Data quality").click()
        page.wait_for_url("**/data-quality**", timeout=30_000)
        page.wait_for_selector('[data-test-script-state="notRunning"]', timeout=60_000)
        assert "audience=public" in page.url
        assert "community=lgbtq" in page.url
        assert page.get_by_text("Recording quality is for inspectors").count() == 1
    finally:
        page.close()
    assert _off_machine(requests, warmed) == []


def test_a_deep_link_on_a_cold_server_opens_its_page(browser, demo_db):
    """The first request a fresh server gets is a deep link with filters in codes."""
    with serving(demo_db) as url:
        page, requests = open_page(browser, f"{url}/engagement-map?community=lgbtq&geo=msoa")
        try:
            page.get_by_role("heading", name="Engagement map").first.wait_for(timeout=30_000)
            page.wait_for_timeout(1500)  # a "Page not found" notice would have shown by now
            assert page.get_by_text("Page not found").count() == 0
            assert page.get_by_text("You have requested page").count() == 0
            assert "community=lgbtq" in page.url and "geo=msoa" in page.url
        finally:
            page.close()
        assert _off_machine(requests, url) == []


def test_the_sidebar_controls_are_reachable_by_keyboard(browser, warmed):
    page, _ = open_page(browser, warmed)
    wanted = ("Overview", "Data quality", "Area", "Crime reports")
    try:
        # The page list is drawn after the script state settles; on a loaded machine it can
        # arrive late (CI once tabbed past the sidebar before it existed). Wait for it, then
        # start from the top of the document.
        for name in ("Overview", "Data quality"):
            page.get_by_role("link", name=name).first.wait_for(timeout=30_000)
        page.evaluate("() => document.activeElement && document.activeElement.blur()")
        reached: list[str] = []
        for _ in range(60):
            page.keyboard.press("Tab")
            reached.append(
                page.evaluate(
                    "() => { const e = document.activeElement;"
                    " return (e.getAttribute('aria-label') || e.innerText || e.tagName).slice(0, 40); }"
                )
            )
        text = " | ".join(reached)
        for control in wanted:
            assert control in text, text
    finally:
        page.close()


def test_an_import_from_the_command_line_shows_on_the_next_rerun(browser, tmp_path):
    """The documented import, run while the dashboard serves the same database, loads; the
    page shows the new records on its next run, with no restart."""
    db = tmp_path / "live.duckdb"
    database.build_database(db, demo_data=False)  # census tables only, no records
    day = (date.today() - timedelta(days=30)).strftime("%d/%m/%Y")
    file = tmp_path / "nightly.csv"
    file.write_text(
        "contact_date,area,team,communities,channel,direction,place_type,people_reached,"
        "language,topics,follow_up_needed,note,age_band\n"
        + "".join(
            f"{day},E01027925,Sutton,{community},phone,reactive,phone,{n},english,,no,,adult\n"
            for n, community in enumerate(["lgbtq", "none"] * 5, start=1)
        )
    )
    with serving(db) as url:
        page, requests = open_page(browser, url)  # the server has read the database
        try:
            page.get_by_text("LGBTQ+ residents: too few adults' contacts").first.wait_for(
                timeout=30_000
            )
            done = subprocess.run(
                [sys.executable, "-m", "hidden_communities", "import", "contacts", str(file)]
                + ["--by", "pytest"],
                cwd=PROJECT_ROOT,
                env={**os.environ, "HC_DB_PATH": str(db)},
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert (done.returncode, done.stdout, done.stderr) == (
                0,
                "10 new record(s) loaded.\n",
                "",
            )
            page.reload()
            page.wait_for_selector('[data-test-script-state="notRunning"]', timeout=60_000)
            # LGBTQ+ residents are counted among residents aged 16+: adults' contacts.
            page.get_by_text("LGBTQ+ residents made 50.0% of adults' contacts").first.wait_for(
                timeout=30_000
            )
            assert page.locator('[data-testid="stException"]').count() == 0
        finally:
            page.close()
    assert _off_machine(requests, url) == []


def test_the_scorecard_page_renders_accessibly_with_its_colours_and_links(browser, warmed):
    """The leadership scorecard: no error box, nothing off the machine, its coloured cells
    say their colour in words, the drill-down links carry codes, and axe-core finds no
    serious or critical violation (the report is kept in test-artifacts/axe/)."""
    page, requests = open_page(browser, f"{warmed}/leadership-scorecard?audience=leadership")
    try:
        page.get_by_role("heading", name="Leadership scorecard").first.wait_for(timeout=30_000)
        page.get_by_role("heading", name="The scorecard").first.wait_for(timeout=30_000)
        page.wait_for_selector('[data-testid="stDataFrame"]', timeout=30_000)
        page.wait_for_timeout(1500)  # the grid draws after the script ends
        assert page.locator('[data-testid="stException"]').count() == 0
        button = page.get_by_role("button", name="Download the one-page briefing (PDF)")
        with page.expect_download(timeout=120_000) as download:
            button.click()
        pdf = ARTIFACTS / "briefing.pdf"
        download.value.save_as(pdf)
        assert pdf.read_bytes().startswith(b"%PDF-1.7")
        assert page.get_by_text("red-red: significantly worse than the target").count() == 1
        page.screenshot(path=str(ARTIFACTS / "leadership-scorecard.png"), full_page=True)
        serious = axe_serious(page, "leadership-scorecard")
        assert serious == []
    finally:
        page.close()
    assert _off_machine(requests, warmed) == []
