"""Issue 14, "Done when": a kiosk is paired, takes ratings offline, syncs exactly once when
back online, and resets after its thanks. Real headless Chromium against the real app."""

import re

import pytest
from sqlalchemy import select

from tests.live_site import console_section, live_site

pytestmark = [pytest.mark.browser, pytest.mark.db]

ADMIN = ("quantri", "mat-khau-quan-tri-2026")
DESK_NAME = "Bộ phận tiếp nhận và trả kết quả"
SERVICES = ["Chứng thực", "Hộ tịch", "Đất đai"]
TABLET = {"width": 1024, "height": 768}
QUESTION = "Ông/bà có hài lòng với việc giải quyết hồ sơ hôm nay?"


def _seed() -> int:
    """A ward, its admin and one desk; the desk's id."""
    from server.kiosks.desks import create_desk
    from server.people.services import create_user
    from server.units.services import create_unit

    province = create_unit("Tỉnh Ninh Bình", "province")
    ward = create_unit("Phường Hoa Lư", "ward", parent=province)
    admin = create_user(ADMIN[0], ADMIN[1], "admin", display_name="Quản trị")
    # No minimum interval here: the test taps twice within seconds (tests/kiosks/test_kiosk_api
    # covers the interval on the server).
    return create_desk(admin, ward, DESK_NAME, SERVICES, 0).id


@pytest.fixture
def site(tmp_path):
    with live_site(tmp_path, _seed) as live:
        yield live


def _stored_ratings(session) -> list[dict]:
    from server.kiosks.models import KioskRating

    rows = session.scalars(select(KioskRating).order_by(KioskRating.rated_at))
    return [{"score": r.score, "service": r.service, "comment": r.comment, "flag": r.flag,
             "desk_id": r.desk_id} for r in rows]


def _set_min_interval(session, desk_id: int, seconds: int) -> None:
    from server.kiosks.models import KioskDesk

    session.get(KioskDesk, desk_id).min_interval_seconds = seconds


def _pairing_code(site, contexts) -> str:
    from playwright.sync_api import expect

    office = console_section(contexts, site, *ADMIN, "Bàn một cửa")
    office.get_by_role("link", name=DESK_NAME).click()
    office.get_by_role("button", name="Tạo mã ghép nối").click()
    code = office.locator("#pairing-code")
    expect(code).to_have_text(re.compile(r"^[A-Z0-9]{4}-[A-Z0-9]{4}$"))
    return code.inner_text()


def _rate(screen, face: str, service: str | None = None, comment: str | None = None):
    from playwright.sync_api import expect

    screen.get_by_role("button", name=face, exact=True).click()
    if service:
        screen.get_by_label("Thủ tục (không bắt buộc)").select_option(service)
    if comment:
        screen.get_by_label("Góp ý thêm (không bắt buộc)").fill(comment)
    screen.get_by_role("button", name="Gửi đánh giá").click()
    expect(screen.get_by_role("heading", name="Cảm ơn ông/bà!")).to_be_visible()
    # ... and after a few seconds the screen is ready for the next resident, blank.
    expect(screen.get_by_role("heading", name=QUESTION)).to_be_visible(timeout=10_000)
    expect(screen.get_by_label("Góp ý thêm (không bắt buộc)")).to_be_hidden()
    expect(screen.locator('.face[aria-pressed="true"]')).to_have_count(0)


def test_a_kiosk_is_paired_rates_offline_and_syncs_exactly_once(site, contexts):
    from playwright.sync_api import expect

    code = _pairing_code(site, contexts)

    # 1. The tablet at the desk: the pairing screen, then the question.
    tablet = contexts(viewport=TABLET, has_touch=True)
    screen = tablet.new_page()
    errors = []
    screen.on("pageerror", lambda error: errors.append(str(error)))
    screen.goto(f"{site.url}/kiosk/")
    screen.get_by_label("Mã ghép nối / Pairing code").fill(code.lower())
    screen.get_by_role("button", name="Ghép nối").click()
    expect(screen.get_by_role("heading", name=QUESTION)).to_be_visible()
    expect(screen.locator("#desk-name")).to_contain_text(DESK_NAME)
    assert screen.evaluate("navigator.serviceWorker.ready.then(() => true)")
    screen.wait_for_function("navigator.serviceWorker.controller !== null")

    # 2. The line drops: the screen still opens (service worker) and takes two ratings.
    tablet.set_offline(True)
    screen.reload()
    expect(screen.get_by_role("heading", name=QUESTION)).to_be_visible()
    _rate(screen, "Hài lòng", "Hộ tịch", "Cán bộ hướng dẫn tận tình")
    _rate(screen, "Rất không hài lòng")
    expect(screen.locator("#status")).to_contain_text("Chờ gửi: 2")
    assert site.read(_stored_ratings) == []

    # 3. Back online: the queue goes, once; another sync sends nothing again.
    tablet.set_offline(False)
    expect(screen.locator("#status")).to_contain_text("Đã gửi hết")
    stored = site.read(_stored_ratings)
    assert [(r["score"], r["service"], r["comment"], r["flag"]) for r in stored] == [
        (4, "Hộ tịch", "Cán bộ hướng dẫn tận tình", None), (1, None, None, None)]
    assert {r["desk_id"] for r in stored} == {site.seeded}
    screen.evaluate("window.dispatchEvent(new Event('online'))")
    screen.wait_for_timeout(1500)
    assert len(site.read(_stored_ratings)) == 2
    assert screen.locator("#status").get_attribute("data-pending") == "0"

    # 4. The desk's minimum interval holds on the tablet too: the last rating was seconds
    # ago, so once the tablet has read its desk's new interval the faces wait.
    expect(screen.locator('.face:disabled')).to_have_count(0)
    site.change(_set_min_interval, site.seeded, 60)
    screen.reload()
    screen.wait_for_function(
        "JSON.parse(localStorage.getItem('kiosk.desk')).min_interval_seconds === 60")
    expect(screen.get_by_text("Xin chờ người tiếp theo…")).to_be_visible()
    expect(screen.get_by_role("button", name="Rất hài lòng", exact=True)).to_be_disabled()
    assert len(site.read(_stored_ratings)) == 2
    assert not errors, errors
