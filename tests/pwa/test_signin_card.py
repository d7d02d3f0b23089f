"""A sign-in card, the whole path in the browser: an admin prints a volunteer's card, the
phone opens the card's link (what the camera does with its QR code) and the app is signed
in with no typing; the same link in a fresh browser is refused. A phone holding the unsent
responses of the person signed in refuses someone else's card, without using it up."""

import re
import shutil
import subprocess
from io import BytesIO
from pathlib import Path

import pytest
from pwa_browser import CHROMIUM_ARGS, PHONE
from pwa_live_site import VOLUNTEER
from pypdf import PdfReader

from server.extensions import db

ADMIN = ("quantri", "mat-khau-quan-tri")
CARD_URL = re.compile(r"https?://[^\s]+?/app/#signin=[A-Za-z0-9_-]{43}")

PUT_DRAFT = """async ({ roundId, formVersionId, unitId, userId }) => {
  const { newDraft } = await import('/app/js/outbox.js');
  const storage = await import('/app/js/storage.js');
  await storage.putResponse(newDraft({ uuid: crypto.randomUUID(), roundId, formVersionId, unitId,
                                       userId, now: new Date().toISOString() }));
}"""


@pytest.fixture
def browser(playwright_driver, browser_executable):
    browser = playwright_driver.chromium.launch(executable_path=browser_executable,
                                               headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


def _phone(browser):
    # No service worker: its install would still be fetching the shell when the test ends,
    # and the live server would see those connections dropped. Sign-in does not involve it.
    context = browser.new_context(viewport=PHONE, locale="vi-VN", service_workers="block")
    context.set_default_timeout(15_000)
    return context.new_page()


def _print_card(browser, site, tmp_path: Path, name: str) -> str:
    """Logs in as the admin, ticks the person in People, prints the cards; returns the link
    the card carries (read from its QR code when a decoder is there, and printed under it)."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN",
                                  accept_downloads=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{site.url}/login")
    page.fill("#username", ADMIN[0])
    page.fill("#password", ADMIN[1])
    page.click("form button[type=submit]")
    page.goto(f"{site.url}/admin/people/?lang=vi")
    page.get_by_label(f"Chọn {name}", exact=True).check()
    page.get_by_role("button", name="Thẻ đăng nhập (Sign-in cards)").click()
    assert "thu hồi mọi thẻ cũ chưa dùng" in page.inner_text("main")
    with page.expect_download() as download:
        page.get_by_role("button", name=re.compile(r"^Tải PDF để in")).click()
    pdf = Path(download.value.path()).read_bytes()
    context.close()
    text = "".join(PdfReader(BytesIO(pdf)).pages[0].extract_text().split())
    assert "".join(name.split()) in text
    [link] = CARD_URL.findall(text)
    if shutil.which("pdftoppm"):
        try:
            import zxingcpp
            from PIL import Image
        except ImportError:
            return link
        (tmp_path / "cards.pdf").write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", str(tmp_path / "cards.pdf"),
                        str(tmp_path / "card")], check=True, timeout=30)
        scanned = [code.text for code in zxingcpp.read_barcodes(Image.open(tmp_path / "card.png"))]
        assert scanned == [link]
    return link


def _add_volunteer(site, username: str, name: str) -> int:
    from server.people.services import create_user
    from server.units.models import Unit
    with site.app.app_context():
        unit = db.session.get(Unit, site.ids["units"][0])
        user = create_user(username, "mat-khau-khac", "volunteer", display_name=name,
                           units=[unit])
        db.session.commit()
        user_id = user.id
        db.session.remove()
    return user_id


def _card_used(site, user_id: int) -> bool:
    from server.auth.models import SigninCode
    with site.app.app_context():
        used = db.session.scalar(db.select(SigninCode.used_at).where(SigninCode.user_id == user_id)
                                 .order_by(SigninCode.id.desc()).limit(1))
        db.session.remove()
    return used is not None


def test_a_card_signs_the_phone_in_once_with_no_typing(fresh_site, browser, tmp_path):
    site = fresh_site
    link = _print_card(browser, site, tmp_path, "Nguyễn Thị Lan")

    phone = _phone(browser)
    typed = []
    phone.on("request", lambda r: typed.append(r.post_data or "")
             if r.url.endswith("/api/v1/auth/token") else None)
    with phone.expect_response(lambda r: r.url.endswith("/api/v1/auth/signin-code")) as signin:
        phone.goto(link)
    assert signin.value.status == 201
    phone.wait_for_selector(".new-response")
    assert "Nguyễn Thị Lan" in phone.inner_text("h1.greeting")
    assert phone.locator("#username").count() == 0 and typed == []
    assert "signin" not in phone.url
    assert phone.locator(".round select option").count() == 2   # the token works: her rounds
    assert _card_used(site, site.ids["volunteer"])
    phone.go_back()                                       # the link is not in the history
    assert phone.url == "about:blank"

    # The same link again, in a fresh browser: refused, and the normal login screen.
    other = _phone(browser)
    other.goto(link)
    dialog = other.locator("#signin-card-refused")
    dialog.wait_for()
    assert "không dùng được" in dialog.inner_text()
    dialog.get_by_role("button", name="Đã hiểu").click()
    other.wait_for_selector("#username")
    assert "signin" not in other.url


def test_a_phone_with_unsent_responses_refuses_someone_elses_card(fresh_site, browser, tmp_path):
    site = fresh_site
    hung = _add_volunteer(site, "tnv.hung", "Lê Văn Hùng")
    link = _print_card(browser, site, tmp_path, "Lê Văn Hùng")

    # Lan's phone, signed in with her password, holds a draft of hers.
    phone = _phone(browser)
    phone.goto(f"{site.url}/app/")
    phone.fill("#username", VOLUNTEER[0])
    phone.fill("#password", VOLUNTEER[1])
    phone.click("form button[type=submit]")
    phone.wait_for_selector(".new-response")
    phone.evaluate(PUT_DRAFT, {"roundId": site.ids["round"], "formVersionId": site.ids["form_version"],
                               "unitId": site.ids["units"][0], "userId": site.ids["volunteer"]})

    # Hùng's card is opened in the tab where the app runs: refused, nothing used or lost.
    phone.goto(link)
    dialog = phone.locator("#signin-card-refused")
    dialog.wait_for()
    message = dialog.inner_text()
    assert "Nguyễn Thị Lan" in message and "1 phiếu chưa gửi" in message
    assert "signin" not in phone.url
    assert not _card_used(site, hung)
    dialog.get_by_role("button", name="Đã hiểu").click()
    assert "Nguyễn Thị Lan" in phone.inner_text("h1.greeting")
    drafts = phone.evaluate("""async () => (await import('/app/js/storage.js')).responsesInStates(['draft'])""")
    assert len(drafts) == 1

    # On a phone of his own, the card still works.
    own = _phone(browser)
    own.goto(link)
    own.wait_for_selector(".new-response")
    assert "Lê Văn Hùng" in own.inner_text("h1.greeting")
    assert _card_used(site, hung)
