"""The designer's JSON API (/api/v1/form-drafts): the contract in DESIGNER_API.md, session
access with the CSRF header, revision conflicts, and a designer-published version that the
volunteer app gets and the server validates exactly like a JSON-published one."""

import copy
import json
import re
import threading
import unicodedata
import uuid as uuid_lib
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from server.audit.models import AuditEntry
from server.db_types import utcnow
from server.forms import drafts
from server.forms.compiled import definition_hash
from server.forms.definition import load_definition
from server.forms.models import FormVersion
from tests.admin.conftest import log_in
from tests.conftest import DEFAULT_FORM, auth_header

DEFAULT = json.loads(DEFAULT_FORM.read_text(encoding="utf-8"))


@pytest.fixture
def admin(factory):
    return factory.user("admin", "admin", display_name="Quản trị Lan")


@pytest.fixture
def headers(factory, admin):
    return auth_header(factory.token(admin))


@pytest.fixture
def draft(factory, admin):
    version = factory.form_version()
    return drafts.start_draft(version.id, admin.id)


def _url(draft_id, tail=""):
    return f"/api/v1/form-drafts/{draft_id}{tail}"


def _page_token(client, draft_id) -> str:
    page = client.get(f"/admin/forms/drafts/{draft_id}").get_data(as_text=True)
    return re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)


def test_get_answers_the_draft_as_the_contract_says(client, headers, draft):
    body = client.get(_url(draft.id), headers=headers)
    assert body.status_code == 200, body.json
    assert set(body.json) == {"id", "form_id", "form_name", "revision", "definition",
                              "based_on_version_id", "updated_at", "updated_by"}
    assert body.json["form_name"] == "resident_survey" and body.json["revision"] == 1
    assert body.json["definition"] == DEFAULT
    assert body.json["based_on_version_id"] == draft.based_on_version_id
    assert body.json["updated_by"] == "Quản trị Lan"
    assert body.headers["Cache-Control"] == "private, no-store"


def test_save_raises_the_revision_and_keeps_expressions_exactly(client, headers, draft, db):
    definition = copy.deepcopy(DEFAULT)
    # Hand-typed, with the spacing and operators a builder would "tidy": kept byte for byte.
    typed = ("${age_band}!='18_29'  and (selected( ${sex} ,'female') "
             "or ${dealt_with_commune} >= 'no')")
    definition["questions"][0]["questions"][2]["relevant"] = typed
    saved = client.put(_url(draft.id), json={"revision": 1, "definition": definition},
                       headers=headers)
    assert saved.status_code == 200, saved.json
    assert saved.json["revision"] == 2 and saved.json["updated_at"]
    reopened = client.get(_url(draft.id), headers=headers).json
    assert reopened["revision"] == 2
    assert reopened["definition"]["questions"][0]["questions"][2]["relevant"] == typed
    assert reopened["definition"] == definition


def test_saving_never_checks_the_form_rules(client, headers, draft):
    half_done = {"schema_version": 1, "name": "resident_survey", "questions": [
        {"type": "select_one", "name": "q1"}, {"type": "nonsense"}]}
    saved = client.put(_url(draft.id), json={"revision": 1, "definition": half_done},
                       headers=headers)
    assert saved.status_code == 200, saved.json
    assert client.get(_url(draft.id), headers=headers).json["definition"] == half_done


def test_a_stale_revision_is_a_conflict_naming_who_saved(client, factory, headers, draft):
    other = factory.user("other.admin", "admin", display_name="Quản trị Minh")
    other_headers = auth_header(factory.token(other))
    first = client.put(_url(draft.id), json={"revision": 1, "definition": DEFAULT},
                       headers=other_headers)
    assert first.status_code == 200
    mine = copy.deepcopy(DEFAULT)
    mine["title"]["vi"] = "Của tôi"
    stale = client.put(_url(draft.id), json={"revision": 1, "definition": mine}, headers=headers)
    assert stale.status_code == 409
    error = stale.json["error"]
    assert error["code"] == "draft_changed"
    assert error["details"]["current_revision"] == 2
    assert error["details"]["updated_by"] == "Quản trị Minh"
    assert error["details"]["updated_at"]
    assert client.get(_url(draft.id), headers=headers).json["definition"] == DEFAULT


def test_a_save_racing_another_waits_for_it_and_is_a_conflict(app, committed_db,
                                                             factory_committed):
    """Another transaction raised the revision and has not committed yet: the request waits
    for it (a locked read, not a stale snapshot) and answers 409 rather than overwrite it."""
    admin = factory_committed.user("admin", "admin")
    headers = auth_header(factory_committed.token(admin))
    draft_id = drafts.start_draft(factory_committed.form_version().id, admin.id).id
    committed_db.session.commit()
    committed_db.session.remove()
    answers = {}

    def save():
        answers["put"] = app.test_client().put(
            _url(draft_id), json={"revision": 1, "definition": DEFAULT}, headers=headers)

    with committed_db.engine.connect() as other:
        with other.begin():
            other.execute(update(FormVersion).where(FormVersion.id == draft_id)
                          .values(revision=2, definition={"saved": "elsewhere"}))
            request = threading.Thread(target=save)
            request.start()
            request.join(0.5)
            assert request.is_alive()  # waiting for the other transaction
        request.join(10)
    assert answers["put"].status_code == 409, answers["put"].json
    assert answers["put"].json["error"]["details"]["current_revision"] == 2
    assert committed_db.session.get(FormVersion, draft_id).definition == {"saved": "elsewhere"}


@pytest.mark.parametrize("body", [
    {"revision": 1, "definition": []},
    {"revision": 1, "definition": "text"},
    {"revision": 1},
    {"definition": {}},
    {"revision": "1", "definition": {}},
    {"revision": 1.5, "definition": {}},
    {"revision": -1, "definition": {}},
])
def test_save_refuses_what_is_not_a_revision_and_an_object(client, headers, draft, body):
    answer = client.put(_url(draft.id), json=body, headers=headers)
    assert answer.status_code == 400, answer.json
    assert "error" in answer.json


def test_save_refuses_text_no_database_stores_and_oversized_drafts(app, client, headers, draft):
    nul = copy.deepcopy(DEFAULT)
    nul["questions"][0]["label"]["vi"] = "Thông tin\x00"
    answer = client.put(_url(draft.id), json={"revision": 1, "definition": nul}, headers=headers)
    assert answer.status_code == 400 and answer.json["error"]["code"] == "unstorable_text"
    assert answer.json["error"]["details"]["path"] == "questions[0].label.vi"
    app.config["FORM_DRAFT_MAX_BYTES"] = 1000
    try:
        big = client.put(_url(draft.id), json={"revision": 1, "definition": DEFAULT},
                         headers=headers)
    finally:
        del app.config["FORM_DRAFT_MAX_BYTES"]
    assert big.status_code == 413 and big.json["error"]["code"] == "draft_too_large"


def test_validate_uses_the_publishing_rules_and_points_at_questions(client, headers, draft):
    ok = client.post(_url(draft.id, "/validate"), headers=headers)
    assert ok.status_code == 200 and ok.json == {"ok": True, "errors": []}
    broken = copy.deepcopy(DEFAULT)
    broken["questions"][0]["questions"][1]["choices"] = "gone"
    broken["questions"][4]["questions"][2]["relevant"] = "${nowhere} = 1"
    client.put(_url(draft.id), json={"revision": 1, "definition": broken}, headers=headers)
    result = client.post(_url(draft.id, "/validate"), headers=headers).json
    assert result["ok"] is False
    assert [(e["path"], e["question"]) for e in result["errors"]] == [
        ("questions[0].questions[1]", "age_band"), ("questions[4].questions[2]", "other_comments")]
    assert result["errors"][0]["message"] == "choices: không có danh sách lựa chọn 'gone'"
    assert result["errors"][0]["message_en"] == "choices: no choice list named 'gone'"


def test_validate_refuses_a_renamed_form(client, headers, draft):
    renamed = dict(DEFAULT, name="another_form")
    client.put(_url(draft.id), json={"revision": 1, "definition": renamed}, headers=headers)
    result = client.post(_url(draft.id, "/validate"), headers=headers).json
    assert result["ok"] is False and result["errors"][0]["path"] == "name"


def test_changes_lists_differences_and_comparability_warnings(client, headers, draft):
    changed = copy.deepcopy(DEFAULT)
    access = changed["questions"][1]["questions"][1]["questions"]
    assert access.pop()["name"] == "access_online"
    changed["report"]["groups"][0]["questions"].remove("access_online")
    client.put(_url(draft.id), json={"revision": 1, "definition": changed}, headers=headers)
    body = client.get(_url(draft.id, "/changes"), headers=headers)
    assert body.status_code == 200, body.json
    result = body.json
    assert result["previous_version_id"] == draft.based_on_version_id
    assert result["removed"] == ["access_online"] and result["added"] == []
    assert {"question": "access_online", "code": "item_removed"} in [
        {"question": w["question"], "code": w["code"]} for w in result["warnings"]]
    assert all(w["message"] and w["message_en"] for w in result["warnings"])


def test_publish_makes_the_next_version_and_removes_the_draft(client, headers, draft, db):
    changed = copy.deepcopy(DEFAULT)
    changed["title"]["vi"] = "Phiếu đợt 2"
    client.put(_url(draft.id), json={"revision": 1, "definition": changed}, headers=headers)
    stale = client.post(_url(draft.id, "/publish"), json={"revision": 1}, headers=headers)
    assert stale.status_code == 409 and stale.json["error"]["code"] == "draft_changed"
    published = client.post(_url(draft.id, "/publish"), json={"revision": 2}, headers=headers)
    assert published.status_code == 201, published.json
    assert published.json["version"] == 2 and published.json["unchanged"] is False
    version = db.session.get(FormVersion, published.json["version_id"])
    assert version.status == "published" and version.definition == changed
    assert version.based_on_version_id == draft.based_on_version_id
    assert client.get(_url(draft.id), headers=headers).status_code == 404
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions[-2:] == ["form.publish", "form_draft.publish"]


def test_publish_refuses_an_invalid_draft_with_the_validation_errors(client, headers, draft):
    broken = copy.deepcopy(DEFAULT)
    broken["questions"][0]["questions"][2]["required"] = "yes"
    client.put(_url(draft.id), json={"revision": 1, "definition": broken}, headers=headers)
    refused = client.post(_url(draft.id, "/publish"), json={"revision": 2}, headers=headers)
    assert refused.status_code == 400
    error = refused.json["error"]
    assert error["code"] == "invalid_definition"
    assert error["details"]["errors"][0]["question"] == "sex"
    assert client.get(_url(draft.id), headers=headers).status_code == 200  # still there


def test_publishing_unchanged_content_returns_the_newest_version(client, headers, draft):
    published = client.post(_url(draft.id, "/publish"), json={"revision": 1}, headers=headers)
    assert published.status_code == 201
    assert published.json == {"version_id": draft.based_on_version_id, "version": 1,
                              "unchanged": True}


def test_a_published_version_or_unknown_id_is_not_a_draft(client, headers, draft):
    for draft_id in (draft.based_on_version_id, 999_999):
        for method, tail in (("GET", ""), ("POST", "/validate"), ("GET", "/changes")):
            answer = client.open(_url(draft_id, tail), method=method, headers=headers)
            assert answer.status_code == 404 and answer.json["error"]["code"] == "not_found"
        answer = client.put(_url(draft_id), json={"revision": 1, "definition": {}},
                            headers=headers)
        assert answer.status_code == 404


def test_only_admins_reach_the_api(client, factory, draft):
    assert client.get(_url(draft.id)).status_code == 401
    for role in ("official", "volunteer"):
        headers = auth_header(factory.token(factory.user(role=role)))
        assert client.get(_url(draft.id), headers=headers).status_code == 403
        answer = client.put(_url(draft.id), json={"revision": 1, "definition": {}},
                            headers=headers)
        assert answer.status_code == 403


def test_the_designer_page_session_reads_and_writes_with_its_csrf_header(app, admin, draft):
    browser = log_in(app.test_client(), "admin")
    token = _page_token(browser, draft.id)
    assert browser.get(_url(draft.id)).status_code == 200
    body = {"revision": 1, "definition": DEFAULT}
    missing = browser.put(_url(draft.id), json=body)
    assert missing.status_code == 403 and missing.json["error"]["code"] == "csrf_failed"
    wrong = browser.put(_url(draft.id), json=body, headers={"X-CSRF-Token": "not-it"})
    assert wrong.status_code == 403
    assert browser.post(_url(draft.id, "/validate")).status_code == 403
    saved = browser.put(_url(draft.id), json=body, headers={"X-CSRF-Token": token})
    assert saved.status_code == 200 and saved.json["revision"] == 2
    checked = browser.post(_url(draft.id, "/validate"), headers={"X-CSRF-Token": token})
    assert checked.status_code == 200 and checked.json["ok"] is True


def test_a_session_of_another_role_or_an_ended_one_gets_no_access(app, factory, draft):
    factory.user("official", "official")
    official = log_in(app.test_client(), "official")
    assert official.get(_url(draft.id)).status_code == 403
    admin = log_in(app.test_client(), "admin")
    token = re.search(r'name="csrf_token" value="([^"]+)"',
                      admin.get("/admin/forms/").get_data(as_text=True)).group(1)
    admin.post("/logout", data={"csrf_token": token})
    assert admin.get(_url(draft.id)).status_code == 401


# --- a designer-published version is served and validated like a JSON-published one ---------

def _round_on(client, headers, version_id, unit_id) -> int:
    created = client.post("/api/v1/rounds", headers=headers, json={
        "title": f"Đợt khảo sát phiên bản {version_id}", "form_version_id": version_id,
        "opens_at": (utcnow() - timedelta(hours=1)).isoformat(),
        "closes_at": (utcnow() + timedelta(days=10)).isoformat(), "unit_ids": [unit_id]})
    assert created.status_code == 201, created.json
    return created.json["id"]


def _submit(client, token, round_id, version_id, unit_id, answers):
    now = utcnow()
    item = {"uuid": str(uuid_lib.uuid4()), "round_id": round_id, "form_version_id": version_id,
            "unit_id": unit_id, "started_at": (now - timedelta(minutes=8)).isoformat(),
            "completed_at": now.isoformat(), "answers": answers,
            "client": {"app_version": "test", "device": "pytest"}}
    answer = client.post("/api/v1/submissions", json={"submissions": [item]},
                         headers=auth_header(token))
    assert answer.status_code == 200, answer.json
    return answer.json["results"][0]


VALID = {"age_band": "30_44", "sex": "female", "dealt_with_commune": "no",
         "know_listen": "4", "know_explain": "4", "know_trust": "3", "know_apologise": "na",
         "know_thank": "5", "overall_satisfaction": "4", "compared_6_months": "same"}
INVALID = dict(VALID, sex="robot", know_listen="9", not_a_question="x")


def test_a_designer_published_version_is_served_and_validated_like_a_json_published_one(
        client, factory, admin, headers, db):
    ward = factory.unit("Phường Hoa Lư", "ward")
    group = factory.unit("Tổ dân phố 1", "residential_group", parent=ward)
    volunteer = factory.user("tnv", "volunteer", units=[group])
    volunteer_token = factory.token(volunteer)
    # v1: the JSON file published as the CLI and the forms API do (publish_definition).
    v1 = factory.form_version()
    # v2: built in the designer: a draft from v1, one label re-typed decomposed (as some
    # keyboards send it), saved, published through the API.
    start = drafts.start_draft(v1.id, admin.id)
    definition = copy.deepcopy(DEFAULT)
    definition["questions"][0]["label"]["vi"] = unicodedata.normalize("NFD", "Thông tin về ông/bà")
    saved = client.put(_url(start.id), json={"revision": 1, "definition": definition},
                       headers=headers)
    assert saved.status_code == 200
    published = client.post(_url(start.id, "/publish"), json={"revision": 2}, headers=headers)
    assert published.status_code == 201, published.json
    v2_id = published.json["version_id"]

    # Stored as publish_definition stores a JSON-published definition: NFC, same hash rule.
    expected = load_definition(definition)
    fetched = client.get(f"/api/v1/form-versions/{v2_id}", headers=auth_header(volunteer_token))
    assert fetched.status_code == 200, fetched.json
    assert fetched.json["definition"] == expected
    assert fetched.json["definition"]["questions"][0]["label"]["vi"] == "Thông tin về ông/bà"
    assert fetched.headers["ETag"] == f'"{definition_hash(expected)}"'
    fetched_v1 = client.get(f"/api/v1/form-versions/{v1.id}", headers=auth_header(volunteer_token))
    assert set(fetched.json) == set(fetched_v1.json)
    assert fetched.headers["Cache-Control"] == fetched_v1.headers["Cache-Control"]

    rounds = {version_id: _round_on(client, headers, version_id, group.id)
              for version_id in (v1.id, v2_id)}
    outcomes = {}
    for version_id, round_id in rounds.items():
        good = _submit(client, volunteer_token, round_id, version_id, group.id, VALID)
        bad = _submit(client, volunteer_token, round_id, version_id, group.id, INVALID)
        outcomes[version_id] = (good["status"], bad["status"], bad.get("errors"))
    assert outcomes[v2_id][:2] == ("created", "rejected")
    assert outcomes[v2_id] == outcomes[v1.id]
    assert {e["code"] for e in outcomes[v2_id][2]} >= {"not_in_choices", "unknown_question"}
