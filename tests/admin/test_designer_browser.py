"""The form designer in headless Chromium, used the way a new admin would: log in, make a new
form, build the default resident survey's first two groups from nothing (a `relevant` made
with the condition builder), preview them on the phone, publish, start a draft from the
published version, change one item, see the comparability warning, publish again. And what
must never happen: a hand-typed expression rewritten on save and reopen, a colleague's save
silently overwritten, unsaved edits lost with the tab."""

import json
import re
from pathlib import Path

import pytest
from designer_support import (
    CHROMIUM_ARGS,
    DEFAULT_FORM,
    DESKTOP,
    DesignerSite,
    log_in,
    open_designer,
    wait_saved,
)

pytestmark = pytest.mark.browser

REFERENCE = json.loads(DEFAULT_FORM.read_text("utf-8"))
PROFILE, SERVICES = REFERENCE["questions"][:2]
LISTS = REFERENCE["choice_lists"]


@pytest.fixture(scope="module")
def browser(playwright_driver, browser_executable):
    chromium = playwright_driver.chromium.launch(executable_path=browser_executable,
                                                 headless=True, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory, browser_executable):
    live = DesignerSite(tmp_path_factory.mktemp("designer-site"))
    yield live
    live.stop()


@pytest.fixture
def page(browser, site):
    context = browser.new_context(viewport=DESKTOP, locale="vi-VN", accept_downloads=True)
    context.set_default_timeout(15_000)
    opened = context.new_page()
    errors = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    # No inline script or style anywhere: the page's Content-Security-Policy would refuse it.
    opened.on("console", lambda message: errors.append(message.text)
              if "Content Security Policy" in message.text else None)
    log_in(opened, site)
    yield opened
    context.close()
    assert not errors, errors


# --- what an admin does, as small steps ---------------------------------------------------

def pick(page, name):
    """Find a question with the list's search box (the list draws only the rows in view)."""
    page.fill("#designer-find", name)
    page.press("#designer-find", "Enter")
    page.wait_for_selector(f".qrow.selected[data-name='{name}']")


def add(page, kind, where="after"):
    page.select_option("#designer-add-type", kind)
    page.click("button.add-inside" if where == "inside" else "button.add-question")
    page.wait_for_selector(".question-editor .question-type")


def name_and_label(page, question):
    name = page.locator(".question-editor .question-name")
    name.fill(question["name"])
    name.press("Enter")  # a name is taken when the field is left or Enter is pressed
    page.wait_for_selector(f".question-editor[data-name='{question['name']}']")
    for language in ("vi", "en"):
        page.fill(f".question-editor [data-key='label:{language}']", question["label"][language])


def tick(page, key, on=True):
    box = page.locator(f".question-editor input[data-key='{key}']")
    if box.is_checked() != on:
        box.click()


def fill_list(page, list_name, choices):
    """The inline editor of the question's new (one-choice) list: its choices, then its name."""
    editor = page.locator(".question-editor .choice-list-editor")
    current = editor.get_attribute("data-list")
    for index, choice in enumerate(choices):
        if index:
            editor.locator("button.add-choice").click()
        page.fill(f".question-editor [data-key='list:{current}:{index}:value']", choice["value"])
        for language in ("vi", "en"):
            page.fill(f".question-editor [data-key='list:{current}:{index}:{language}']",
                      choice["label"][language])
    name = editor.locator(".list-name-input")
    name.fill(list_name)
    name.press("Enter")
    page.wait_for_selector(f".question-editor .choice-list-editor[data-list='{list_name}']")


def choose_list(page, list_name):
    page.select_option(".question-editor select.choice-list-select", list_name)
    # A list shared by several questions is there, folded away.
    page.wait_for_selector(f".question-editor details.inline-list:has(code:text-is('{list_name}'))")


def build_select(page, question, first_in_group=False):
    add(page, "select_one", "inside" if first_in_group else "after")
    name_and_label(page, question)
    tick(page, "required")
    if question["choices"] == "yes_no":
        page.click(".question-editor button[data-preset='yes_no']")
        page.wait_for_selector(".question-editor .choice-list-editor[data-list='yes_no']")
    else:
        page.click(".question-editor button.new-list")
        page.wait_for_selector(".question-editor .choice-list-editor")
        fill_list(page, question["choices"], LISTS[question["choices"]])


def build_group_of_likerts(page, group, report_key, first):
    """A sub-group of sec_services with its likert items, each in its SIPAS report group."""
    add(page, "group", "after")
    name_and_label(page, group)
    for index, item in enumerate(group["questions"]):
        add(page, "likert", "inside" if index == 0 else "after")
        name_and_label(page, item)
        tick(page, "required")
        tick(page, "allow_na")
        if first and index == 0:
            page.click(".question-editor button[data-preset='satisfaction']")
            page.wait_for_selector(".question-editor .choice-list-editor[data-list='satisfaction']")
        else:
            choose_list(page, "satisfaction")
        page.select_option(".question-editor select.report-group", report_key)
    pick(page, group["name"])  # the next sub-group goes after this one


def add_report_groups(page, groups):
    page.click("#designer-tab-form")
    for index, group in enumerate(groups):
        page.click("button.add-report-group")
        page.fill(f"[data-key='report:group:{index}:key']", group["key"])
        for language in ("vi", "en"):
            page.fill(f"[data-key='report:group:{index}:{language}']", group["label"][language])
    page.click("#designer-tab-question")


def relevant_with_builder(page, question, operator, value):
    condition = page.locator(".question-editor fieldset.condition-relevant")
    condition.locator("button.cond-add").click()
    condition.locator("select.cond-question").select_option(question)
    condition.locator("select.cond-operator").select_option(operator)
    condition.locator("select.cond-value").select_option(value)


def phone(page):
    return page.locator(".designer-preview-pane .phone-screen")


def publish_from_designer(page, acknowledge=False):
    page.click("a.button.primary:has-text('Kiểm tra và xuất bản')")
    page.wait_for_url(re.compile(r"/publish$"))
    if acknowledge:
        page.check("input[name=acknowledge]")
    page.click("form button.primary[type=submit]")
    page.wait_for_url(re.compile(r"/admin/forms/?(#.*)?$"))


def without_report(definition):
    return {k: v for k, v in definition.items() if k != "report"}


# --- the tests ------------------------------------------------------------------------------

def test_a_new_admin_builds_previews_publishes_and_revises_a_form(page, site):
    # New form, from the forms list.
    page.goto(site.url + "/admin/forms")
    page.click("a:has-text('Tạo mẫu phiếu mới')")
    page.fill("input[name=name]", "resident_survey")
    page.fill("input[name=title_vi]", REFERENCE["title"]["vi"])
    page.fill("input[name=title_en]", REFERENCE["title"]["en"])
    page.click("form button.primary[type=submit]")
    page.wait_for_selector("#designer.designer-ready")
    draft_id = int(page.locator("#designer").get_attribute("data-draft-id"))

    # Group 1: who the resident is. Its English label is missing until typed: flagged.
    add(page, "group")
    assert "en" in page.locator(".qrow.selected .flag-missing").text_content()
    assert "missing" in page.locator(".question-editor [data-key='label:en']").get_attribute("class")
    name_and_label(page, PROFILE)
    assert page.locator(".qrow.selected .flag-missing").count() == 0
    add(page, "note", "inside")
    name_and_label(page, PROFILE["questions"][0])
    for question in PROFILE["questions"][1:]:
        build_select(page, question)

    # Group 2: satisfaction, shown only to who dealt with the commune (made with the builder).
    pick(page, "sec_profile")
    add(page, "group", "after")
    name_and_label(page, SERVICES)
    relevant_with_builder(page, "dealt_with_commune", "=", "yes")
    assert page.locator(".question-editor fieldset.condition-relevant textarea.expr-text").input_value() \
        == SERVICES["relevant"]
    add(page, "note", "inside")
    name_and_label(page, SERVICES["questions"][0])
    report_groups = REFERENCE["report"]["groups"]
    add_report_groups(page, report_groups)
    pick(page, "services_intro")
    for index, group in enumerate(SERVICES["questions"][1:]):
        build_group_of_likerts(page, group, report_groups[index]["key"], first=index == 0)
    wait_saved(page)

    # What was built is the reference survey's first two groups, exactly.
    built = site.stored_draft(draft_id)["definition"]
    assert built["questions"] == [PROFILE, SERVICES]
    for name in ("age_bands", "sex", "yes_no", "satisfaction"):
        assert built["choice_lists"][name] == LISTS[name], name
    assert built["report"]["groups"] == report_groups
    assert built["report"]["satisfied_values"] == REFERENCE["report"]["satisfied_values"]
    assert built["languages"] == ["vi", "en"]

    # The phone preview runs the volunteer app's renderer and logic.
    pick(page, "access_location")
    assert phone(page).locator(".phone-body").get_attribute("lang") == "vi"
    page.wait_for_selector(".preview-status:has-text('access_location')")  # hidden: not dealt with
    pick(page, "dealt_with_commune")
    phone(page).locator("label.choice:has-text('Có')").click()
    pick(page, "access_location")
    phone(page).locator("text=" + SERVICES["questions"][1]["questions"][0]["label"]["vi"]).wait_for()
    # "Không áp dụng" is offered (the whole small group shows on one screen, as a field-list)
    assert phone(page).locator(".q[data-name=access_location] .choice-na").count() == 1
    box = phone(page).bounding_box()
    assert round(box["width"]) == 360 and round(box["height"]) == 740
    page.click("button.preview-language[data-language=en]")
    assert phone(page).locator(".phone-body").get_attribute("lang") == "en"
    phone(page).locator("text=" + SERVICES["questions"][1]["questions"][0]["label"]["en"]).wait_for()
    page.click("button.fill-answers")
    page.wait_for_selector(".preview-status:has-text('câu trả lời thử')")

    # Publish it: the server checks it with the publishing rules.
    publish_from_designer(page)
    versions = site.versions("resident_survey")
    assert [(v["version"], v["status"]) for v in versions] == [(1, "published")]
    assert without_report(versions[0]["definition"])["questions"] == [PROFILE, SERVICES]

    # Start a draft from it, re-word one satisfaction item: the comparability warning.
    page.click(f"form[action$='/versions/{versions[0]['id']}/draft'] button")
    page.wait_for_selector("#designer.designer-ready")
    pick(page, "access_location")
    page.fill(".question-editor [data-key='label:vi']", "Nơi tiếp nhận hồ sơ dễ tìm")
    page.click("button.check-draft")
    warning = page.locator(".check-panel .comparability-warnings li.warning-item_reworded")
    warning.wait_for()
    assert "access_location" in warning.text_content()
    publish_from_designer(page, acknowledge=True)
    versions = site.versions("resident_survey")
    assert [(v["version"], v["status"]) for v in versions][-1] == (2, "published")
    assert versions[-1]["definition"]["questions"][1]["questions"][1]["questions"][0]["label"]["vi"] \
        == "Nơi tiếp nhận hồ sơ dễ tìm"


HAND_TYPED = {
    # Not something the builder can show: kept as text, never rewritten.
    "relevant": "${age_band}  =  '18_29' or(${sex}='female' and ${age_band} != \"60_plus\")",
    # The builder can show it (one row, `>`), and it still comes back byte for byte.
    "constraint": ". >2",
}


def test_a_hand_typed_expression_survives_save_and_reopen_unchanged(page, site):
    definition = json.loads(json.dumps(REFERENCE))
    draft_id = site.create_draft("hand_typed", definition)
    open_designer(page, site, draft_id)
    pick(page, "harassment_detail")
    for field, text in HAND_TYPED.items():
        if field == "constraint":
            pick(page, "age_band")
        page.fill(f".question-editor fieldset.condition-{field} textarea.expr-text", text)
    wait_saved(page)
    page.reload()
    page.wait_for_selector("#designer.designer-ready")

    stored = site.stored_draft(draft_id)["definition"]
    profile, three_nos = stored["questions"][0], stored["questions"][3]
    assert three_nos["questions"][1]["relevant"] == HAND_TYPED["relevant"]
    assert profile["questions"][1]["constraint"] == HAND_TYPED["constraint"]

    pick(page, "harassment_detail")
    relevant = page.locator(".question-editor fieldset.condition-relevant")
    assert relevant.locator("textarea.expr-text").input_value() == HAND_TYPED["relevant"]
    assert relevant.locator(".cond-text-only").is_visible()
    pick(page, "age_band")
    constraint = page.locator(".question-editor fieldset.condition-constraint")
    assert constraint.locator("textarea.expr-text").input_value() == HAND_TYPED["constraint"]
    assert constraint.locator("select.cond-operator").input_value() == ">"  # never "="
    # Touching nothing else and saving again changes nothing.
    page.fill(".question-editor [data-key='hint:en']", "Pick one")
    wait_saved(page)
    stored = site.stored_draft(draft_id)["definition"]
    assert stored["questions"][3]["questions"][1]["relevant"] == HAND_TYPED["relevant"]
    assert stored["questions"][0]["questions"][1]["constraint"] == HAND_TYPED["constraint"]


def test_a_colleagues_save_is_never_overwritten_silently(page, site):
    draft_id = site.create_draft("two_admins", json.loads(json.dumps(REFERENCE)))
    open_designer(page, site, draft_id)
    site.save_as_someone_else(draft_id, lambda d: {**d, "title": {**d["title"], "vi": "Tên của người kia"}})
    pick(page, "sex")
    page.fill(".question-editor [data-key='label:en']", "Mine")
    banner = page.locator(".designer-notices .conflict")
    banner.wait_for()
    assert "Trần Văn Hai" in banner.text_content()
    assert site.stored_draft(draft_id)["definition"]["title"]["vi"] == "Tên của người kia"

    with page.expect_download() as download:
        banner.locator("button.keep-mine").click()
    mine = json.loads(Path(download.value.path()).read_text("utf-8"))
    assert mine["questions"][0]["questions"][2]["label"]["en"] == "Mine"
    page.wait_for_selector(".designer-notices .kept-copy")
    assert page.locator(".save-status").get_attribute("data-state") == "saved"
    stored = site.stored_draft(draft_id)["definition"]
    assert stored["title"]["vi"] == "Tên của người kia"
    assert stored["questions"][0]["questions"][2]["label"]["en"] == "Your sex"


def test_unsaved_edits_survive_a_closed_tab_and_are_offered_back(page, site):
    draft_id = site.create_draft("lost_connection", json.loads(json.dumps(REFERENCE)))
    open_designer(page, site, draft_id)
    page.route("**/api/v1/form-drafts/*", lambda route: route.abort()
               if route.request.method == "PUT" else route.continue_())
    pick(page, "sex")
    page.fill(".question-editor [data-key='label:en']", "Typed with no connection")
    page.wait_for_selector(".save-status[data-state=retrying]")
    page.unroute("**/api/v1/form-drafts/*")
    page.on("dialog", lambda dialog: dialog.accept())
    page.close(run_before_unload=True)

    reopened = page.context.new_page()
    open_designer(reopened, site, draft_id)
    assert site.stored_draft(draft_id)["definition"]["questions"][0]["questions"][2]["label"]["en"] == "Your sex"
    reopened.click(".designer-notices .restore button.restore-backup")
    wait_saved(reopened)
    assert site.stored_draft(draft_id)["definition"]["questions"][0]["questions"][2]["label"]["en"] \
        == "Typed with no connection"


def test_questions_move_by_keyboard_and_by_drag_and_copies_keep_their_logic(page, site):
    draft_id = site.create_draft("moving", json.loads(json.dumps(REFERENCE)))
    open_designer(page, site, draft_id)

    def profile_names():
        wait_saved(page)
        return [q["name"] for q in site.stored_draft(draft_id)["definition"]["questions"][0]["questions"]]

    # Keyboard: Alt+ArrowUp on the focused list moves the selected question, and says where.
    pick(page, "sex")
    page.focus("#designer-question-list")
    page.keyboard.press("Alt+ArrowUp")
    page.wait_for_function("() => document.querySelector('#designer-live').textContent.includes('sex')")
    assert "2" in page.locator("#designer-live").text_content()
    assert "sec_profile" in page.locator("#designer-live").text_content()
    assert profile_names() == ["intro", "sex", "age_band", "dealt_with_commune"]
    page.keyboard.press("Control+z")
    assert profile_names() == ["intro", "age_band", "sex", "dealt_with_commune"]

    # Drag: intro dropped on the lower half of dealt_with_commune goes after it.
    source = page.locator(".qrow[data-name='intro']")
    target = page.locator(".qrow[data-name='dealt_with_commune']")
    box = target.bounding_box()
    source.drag_to(target, target_position={"x": box["width"] / 2, "y": box["height"] * 0.8})
    assert profile_names() == ["age_band", "sex", "dealt_with_commune", "intro"]

    # A copy gets a fresh name; its condition is the same text and still shows in the builder.
    pick(page, "harassment_detail")
    page.click(".question-editor button.duplicate-question")
    page.wait_for_selector(".question-editor[data-name='harassment_detail_copy']")
    condition = page.locator(".question-editor fieldset.condition-relevant")
    assert condition.locator("textarea.expr-text").input_value() == "${harassment} = 'yes'"
    assert condition.locator("select.cond-question").input_value() == "harassment"
    assert condition.locator("select.cond-operator").input_value() == "="
    wait_saved(page)
    three_nos = site.stored_draft(draft_id)["definition"]["questions"][3]["questions"]
    assert [q["name"] for q in three_nos][:3] == ["harassment", "harassment_detail", "harassment_detail_copy"]
    assert three_nos[2]["relevant"] == three_nos[1]["relevant"]


def test_khmer_beside_vietnamese_and_english_with_missing_translations_flagged(page, site):
    draft_id = site.create_draft("khmer", json.loads(json.dumps(REFERENCE)))
    open_designer(page, site, draft_id)
    pick(page, "sex")
    khmer = page.locator(".question-editor [data-key='label:km']")
    assert khmer.get_attribute("lang") == "km"
    assert page.locator(".qrow.selected .flag-missing").count() == 0  # km is not a form language yet
    # The first Khmer letter makes Khmer one of the form's languages; typing goes on after it.
    khmer.click()
    page.keyboard.type("ភេទ")
    page.keyboard.type(" របស់អ្នក")
    wait_saved(page)
    stored = site.stored_draft(draft_id)["definition"]
    assert stored["languages"] == ["vi", "en", "km"]
    assert stored["questions"][0]["questions"][2]["label"]["km"] == "ភេទ របស់អ្នក"
    # Now every other question lacks its Khmer text, and says so.
    pick(page, "age_band")
    assert "km" in page.locator(".qrow.selected .flag-missing").text_content()
    assert "missing" in page.locator(".question-editor [data-key='label:km']").get_attribute("class")
    # The phone shows it in Khmer.
    pick(page, "sex")
    page.click("button.preview-language[data-language=km]")
    phone(page).locator("text=ភេទ របស់អ្នក").wait_for()
    assert phone(page).locator(".phone-body").get_attribute("lang") == "km"
