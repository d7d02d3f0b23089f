"""Knowing what was sent, in the browser: the server's counts on the home screen (other
phones' uploads included), one word per state on every screen, and screens that follow a
send made in the background by the service worker."""

import json
import random
import urllib.request
import uuid as uuid_lib
from datetime import timedelta

import pwa_driver as driver
from pwa_live_site import DEFAULT_FORM

from server.db_types import utcnow
from server.extensions import db

SAVED_OFFLINE = "Đã lưu trên máy, sẽ tự gửi khi có mạng."


def _other_phone_uploads(site, count: int, unit_index: int = 0) -> None:
    """A colleague on another phone sends `count` responses for the same group."""
    from server.auth.tokens import issue_token
    from server.demo.synthetic import clean_answers, random_raw_answers
    from server.people.models import User
    from server.people.services import create_user
    from server.units.models import Unit

    definition = json.loads(DEFAULT_FORM.read_text(encoding="utf-8"))
    with site.app.app_context():
        unit = db.session.get(Unit, site.ids["units"][unit_index])
        user = db.session.scalar(db.select(User).where(User.username == "tnv.dong"))
        user = user or create_user("tnv.dong", "mat-khau-dong", "volunteer", display_name="Phạm Đông",
                                   units=[unit])
        token = issue_token(user, 30, "điện thoại khác").token
        db.session.commit()
        db.session.remove()
    now = utcnow()
    items = [{
        "uuid": str(uuid_lib.uuid4()), "round_id": site.ids["round"], "form_version_id": site.ids["form_version"],
        "unit_id": site.ids["units"][unit_index], "started_at": (now - timedelta(minutes=20)).isoformat(),
        "completed_at": (now - timedelta(minutes=5)).isoformat(),
        "answers": clean_answers(definition, random_raw_answers(definition, random.Random(n), 0.7,
                                                                comments=["Tốt."])).answers,
    } for n in range(count)]
    request = urllib.request.Request(
        f"{site.url}/api/v1/submissions", data=json.dumps({"submissions": items}).encode(), method="POST",
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=20) as reply:
        assert [r["status"] for r in json.load(reply)["results"]] == ["created"] * count


def _unit_line(page, unit_index: int = 0) -> str:
    return page.locator(".progress-list li").nth(unit_index).locator(".unit-count").inner_text()


def _stored_devices(site) -> list[str]:
    from server.sync.models import Response
    with site.app.app_context():
        devices = [r.client.get("device") for r in db.session.scalars(db.select(Response))]
        db.session.remove()
    return devices


def _dispatch_background_sync(page) -> None:
    """What the browser does when the signal returns: the worker's `sync` event (DevTools
    protocol), with no help from the page."""
    cdp = page.context.new_cdp_session(page)
    registrations = []
    cdp.on("ServiceWorker.workerRegistrationUpdated", lambda event: registrations.extend(event["registrations"]))
    cdp.send("ServiceWorker.enable")
    page.wait_for_timeout(200)
    [registration] = [r for r in registrations if r["scopeURL"].endswith("/app/") and not r.get("isDeleted")]
    origin = registration["scopeURL"].removesuffix("/app/")
    cdp.send("ServiceWorker.dispatchSyncEvent", {
        "origin": origin, "registrationId": registration["registrationId"], "tag": "outbox", "lastChance": False})


def test_home_shows_the_servers_count_with_other_phones_uploads(fresh_site, launch):
    site = fresh_site
    context = launch()
    page = context.pages[0]
    driver.log_in(page, site)
    assert _unit_line(page) == "Đã nhận 0 / 20 phiếu"

    _other_phone_uploads(site, 2)
    page.reload()  # the app opened again later in the day
    page.wait_for_function("() => document.querySelector('.progress-list .unit-count')?.textContent === 'Đã nhận 2 / 20 phiếu'")

    # This phone sends one: the count follows at once, with the colleague's included.
    driver.fill_response(page, unit_index=0)
    driver.finish(page)
    page.wait_for_function("() => document.querySelector('.progress-list .unit-count')?.textContent === 'Đã nhận 3 / 20 phiếu'",
                           timeout=20_000)
    assert page.inner_text("#toast") == "Đã gửi phiếu."
    assert _unit_line(page, 1) == "Đã nhận 0 / 20 phiếu"


def test_every_screen_agrees_after_a_background_send(fresh_site, launch):
    site = fresh_site
    context = launch()
    page = context.pages[0]
    driver.log_in(page, site)
    driver.wait_for_worker_control(page)
    assert page.inner_text("#status-last") == "Chưa gửi phiếu nào"
    assert page.inner_text("#status-waiting") == "Không còn phiếu chờ gửi"

    # No signal: the save message says where the response is.
    context.set_offline(True)
    site.switch.down = True
    driver.fill_response(page, unit_index=0)
    driver.finish(page)
    assert page.inner_text("#toast") == SAVED_OFFLINE
    assert page.locator("#status-bar").get_attribute("data-waiting") == "1"
    assert page.inner_text("#status-waiting") == "1 phiếu chờ gửi"
    assert _unit_line(page) == "Đã nhận 0 / 20 phiếu · máy này còn 1 phiếu chưa gửi"
    page.click(".nav-item[href='#/outbox']")
    page.wait_for_selector("#outbox-list .record[data-state=queued]")
    assert page.locator("#outbox-list .state-word").inner_text() == "Chờ gửi"
    assert page.locator(".nav-item[href='#/outbox'] .badge").inner_text() == "1"

    # The signal is back for the browser, the server still unreachable: the page's own
    # attempts fail and back off. Then the server answers, and the worker sends.
    context.set_offline(False)
    page.wait_for_selector("#status-bar .status-error")
    site.switch.down = False
    _dispatch_background_sync(page)

    # The outbox shown all along empties by itself; the status bar, the badge and the home
    # screen say the same.
    page.wait_for_selector("#outbox-lead", timeout=30_000)
    assert page.inner_text("#outbox-lead") == "Không có phiếu nào chờ gửi."
    page.wait_for_selector("#status-bar[data-waiting='0'][data-rejected='0']")
    assert page.inner_text("#status-waiting") == "Không còn phiếu chờ gửi"
    page.wait_for_function("() => document.getElementById('status-last').textContent.startsWith('Gửi lần cuối lúc')")
    assert page.locator(".nav-item[href='#/outbox'] .badge").count() == 0
    assert _stored_devices(site) == ["service-worker"], "sent by the worker's Background Sync"

    page.click(".sent-link")
    page.wait_for_selector("#sent-list .record")
    assert page.locator("#sent-list .state-word").inner_text() == "Đã gửi"
    assert "Tổ dân phố 1" in page.inner_text("#sent-list")

    page.click(".nav-item[href='#/home']")
    page.wait_for_function("() => document.querySelector('.progress-list .unit-count')?.textContent === 'Đã nhận 1 / 20 phiếu'",
                           timeout=20_000)
    text = page.inner_text("body").lower()
    assert "đồng bộ" not in text and "đã gửi hết" not in text


def test_a_refused_response_says_why_and_where_on_every_screen(fresh_site, launch):
    site = fresh_site
    context = launch()
    page = context.pages[0]
    driver.log_in(page, site)
    context.set_offline(True)
    site.switch.down = True
    driver.fill_response(page, unit_index=0)
    driver.finish(page)
    record = driver.outbox(page)[0]
    record["answers"]["age_band"] = "khong-co-lua-chon-nay"  # a form change made it wrong
    driver.put_response(page, record)

    context.set_offline(False)
    site.switch.down = False
    page.wait_for_selector("#status-bar[data-waiting='0'][data-rejected='1']", timeout=30_000)
    assert page.inner_text(".status-rejected") == "1 phiếu bị từ chối"
    page.wait_for_function(
        "() => document.querySelector('.progress-list .unit-count')?.textContent.endsWith('(1 bị từ chối)')")
    page.click(".status-rejected")
    item = page.locator(f".record.rejected[data-uuid='{record['uuid']}']")
    item.wait_for()
    assert item.locator(".state-word").inner_text() == "Bị từ chối"
    # The reason names the question to correct, in the volunteer's words.
    assert item.locator(".reason").inner_text() == (
        "Ông/bà thuộc nhóm tuổi nào? — Giá trị không có trong các lựa chọn: khong-co-lua-chon-nay.")
    assert item.get_by_role("button", name="Sửa phiếu").is_visible()
