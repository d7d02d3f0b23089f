"""Issue 11, "Done when": a new admin runs the whole twice-yearly cycle in the browser.

Real headless Chromium against the real app on a live port (tests/admin/cycle_support.py).
The admin clicks the console's links and buttons by their visible names: imports a new
commune's units and volunteers from files (a dry run first), prints the volunteers' sign-in
cards, and a volunteer opens one card's link on a phone-sized page and lands signed in; the
admin plans a round with a twice-yearly recurring plan, follows progress as the phone uploads,
excludes a fake response, resolves a conflict; then the clock is moved on and the scheduler
makes the next round, opens it and closes it; and every change is found in the audit log.

The uploads, the exclusion and the conflict happen while the first round is open by the real
clock (the server judges uploads by it); the clock is moved on after them, because by the time
the scheduler opens the next round, six months later, the first one has long closed."""

import os
import re
import shutil
import subprocess
from datetime import timedelta
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.admin.cycle_support import (
    ADMIN,
    FILES,
    CycleSite,
    local_day_start,
    missing_endpoints,
    phone_submission,
)
from tests.pwa.pwa_browser import CHROMIUM_ARGS, PHONE, chromium_path

pytestmark = [pytest.mark.browser, pytest.mark.db]

DESKTOP = {"width": 1280, "height": 800}
NEW_VOLUNTEERS = {"hong.pham": "Phạm Thị Hồng", "minh.le": "Lê Văn Minh", "hanh.do": "Đỗ Thị Hạnh"}
GROUPS = ("Thôn Đông Xuân", "Thôn Tây Xuân", "Tổ dân phố Đồng Tâm")
ROUND_TITLE = "Lấy ý kiến người dân – Xã Gia Viễn"
PLAN_TITLE = "Khảo sát hài lòng Xã Gia Viễn (định kỳ)"
CARD_URL = re.compile(r"https?://[^\s]+?/app/#signin=[A-Za-z0-9_-]{43}")


def _not_run(reason: str):
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    path = chromium_path()
    if path is None:
        _not_run("NO CHROMIUM FOUND (install Debian's chromium or set CHROMIUM_PATH): "
                 "the admin cycle browser test is NOT RUN")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _not_run("PLAYWRIGHT NOT INSTALLED: the admin cycle browser test is NOT RUN")
    with sync_playwright() as driver:
        chromium = driver.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def site(tmp_path):
    missing = missing_endpoints()
    if missing:
        _not_run(f"the console pages this test drives are missing: {', '.join(missing)}")
    live = CycleSite(tmp_path, os.environ.get("TEST_DATABASE_URL"))
    yield live
    live.stop()


# --- what the admin does, by the names on the screen -----------------------------------------

def nav(page, name: str):
    """A click on the console's navigation, by the item's name."""
    page.get_by_role("navigation", name="Admin navigation").get_by_role(
        "link", name=name, exact=True).click()


def flash(page) -> str:
    return " ".join(page.locator("p.flash").all_inner_texts())


def plan_outcomes(page, key_column: int) -> dict[str, str]:
    """The dry run's table: {the row's key (code, username): its outcome}."""
    rows = page.locator("table.import-plan tbody tr")
    return {rows.nth(i).locator("td").nth(key_column).inner_text().strip():
            rows.nth(i).locator("td").nth(1).inner_text().strip() for i in range(rows.count())}


def figure(page, label: str) -> str:
    """A headline figure of the Progress page, by its label."""
    box = page.locator(".progress-figures > div").filter(
        has=page.get_by_text(label, exact=True))
    return box.locator("dd").inner_text().strip()


def audit_rows(page, action: str, person: str = "") -> list[str]:
    """The audit log filtered by action (and person): the text of each row."""
    nav(page, "Audit log")
    page.get_by_label("Person").fill(person)
    page.get_by_label("Action").select_option(action)   # the page filters at once
    page.wait_for_url(re.compile(r"action=" + re.escape(action)))
    return page.locator("table.audit > tbody > tr").all_inner_texts()


def import_file(page, path: Path):
    page.get_by_role("link", name="Import", exact=True).click()
    page.get_by_label("File").set_input_files(path)
    page.get_by_role("button", name="Dry run").click()
    page.wait_for_selector("table.import-plan")


# --- the phone --------------------------------------------------------------------------------

def upload(phone, site, token: str, submissions: list[dict]) -> list[str]:
    """POST /api/v1/submissions as the app does; the status of each item."""
    reply = phone.request.post(f"{site.url}/api/v1/submissions", data={"submissions": submissions},
                               headers={"Authorization": f"Bearer {token}",
                                        "X-App-Version": "cycle-test", "X-Queued-Count": "0"})
    assert reply.status == 200, reply.text()
    return [item["status"] for item in reply.json()["results"]]


def card_links(pdf: bytes) -> dict[str, str]:
    """{volunteer's name: their card's link}, read from the PDF's text: each card shows the
    name, then the link under the QR code."""
    links = {}
    for page in PdfReader(BytesIO(pdf)).pages:
        text = page.extract_text()
        squashed = "".join(text.split())
        for name in NEW_VOLUNTEERS.values():
            if name in text:
                after = squashed[squashed.index("".join(name.split())):]
                links[name] = CARD_URL.search(after).group(0)
    return links


def qr_links(pdf: bytes, tmp: Path) -> set[str]:
    """The links the cards' QR codes hold, as a phone's camera reads them (when poppler's
    pdftoppm and zxing-cpp are there; else nothing, and the printed links stand alone)."""
    try:
        import zxingcpp
        from PIL import Image
    except ImportError:
        return set()
    if shutil.which("pdftoppm") is None:
        return set()
    (tmp / "cards.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(tmp / "cards.pdf"), str(tmp / "card")],
                   check=True, timeout=30)
    found = set()
    for image in sorted(tmp.glob("card*.png")):
        found |= {code.text for code in zxingcpp.read_barcodes(Image.open(image))}
    return found


# --- the whole cycle ----------------------------------------------------------------------

def test_a_new_admin_runs_the_whole_cycle_in_the_browser(browser, site, tmp_path):
    from playwright.sync_api import expect

    admin_context = browser.new_context(viewport=DESKTOP, locale="vi-VN", accept_downloads=True)
    admin_context.set_default_timeout(15_000)
    page = admin_context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())     # "Write these changes?" and the like

    # 1. Log in at /login; the console speaks Vietnamese until English is asked for.
    page.goto(f"{site.url}/login")
    page.get_by_label("Tên đăng nhập").fill(ADMIN[0])
    page.get_by_label("Mật khẩu").fill(ADMIN[1])
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto(f"{site.url}/admin/")
    menu = page.get_by_role("navigation", name="Điều hướng quản trị")
    for name in ("Đơn vị", "Người dùng", "Đợt khảo sát", "Mẫu phiếu", "Tiến độ", "Xung đột",
                 "Nhật ký"):
        expect(menu.get_by_role("link", name=name, exact=True)).to_be_visible()
    page.get_by_role("link", name="English").click()
    menu = page.get_by_role("navigation", name="Admin navigation")
    for name in ("Units", "People", "Rounds", "Forms", "Progress", "Conflicts", "Audit log"):
        expect(menu.get_by_role("link", name=name, exact=True)).to_be_visible()

    # 2. Units → Import: the commune and its groups; the dry run gives every row's outcome.
    nav(page, "Units")
    import_file(page, FILES / "units_gia_vien.csv")
    assert plan_outcomes(page, 2) == {
        "ninh-binh": "Unchanged", "gia-vien": "Create", "gia-vien-thon-dong": "Create",
        "gia-vien-thon-tay": "Create", "gia-vien-tdp-1": "Create"}
    page.get_by_role("button", name=re.compile(r"^Apply")).click()
    assert "Imported: 4 created, 0 updated." in flash(page)
    expect(page.get_by_text("Xã Gia Viễn").first).to_be_visible()

    # 3. People → Import: the volunteers (an XLSX); a row naming no known unit is an error.
    nav(page, "People")
    import_file(page, FILES / "volunteers_gia_vien.xlsx")
    outcomes = plan_outcomes(page, 2)
    assert outcomes == {"hong.pham": "Create", "minh.le": "Create", "hanh.do": "Create",
                        "bac.tran": "Error"}
    expect(page.locator("table.import-plan tr[data-outcome=error]")).to_contain_text(
        "gia-vien-thon-bac")
    page.get_by_label(re.compile(r"^No password: print sign-in cards")).check()
    page.get_by_role("button", name=re.compile(r"^Apply")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Imported: 3 created, 0 updated")

    # 4. People: tick the new volunteers → Sign-in cards → the PDF to print.
    nav(page, "People")
    for name in NEW_VOLUNTEERS.values():
        page.get_by_label(f"Select {name}", exact=True).check()
    page.get_by_role("button", name="Sign-in cards", exact=True).click()
    with page.expect_download() as download_info:
        page.get_by_role("button", name=re.compile(r"^Download the PDF to print")).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    pdf = Path(download.path()).read_bytes()
    assert pdf.startswith(b"%PDF-")
    text = " ".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages)
    for username, name in NEW_VOLUNTEERS.items():
        assert name in text and username in text
    for group in GROUPS:
        assert group in text
    links = card_links(pdf)
    assert set(links) == set(NEW_VOLUNTEERS.values()) and len(set(links.values())) == 3
    scanned = qr_links(pdf, tmp_path)
    if scanned:
        assert scanned == set(links.values())

    # 5. Hồng scans her card: a new phone-sized browser opens the app signed in, no typing.
    phone_context = browser.new_context(viewport=PHONE, locale="vi-VN", service_workers="allow")
    phone_context.set_default_timeout(15_000)
    phone = phone_context.new_page()
    with phone.expect_response(lambda r: r.url.endswith("/api/v1/auth/signin-code")) as signin:
        phone.goto(links["Phạm Thị Hồng"])
    assert signin.value.status == 201
    token = signin.value.json()["token"]
    expect(phone.locator("h1.greeting")).to_contain_text("Phạm Thị Hồng")
    assert "signin=" not in phone.url                # the code left the address at once
    expect(phone.locator("#username")).to_have_count(0)

    # 6. Rounds: plan a round for the commune's groups (open since this morning), with a
    #    per-unit target, then repeat it twice a year.
    nav(page, "Rounds")
    page.get_by_role("link", name="Plan a round").click()
    root = page.get_by_label("Root unit")
    root.select_option(root.locator("option", has_text="Xã Gia Viễn").get_attribute("value"))
    page.wait_for_selector("table[data-unit-pick]")        # the script shows its units at once
    for group in GROUPS:
        expect(page.get_by_label(group, exact=True)).to_be_checked()
    expect(page.get_by_label("Xã Gia Viễn", exact=True)).not_to_be_checked()
    page.get_by_label("Title").fill(ROUND_TITLE)
    page.get_by_label("Opens at (Vietnam time)").fill(local_day_start(_now()))
    page.get_by_label("Target of Tổ dân phố Đồng Tâm").fill("30")
    page.get_by_role("button", name="Plan the round").click()
    expect(page.locator("p.flash")).to_contain_text(f"Round “{ROUND_TITLE}” planned.")
    round_id = int(re.search(r"/admin/rounds/(\d+)", page.url).group(1))
    page.get_by_role("link", name="Repeat this round on a schedule…").click()
    windows = page.locator("table.windows tbody tr")
    filled = [i for i in range(windows.count())
              if windows.nth(i).locator("input").first.input_value()]
    assert len(filled) == 2                                  # twice a year, as suggested
    page.get_by_label("Title (the rounds' titles start with it)").fill(PLAN_TITLE)
    page.get_by_role("button", name="Create the plan").click()
    expect(page.locator("p.flash")).to_contain_text("Recurring plan created.")
    plan_id = int(re.search(r"/admin/rounds/recurring/(\d+)", page.url).group(1))
    coming = site.read(lambda s: _coming(s, plan_id))
    expect(page.locator("table.coming tbody tr").first).to_contain_text(
        coming["opens_local"])

    # The phone, opened again, finds the new round.
    phone.reload()
    expect(phone.locator(".round h2")).to_have_text(ROUND_TITLE)

    # 8. Progress while the round is open: the counts rise as the phone uploads.
    units = site.read(lambda s: _round_units(s, round_id))
    version_id = units["form_version_id"]
    east, west, centre = (units[name] for name in GROUPS)
    nav(page, "Progress")
    expect(page.get_by_role("heading", level=1)).to_have_text("Collection progress")
    assert figure(page, "Responses / target") == "0 / 70"
    first = [phone_submission(round_id, version_id, east, seed=1),
             phone_submission(round_id, version_id, west, seed=2)]
    assert upload(phone, site, token, first) == ["created", "created"]
    page.reload()
    assert figure(page, "Responses / target") == "2 / 70"
    fake = phone_submission(round_id, version_id, east, seed=3,
                            comment="Phiếu thử của tình nguyện viên, không phải người dân")
    more = [fake, phone_submission(round_id, version_id, west, seed=4),
            phone_submission(round_id, version_id, east, seed=5)]
    assert upload(phone, site, token, more) == ["created"] * 3
    page.reload()
    assert figure(page, "Responses / target") == "5 / 70"
    expect(page.locator("#unit-table")).to_contain_text("Xã Gia Viễn")

    # 9. Responses: exclude the fake one, with a reason; it leaves progress and the report.
    nav(page, "Responses")
    page.locator("table.data tbody tr", has=page.locator("code", has_text=fake["uuid"][:8])) \
        .get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(fake["uuid"])
    page.get_by_label(re.compile(r"^Reason for excluding it")).fill(
        "Phiếu thử: tình nguyện viên tự điền để làm quen ứng dụng")
    page.get_by_role("button", name="Exclude from reports").click()
    expect(page.locator(".exclusion")).to_contain_text("Excluded from reports")
    nav(page, "Progress")
    assert figure(page, "Responses / target") == "4 / 70"
    assert figure(page, "Excluded from reports") == "1"
    nav(page, "Reports")
    card = page.locator(".report-card").filter(has=page.get_by_role("heading", name="Xã Gia Viễn"))
    expect(card.locator("dl.figures > div").first).to_contain_text("4 / 70")

    # 10. Conflicts: the phone sends one UUID again with other answers; the admin decides.
    changed = dict(more[1], answers=phone_submission(round_id, version_id, west, seed=99)["answers"])
    assert upload(phone, site, token, [changed]) == ["conflict"]
    nav(page, "Conflicts")
    page.get_by_role("link", name="Review and decide").click()
    page.get_by_label("Replace it with the later upload").check()
    page.get_by_label(re.compile(r"^Reason \(required")).fill(
        "Tình nguyện viên sửa lại câu trả lời theo ý người dân")
    page.get_by_role("button", name="Save the decision").click()
    assert "The stored response is replaced with the later upload." in flash(page)
    nav(page, "Conflicts")
    expect(page.get_by_text("Review and decide")).to_have_count(0)
    stored = site.read(lambda s: _stored_answers(s, changed["uuid"]))
    assert stored == {k: v for k, v in changed["answers"].items() if k in stored}

    # 7. The clock moves on: the scheduler makes the next round 30 days before it opens,
    #    opens it and closes it (pre-generating its reports), seen on the Rounds page.
    made = site.run_jobs(coming["created_at"] + timedelta(minutes=1))
    assert len(made["create-upcoming-rounds"]["created"]) == 1
    next_id = made["create-upcoming-rounds"]["created"][0]
    nav(page, "Rounds")
    next_row = page.locator("table.rounds tbody tr", has=page.get_by_role("link", name=PLAN_TITLE))
    expect(next_row).to_contain_text("Planned")
    expect(next_row).to_contain_text(coming["opens_local"])
    first_row = page.locator("table.rounds tbody tr",
                             has=page.get_by_role("link", name=ROUND_TITLE, exact=True))
    expect(first_row).to_contain_text("Closed")               # its window passed meanwhile
    assert site.read(lambda s: _status(s, next_id)) == "scheduled"
    opened = site.run_jobs(coming["opens_at"] + timedelta(minutes=1))
    assert opened["open-close-rounds"]["opened"] == [next_id]
    assert site.read(lambda s: _status(s, next_id)) == "open"
    closed = site.run_jobs(coming["closes_at"] + timedelta(minutes=1))
    assert closed["open-close-rounds"]["closed"] == [next_id]
    assert next_id in closed["close-due-rounds"]
    page.reload()
    expect(next_row).to_contain_text("Closed")
    page.get_by_role("link", name=PLAN_TITLE).click()
    for name in GROUPS:                                   # the units copied from the first round
        expect(page.get_by_text(name, exact=True).first).to_be_visible()

    # 11. Audit log: every change, found by action (and by person).
    admin_name = ADMIN[2]
    expected = {
        "unit.imported": "units_gia_vien.csv",
        "user.imported": "volunteers_gia_vien.xlsx",
        "user.signin_card_printed": "user",
        "round.created": str(round_id),
        "recurring_plan.created": str(plan_id),
        "response.excluded": "Phiếu thử",
        "conflict.resolved": "Tình nguyện viên sửa lại",
    }
    for action, detail in expected.items():
        rows = audit_rows(page, action, person=ADMIN[0])
        assert rows, f"no {action} entry by {ADMIN[0]}"
        assert all(admin_name in row and action in row for row in rows)
        assert any(detail in row for row in rows), (action, rows)
    assert len(audit_rows(page, "user.signin_card_printed", person=ADMIN[0])) == 3
    scheduler = audit_rows(page, "round.opened")
    assert len(scheduler) == 1 and "system" in scheduler[0] and str(next_id) in scheduler[0]
    made_by_scheduler = [row for row in audit_rows(page, "round.created") if "system" in row]
    assert len(made_by_scheduler) == 1 and str(next_id) in made_by_scheduler[0]
    assert any(str(next_id) in row for row in audit_rows(page, "round.closed"))

    phone_context.close()
    admin_context.close()


# --- reading the site's database (plain values only) ----------------------------------------

def _now():
    from server.db_types import utcnow
    return utcnow()


def _coming(session, plan_id: int) -> dict:
    from server.db_types import utcnow
    from server.rounds.models import RecurringPlan
    from server.rounds.recurring import coming_rounds
    from tests.admin.cycle_support import VIETNAM

    nxt = coming_rounds(session.get(RecurringPlan, plan_id), utcnow(), limit=1)[0]
    return {"opens_at": nxt.opens_at, "closes_at": nxt.closes_at, "created_at": nxt.created_at,
            "opens_local": nxt.opens_at.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M")}


def _round_units(session, round_id: int) -> dict:
    from server.rounds.models import Round

    round_ = session.get(Round, round_id)
    return {"form_version_id": round_.form_version_id,
            **{unit.name: unit.id for unit in round_.units}}


def _status(session, round_id: int) -> str:
    from server.rounds.models import Round
    return session.get(Round, round_id).status


def _stored_answers(session, uuid: str) -> dict:
    from sqlalchemy import select

    from server.sync.models import Response
    return session.scalar(select(Response).where(Response.uuid == uuid)).answers
