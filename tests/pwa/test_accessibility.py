"""axe-core over every screen of the volunteer app and over the officials' report pages:
no critical or serious violation. axe (npm axe-core, MPL-2.0) is a test asset under
tests/pwa/vendor/, injected by the test; the app never serves it."""

import json
from pathlib import Path

import pwa_driver as driver
import pytest
from filling_steps import answer_screen, next_screen, shoot, start_response
from pwa_branches import branch_plans
from pwa_live_site import VOLUNTEER

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
OFFICIAL = ("quantri", "mat-khau-quan-tri")
BLOCKING = {"critical", "serious"}


def violations(page, screen: str) -> list[str]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    found = page.evaluate("""async () => {
      const result = await axe.run(document, { resultTypes: ['violations'] });
      return result.violations.map((v) => ({ id: v.id, impact: v.impact,
        nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
    }""")
    return [f"{screen}: {v['impact']} {v['id']} {json.dumps(v['nodes'])}" for v in found if v["impact"] in BLOCKING]


@pytest.fixture
def browser_page(fresh_site, launch):
    # The app's CSP (rightly) refuses injected scripts: the test's own axe is let in.
    context = launch(bypass_csp=True)
    return context.pages[0] if context.pages else context.new_page()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_screen_of_the_app_has_no_serious_violation(fresh_site, browser_page, lang):
    page = browser_page
    found = []
    driver.open_app(page, fresh_site, lang=lang)
    found += violations(page, "login")
    page.fill("#username", VOLUNTEER[0])
    page.fill("#password", VOLUNTEER[1])
    page.click("form button[type=submit]")
    page.wait_for_selector(".new-response")
    if page.locator("#install-card summary").count():
        page.click("#install-card summary")  # the install guide, drawings included
    found += violations(page, "home")

    plan, _ = branch_plans(fresh_site)
    start_response(page)
    screen = 0
    while page.locator("body[data-route=form]").count():
        screen += 1
        found += violations(page, f"form screen {screen}")
        if screen == 2:
            page.click("#form-jump")
            page.wait_for_selector("dialog.jump-list")
            found += violations(page, "jump list")
            page.keyboard.press("Escape")
            page.wait_for_selector("dialog.jump-list", state="detached")
        answer_screen(page, plan)
        next_screen(page)
    for summary in page.locator(".review-section summary").all():
        summary.click()
    found += violations(page, "review")
    uuid = page.url.split("/review/")[1]
    page.click(".review-nav .button.secondary")
    page.wait_for_selector("body[data-route=form]")
    page.click(".save-exit")
    page.wait_for_selector(".new-response")
    for route in ("drafts", "outbox", "sent", "settings"):
        page.goto(page.url.split("#")[0] + f"#/{route}")
        page.wait_for_selector(f"body[data-route={route}] #main h1")
        shoot(page, f"{lang}-{route}")
        found += violations(page, route)
    assert uuid
    assert not found, "\n".join(found)


def test_the_officials_report_pages_have_no_serious_violation(fresh_site, browser_page):
    page = browser_page
    site = fresh_site
    found = []
    page.goto(f"{site.url}/login")
    found += violations(page, "web login")
    page.fill("input[name=username]", OFFICIAL[0])
    page.fill("input[name=password]", OFFICIAL[1])
    page.locator("form button[type=submit], form input[type=submit]").first.click()
    page.wait_for_load_state()
    for path in ("/reports", f"/reports/rounds/{site.ids['round']}/units/{site.ids['units'][0]}"):
        page.goto(site.url + path)
        assert page.locator("main").count() == 1, path
        found += violations(page, path)
    assert not found, "\n".join(found)
