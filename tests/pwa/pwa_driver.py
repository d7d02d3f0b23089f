"""Steps a volunteer takes in the app, for the browser tests and the benchmark."""

import os
import re
import signal
from datetime import date
from pathlib import Path

from pwa_live_site import VOLUNTEER

READ_RESPONSES = """async () => {
  const db = await new Promise((resolve, reject) => {
    const request = indexedDB.open('lang-nghe');
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const all = await new Promise((resolve, reject) => {
    const request = db.transaction('responses').objectStore('responses').getAll();
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  db.close();
  return all;
}"""

WRITE_RESPONSE = """async (record) => {
  const db = await new Promise((resolve, reject) => {
    const request = indexedDB.open('lang-nghe');
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  await new Promise((resolve, reject) => {
    const tx = db.transaction('responses', 'readwrite');
    tx.objectStore('responses').put(record);
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
  });
  db.close();
}"""


def open_app(page, site, lang=None):
    page.goto(f"{site.url}/app/" + (f"?lang={lang}" if lang else ""))
    page.wait_for_selector("#main h1")


def log_in(page, site):
    open_app(page, site)
    page.fill("#username", VOLUNTEER[0])
    page.fill("#password", VOLUNTEER[1])
    page.click("form button[type=submit]")
    page.wait_for_selector(".new-response")


def wait_for_worker_control(page):
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=20_000)
    page.wait_for_function(
        "() => navigator.serviceWorker.ready.then(() => caches.keys()).then((keys) => keys.some((k) => k.startsWith('lang-nghe-shell-')))")


def responses(page) -> list[dict]:
    return page.evaluate(READ_RESPONSES)


def put_response(page, record: dict) -> None:
    page.evaluate(WRITE_RESPONSE, record)


def outbox(page) -> list[dict]:
    return [r for r in responses(page) if r["state"] in ("queued", "sending", "rejected")]


def fill_response(page, plan: dict[str, str] | None = None, unit_index: int = 0) -> dict:
    """Starts a new response and answers every question shown, as a volunteer would
    (plan: question name -> choice value); returns the answers given."""
    plan = plan or {}
    select = page.locator(".round select").first
    options = select.locator("option").all()
    select.select_option(options[unit_index].get_attribute("value"))
    page.click(".new-response")
    page.wait_for_selector("body[data-route=form] .form-page .q")
    given: dict = {}
    for _ in range(300):
        answered_any = True
        while answered_any:
            answered_any = False
            for question in page.locator(".form-page .q[data-name]:visible").all():
                name = question.get_attribute("data-name")
                kind = (re.search(r"\bq-(\w+)", question.get_attribute("class") or "") or [None, ""])[1]
                if name in given or kind in ("group", "note"):
                    continue
                given[name] = answer(question, kind, plan.get(name))
                answered_any = True
                break
        before = page.eval_on_selector(".form-page .page", "(el) => { el.dataset.old = '1'; return true; }")
        assert before
        page.click("#form-next")
        # Wait for the next screen (a new page element) or the review.
        page.wait_for_selector("body[data-route=review] #finish, body[data-route=form] .form-page .page:not([data-old])")
        if page.locator("body[data-route=review]").count():
            break
    return {k: v for k, v in given.items() if v is not None}


def answer(question, kind: str, wanted):
    if kind in ("likert", "select_one"):
        values = [o.get_attribute("value") for o in question.locator("input").all()]
        value = wanted if wanted is not None else ("4" if "4" in values else values[0])
        question.locator(f"input[value='{value}']").check()
        return value
    if kind == "select_multiple":
        values = [o.get_attribute("value") for o in question.locator("input").all()]
        chosen = wanted if wanted is not None else [values[0]]
        for value in chosen:
            question.locator(f"input[value='{value}']").check()
        return chosen
    field = question.locator("input, textarea").first
    if kind == "integer":
        field.fill(str(wanted if wanted is not None else 45))
        return int(wanted if wanted is not None else 45)
    if kind == "decimal":
        field.fill(str(wanted if wanted is not None else 2.5))
        return float(wanted if wanted is not None else 2.5)
    if kind == "date":
        value = wanted or date.today().isoformat()
        field.fill(value)
        return value
    value = wanted if wanted is not None else "Cán bộ tận tình, nhưng phải chờ lâu."
    field.fill(value)
    return value


def finish(page):
    page.click("#finish")
    page.wait_for_selector("body[data-route=home] .new-response")


def kill_browser(profile: Path) -> None:
    """Ends the browser of this profile the hard way (SIGKILL), like a dead battery."""
    marker = f"--user-data-dir={profile}".encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            args = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if marker in args and not any(a.startswith(b"--type=") for a in args):
            os.kill(int(entry.name), signal.SIGKILL)
