"""Steps of filling a response screen by screen, for the filling and accessibility tests."""

import os
import re
from pathlib import Path

import pwa_driver as driver


def shoot(page, name: str) -> None:
    """Screenshots for a person to look at, when SCREENSHOT_DIR is set."""
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"))


def answer_screen(page, plan: dict) -> dict:
    """Answers every question on the screen, including those an answer reveals."""
    given: dict = {}
    while True:
        names = page.eval_on_selector_all(
            ".form-page .q[data-name]:not(.q-group):not(.q-note)",
            "(els) => els.filter((el) => el.checkVisibility()).map((el) => el.dataset.name)")
        todo = [name for name in names if name not in given]
        if not todo:
            return given
        question = page.locator(f".form-page .q[data-name='{todo[0]}']")
        kind = re.search(r"\bq-(\w+)", question.get_attribute("class") or "")[1]
        given[todo[0]] = driver.answer(question, kind, plan.get(todo[0]))


def start_response(page, unit_index=0):
    select = page.locator(".round select").first
    select.select_option(select.locator("option").all()[unit_index].get_attribute("value"))
    page.click(".new-response")
    page.wait_for_selector("body[data-route=form] .form-page .q")


def next_screen(page):
    page.eval_on_selector(".form-page .page", "(el) => { el.dataset.old = '1'; }")
    page.click("#form-next")
    errors = page.locator(".form-page .q-error:visible").all_inner_texts()
    if errors:
        shoot(page, "error")
    assert not errors, errors
    page.wait_for_selector("body[data-route=review] #finish, body[data-route=form] .form-page .page:not([data-old])")
