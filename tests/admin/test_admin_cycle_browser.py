"""Issue 11, "Done when": a new admin runs the whole twice-yearly cycle in the browser.

Real headless Chromium against the real app on a live port (tests/admin/cycle_support.py).
The admin clicks the console's links and buttons by their visible names: imports a new
commune's units and volunteers from files (a dry run first), prints the volunteers' sign-in
cards, and a volunteer opens one card's link on a phone-sized page and lands signed in; the
admin plans a round and makes it a twice-yearly recurring plan, follows progress as the phone
uploads, excludes a fake response, resolves a conflict; then the clock moves on and the
scheduler makes the next round, opens it and closes it; and every change is in the audit log.

The uploads, the exclusion and the conflict happen while the first round is open by the real
clock, which the server judges uploads by; the clock is moved on after them, since by the
time the scheduler opens the next round, six months later, the first one has long closed."""

import os
import re
from datetime import timedelta
from pathlib import Path

import pytest

from server.db_types import utcnow
from tests.admin.cycle_support import (
    ADMIN,
    FILES,
    CycleSite,
    audit_rows,
    card_links,
    figure,
    flash_message,
    follow,
    import_file,
    local_day_start,
    missing_endpoints,
    nav,
    next_round_of_plan,
    pdf_text,
    phone_submission,
    plan_outcomes,
    qr_links,
    round_state,
    round_units,
    stored_answers,
    upload,
)
from tests.pwa.pwa_browser import CHROMIUM_ARGS, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.db]

DESKTOP = {"width": 1280, "height": 800}
NEW_VOLUNTEERS = {"hong.pham": "Phạm Thị Hồng", "minh.le": "Lê Văn Minh", "hanh.do": "Đỗ Thị Hạnh"}
GROUPS = ("Thôn Đông Xuân", "Thôn Tây Xuân", "Tổ dân phố Đồng Tâm")
ROUND_TITLE = "Lấy ý kiến người dân – Xã Gia Viễn"
PLAN_TITLE = "Khảo sát hài lòng Xã Gia Viễn (định kỳ)"
FAKE_REASON = "Phiếu thử: tình nguyện viên tự điền để làm quen ứng dụng"
CONFLICT_REASON = "Tình nguyện viên sửa lại câu trả lời theo ý người dân"


def _not_run(reason: str):
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser(playwright_driver, browser_executable):
    chromium = playwright_driver.chromium.launch(executable_path=browser_executable,
                                                 headless=True, args=CHROMIUM_ARGS)
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


@pytest.fixture
def contexts(browser):
    """new_context(**options): a fresh browser context (closed at the end). Waits are long
    (a loaded CI machine can be slow), the expect() ones too, for this test only."""
    from playwright.sync_api import expect

    expect.set_options(timeout=15_000)
    opened = []

    def new_context(**options):
        context = browser.new_context(locale="vi-VN", **options)
        context.set_default_timeout(15_000)
        opened.append(context)
        return context

    yield new_context
    for context in opened:
        context.close()
    expect.set_options(timeout=5_000)                # Playwright's default, for other tests


def test_a_new_admin_runs_the_whole_cycle_in_the_browser(site, contexts, tmp_path):
    from playwright.sync_api import expect

    page = contexts(viewport=DESKTOP, accept_downloads=True).new_page()
    page.on("dialog", lambda dialog: dialog.accept())     # "Write these changes?" and the like

    # 1. Log in at /login; the console speaks Vietnamese until English is asked for.
    page.goto(f"{site.url}/login")
    page.get_by_label("Tên đăng nhập").fill(ADMIN[0])
    page.get_by_label("Mật khẩu").fill(ADMIN[1])
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r"/$"))
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
    assert plan_outcomes(page, key_column=2) == {
        "ninh-binh": "Unchanged", "gia-vien": "Create", "gia-vien-thon-dong": "Create",
        "gia-vien-thon-tay": "Create", "gia-vien-tdp-1": "Create"}
    page.get_by_role("button", name=re.compile(r"^Apply")).click()
    expect(flash_message(page, "Imported: 4 created, 0 updated.")).to_be_visible()
    expect(page.get_by_role("link", name="Xã Gia Viễn")).to_be_visible()

    # 3. People → Import: the volunteers (an XLSX); a row naming no known unit is an error.
    nav(page, "People")
    import_file(page, FILES / "volunteers_gia_vien.xlsx")
    assert plan_outcomes(page, key_column=2) == {
        "hong.pham": "Create", "minh.le": "Create", "hanh.do": "Create", "bac.tran": "Error"}
    expect(page.locator("table.import-plan tr[data-outcome=error]")).to_contain_text(
        "Unknown unit codes: gia-vien-thon-bac")
    page.get_by_role("radio", name=re.compile(r"^No password: print sign-in cards")).check()
    page.get_by_role("button", name=re.compile(r"^Apply")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Imported: 3 created, 0 updated")

    # 4. People: tick the new volunteers → Sign-in cards → the PDF to print.
    nav(page, "People")
    for name in NEW_VOLUNTEERS.values():
        page.get_by_label(f"Select {name}", exact=True).check()
    page.get_by_role("button", name="Sign-in cards", exact=True).click()
    with page.expect_download() as download_info:
        page.get_by_role("button", name=re.compile(r"^Download the PDF to print")).click()
    pdf = Path(download_info.value.path()).read_bytes()
    assert download_info.value.suggested_filename.endswith(".pdf") and pdf.startswith(b"%PDF-")
    text = pdf_text(pdf)
    for username, name in NEW_VOLUNTEERS.items():
        assert name in text and username in text
    assert all(group in text for group in GROUPS)
    links = card_links(pdf, NEW_VOLUNTEERS.values())
    assert set(links) == set(NEW_VOLUNTEERS.values()) and len(set(links.values())) == 3
    scanned = qr_links(pdf, tmp_path)
    assert scanned is None or scanned == set(links.values())

    # 5. Hồng scans her card: a new phone-sized browser opens the app signed in, no typing.
    phone = contexts(viewport=PHONE, service_workers="allow").new_page()
    with phone.expect_response(lambda r: r.url.endswith("/api/v1/auth/signin-code")) as signin:
        phone.goto(links["Phạm Thị Hồng"])
    assert signin.value.status == 201
    token = signin.value.json()["token"]
    expect(phone.locator("h1.greeting")).to_contain_text("Phạm Thị Hồng")
    assert "signin=" not in phone.url                 # the code left the address at once
    expect(phone.locator("#password")).to_have_count(0)

    # 6. Rounds: plan a round for the commune's groups (open since this morning) with a
    #    target of its own for one group, then repeat it twice a year.
    nav(page, "Rounds")
    follow(page.get_by_role("link", name="Plan a round"))
    root = page.get_by_label("Root unit")
    root.select_option(root.locator("option", has_text="Xã Gia Viễn").get_attribute("value"))
    page.wait_for_selector("table[data-unit-pick]")   # the page's script shows the units at once
    for group in GROUPS:
        expect(page.get_by_label(group, exact=True)).to_be_checked()
    expect(page.get_by_label("Xã Gia Viễn", exact=True)).not_to_be_checked()
    page.get_by_label("Title").fill(ROUND_TITLE)
    page.get_by_label("Opens at (Vietnam time)").fill(local_day_start(utcnow()))
    page.get_by_label("Target of Tổ dân phố Đồng Tâm").fill("30")
    page.get_by_role("button", name="Plan the round").click()
    expect(flash_message(page, f"Round “{ROUND_TITLE}” planned.")).to_be_visible()
    round_id = int(re.search(r"/admin/rounds/(\d+)$", page.url).group(1))
    follow(page.get_by_role("link", name="Repeat this round on a schedule…"))
    windows = page.locator("table.windows tbody tr")
    suggested = [row for row in windows.all() if row.locator("input").first.input_value()]
    assert len(suggested) == 2                        # twice a year: these days, and 6 months on
    page.get_by_label("Title (the rounds' titles start with it)").fill(PLAN_TITLE)
    page.get_by_role("button", name="Create the plan").click()
    expect(flash_message(page, "Recurring plan created.")).to_be_visible()
    plan_id = int(re.search(r"/admin/rounds/recurring/(\d+)$", page.url).group(1))
    coming = site.read(next_round_of_plan, plan_id)
    expect(page.locator("table.coming tbody tr").first).to_contain_text(coming["opens_local"])

    # The volunteer's app, opened again, has the new round.
    phone.reload()
    expect(phone.locator(".round h2")).to_have_text(ROUND_TITLE)

    # 8. Progress while the round is open: the numbers rise as the phone uploads.
    units = site.read(round_units, round_id)
    version_id, east, west = units["form_version_id"], units[GROUPS[0]], units[GROUPS[1]]
    nav(page, "Progress")
    assert figure(page, "Responses / target") == "0 / 70"
    first = [phone_submission(round_id, version_id, east, seed=1),
             phone_submission(round_id, version_id, west, seed=2)]
    assert upload(phone.request, site.url, token, first) == ["created", "created"]
    page.reload()
    assert figure(page, "Responses / target") == "2 / 70"
    fake = phone_submission(round_id, version_id, east, seed=3,
                            comment="thử thử thử – không phải người dân")
    more = [fake, phone_submission(round_id, version_id, west, seed=4),
            phone_submission(round_id, version_id, east, seed=5)]
    assert upload(phone.request, site.url, token, more) == ["created"] * 3
    page.reload()
    assert figure(page, "Responses / target") == "5 / 70"
    expect(page.locator("#unit-table")).to_contain_text("Xã Gia Viễn")

    # 9. Responses: exclude the fake one, with a reason; it leaves progress and the report.
    nav(page, "Responses")
    page.locator("table.data tbody tr", has=page.locator("code", has_text=fake["uuid"][:8])) \
        .get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(fake["uuid"])
    page.get_by_label(re.compile(r"Reason for excluding it")).fill(FAKE_REASON)
    page.get_by_role("button", name="Exclude from reports").click()
    expect(page.locator(".exclusion")).to_contain_text(f"Reason: {FAKE_REASON}")
    nav(page, "Progress")
    assert figure(page, "Responses / target") == "4 / 70"
    assert figure(page, "Excluded from reports") == "1"
    follow(page.get_by_role("navigation", name="Admin navigation").get_by_role(
        "link", name="Reports", exact=True))
    # 4 counted responses are fewer than k = 5: the report withholds every figure.
    report = page.get_by_role("region", name=ROUND_TITLE).locator(".report-card").first
    expect(report.locator(".notice.too-few")).to_contain_text("Chưa đủ phiếu để lập báo cáo")
    expect(report.locator("dl.figures")).to_have_count(0)
    page.go_back()                    # the reports pages have no console navigation

    # 10. Conflicts: the phone sends one UUID again with other answers; the admin decides.
    later = phone_submission(round_id, version_id, west, seed=99)["answers"]
    changed = dict(more[1], answers=later)
    assert upload(phone.request, site.url, token, [changed]) == ["conflict"]
    nav(page, "Conflicts")
    follow(page.get_by_role("link", name="Review and decide"))
    page.get_by_label("Replace it with the later upload").check()
    page.get_by_label(re.compile(r"Reason \(required")).fill(CONFLICT_REASON)
    page.get_by_role("button", name="Save the decision").click()
    expect(flash_message(page, "The stored response is replaced with the later upload.")) \
        .to_be_visible()
    nav(page, "Conflicts")
    expect(page.get_by_role("link", name="Review and decide")).to_have_count(0)
    stored = site.read(stored_answers, changed["uuid"])
    assert stored == {name: value for name, value in later.items() if name in stored}

    # 7. The clock moves on: the scheduler makes the next round 30 days before it opens,
    #    opens it, closes it and makes its reports; the Rounds page shows it.
    made = site.run_jobs(coming["created_at"] + timedelta(minutes=1))
    [next_id] = made["create-upcoming-rounds"]["created"]
    nav(page, "Rounds")
    made_title = re.compile("^" + re.escape(PLAN_TITLE))   # the plan's title, then the dates
    next_row = page.locator("table.rounds tbody tr",
                            has=page.get_by_role("link", name=made_title))
    expect(next_row).to_contain_text("Planned")
    expect(next_row).to_contain_text(coming["opens_local"])
    first_row = page.locator("table.rounds tbody tr",
                             has=page.get_by_role("link", name=ROUND_TITLE, exact=True))
    expect(first_row).to_contain_text("Closed")       # its own window passed meanwhile
    assert site.read(round_state, next_id)["status"] == "scheduled"
    opened = site.run_jobs(coming["opens_at"] + timedelta(minutes=1))
    assert opened["open-close-rounds"]["opened"] == [next_id]
    assert site.read(round_state, next_id)["status"] == "open"
    closed = site.run_jobs(coming["closes_at"] + timedelta(minutes=1))
    assert closed["open-close-rounds"]["closed"] == [next_id]
    assert closed["close-due-rounds"] == [next_id]
    assert site.read(round_state, next_id) == {"status": "closed", "reports_made": True}
    page.reload()
    expect(next_row).to_contain_text("Closed")
    follow(next_row.get_by_role("link").first)
    for group in GROUPS:                              # the first round's units, copied
        expect(page.get_by_role("cell", name=group, exact=True)).to_be_visible()

    # 11. Audit log: each change, found by action and by person.
    by_admin = {
        "unit.imported": "units_gia_vien.csv",
        "user.imported": "volunteers_gia_vien.xlsx",
        "user.signin_card_printed": "live_signin_cards",
        "round.created": ROUND_TITLE,
        "recurring_plan.created": PLAN_TITLE,
        "response.excluded": FAKE_REASON,
        "conflict.resolved": CONFLICT_REASON,
    }
    for action, detail in by_admin.items():
        rows = audit_rows(page, action, person=ADMIN[0])
        assert rows and all(ADMIN[2] in row and action in row for row in rows), (action, rows)
        assert any(detail in row for row in rows), (action, rows)
    assert len(audit_rows(page, "user.signin_card_printed", person=ADMIN[0])) == 3
    for action in ("round.created", "round.opened", "round.closed"):
        by_scheduler = [row for row in audit_rows(page, action) if "system" in row]
        assert any(f"round {next_id}" in " ".join(row.split()) for row in by_scheduler), \
            (action, by_scheduler)
