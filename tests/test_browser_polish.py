"""Every page in Polish in a real browser: a module of its own, so the test runner can give
it a core of its own beside the English browser tests (tests/test_browser.py holds the
server, browser and axe-core helpers both use)."""

import pytest
from test_browser import (  # noqa: F401  (the fixtures are found by pytest by name)
    ARTIFACTS,
    PAGES,
    _off_machine,
    axe_serious,
    browser,
    demo_db,
    open_page,
    server,
    warmed,
)

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("path", "heading", "charts"), PAGES, ids=[p[0] or "overview" for p in PAGES]
)
def test_page_in_polish_is_polish_and_accessible(browser, warmed, path, heading, charts):  # noqa: F811
    """Every page with ?lang=pl: the document says it is Polish (a screen reader then reads
    it with a Polish voice), no English heading is left, and axe-core finds no serious or
    critical violation (reports kept as test-artifacts/axe/pl-<page>.json)."""
    page, requests = open_page(browser, f"{warmed}/{path}?lang=pl")
    try:
        page.wait_for_function("() => document.documentElement.lang === 'pl'", timeout=30_000)
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.get_by_role("heading", name=heading, exact=True).count() == 0
        page.screenshot(path=str(ARTIFACTS / f"pl-{path or 'overview'}.png"), full_page=True)
        assert axe_serious(page, f"pl-{path or 'overview'}") == []
    finally:
        page.close()
    assert _off_machine(requests, warmed) == []
