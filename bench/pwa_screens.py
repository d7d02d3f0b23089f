"""Screenshots of every screen of the volunteer app at 360×740, in Vietnamese and English, for
a person to look at: login, home, install card, a field-list of Likert questions, a
one-question screen, a date question, the jump list, the review (folded and open), drafts,
the outbox (waiting and refused), the sent list, settings.

The seeded test site (tests/pwa/pwa_live_site.py) serves the default form; on its way to the
phone the form gets a date question and its "5 biết" block one question per screen, so that
those screens exist too (the date is left unanswered before sending: the server's form has
no such question).

Run: .venv/bin/python bench/pwa_screens.py OUT_DIR [--lang vi en]
Prints the path of each PNG written.
"""

import argparse
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "pwa"))

DATE_QUESTION = {
    "name": "last_visit", "type": "date", "relevant": "${dealt_with_commune} = 'yes'",
    "constraint": ". <= today()",
    "label": {"vi": "Lần gần nhất ông/bà đến Bộ phận một cửa là ngày nào?",
              "en": "When did you last visit the one-stop desk?"},
    "hint": {"vi": "Không chọn được ngày trong tương lai.", "en": "A future date cannot be chosen."},
}


def _walk(questions):
    for question in questions:
        yield question
        yield from _walk(question.get("questions", []))


def with_screens_to_show(definition: dict) -> dict:
    for question in _walk(definition["questions"]):
        if question["name"] == "sec_five_knows":
            question["appearance"] = "one-per-screen"
    names = [q["name"] for q in definition["questions"]]
    definition["questions"].insert(names.index("sec_overall"), DATE_QUESTION)
    return definition


class Shooter:
    def __init__(self, page, out: Path, lang: str):
        self.page, self.out, self.lang = page, out, lang

    def __call__(self, name: str, full_page: bool = False, toast: bool = False) -> None:
        path = self.out / f"{self.lang}-{name}.png"
        if not toast:  # the screen as it stays, not a message of the moment before
            self.page.wait_for_selector("#toast.visible", state="detached", timeout=10_000)
        self.page.wait_for_timeout(150)  # focus rings settle
        self.page.screenshot(path=str(path), full_page=full_page)
        print(path, flush=True)


def _mark_page(page) -> None:
    page.eval_on_selector(".form-page .page", "(el) => { el.dataset.old = '1'; }")


def _wait_next(page) -> None:
    page.wait_for_selector("body[data-route=review] #finish, body[data-route=form] .form-page .page:not([data-old])")


def _answer_and_go(page, plan: dict) -> None:
    """Answers the screen (the date left empty), then moves on unless auto-advance did."""
    import pwa_driver as driver
    _mark_page(page)
    given: set = set()
    while page.locator(".form-page .page[data-old]").count():
        names = page.eval_on_selector_all(
            ".form-page .q[data-name]:not(.q-group):not(.q-note)",
            "(els) => els.filter((el) => el.checkVisibility()).map((el) => el.dataset.name)")
        todo = [name for name in names if name not in given and name != DATE_QUESTION["name"]]
        if not todo:
            break
        question = page.locator(f".form-page .q[data-name='{todo[0]}']")
        kind = re.search(r"\bq-(\w+)", question.get_attribute("class") or "")[1]
        driver.answer(question, kind, plan.get(todo[0]))
        given.add(todo[0])
    page.wait_for_timeout(500)  # an auto-advance, if any
    if page.locator(".form-page .page[data-old]").count():
        page.click("#form-next")
    _wait_next(page)


def interview(page, shoot: Shooter, plan: dict, pictures: bool) -> None:
    """One response from the home screen to the review, photographing each kind of screen once."""
    from filling_steps import start_response
    start_response(page)
    taken: set = set()
    while page.locator("body[data-route=form]").count():
        kinds = page.eval_on_selector_all(
            ".form-page .q[data-name]:not(.q-group):not(.q-note)",
            "(els) => els.filter((el) => el.checkVisibility()).map((el) => el.className)")
        likerts = sum("q-likert" in k for k in kinds)
        kind = ("form-first" if not taken else "form-date" if any("q-date" in k for k in kinds)
                else "form-likert-list" if likerts > 1 else "form-single" if likerts == 1 and len(kinds) == 1
                else "form-yes-no" if kinds and all("q-select_one" in k or "q-text" in k for k in kinds) else None)
        if pictures and kind and kind not in taken:
            taken.add(kind)
            shoot(kind)
            if kind == "form-likert-list":
                shoot("form-likert-list-full", full_page=True)
                page.click("#form-jump")
                page.wait_for_selector("dialog.jump-list")
                shoot("jump-list")
                page.keyboard.press("Escape")
                page.wait_for_selector("dialog.jump-list", state="detached")
            if kind == "form-date":
                page.fill(".q-date input", "2026-01-15")
                shoot("form-date-filled")
                page.fill(".q-date input", "")
        taken.add("started")
        _answer_and_go(page, plan)


def phone_screens(playwright, browser: str, site, out: Path, lang: str, profile: Path) -> None:
    import pwa_driver as driver
    from pwa_branches import branch_plans
    from pwa_browser import CHROMIUM_ARGS, PHONE

    context = playwright.chromium.launch_persistent_context(
        str(profile), executable_path=browser, headless=True, args=CHROMIUM_ARGS, viewport=PHONE,
        locale="vi-VN" if lang == "vi" else "en-US", service_workers="block")
    context.set_default_timeout(20_000)

    def rewrite(route):
        response = route.fetch()
        body = response.json()
        if isinstance(body.get("definition"), dict):
            body["definition"] = with_screens_to_show(body["definition"])
        route.fulfill(response=response, json=body)

    context.route("**/api/v1/form-versions/*", rewrite)
    page = context.pages[0] if context.pages else context.new_page()
    shoot = Shooter(page, out, lang)
    driver.open_app(page, site, lang=lang)
    shoot("login")
    page.fill("#username", driver.VOLUNTEER[0])
    page.fill("#password", driver.VOLUNTEER[1])
    page.click("form button[type=submit]")
    page.wait_for_selector(".new-response")
    shoot("home")
    shoot("home-full", full_page=True)
    if page.locator("#install-card").count():
        page.locator("#install-card summary").click()
        page.locator("#install-card").scroll_into_view_if_needed()
        shoot("install-card")

    long_plan, short_plan = branch_plans(site)
    interview(page, shoot, long_plan, pictures=True)
    shoot("review")
    page.locator(".review-section summary").nth(1).click()
    shoot("review-open")
    driver.finish(page)
    shoot("home-after-send", toast=True)

    # A draft: the first screen answered, then "save and exit".
    from filling_steps import answer_screen, start_response
    start_response(page)
    answer_screen(page, {"age_band": "30_44", "sex": "female", **short_plan})
    page.click(".save-exit")
    page.wait_for_selector(".new-response")
    page.goto(page.url.split("#")[0] + "#/drafts")
    page.wait_for_selector("body[data-route=drafts] .record")
    shoot("drafts")

    # No signal: two responses wait; then one is refused by the server, the other sent.
    context.set_offline(True)
    site.switch.down = True
    for _ in range(2):
        page.goto(page.url.split("#")[0] + "#/home")
        page.wait_for_selector(".new-response")
        interview(page, shoot, short_plan, pictures=False)
        driver.finish(page)
    shoot("home-offline")
    page.goto(page.url.split("#")[0] + "#/outbox")
    page.wait_for_selector("#outbox-list .record")
    shoot("outbox-waiting")
    record = driver.outbox(page)[0]
    record["answers"]["age_band"] = "khong-co-lua-chon-nay"
    driver.put_response(page, record)
    site.switch.down = False
    context.set_offline(False)
    page.goto(page.url.split("#")[0] + "#/home")
    page.wait_for_selector("#status-bar[data-waiting='0'][data-rejected='1']", timeout=60_000)
    shoot("home-refused")
    page.goto(page.url.split("#")[0] + "#/outbox")
    page.wait_for_selector(".record.rejected")
    shoot("outbox-refused")
    page.goto(page.url.split("#")[0] + "#/sent")
    page.wait_for_selector("body[data-route=sent] #main h1")
    shoot("sent")
    page.goto(page.url.split("#")[0] + "#/settings")
    page.wait_for_selector("body[data-route=settings] #main h1")
    shoot("settings")
    shoot("settings-full", full_page=True)
    context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="directory for the PNGs")
    parser.add_argument("--lang", nargs="+", default=["vi", "en"], choices=["vi", "en"])
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    import logging

    from playwright.sync_api import sync_playwright
    from pwa_browser import chromium_path
    from pwa_live_site import LiveSite

    browser = chromium_path()
    if browser is None:
        sys.exit("no Chromium found (set CHROMIUM_PATH)")
    with tempfile.TemporaryDirectory() as tmp:
        site = LiveSite(Path(tmp) / "site")
        for name in ("lang_nghe", "werkzeug", "server"):
            logging.getLogger(name).setLevel(logging.ERROR)
        try:
            with sync_playwright() as playwright:
                for lang in args.lang:
                    site.clear_responses()
                    phone_screens(playwright, browser, site, args.out, lang, Path(tmp) / f"profile-{lang}")
        finally:
            site.stop()


if __name__ == "__main__":
    main()
