"""A new version of the app is offered, never in the middle of a response, and applied."""

import re
import urllib.request

import pwa_driver as driver


def _served_version(site) -> str:
    with urllib.request.urlopen(f"{site.url}/app/sw.js") as reply:
        assert reply.headers["Service-Worker-Allowed"] == "/app/"
        return re.search(r'const VERSION = "([0-9a-f]+)"', reply.read().decode()).group(1)


def _cache_names(page) -> list[str]:
    return page.evaluate("caches.keys()")


def test_new_version_is_offered_and_applied(fresh_site, launch):
    site = fresh_site
    context = launch()
    page = context.pages[0]
    driver.log_in(page, site)
    driver.wait_for_worker_control(page)
    old = _served_version(site)
    assert f"lang-nghe-shell-{old}" in _cache_names(page)

    # In the middle of a response: a new version arrives but is not offered yet.
    page.click(".new-response")
    page.wait_for_selector("body[data-route=form]")
    site.bump_version()
    new = _served_version(site)
    assert new != old
    page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.update())")
    page.wait_for_function("() => navigator.serviceWorker.getRegistration().then((r) => r.waiting !== null)")
    assert page.locator("#update-banner").is_hidden()

    # Back on the home screen it is offered; nothing reloads until the volunteer agrees.
    page.click(".save-exit")
    banner = page.locator("#update-banner")
    banner.wait_for(state="visible")
    assert "Có phiên bản mới" in banner.inner_text()
    with page.expect_navigation():
        page.click("#apply-update")
    page.wait_for_selector(".new-response")
    page.wait_for_function(f"() => caches.keys().then((k) => k.includes('lang-nghe-shell-{new}'))")
    page.wait_for_function(f"() => caches.keys().then((k) => !k.includes('lang-nghe-shell-{old}'))")
    assert f"lang-nghe-shell-{old}" not in _cache_names(page)
    # The draft begun before the update is still there.
    assert [r["state"] for r in driver.responses(page)] == ["draft"]
