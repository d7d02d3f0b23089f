"""A response the server fails on every time (500) must not block the phone: the batch is
halved until the response is alone, then it is set aside, kept and shown with a reason."""

import json

import pwa_driver as driver
from pwa_branches import branch_plans

FAILURE_LIMIT = 3  # SERVER_FAILURE_LIMIT in pwa/js/outbox.js


def _tap_sync(page) -> None:
    """One pass by hand: "Gửi ngay" sends at once, whatever the backoff timer says."""
    page.wait_for_function(
        "() => [...document.querySelectorAll('#status-bar button')]"
        ".some((b) => b.textContent === 'Gửi ngay' && !b.disabled)")
    page.locator("#status-bar button", has_text="Gửi ngay").click()
    page.wait_for_selector("#status-bar[data-syncing='false']")


def _sync_by_hand(page, done_selector: str, max_taps: int = 30) -> None:
    for _ in range(max_taps):
        if page.locator(done_selector).count():
            return
        _tap_sync(page)
    raise AssertionError(f"not reached after {max_taps} taps: {done_selector}")


def test_poison_response_is_isolated_set_aside_and_can_be_tried_again(fresh_site, launch, tmp_path):
    site = fresh_site
    profile = tmp_path / "phone"
    context = launch(profile)
    page = context.pages[0] if context.pages else context.new_page()
    driver.log_in(page, site)

    context.set_offline(True)
    site.switch.down = True
    plan_yes, plan_no = branch_plans(site)
    for index, plan in enumerate([plan_yes, plan_no, plan_yes]):
        driver.fill_response(page, plan, unit_index=index % 2)
        driver.finish(page)
    first, poison, last = [r["uuid"] for r in sorted(driver.outbox(page), key=lambda r: r["completed_at"])]
    site.switch.poison_uuids = {poison}

    site.switch.down = False
    context.set_offline(False)
    # The same three are refused until the batch is halved, and the halving is stored.
    for _ in range(FAILURE_LIMIT + 2):
        if all(r.get("batch_limit") == 2 for r in driver.outbox(page)):
            break
        _tap_sync(page)
    assert [len(b) for b in site.switch.poisoned_batches[:FAILURE_LIMIT]] == [3] * FAILURE_LIMIT
    assert all(r.get("batch_limit") == 2 for r in driver.outbox(page)), driver.outbox(page)

    # The phone dies and comes back: the split goes on where it was, never the whole batch again.
    before_restart = len(site.switch.poisoned_batches)
    driver.kill_browser(profile)
    context = launch(profile)
    page = context.pages[0] if context.pages else context.new_page()
    driver.open_app(page, site)
    page.wait_for_selector(".new-response")
    for _ in range(FAILURE_LIMIT * 2):
        if site.switch.poisoned_batches[-1] == [poison]:
            break
        _tap_sync(page)
    # Tried alone: the outbox says so while it is still waiting.
    page.evaluate("() => { location.hash = '#/outbox'; }")
    note = page.locator(f"#outbox-list .record[data-uuid='{poison}'] .tried-alone")
    note.wait_for()
    assert "đang thử gửi riêng" in note.inner_text()
    _sync_by_hand(page, "#status-bar[data-waiting='0'][data-rejected='1']")
    after_restart = site.switch.poisoned_batches[before_restart:]
    assert all(len(batch) <= 2 for batch in after_restart), after_restart
    assert site.switch.poisoned_batches[-1] == [poison], "it ends alone"
    assert len(site.switch.poisoned_batches) <= FAILURE_LIMIT * 3 + 1, site.switch.poisoned_batches

    stored = sorted(r["uuid"] for r in site.stored_responses())
    assert stored == sorted([first, last]), "every other response reached the server"
    kept = [r for r in driver.responses(page) if r["uuid"] == poison][0]
    assert kept["state"] == "rejected"
    assert kept["answers"], "the answers stay on the phone"
    assert kept["errors"][0]["code"] == "server_error"

    # The volunteer sees it, with the reason in Vietnamese.
    page.evaluate("() => { location.hash = '#/home'; }")
    page.click(".status-rejected")
    item = page.locator(f".record.rejected[data-uuid='{poison}']")
    item.wait_for()
    assert item.get_attribute("data-set-aside") == "true"
    assert "Máy chủ gặp lỗi mỗi lần nhận phiếu này" in item.locator(".reason").first.inner_text()
    assert page.locator("html").get_attribute("lang") == "vi"

    # ...can export it to a file for the admin...
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Xuất tệp").click()
    exported = json.loads(download_info.value.path().read_text(encoding="utf-8"))
    [saved] = [r for r in exported["responses"] if r["uuid"] == poison]
    assert saved["state"] == "rejected" and saved["answers"] == kept["answers"]

    # ...reads it in English too...
    page.goto(f"{site.url}/app/?lang=en#/outbox")
    item = page.locator(f".record.rejected[data-uuid='{poison}']")
    item.wait_for()
    assert "set aside" in item.locator(".reason").first.inner_text()
    assert item.get_by_role("button", name="Try again").count() == 1

    # ...and tries it again once the server is fixed: it goes, alone.
    page.goto(f"{site.url}/app/?lang=vi#/outbox")
    item = page.locator(f".record.rejected[data-uuid='{poison}']")
    item.wait_for()
    site.switch.poison_uuids = set()
    posts = site.switch.submission_posts
    item.get_by_role("button", name="Thử gửi lại").click()
    page.wait_for_selector("#status-bar[data-waiting='0'][data-rejected='0']", timeout=30_000)
    assert sorted(r["uuid"] for r in site.stored_responses()) == sorted([first, poison, last])
    assert site.switch.submission_posts > posts
    assert driver.outbox(page) == []
