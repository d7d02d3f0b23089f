"""The Forms pages (/admin/forms), walked as an admin does: the list with versions and rounds,
a new form, an XLSForm upload (and its row-numbered errors), the designer's shell and its
no-JS fallback, publishing with its changes and warnings, retiring, duplicating, discarding,
downloading an XLSForm."""

import copy
import html
import io
import json
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from server.audit.models import AuditEntry
from server.forms import drafts
from server.forms.models import Form, FormVersion
from server.forms.xlsform import import_xlsform
from tests.admin.conftest import csrf_token
from tests.conftest import DEFAULT_FORM

DEFAULT = json.loads(DEFAULT_FORM.read_text(encoding="utf-8"))
WORKBOOKS = Path(__file__).resolve().parents[1] / "forms" / "xlsforms"


@pytest.fixture
def admin(factory):
    return factory.user("admin", "admin", display_name="Quản trị Lan")


@pytest.fixture
def browser(client, admin, web_login):
    return web_login(admin)


def _post(browser, path, **fields):
    return browser.post(path, data={"csrf_token": csrf_token(browser), **fields})


def _text(response) -> str:
    return response.get_data(as_text=True)


def _actions(db) -> list[str]:
    return db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()


def test_the_list_shows_families_versions_drafts_and_the_rounds_using_them(browser, factory,
                                                                            admin, db):
    v1 = factory.form_version()
    group = factory.unit("Tổ dân phố 1", "residential_group")
    factory.round(v1, [group], title="Khảo sát đợt 1 năm 2026")
    draft = drafts.start_draft(v1.id, admin.id)
    page = _text(browser.get("/admin/forms/"))
    assert "resident_survey" in page and "v1" in page
    assert "Khảo sát đợt 1 năm 2026" in page
    assert f"/admin/forms/drafts/{draft.id}" in page and "Quản trị Lan" in page
    assert f"/admin/forms/versions/{v1.id}/xlsform" in page
    assert f"/admin/forms/versions/{v1.id}/draft" in page
    assert f"/admin/forms/versions/{v1.id}/retire" in page
    assert f"/admin/forms/{v1.form_id}/duplicate" in page
    assert "/admin/forms/new" in page and "/admin/forms/upload" in page
    english = _text(browser.get("/admin/forms/?lang=en"))
    assert "New form" in english and "Upload XLSForm" in english and "Rounds using it" in english


def test_new_form_opens_the_designer_on_its_draft(browser, db):
    answer = _post(browser, "/admin/forms/new", name="hop_thu_gop_y", title_vi="Hộp thư góp ý",
                   title_en="Suggestion box")
    assert answer.status_code == 302
    draft = db.session.scalar(select(FormVersion).where(FormVersion.status == "draft"))
    assert answer.headers["Location"].endswith(f"/admin/forms/drafts/{draft.id}")
    assert draft.form.title == {"vi": "Hộp thư góp ý", "en": "Suggestion box"}


def test_new_form_with_a_bad_name_shows_the_page_again(browser, db):
    answer = _post(browser, "/admin/forms/new", name="Hộp thư", title_vi="Hộp thư góp ý")
    assert answer.status_code == 400
    page = _text(answer)
    assert "Tên phiếu chỉ gồm" in page and 'value="Hộp thư góp ý"' in page
    assert db.session.scalar(select(Form)) is None


def test_the_editor_page_is_the_designer_shell_with_a_fallback(browser, factory, admin):
    draft = drafts.start_draft(factory.form_version().id, admin.id)
    answer = browser.get(f"/admin/forms/drafts/{draft.id}")
    assert answer.status_code == 200
    page = _text(answer)
    token = re.search(r'<meta name="csrf-token" content="([^"]+)">', page).group(1)
    assert token == csrf_token(browser)
    mount = re.search(r'<div id="designer"[^>]*>', page).group(0)
    assert f'data-draft-id="{draft.id}"' in mount
    assert f'data-api="/api/v1/form-drafts/{draft.id}"' in mount
    assert 'data-languages="vi,en,km"' in mount
    assert re.search(r'<script type="module" src="/static/admin/designer/main\.js\?v=[0-9a-f]{12}">'
                     r'</script>', page)
    assert 'name="definition"' in page and 'name="revision" value="1"' in page
    fallback = re.search(r'<textarea id="definition-text"[^>]*>(.*?)</textarea>', page, re.S)
    assert json.loads(html.unescape(fallback.group(1))) == DEFAULT
    assert "style=" not in page and "onclick" not in page


def test_the_fallback_saves_json_and_keeps_the_text_on_a_conflict(browser, factory, admin, db):
    draft = drafts.start_draft(factory.form_version().id, admin.id)
    changed = copy.deepcopy(DEFAULT)
    changed["title"]["vi"] = "Phiếu sửa không cần JavaScript"
    text = json.dumps(changed, ensure_ascii=False)
    saved = _post(browser, f"/admin/forms/drafts/{draft.id}", revision="1", definition=text)
    assert saved.status_code == 302
    db.session.refresh(draft)
    assert draft.revision == 2 and draft.definition == changed
    mine = text.replace("không cần JavaScript", "lần hai")
    conflict = _post(browser, f"/admin/forms/drafts/{draft.id}", revision="1", definition=mine)
    assert conflict.status_code == 409
    page = _text(conflict)
    assert "lần hai" in page and "Quản trị Lan" in page
    assert 'name="revision" value="2"' in page  # saving again is a choice made knowingly
    db.session.refresh(draft)
    assert draft.definition == changed


@pytest.mark.parametrize("text, status, message", [
    ("{not json", 400, "Không phải JSON hợp lệ (dòng 1, cột 2)"),
    ("[1, 2]", 400, "Định nghĩa phải là một đối tượng JSON"),
    ("[" * 40 + "]" * 40, 400, "quá sâu"),
    ('{"a": "\\u0000"}', 400, "không lưu được"),
])
def test_the_fallback_refuses_what_it_cannot_store(browser, factory, admin, text, status,
                                                   message):
    draft = drafts.start_draft(factory.form_version().id, admin.id)
    answer = _post(browser, f"/admin/forms/drafts/{draft.id}", revision="1", definition=text)
    assert answer.status_code == status
    assert message in _text(answer)


def test_the_publish_page_shows_problems_and_offers_no_button(browser, factory, admin):
    draft = drafts.start_draft(factory.form_version().id, admin.id)
    broken = copy.deepcopy(DEFAULT)
    broken["questions"][0]["questions"][1]["choices"] = "gone"
    drafts.save_draft(draft.id, 1, broken, admin.id)
    page = _text(browser.get(f"/admin/forms/drafts/{draft.id}/publish"))
    assert "questions[0].questions[1]" in page and "age_band" in page
    assert "không có danh sách lựa chọn" in page
    assert "Xuất bản phiên bản mới" not in page
    refused = _post(browser, f"/admin/forms/drafts/{draft.id}/publish", revision="2")
    assert refused.status_code == 400


def test_publishing_with_warnings_needs_the_acknowledgement(browser, factory, admin, db):
    v1 = factory.form_version()
    draft = drafts.start_draft(v1.id, admin.id)
    changed = copy.deepcopy(DEFAULT)
    changed["questions"][2]["questions"][1]["label"]["vi"] = "Cán bộ có lắng nghe ông/bà không?"
    drafts.save_draft(draft.id, 1, changed, admin.id)
    page = _text(browser.get(f"/admin/forms/drafts/{draft.id}/publish"))
    assert "know_listen" in page and "label" in page
    assert "Nội dung câu hỏi đánh giá &#39;know_listen&#39; đã đổi" in page
    assert 'name="acknowledge"' in page and "v1" in page
    unticked = _post(browser, f"/admin/forms/drafts/{draft.id}/publish", revision="2")
    assert unticked.status_code == 400 and "đánh dấu ô xác nhận" in _text(unticked)
    published = _post(browser, f"/admin/forms/drafts/{draft.id}/publish", revision="2",
                      acknowledge="yes")
    assert published.status_code == 302
    version = db.session.scalar(select(FormVersion).where(FormVersion.version == 2))
    assert version.status == "published" and version.definition == changed
    assert "form_draft.publish" in _actions(db)
    listed = _text(browser.get("/admin/forms/"))
    assert "Đã xuất bản resident_survey phiên bản 2." in listed


def test_publishing_a_stale_page_is_a_conflict(browser, factory, admin):
    draft = drafts.start_draft(factory.form_version().id, admin.id)
    drafts.save_draft(draft.id, 1, _title(DEFAULT, "Đã sửa"), admin.id)
    stale = _post(browser, f"/admin/forms/drafts/{draft.id}/publish", revision="1",
                  acknowledge="yes")
    assert stale.status_code == 409 and "Bản nháp đã được" in _text(stale)


def _title(definition, title):
    changed = copy.deepcopy(definition)
    changed["title"]["vi"] = title
    return changed


def test_start_a_draft_from_a_version_and_discard_it(browser, factory, db):
    v1 = factory.form_version()
    started = _post(browser, f"/admin/forms/versions/{v1.id}/draft")
    assert started.status_code == 302
    draft = db.session.scalar(select(FormVersion).where(FormVersion.status == "draft"))
    assert draft.based_on_version_id == v1.id
    confirm = browser.get(f"/admin/forms/drafts/{draft.id}/delete")
    assert confirm.status_code == 200 and "Bỏ bản nháp" in _text(confirm)
    assert _post(browser, f"/admin/forms/drafts/{draft.id}/delete").status_code == 302
    assert db.session.get(FormVersion, draft.id) is None
    assert browser.get(f"/admin/forms/drafts/{draft.id}").status_code == 404


def test_retire_asks_first_and_lists_the_rounds_that_go_on(browser, factory, db):
    v1 = factory.form_version()
    group = factory.unit("Tổ dân phố 1", "residential_group")
    factory.round(v1, [group], title="Đợt đang chạy")
    confirm = browser.get(f"/admin/forms/versions/{v1.id}/retire")
    assert confirm.status_code == 200 and "Đợt đang chạy" in _text(confirm)
    assert v1.status == "published"
    assert _post(browser, f"/admin/forms/versions/{v1.id}/retire").status_code == 302
    db.session.refresh(v1)
    assert v1.status == "archived"
    again = _post(browser, f"/admin/forms/versions/{v1.id}/retire")
    assert again.status_code == 400 and "đã ngừng dùng" in _text(again)
    assert "Ngừng dùng" in _text(browser.get("/admin/forms/"))


def test_duplicate_makes_a_new_family_from_the_newest_version(browser, factory, db):
    v1 = factory.form_version()
    page = browser.get(f"/admin/forms/{v1.form_id}/duplicate")
    assert page.status_code == 200 and 'value="resident_survey_copy"' in _text(page)
    made = _post(browser, f"/admin/forms/{v1.form_id}/duplicate", name="phieu_2026",
                 title_vi="Phiếu năm 2026", title_en="")
    assert made.status_code == 302
    form = db.session.scalar(select(Form).where(Form.name == "phieu_2026"))
    assert form.versions[0].status == "draft"
    taken = _post(browser, f"/admin/forms/{v1.form_id}/duplicate", name="phieu_2026",
                  title_vi="Lại")
    assert taken.status_code == 400 and "Đã có mẫu phiếu tên" in _text(taken)


def test_upload_makes_a_draft_from_a_workbook(browser, db):
    data = (WORKBOOKS / "odk_clinic_feedback.xlsx").read_bytes()
    answer = browser.post("/admin/forms/upload", data={
        "csrf_token": csrf_token(browser), "file": (io.BytesIO(data), "odk_clinic_feedback.xlsx")},
        content_type="multipart/form-data")
    assert answer.status_code == 302, _text(answer)[:500]
    draft = db.session.scalar(select(FormVersion).where(FormVersion.status == "draft"))
    assert draft.form.name == "clinic_feedback"
    assert answer.headers["Location"].endswith(f"/admin/forms/drafts/{draft.id}")
    assert "form_draft.import" in _actions(db)


def test_upload_shows_the_importers_row_numbered_errors(browser, db):
    data = (WORKBOOKS / "broken.xlsx").read_bytes()
    answer = browser.post("/admin/forms/upload", data={
        "csrf_token": csrf_token(browser), "file": (io.BytesIO(data), "broken.xlsx")},
        content_type="multipart/form-data")
    assert answer.status_code == 400
    page = _text(answer)
    assert "survey dòng 5 [type]" in page
    english = browser.post("/admin/forms/upload?lang=en", data={
        "csrf_token": csrf_token(browser), "file": (io.BytesIO(data), "broken.xlsx")},
        content_type="multipart/form-data")
    assert "Question type &#39;geopoint&#39; is not supported" in _text(english)
    assert db.session.scalar(select(FormVersion)) is None


@pytest.mark.parametrize("payload", [b"", b"not a workbook", b"PK\x03\x04broken zip"])
def test_upload_of_something_else_is_a_message_not_an_error(browser, payload):
    answer = browser.post("/admin/forms/upload", data={
        "csrf_token": csrf_token(browser), "file": (io.BytesIO(payload), "x.xlsx")},
        content_type="multipart/form-data")
    assert answer.status_code == 400


def test_download_gives_a_workbook_that_imports_back_to_the_version(browser, factory, admin):
    v1 = factory.form_version()
    answer = browser.get(f"/admin/forms/versions/{v1.id}/xlsform")
    assert answer.status_code == 200
    assert answer.headers["Content-Disposition"] == 'attachment; filename="resident_survey-v1.xlsx"'
    definition, _ = import_xlsform(io.BytesIO(answer.data))
    assert definition == DEFAULT
    draft = drafts.start_draft(v1.id, admin.id)
    of_draft = browser.get(f"/admin/forms/versions/{draft.id}/xlsform")
    assert of_draft.status_code == 200
    assert f"resident_survey-draft{draft.id}.xlsx" in of_draft.headers["Content-Disposition"]
    drafts.save_draft(draft.id, 1, {"half": "done"}, admin.id)
    invalid = browser.get(f"/admin/forms/versions/{draft.id}/xlsform")
    assert invalid.status_code == 302 and invalid.headers["Location"].endswith("/publish")
