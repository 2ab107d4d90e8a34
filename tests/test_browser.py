"""The published archive in a real browser: headless Chromium driven by Playwright.

Uses Debian's `chromium` (CI installs it; see .ci/run), never a downloaded browser.
Screenshots of every step are saved in tests/artifacts/ (git-ignored).
"""

import os
import tempfile
from pathlib import Path

import pytest

from .conftest import ROOT
from .test_serve import datasette, get_json  # noqa: F401  (the Datasette fixture)

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = ROOT / "tests" / "artifacts"
TIMEOUT_MS = 10_000
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


MISSING = (f"Chromium not found at {CHROMIUM}: install Debian's package "
           "(apt-get install -y chromium), as .ci/run does")


def test_chromium_is_installed():
    """A FAILED (not skipped) result when the browser is missing; the tests below error too."""
    assert Path(CHROMIUM).exists(), MISSING


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(MISSING, pytrace=False)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("the playwright package is missing: pip install -e '.[test]'", pytrace=False)
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile, sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 900}, locale="vi-VN",
        )
        context.set_default_timeout(TIMEOUT_MS)
        yield context
        context.close()


@pytest.fixture
def page(browser):
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.errors = errors
    yield page
    page.close()


def shot(page, name, around=None):
    """Save a screenshot: the whole page, or a 1280x720 window onto the element `around`
    (a results row holds a whole article's text, so the full page is ~18,000 px tall)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = str(ARTIFACTS / f"browser-{name}.png")
    if around is None:
        page.screenshot(path=path, full_page=True)
    else:
        box = around.bounding_box()
        top = max(0, box["y"] + page.evaluate("window.scrollY") - 120)
        page.screenshot(path=path, full_page=True, clip={"x": 0, "y": top, "width": 1280, "height": 720})


def search_without_diacritics(page, base):
    page.goto(f"{base}/archive/articles")
    box = page.locator("input#_search")
    box.fill("dang uy khoi")
    box.press("Enter")
    page.wait_for_url("**_search=dang*")
    return page.locator("table.rows-and-columns tbody tr", has_text="Đảng ủy Khối")


def test_search_without_diacritics(page, datasette):  # noqa: F811
    hits = search_without_diacritics(page, datasette)
    hits.first.wait_for()
    shot(page, "1a-search-box", around=page.locator("input#_search"))
    shot(page, "1b-search-results", around=hits.first)
    assert hits.count() >= 1
    assert page.locator("input#_search").input_value() == "dang uy khoi"
    # the table's description points to the search page with marked passages
    assert page.locator("a[href='search_reports']").first.is_visible()
    assert not page.errors


def test_click_through_to_the_article(page, datasette):  # noqa: F811
    hits = search_without_diacritics(page, datasette)
    row = hits.first
    title = row.locator("td.col-title").inner_text().strip()
    assert "Đảng ủy Khối" in title
    with page.expect_navigation():
        row.locator("td.type-pk a").first.click()  # the row's link, its primary key (the URL)
    heading = page.locator("article.article h1")
    heading.wait_for()
    shot(page, "2-article")
    assert heading.inner_text().strip() == title
    assert heading.is_visible()
    assert "/archive/articles/" in page.url
    assert page.locator("article.article p").count() > 3  # the body text follows
    assert not page.errors


def test_search_page_marks_the_passage(page, datasette):  # noqa: F811
    """*Search with filters*: typed without diacritics, the passage is marked
    in the text as written."""
    page.goto(f"{datasette}/archive/search_reports")
    page.locator("input[name=q]").fill("dang uy khoi")
    page.locator("input[name=province]").fill("")
    with page.expect_navigation():
        page.locator("input[type=submit]").first.click()
    cell = page.locator("table.rows-and-columns td.col-passage", has_text="«Đảng» «ủy» «Khối»").first
    cell.wait_for()
    shot(page, "4-search-page", around=cell)
    assert "q=dang+uy+khoi" in page.url
    assert not page.errors


def test_dashboard_chart_renders(page, datasette):  # noqa: F811
    page.goto(f"{datasette}/-/dashboards/inspection?year=2023")
    chart = page.locator("#chart-disciplined-by-province").locator("canvas, svg").first
    chart.wait_for(state="visible")
    page.wait_for_load_state("networkidle")
    shot(page, "3-dashboard")
    box = chart.bounding_box()
    assert box and box["width"] > 50 and box["height"] > 50, box
    assert page.get_by_text("Inspection and discipline by province").first.is_visible()
    assert not page.errors
