"""The form's own language per interview (Khmer labels in a Khmer font), auto-advance on a
one-question Likert screen and its setting, labelled drafts."""

import pwa_driver as driver
import pytest
from filling_steps import answer_screen, shoot, start_response
from pwa_browser import CHROMIUM_ARGS, PHONE

KHMER = {
    "title": "ការស្ទង់មតិប្រជាពលរដ្ឋ",
    "sec_profile": "ព័ត៌មានទូទៅ",
    "age_band": "តើលោក/លោកស្រីមានអាយុប៉ុន្មាន?",
    "18_29": "ពី ១៨ ដល់ ២៩ ឆ្នាំ",
}


def _walk(questions):
    for question in questions:
        yield question
        yield from _walk(question.get("questions", []))


def with_khmer_and_one_per_screen(definition: dict) -> dict:
    """The default form as a province with Khmer-speaking residents might publish it,
    with the "5 biết" block one question per screen."""
    definition["languages"] = ["vi", "en", "km"]
    definition["title"]["km"] = KHMER["title"]
    for question in _walk(definition["questions"]):
        if question["name"] in KHMER:
            question["label"]["km"] = KHMER[question["name"]]
        if question["name"] == "sec_five_knows":
            question["appearance"] = "one-per-screen"
    for choice in definition["choice_lists"]["age_bands"]:
        if choice["value"] in KHMER:
            choice["label"]["km"] = KHMER[choice["value"]]
    return definition


@pytest.fixture
def phone(fresh_site, playwright_driver, browser_executable, tmp_path):
    """A phone whose server publishes the default form with Khmer texts (the definition is
    changed on its way: no service worker, so every request passes the route)."""
    context = playwright_driver.chromium.launch_persistent_context(
        str(tmp_path / "profile"), executable_path=browser_executable, headless=True,
        args=CHROMIUM_ARGS, viewport=PHONE, locale="vi-VN", service_workers="block")
    context.set_default_timeout(15_000)

    def rewrite(route):
        response = route.fetch()
        body = response.json()
        if isinstance(body.get("definition"), dict):
            body["definition"] = with_khmer_and_one_per_screen(body["definition"])
        else:
            body = with_khmer_and_one_per_screen(body)
        route.fulfill(response=response, json=body)

    context.route("**/api/v1/form-versions/*", rewrite)
    page = context.pages[0] if context.pages else context.new_page()
    driver.log_in(page, fresh_site)
    yield page
    context.close()


def test_the_form_in_khmer_for_one_interview_while_the_app_stays_vietnamese(phone):
    page = phone
    start_response(page)
    page.select_option(".form-lang", "km")
    page.wait_for_selector(".form-page[lang=km] .q[data-name=age_band]")
    shoot(page, "km-form-01")
    label = page.locator(".q[data-name=age_band] .q-label")
    assert KHMER["age_band"] in label.inner_text()
    assert KHMER["18_29"] in page.locator(".q[data-name=age_band] .options").inner_text()
    font = label.evaluate("(el) => getComputedStyle(el).fontFamily")
    assert '"Noto Sans Khmer", "Khmer OS", "Khmer UI"' in font, font
    # Texts without Khmer stay in the app's language; the app itself stays Vietnamese.
    assert "Giới tính" in page.locator(".q[data-name=sex] .q-label").inner_text()
    assert page.locator("#form-next").inner_text() == "Tiếp"
    assert page.evaluate("document.documentElement.lang") == "vi"
    assert [r.get("form_language") for r in driver.responses(page)] == ["km"]

    # The next interview starts in the app's language again.
    page.click(".save-exit")
    page.wait_for_selector(".new-response")
    start_response(page)
    assert page.locator(".form-page").get_attribute("lang") == "vi"
    assert page.locator(".form-lang").input_value() == "vi"


def test_auto_advance_on_a_likert_screen_and_the_setting_that_stops_it(phone):
    page = phone
    start_response(page)
    uuid = page.url.split("/form/")[1]
    answer_screen(page, {"dealt_with_commune": "no"})
    page.goto(page.url.split("#")[0] + f"#/form/{uuid}?q=know_listen")
    page.wait_for_selector(".form-page .q[data-name=know_listen]")
    assert page.locator(".form-page .q-likert").count() == 1, "one question per screen here"
    page.check(".q[data-name=know_listen] input[value='4']")
    page.wait_for_selector(".form-page .q[data-name=know_explain]")
    assert driver.responses(page)[0]["answers"]["know_listen"] == "4"

    page.click(".save-exit")
    page.wait_for_selector(".new-response")
    page.goto(page.url.split("#")[0] + "#/settings")
    box = page.locator("#auto-advance")
    assert box.is_checked(), "on by default"
    box.uncheck()
    page.wait_for_timeout(200)
    page.goto(page.url.split("#")[0] + f"#/form/{uuid}?q=know_trust")
    page.wait_for_selector(".form-page .q[data-name=know_trust]")
    page.check(".q[data-name=know_trust] input[value='5']")
    page.wait_for_timeout(1000)
    assert page.locator(".form-page .q[data-name=know_trust]").count() == 1, "stays when turned off"


def test_a_draft_is_labelled_and_can_be_resumed_or_discarded(phone):
    page = phone
    start_response(page)
    answer_screen(page, {"age_band": "30_44", "sex": "female", "dealt_with_commune": "yes"})
    page.click(".save-exit")
    page.wait_for_selector(".new-response")
    page.goto(page.url.split("#")[0] + "#/drafts")
    record = page.locator(".record")
    record.wait_for()
    shoot(page, "vi-drafts")
    assert "Tổ dân phố 1" in record.locator(".record-title").inner_text()
    assert record.locator(".draft-answers").inner_text() == "Từ 30 đến 44 tuổi · Nữ · Có"
    assert "3 câu đã trả lời" in record.locator(".meta").inner_text()
    record.get_by_role("link", name="Tiếp tục").click()
    page.wait_for_selector("body[data-route=form] .form-page .q[data-name=age_band]")
    assert page.locator(".q[data-name=sex] input[value=female]").is_checked()
    page.click(".save-exit")
    page.wait_for_selector(".new-response")
    page.goto(page.url.split("#")[0] + "#/drafts")
    page.locator(".record .button.danger").click()
    page.locator("dialog .button.danger").click()
    page.wait_for_selector(".record", state="detached")
    assert driver.responses(page) == []
