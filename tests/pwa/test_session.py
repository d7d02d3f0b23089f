"""Logging out and losing the login never cost an answer."""

import pwa_driver as driver
from pwa_branches import branch_plans
from pwa_live_site import VOLUNTEER


def test_logout_refused_and_revoked_login_keeps_everything(fresh_site, launch):
    site = fresh_site
    context = launch()
    page = context.pages[0]
    driver.log_in(page, site)
    context.set_offline(True)
    site.switch.down = True
    plan, _ = branch_plans(site)
    driver.fill_response(page, plan)
    driver.finish(page)

    # Logging out with an unsynced response is refused (export first).
    page.goto(f"{site.url}/app/#/settings")
    page.get_by_role("button", name="Đăng xuất").click()
    dialog = page.get_by_role("dialog")
    assert "Chưa thể đăng xuất" in dialog.inner_text()
    dialog.get_by_role("button", name="Huỷ").click()
    assert page.locator("body").get_attribute("data-route") == "settings"
    assert len(driver.outbox(page)) == 1

    # The login is revoked while the phone is away: the sync fails, nothing is deleted.
    site.revoke_tokens()
    site.switch.down = False
    context.set_offline(False)
    error = page.locator(".status-error")
    error.wait_for(timeout=20_000)
    assert "đăng xuất từ xa" in error.inner_text() or "hết hạn" in error.inner_text()
    assert len(driver.outbox(page)) == 1
    assert site.stored_responses() == []

    # Log in again: the response is still there and goes up.
    error.get_by_role("button", name="Đăng nhập lại").click()
    page.fill("#password", VOLUNTEER[1])
    assert page.input_value("#username") == VOLUNTEER[0]
    page.click("form button[type=submit]")
    page.wait_for_selector("#status-bar[data-waiting='0']", timeout=20_000)
    assert len(site.stored_responses()) == 1
    assert page.locator(".status-error").count() == 0
