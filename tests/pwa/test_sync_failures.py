"""Sync under bad conditions: a reply lost mid-way, a response the server refuses."""

import pwa_driver as driver
from pwa_branches import branch_plans


def _collect_offline(context, page, site, plans):
    context.set_offline(True)
    site.switch.down = True
    for index, plan in enumerate(plans):
        driver.fill_response(page, plan, unit_index=index % 2)
        driver.finish(page)


def _go_online(context, site):
    site.switch.down = False
    context.set_offline(False)


def test_reply_lost_after_the_server_stored_the_batch(fresh_site, launch):
    site = fresh_site
    context = launch()
    page = context.pages[0]
    driver.log_in(page, site)
    _collect_offline(context, page, site, branch_plans(site))
    uuids = sorted(r["uuid"] for r in driver.outbox(page))

    site.switch.drop_submission_replies = 1
    _go_online(context, site)
    # The server stores both, the phone never hears back: they stay queued; the retry
    # (backoff, or Background Sync) gets "duplicate" and the outbox empties.
    page.wait_for_selector("#status-bar[data-waiting='0']", timeout=30_000)
    assert site.switch.drop_submission_replies == 0, "the reply was really dropped"
    assert driver.outbox(page) == []
    stored = site.stored_responses()
    assert sorted(r["uuid"] for r in stored) == uuids, "nothing lost, nothing stored twice"
    assert site.switch.submission_posts >= 2


def test_rejected_response_stays_with_its_reason(fresh_site, launch):
    site = fresh_site
    context = launch()
    page = context.pages[0]
    driver.log_in(page, site)
    plan, _ = branch_plans(site)
    _collect_offline(context, page, site, [plan])
    record = driver.outbox(page)[0]
    # A form change made the response unsubmittable: an answer outside its choices.
    question = next(iter(plan))
    record["answers"][question] = "khong-co-lua-chon-nay"
    driver.put_response(page, record)

    _go_online(context, site)
    page.wait_for_selector("#status-bar[data-rejected='1']", timeout=30_000)
    assert site.stored_responses() == []
    kept = driver.outbox(page)
    assert [r["state"] for r in kept] == ["rejected"]
    assert kept[0]["answers"][question] == "khong-co-lua-chon-nay"

    page.click(".status-rejected")
    item = page.locator(f".record.rejected[data-uuid='{record['uuid']}']")
    item.wait_for()
    reason = item.locator(".reason").first.inner_text()
    assert reason.strip(), "the server's reason is shown"
    assert page.locator("html").get_attribute("lang") == "vi"

    # Discarding asks first; cancelling keeps it.
    item.get_by_role("button", name="Bỏ phiếu").click()
    page.get_by_role("dialog").get_by_role("button", name="Huỷ").click()
    assert len(driver.outbox(page)) == 1
    item.get_by_role("button", name="Bỏ phiếu").click()
    page.get_by_role("dialog").get_by_role("button", name="Bỏ phiếu").click()
    page.wait_for_selector("#status-bar[data-rejected='0']")
    assert driver.outbox(page) == []
