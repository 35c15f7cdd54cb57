"""Each dashboard in headless Chromium: logged in, every chart drawn, no errors, nothing
loaded from outside; a screenshot of each is kept in test-artifacts/ to look at."""

import shutil

import pytest

from dashboards import service
from dashboards.browser import Chromium, login, open_dashboard
from dashboards.bundle import load_assets
from warehouse.settings import CHECKOUT_ROOT

ARTIFACTS = CHECKOUT_ROOT / "test-artifacts"
SLUGS = sorted(c["slug"] for p, c in load_assets().items() if p.startswith("dashboards/"))

pytestmark = pytest.mark.skipif(
    not (shutil.which("chromium") or shutil.which("chromium-browser")),
    reason="chromium is not installed (make system-packages installs it)",
)


@pytest.fixture(scope="module")
def browser(superset):
    with Chromium() as chromium:
        login(chromium, service.base_url(superset), superset.superset.admin_user,
              service.admin_password(superset))  # fmt: skip
        yield chromium


@pytest.mark.parametrize("slug", SLUGS)
def test_dashboard_renders_every_chart_without_errors(superset, browser, slug):
    state = open_dashboard(browser, service.base_url(superset), slug)
    browser.screenshot(ARTIFACTS / f"dashboard-{slug}.png", full_page=True)
    assert state.charts > 0
    assert state.errors == []
    assert state.drawn == state.charts
    assert state.outside_requests == []
