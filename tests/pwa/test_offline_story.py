"""The whole story: log in online, collect offline, crash, reopen, sync by itself."""

import json

import pwa_driver as driver
from pwa_branches import branch_plans


def test_collect_offline_survive_a_crash_and_sync_by_itself(fresh_site, launch, tmp_path):
    site = fresh_site
    profile = tmp_path / "phone"
    context = launch(profile)
    page = context.pages[0] if context.pages else context.new_page()

    driver.log_in(page, site)
    driver.wait_for_worker_control(page)

    # No signal at all: the browser is offline and the server unreachable.
    context.set_offline(True)
    site.switch.down = True
    page.reload()
    page.wait_for_selector(".new-response")
    assert page.locator("#status-bar").get_attribute("data-online") == "false"

    plan_yes, plan_no = branch_plans(site)
    given = [driver.fill_response(page, plan_yes, unit_index=0)]
    driver.finish(page)
    given.append(driver.fill_response(page, plan_no, unit_index=1))
    driver.finish(page)
    assert page.locator("#status-bar").get_attribute("data-waiting") == "2"
    assert len(driver.outbox(page)) == 2

    # The battery dies: no clean shutdown.
    driver.kill_browser(profile)
    context = launch(profile, offline=True)
    page = context.pages[0] if context.pages else context.new_page()
    driver.open_app(page, site)
    page.wait_for_selector(".new-response")
    queued = driver.outbox(page)
    assert len(queued) == 2, "both responses survived the crash"
    assert site.stored_responses() == []

    # Signal returns: the outbox empties by itself.
    site.switch.down = False
    context.set_offline(False)
    page.wait_for_selector("#status-bar[data-waiting='0']", timeout=30_000)
    assert driver.outbox(page) == []

    stored = site.stored_responses()
    assert sorted(r["uuid"] for r in stored) == sorted(r["uuid"] for r in queued)
    by_uuid = {r["uuid"]: r for r in stored}
    for record in queued:
        answers = by_uuid[record["uuid"]]["answers"]
        expected = next(g for g in given if all(answers.get(k) == v for k, v in g.items()))
        assert {k: answers[k] for k in expected} == expected, json.dumps(answers, ensure_ascii=False)
    assert {r["unit_id"] for r in stored} == set(site.ids["units"])
    # Synced answers do not stay on the phone.
    assert all("answers" not in r for r in driver.responses(page))
