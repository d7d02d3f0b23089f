"""Issue 14, "Done when": a resident sends a message from a phone-sized page (also offline
then online), an official handles it in the console, and the resident reads the reply with
the receipt code. Real headless Chromium against the real app on a live port."""

import re

import pytest
from sqlalchemy import select

from tests.live_site import console_section, live_site
from tests.pwa.pwa_browser import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.db]

OFFICIAL = ("canbo.hoalu", "mat-khau-can-bo-2026", "Nguyễn Thị Hoa")
BOX_NAME = "Nhà văn hóa tổ dân phố Đông Thịnh"
RECEIPT = re.compile(r"^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$")


def _seed() -> str:
    """A ward, its official and one box in a residential group; the box's code."""
    from server.people.services import create_user
    from server.suggestions.boxes import create_box
    from server.units.services import create_unit

    province = create_unit("Tỉnh Ninh Bình", "province")
    ward = create_unit("Phường Hoa Lư", "ward", parent=province)
    group = create_unit("Tổ dân phố Đông Thịnh", "residential_group", parent=ward)
    official = create_user(OFFICIAL[0], OFFICIAL[1], "official", display_name=OFFICIAL[2],
                           units=[ward])
    return create_box(official, group, BOX_NAME).code


@pytest.fixture
def site(tmp_path):
    with live_site(tmp_path, _seed) as live:
        yield live


def _stored_messages(session) -> list[dict]:
    from server.suggestions.models import SuggestionMessage

    rows = session.scalars(select(SuggestionMessage).order_by(SuggestionMessage.id)).all()
    return [{"body": m.body, "status": m.status, "topic": m.topic.key if m.topic else None}
            for m in rows]


def _receipt(phone) -> str:
    from playwright.sync_api import expect

    shown = phone.locator("#sb-status .receipt")
    expect(shown).to_have_text(RECEIPT)
    return shown.inner_text()


def test_a_resident_sends_an_official_answers_the_resident_reads_it(site, contexts):
    from playwright.sync_api import expect

    # 1. A resident scans the poster: the box's page on a phone-sized screen.
    resident = contexts(viewport=PHONE, is_mobile=True, has_touch=True)
    phone = resident.new_page()
    errors = []
    phone.on("pageerror", lambda error: errors.append(str(error)))   # the script never fails
    phone.goto(f"{site.url}/y-kien/{site.seeded}")
    expect(phone.get_by_text(BOX_NAME)).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], "the page scrolls sideways on a phone"
    phone.get_by_label("Nội dung ý kiến").fill("Đèn đường ngõ 3 tổ Đông Thịnh bị hỏng hai tuần nay.")
    phone.get_by_label("Chủ đề (không bắt buộc)").select_option("an_ninh_trat_tu")
    phone.get_by_label("Không hài lòng", exact=True).check()
    phone.get_by_label("Số điện thoại hoặc địa chỉ để nhận trả lời (không bắt buộc)").fill(
        "0912 345 678")
    phone.get_by_role("button", name="Gửi ý kiến").click()
    first_receipt = _receipt(phone)
    assert [m["topic"] for m in site.read(_stored_messages)] == ["an_ninh_trat_tu"]

    # 2. The line drops: the next message waits on the phone, then goes when it is back.
    resident.set_offline(True)
    phone.get_by_label("Nội dung ý kiến").fill("Rác tồn đọng ở đầu ngõ 5.")
    phone.get_by_role("button", name="Gửi ý kiến").click()
    expect(phone.locator("#sb-status")).to_contain_text("Chưa có mạng")
    queued = phone.evaluate("JSON.parse(localStorage.getItem('lang-nghe.suggestions.queue')).length")
    assert queued == 1 and len(site.read(_stored_messages)) == 1
    resident.set_offline(False)                       # the "online" event sends the queue
    second_receipt = _receipt(phone)
    assert second_receipt != first_receipt
    stored = site.read(_stored_messages)
    assert [m["body"] for m in stored] == ["Đèn đường ngõ 3 tổ Đông Thịnh bị hỏng hai tuần nay.",
                                           "Rác tồn đọng ở đầu ngõ 5."]
    assert phone.evaluate("localStorage.getItem('lang-nghe.suggestions.queue')") == "[]"
    expect(phone.locator("#sb-receipt-list li")).to_have_count(2)

    # 3. The ward's official logs in, opens the message, takes it on and replies.
    office = console_section(contexts, site, OFFICIAL[0], OFFICIAL[1], "Hòm thư góp ý")
    office.get_by_role("link", name=BOX_NAME).click()
    row = office.get_by_role("row").filter(has_text="Đèn đường ngõ 3")
    row.get_by_role("link").click()
    expect(office.locator("#sb-body")).to_have_text(
        "Đèn đường ngõ 3 tổ Đông Thịnh bị hỏng hai tuần nay.")
    office.get_by_label("Giao cho").select_option(label=OFFICIAL[2])
    office.get_by_role("button", name="Giao xử lý").click()
    expect(office.locator("#sb-contact")).to_have_text("0912 345 678")
    office.get_by_label("Trả lời người dân").fill("Phường đã thay bóng đèn ngõ 3 ngày 20/11.")
    office.get_by_role("button", name="Gửi trả lời").click()
    expect(office.get_by_role("alert")).to_contain_text("Đã gửi trả lời")

    # 4. The resident follows the receipt link on the phone and reads the answer.
    phone.get_by_role("link", name=re.compile(re.escape(first_receipt))).click()
    expect(phone.locator("#sb-follow-up")).to_contain_text(
        "Phường đã thay bóng đèn ngõ 3 ngày 20/11.")
    expect(phone.locator("#sb-follow-up .status")).to_have_text("Đã trả lời")
    # ... or types the code on another device, in lower case
    other = contexts(viewport=PHONE).new_page()
    other.goto(f"{site.url}/y-kien/theo-doi")
    other.get_by_label("Mã biên nhận").fill(first_receipt.lower())
    other.get_by_role("button", name="Xem").click()
    expect(other.locator("#sb-follow-up")).to_contain_text("Phường đã thay bóng đèn")
    assert [m["status"] for m in site.read(_stored_messages)] == ["answered", "new"]
    assert not errors, errors
