"""The draft services (server/forms/drafts.py): creating, numbering, saving, publishing,
retiring and discarding, each audited."""

import copy
import json

import pytest
from sqlalchemy import func, select

from server.audit.models import AuditEntry
from server.forms import drafts
from server.forms.models import Form, FormVersion
from server.forms.services import publish_definition
from tests.conftest import DEFAULT_FORM

DEFAULT = json.loads(DEFAULT_FORM.read_text(encoding="utf-8"))


@pytest.fixture
def admin(factory):
    return factory.user("admin", "admin", display_name="Quản trị Lan")


def _audits(db, action: str) -> list[AuditEntry]:
    return db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)
                              .order_by(AuditEntry.id)).all()


def _with_question(definition: dict) -> dict:
    definition = copy.deepcopy(definition)
    definition["questions"] = [{"type": "text", "name": "y_kien",
                                "label": {"vi": "Ý kiến của ông/bà"}}]
    return definition


def test_a_new_form_starts_as_a_minimal_draft(db, admin):
    draft = drafts.create_form("khao_sat_mot_cua", "Khảo sát một cửa", admin.id, "One-stop desk")
    assert draft.status == "draft" and draft.version == -1 and draft.revision == 1
    assert draft.definition == {
        "schema_version": 1, "name": "khao_sat_mot_cua",
        "title": {"vi": "Khảo sát một cửa", "en": "One-stop desk"}, "languages": ["vi", "en"],
        "default_language": "vi", "choice_lists": {}, "questions": []}
    assert draft.updated_by_id == admin.id and draft.based_on_version_id is None
    assert [e.action for e in db.session.scalars(select(AuditEntry))] == \
        ["form.create", "form_draft.create"]
    problems = drafts.draft_problems(draft)
    assert [p["path"] for p in problems] == ["questions"]  # no questions yet: not publishable


@pytest.mark.parametrize("name, title, code", [
    ("Khảo sát", "Tên", "bad_name"), ("1abc", "Tên", "bad_name"), ("a" * 65, "Tên", "bad_name"),
    ("ok_name", "", "bad_title"), ("ok_name", "x" * 201, "bad_title"),
    ("ok_name", "Tên\x00", "unstorable_text"), ("resident_survey", "Tên", "name_taken"),
])
def test_a_new_form_needs_a_free_technical_name_and_a_title(db, factory, admin, name, title, code):
    factory.form_version()
    with pytest.raises(drafts.DraftError) as refused:
        drafts.create_form(name, title, admin.id)
    assert refused.value.code == code and refused.value.message_vi and refused.value.message_en


def test_drafts_are_numbered_below_zero_and_published_numbers_stay_contiguous(db, factory, admin):
    v1 = factory.form_version()
    first = drafts.start_draft(v1.id, admin.id)
    second = drafts.start_draft(v1.id, admin.id)
    assert (first.version, second.version) == (-1, -2)
    assert first.definition == v1.definition and first.based_on_version_id == v1.id
    changed = copy.deepcopy(DEFAULT)
    changed["title"]["vi"] = "Phiếu đợt 2"
    drafts.save_draft(second.id, 1, changed, admin.id)
    version, created = drafts.publish_draft(second.id, 2, admin.id)
    assert created and version.version == 2
    # A JSON publish afterwards takes the next number too, drafts or not.
    third = copy.deepcopy(changed)
    third["title"]["vi"] = "Phiếu đợt 3"
    assert publish_definition(third).version == 3
    assert drafts.start_draft(v1.id, admin.id).version == -2  # -1 is still the first draft


def test_a_new_form_published_from_its_draft_is_version_one(db, admin):
    draft = drafts.create_form("hop_thu_gop_y", "Hộp thư góp ý", admin.id)
    drafts.save_draft(draft.id, 1, _with_question(draft.definition), admin.id)
    version, created = drafts.publish_draft(draft.id, 2, admin.id)
    assert created and version.version == 1 and version.status == "published"
    assert version.form.name == "hop_thu_gop_y" and version.based_on_version_id is None
    assert db.session.get(FormVersion, draft.id) is None


def test_save_checks_the_revision_and_records_who_saved(db, factory, admin):
    other = factory.user("minh", "admin", display_name="Quản trị Minh")
    draft = drafts.start_draft(factory.form_version().id, admin.id)
    drafts.save_draft(draft.id, 1, {"anything": ["goes", 1]}, other.id)
    assert draft.revision == 2 and draft.updated_by_id == other.id
    with pytest.raises(drafts.DraftChanged) as conflict:
        drafts.save_draft(draft.id, 1, DEFAULT, admin.id)
    assert conflict.value.details["current_revision"] == 2
    assert conflict.value.details["updated_by"] == "Quản trị Minh"
    assert "Quản trị Minh" in conflict.value.message_vi
    saves = _audits(db, "form_draft.save")
    assert len(saves) == 1 and saves[0].actor_id == other.id
    assert saves[0].details["before"]["revision"] == 1
    assert saves[0].details["after"]["revision"] == 2


def test_unstorable_text_is_refused_with_its_path(db, factory, admin):
    draft = drafts.start_draft(factory.form_version().id, admin.id)
    for bad, path in (({"questions": [{"label": {"vi": "a\x00"}}]}, "questions[0].label.vi"),
                      ({"title": {"vi": "\ud800"}}, "title.vi"),
                      ({"choice_lists": {"bad\x00key": []}}, "choice_lists")):
        with pytest.raises(drafts.DraftError) as refused:
            drafts.save_draft(draft.id, 1, bad, admin.id)
        assert refused.value.code == "unstorable_text" and refused.value.details["path"] == path
    assert draft.revision == 1


def test_publish_refuses_an_invalid_draft_and_keeps_it(db, factory, admin):
    draft = drafts.start_draft(factory.form_version().id, admin.id)
    broken = copy.deepcopy(DEFAULT)
    broken["report"]["overall"] = "gone"
    drafts.save_draft(draft.id, 1, broken, admin.id)
    with pytest.raises(drafts.DraftInvalid) as refused:
        drafts.publish_draft(draft.id, 2, admin.id)
    assert refused.value.details["errors"] == [
        {"path": "report.overall", "question": None, "message": "không có câu hỏi 'gone'",
         "message_en": "there is no question 'gone'"}]
    assert db.session.get(FormVersion, draft.id).status == "draft"


def test_publish_is_audited_with_the_draft_and_the_version(db, factory, admin):
    v1 = factory.form_version()
    draft = drafts.start_draft(v1.id, admin.id)
    changed = copy.deepcopy(DEFAULT)
    changed["title"]["vi"] = "Phiếu mới"
    drafts.save_draft(draft.id, 1, changed, admin.id)
    version, _ = drafts.publish_draft(draft.id, 2, admin.id)
    (entry,) = _audits(db, "form_draft.publish")
    assert entry.object_id == str(draft.id) and entry.actor_id == admin.id
    assert entry.details["version_id"] == version.id and entry.details["created"] is True
    (published,) = [e for e in _audits(db, "form.publish") if e.object_id == str(version.id)]
    assert published.actor_id == admin.id


def test_duplicate_copies_the_newest_version_under_a_new_name(db, factory, admin):
    v1 = factory.form_version()
    draft = drafts.duplicate_form(v1.form_id, "resident_survey_2026", "Phiếu 2026", admin.id)
    assert draft.form.name == "resident_survey_2026" and draft.version == -1
    assert draft.definition["name"] == "resident_survey_2026"
    assert draft.definition["title"] == {"vi": "Phiếu 2026"}
    assert draft.definition["questions"] == DEFAULT["questions"]
    assert draft.based_on_version_id == v1.id
    assert drafts.draft_problems(draft) == []
    assert drafts.changes_of(draft)["previous_version_id"] is None  # a new family
    version, created = drafts.publish_draft(draft.id, 1, admin.id)
    assert created and version.version == 1 and version.form_id != v1.form_id
    with pytest.raises(drafts.DraftError):
        drafts.duplicate_form(v1.form_id, "resident_survey_2026", "Lại", admin.id)


def test_retire_archives_a_published_version_once(db, factory, admin):
    v1 = factory.form_version()
    retired = drafts.retire_version(v1.id, admin.id)
    assert retired.status == "archived"
    db.session.flush()
    with pytest.raises(drafts.DraftError) as again:
        drafts.retire_version(v1.id, admin.id)
    assert again.value.code == "not_published"
    (entry,) = _audits(db, "form.retire")
    assert entry.details["before"] == {"status": "published"}
    assert entry.details["after"] == {"status": "archived"}
    # Still the version a new draft follows (nothing newer was published).
    draft = drafts.start_draft(v1.id, admin.id)
    assert drafts.changes_of(draft)["previous_version_id"] == v1.id


def test_discarding_a_draft_keeps_its_content_in_the_audit_log(db, factory, admin):
    v1 = factory.form_version()
    draft = drafts.start_draft(v1.id, admin.id)
    assert drafts.delete_draft(draft.id, admin.id) == v1.form_id
    (entry,) = _audits(db, "form_draft.delete")
    assert entry.details["definition"] == DEFAULT
    new = drafts.create_form("bo_di", "Bỏ đi", admin.id)
    form_id = new.form_id
    assert drafts.delete_draft(new.id, admin.id) is None  # its family had nothing else
    assert db.session.get(Form, form_id) is None
    assert _audits(db, "form.delete")[0].details["name"] == "bo_di"


def test_an_imported_definition_joins_its_family_or_makes_one(db, factory, admin):
    v1 = factory.form_version()
    joined = drafts.import_as_draft(copy.deepcopy(DEFAULT), admin.id)
    assert joined.form_id == v1.form_id and joined.based_on_version_id == v1.id
    other = _with_question(DEFAULT) | {"name": "phieu_moi"}
    del other["report"]
    made = drafts.import_as_draft(other, admin.id)
    assert made.form.name == "phieu_moi" and made.based_on_version_id is None
    assert db.session.scalar(select(func.count(Form.id))) == 2
    assert len(_audits(db, "form_draft.import")) == 2


def test_a_published_version_is_not_a_draft(db, factory, admin):
    v1 = factory.form_version()
    for call in (lambda: drafts.get_draft(v1.id), lambda: drafts.save_draft(v1.id, 0, {}, admin.id),
                 lambda: drafts.publish_draft(v1.id, 0, admin.id),
                 lambda: drafts.delete_draft(v1.id, admin.id)):
        with pytest.raises(drafts.DraftNotFound):
            call()
    with pytest.raises(drafts.DraftError):
        drafts.start_draft(drafts.start_draft(v1.id, admin.id).id, admin.id)  # not from a draft
