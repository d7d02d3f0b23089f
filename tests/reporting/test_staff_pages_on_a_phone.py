"""The pages officials and admins open on a phone (360 px) fit its width: wide tables scroll
inside their box, the round picker and the moderation form's fields shrink to the screen.
At 360 px the official's report tables made the page 611 px wide, the progress page's round
picker 480 px, and the moderation form squeezed the reason's list to 24 px. Real headless
Chromium against the real app, seeded with the demo."""

import pytest

from tests.live_site import browser, contexts, live_site  # noqa: F401  (fixtures)
from tests.pwa.pwa_browser import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.db]

PASSWORD = "mat-khau-demo-2026"


def _seed() -> dict:
    from sqlalchemy import select

    from server.demo.seed import DEMO_COMMUNE, seed_demo
    from server.extensions import db
    from server.rounds.models import Round
    from server.units.models import Unit

    seed_demo(PASSWORD)
    current = db.session.scalar(select(Round.id).order_by(Round.opens_at.desc()).limit(1))
    commune = db.session.scalar(select(Unit.id).where(Unit.name == DEMO_COMMUNE))
    return {"round": current, "commune": commune}


@pytest.fixture
def site(tmp_path):
    with live_site(tmp_path, _seed) as live:
        yield live


def _phone_as(contexts, site, username: str):  # noqa: F811  (the fixture, passed in)
    page = contexts(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    page.goto(f"{site.url}/login")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(lambda url: "/login" not in url)
    return page


def _width(page, path: str) -> int:
    page.goto(path)
    page.wait_for_load_state("networkidle")
    return page.evaluate("document.documentElement.scrollWidth")


def test_staff_pages_fit_a_phone(site, contexts):  # noqa: F811
    r, commune = site.seeded["round"], site.seeded["commune"]
    official = _phone_as(contexts, site, "official")
    for path in ("/reports", f"/reports/rounds/{r}", f"/reports/rounds/{r}/units/{commune}",
                 f"/reports/rounds/{r}/units/{commune}/comments"):
        assert _width(official, site.url + path) <= PHONE["width"], path
        if path == f"/reports/rounds/{r}":
            assert official.locator(".table-scroll table").count() > 0   # scrolls in its box
    # the moderation form: the reason's list and the note take the card's width
    reason = official.locator(".comment-group select[name=reason]").first
    assert reason.bounding_box()["width"] > 200
    admin = _phone_as(contexts, site, "admin")
    for path in ("/admin/progress/", "/admin/progress/?view=all"):
        assert _width(admin, site.url + path) <= PHONE["width"], path
