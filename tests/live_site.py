"""What a browser test of one feature stands on: the real app on 127.0.0.1:<free port>, served
by werkzeug in a thread and seeded by the test's own function (on PostgreSQL, with
TEST_DATABASE_URL, in a database of its own: tests/admin/cycle_support); one headless Chromium
per test module, and fresh browser contexts in Vietnamese with patient timeouts; and the
console's login and menu, by their visible names.

A test module takes the fixtures by importing them (its conftest does), and makes its `site`:

    @pytest.fixture
    def site(tmp_path):
        with live_site(tmp_path, seed) as live:
            yield live
"""

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from server import create_app
from server.extensions import db
from tests.admin.cycle_support import OwnPostgresDatabase
from tests.pwa.pwa_browser import CHROMIUM_ARGS

TIMEOUT_MS = 15_000
DESKTOP = {"width": 1280, "height": 800}


class LiveSite:
    """`seed()` runs once in an app context and is committed; what it returns (plain data:
    ids, codes) is kept as `seeded`."""

    def __init__(self, tmp: Path, seed: Callable[[], object], postgres_url: str | None = None):
        self.postgres = OwnPostgresDatabase(postgres_url) if postgres_url else None
        database_url = self.postgres.url if self.postgres else "sqlite:///" + str(tmp / "live.db")
        self.app = create_app({"SQLALCHEMY_DATABASE_URI": database_url,
                               "SECRET_KEY": "live-site-test", "ENVIRONMENT": "testing",
                               "TESTING": True, "SCHEDULER_ENABLED": False})
        self.app.instance_path = str(tmp / "instance")
        with self.app.app_context():
            db.create_all()
            self.seeded = seed()
            db.session.commit()
            db.session.remove()
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def read(self, question: Callable, *args):
        """question(session, *args) in an app context of its own; its result must be plain
        data (the session is gone afterwards)."""
        with self.app.app_context():
            try:
                return question(db.session, *args)
            finally:
                db.session.remove()

    def change(self, action: Callable, *args) -> None:
        """action(session, *args) in an app context of its own, committed."""
        with self.app.app_context():
            try:
                action(db.session, *args)
                db.session.commit()
            finally:
                db.session.remove()

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(timeout=5)
        with self.app.app_context():
            db.session.remove()
            db.engine.dispose()
        if self.postgres:
            self.postgres.close()


@contextmanager
def live_site(tmp: Path, seed: Callable[[], object]) -> Iterator[LiveSite]:
    site = LiveSite(tmp, seed, os.environ.get("TEST_DATABASE_URL"))
    try:
        yield site
    finally:
        site.stop()


@pytest.fixture(scope="module")
def browser(playwright_driver, browser_executable):
    chromium = playwright_driver.chromium.launch(executable_path=browser_executable,
                                                 headless=True, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


@pytest.fixture
def contexts(browser):
    """new_context(**options): a browser context in Vietnamese, closed after the test."""
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    opened = []

    def new_context(**options):
        context = browser.new_context(locale="vi-VN", **options)
        context.set_default_timeout(TIMEOUT_MS)
        opened.append(context)
        return context

    yield new_context
    for context in opened:
        context.close()
    expect.set_options(timeout=5_000)


def console_section(contexts, site: LiveSite, username: str, password: str, section: str):
    """A desktop page logged in to the console, on the menu's `section` page."""
    page = contexts(viewport=DESKTOP).new_page()
    page.goto(f"{site.url}/login")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(lambda url: "/login" not in url)
    page.goto(f"{site.url}/admin/")
    page.get_by_role("navigation", name="Điều hướng quản trị").get_by_role(
        "link", name=section).click()
    return page
