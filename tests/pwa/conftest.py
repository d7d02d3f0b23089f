"""Browser tests of the volunteer app: Playwright (sync API) driving Debian's Chromium."""

from pathlib import Path

import pytest
from pwa_browser import CHROMIUM_ARGS, PHONE
from pwa_live_site import LiveSite, missing_server_parts


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/pwa/" in item.nodeid.replace("\\", "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def site(tmp_path_factory, browser_executable):
    missing = missing_server_parts()
    if missing:
        pytest.skip(f"BROWSER TESTS NOT RUN: the app they drive is incomplete ({missing})")
    live = LiveSite(tmp_path_factory.mktemp("pwa-site"))
    yield live
    live.stop()


@pytest.fixture
def fresh_site(site):
    site.clear_responses()
    site.switch.down = False
    site.switch.drop_submission_replies = 0
    site.switch.poison_uuids = set()
    site.switch.poisoned_batches = []
    return site


@pytest.fixture
def launch(playwright_driver, browser_executable, tmp_path):
    """Opens a persistent browser profile (reopenable after a crash); closes all at the end."""
    opened = []

    def _launch(profile: Path | None = None, **options):
        context = playwright_driver.chromium.launch_persistent_context(
            str(profile or tmp_path / "profile"), executable_path=browser_executable,
            headless=True, args=CHROMIUM_ARGS, viewport=PHONE, locale="vi-VN",
            service_workers="allow", **options)
        context.set_default_timeout(15_000)
        opened.append(context)
        return context

    yield _launch
    for context in opened:
        try:
            context.close()
        except Exception:  # already killed by the test
            pass
