import copy
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from server.forms.definition import DefinitionError
from server.forms.models import Form, FormVersion
from server.forms.services import publish_definition
from tests.conftest import auth_header

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_PATH = ROOT / "forms" / "resident_survey.json"
DEFAULT = json.loads(DEFAULT_PATH.read_text("utf-8"))
WORKBOOKS = Path(__file__).resolve().parent / "xlsforms"


def changed_title(definition: dict, title: str) -> dict:
    changed = copy.deepcopy(definition)
    changed["title"]["vi"] = title
    return changed


def test_publish_numbers_versions_and_keeps_earlier_ones(db):
    first = publish_definition(DEFAULT)
    assert (first.version, first.status, first.form.name) == (1, "published", "resident_survey")
    assert publish_definition(copy.deepcopy(DEFAULT)).id == first.id  # same content: same version
    second = publish_definition(changed_title(DEFAULT, "Phiếu mới"))
    assert second.version == 2 and second.form_id == first.form_id
    db.session.refresh(first)
    assert first.definition == DEFAULT and first.content_hash != second.content_hash


def test_publish_refuses_a_broken_definition_with_every_error(db):
    broken = copy.deepcopy(DEFAULT)
    broken["questions"][0]["questions"][1]["choices"] = "gone"
    broken["report"]["overall"] = "gone_too"
    with pytest.raises(DefinitionError) as caught:
        publish_definition(broken)
    assert len(caught.value.errors) == 2
    assert db.session.scalar(select(Form).where(Form.name == "resident_survey")) is None


def test_cli_publish_json_and_xlsx_then_export(app, db, tmp_path):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["forms", "publish", str(DEFAULT_PATH)])
    assert result.exit_code == 0, result.output
    version = db.session.scalar(select(FormVersion).join(Form).where(Form.name == "resident_survey"))
    assert version.definition == DEFAULT
    out = tmp_path / "survey.xlsx"
    result = runner.invoke(args=["forms", "export", str(version.id), str(out)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["forms", "import", str(out)])
    assert result.exit_code == 0 and json.loads(result.stdout) == DEFAULT
    result = runner.invoke(args=["forms", "publish", str(WORKBOOKS / "odk_clinic_feedback.xlsx")])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(Form).where(Form.name == "clinic_feedback")) is not None


def test_cli_import_reports_rows_and_fails(app):
    result = app.test_cli_runner().invoke(args=["forms", "import", str(WORKBOOKS / "broken.xlsx")])
    assert result.exit_code == 1
    assert "survey dòng 5 [type]" in result.stderr
    assert "Question type 'geopoint' is not supported" in result.stderr


def test_cli_publish_refuses_errors_and_unknown_versions(app, db, tmp_path):
    broken = copy.deepcopy(DEFAULT)
    broken["questions"][0]["questions"][2]["required"] = "yes"
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(broken), encoding="utf-8")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["forms", "publish", str(path)])
    assert result.exit_code == 1 and "questions[0].questions[2] (sex)" in result.stderr
    result = runner.invoke(args=["forms", "export", "999999", str(tmp_path / "x.xlsx")])
    assert result.exit_code == 1


def test_api_lists_and_publishes_versions(client, factory):
    admin = factory.user(role="admin")
    headers = auth_header(factory.token(admin))
    version = factory.form_version()
    listed = client.get("/api/v1/forms", headers=headers)
    assert listed.status_code == 200
    assert listed.json[0]["name"] == "resident_survey"
    assert listed.json[0]["latest_version"]["version"] == 1
    url = f"/api/v1/forms/{version.form_id}/versions"
    created = client.post(url, json=changed_title(DEFAULT, "Phiếu đợt 2"), headers=headers)
    assert created.status_code == 201, created.json
    assert created.json["version"] == 2 and created.json["definition"]["title"]["vi"] == "Phiếu đợt 2"
    versions = client.get(url, headers=headers).json
    assert [v["version"] for v in versions] == [1, 2]


def test_api_refuses_broken_definitions_with_every_error(client, factory):
    admin = factory.user(role="admin")
    headers = auth_header(factory.token(admin))
    version = factory.form_version()
    broken = copy.deepcopy(DEFAULT)
    broken["questions"][0]["questions"][1]["choices"] = "gone"
    broken["questions"][4]["questions"][2]["relevant"] = "${nowhere} = 1"
    answer = client.post(f"/api/v1/forms/{version.form_id}/versions", json=broken, headers=headers)
    assert answer.status_code == 400
    assert answer.json["error"]["code"] == "invalid_definition"
    errors = answer.json["error"]["details"]["errors"]
    assert [(e["path"], e["question"]) for e in errors] == [
        ("questions[0].questions[1]", "age_band"), ("questions[4].questions[2]", "other_comments")]
    other_name = changed_title(DEFAULT, "x") | {"name": "another_form"}
    mismatch = client.post(f"/api/v1/forms/{version.form_id}/versions", json=other_name, headers=headers)
    assert mismatch.status_code == 400 and mismatch.json["error"]["code"] == "name_mismatch"
    missing = client.post("/api/v1/forms/999999/versions", json=DEFAULT, headers=headers)
    assert missing.status_code == 404
    not_json = client.post(f"/api/v1/forms/{version.form_id}/versions", json=[1, 2], headers=headers)
    assert not_json.status_code == 400


def test_api_is_for_admins_only(client, factory):
    volunteer = factory.user(role="volunteer")
    assert client.get("/api/v1/forms", headers=auth_header(factory.token(volunteer))).status_code == 403
    assert client.get("/api/v1/forms").status_code == 401
