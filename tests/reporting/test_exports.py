"""CSV and XLSX exports, requested the way a server does: the data is committed, no app
context is held open around the request, and the streamed body is read after the view has
returned. One row per response, labels and values, no formula injection, and nothing a
resident typed can make an export fail."""

import contextvars
import csv
import importlib.util
import io
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook

_SPEC = importlib.util.spec_from_file_location(
    "survey_data", Path(__file__).parents[1] / "analytics" / "survey_data.py")
survey_data = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(survey_data)

HOSTILE = ["=HYPERLINK(\"http://evil.example\",\"bấm\")", "+84 giá", "-1+1", "@SUM(A1:A2)",
           "=1+1", "#N/A"]
# what a resident typed -> what the export holds. XML (inside XLSX) cannot hold C0 controls
# other than tab/newline/CR; PostgreSQL's jsonb cannot hold NUL nor a lone surrogate, so
# those two are only stored (and exported) on SQLite.
POISON = {"Ý kiến\x01có ký tự điều khiển": "Ý kiếncó ký tự điều khiển",
          "Tab\tvà xuống\ndòng giữ nguyên\x0b\x0c\x1f": "Tab\tvà xuống\ndòng giữ nguyên"}
POISON_SQLITE = {"Trước\x00sau NUL": "Trướcsau NUL", "Nửa cặp \ud800 ký tự": "Nửa cặp \ufffd ký tự"}
SKIPPED = ["proc_public", "proc_fees", "harassment", "late"]


def _comment_response(factory, data, group, text):
    response = factory.response(data.current, group, data.volunteer,
                                {"used_service": "no", "comment": "", "household": 3},
                                skipped=SKIPPED)
    response.answers = {**response.answers, "comment": text}   # a hash cannot hash "\ud800"
    return response


@pytest.fixture
def exported(committed_db, factory_committed):
    """The survey of tests/analytics, hostile and poison answers, an admin with a token;
    committed, and the test's own session closed: it holds nothing while the request runs."""
    data = survey_data.build_dataset(committed_db, factory_committed)
    group = data.groups["Tổ dân phố Bắc Sơn"]
    poison = dict(POISON)
    if committed_db.engine.dialect.name == "sqlite":
        poison |= POISON_SQLITE
    for text in [*HOSTILE, *poison]:
        _comment_response(factory_committed, data, group, text)
    admin = factory_committed.user("quantri", "admin")
    stored = sum(1 for r in data.responses if r.round_id == data.current.id)
    # commune id -> its residential groups' ids (read now: the objects expire at commit)
    communes = {commune.id: {g.id for g in data.groups.values() if g.parent_id == commune.id}
                for commune in data.communes.values()}
    info = SimpleNamespace(round_id=data.current.id, token=factory_committed.token(admin),
                           responses=stored + len(HOSTILE) + len(poison), poison=poison,
                           communes=communes)
    committed_db.session.commit()
    committed_db.session.close()
    return info


def fetch(app, path, token=None, log_in=None):
    """GET as a server thread does: in a fresh context (no app context of the test around
    it), the whole streamed body read after the view has returned."""

    def get():
        client = app.test_client()
        if log_in:
            log_in(client)
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = client.get(path, headers=headers)
        response.get_data()
        response.close()
        return response

    return contextvars.Context().run(get)


def _csv_rows(response) -> list[dict]:
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))


def _sheet(response):
    return load_workbook(io.BytesIO(response.get_data())).active


def test_csv_export_streams_after_the_request_ended(app, exported):
    response = fetch(app, f"/api/v1/rounds/{exported.round_id}/export.csv", exported.token)
    assert response.status_code == 200
    assert len(_csv_rows(response)) == exported.responses


def test_xlsx_export_streams_after_the_request_ended(app, exported):
    response = fetch(app, f"/api/v1/rounds/{exported.round_id}/export.xlsx", exported.token)
    assert response.status_code == 200
    assert response.mimetype == ("application/vnd.openxmlformats-officedocument"
                                 ".spreadsheetml.sheet")
    assert 'filename="phieu-dot-2-nam-2026.xlsx"' in response.headers["Content-Disposition"]
    assert _sheet(response).max_row == exported.responses + 1


def test_csv_export_with_a_web_session(app, exported, committed_db):
    def log_in(client):
        page = client.get("/login").get_data(as_text=True)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        answer = client.post("/login", data={"username": "quantri", "password": "pw",
                                             "csrf_token": csrf})
        assert answer.status_code == 302

    response = fetch(app, f"/api/v1/rounds/{exported.round_id}/export.csv", log_in=log_in)
    assert response.status_code == 200
    assert len(_csv_rows(response)) == exported.responses


def test_csv_has_one_row_per_response_with_values_and_labels(app, exported):
    response = fetch(app, f"/api/v1/rounds/{exported.round_id}/export.csv", exported.token)
    assert response.mimetype == "text/csv"
    assert 'filename="phieu-dot-2-nam-2026.csv"' in response.headers["Content-Disposition"]
    rows = _csv_rows(response)
    row = next(r for r in rows if r["sex"] == "female")
    assert row["sex_label"] == "Nữ"
    assert "unit_name" in row and row["unit_name"]
    multiple = next(r for r in rows if ";" in r["channels"])
    assert len(multiple["channels"].split(";")) == len(multiple["channels_label"].split(";"))
    skipped = next(r for r in rows if r["used_service"] == "no")
    assert "proc_public" in skipped["skipped_by_logic"] and skipped["proc_public"] == ""


def test_csv_cells_cannot_run_as_formulas(app, exported):
    """CSV has no cell types: the apostrophe is the guard."""
    response = fetch(app, f"/api/v1/rounds/{exported.round_id}/export.csv", exported.token)
    body = response.get_data(as_text=True).lstrip("\ufeff")
    cells = [cell for row in csv.reader(io.StringIO(body)) for cell in row]
    for text in HOSTILE:
        if text.startswith(("=", "+", "-", "@")):
            assert "'" + text in cells
            assert text not in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)


def test_xlsx_cells_are_text_shown_without_an_apostrophe(app, exported):
    response = fetch(app, f"/api/v1/rounds/{exported.round_id}/export.xlsx", exported.token)
    sheet = _sheet(response)
    header = [cell.value for cell in sheet[1]]
    assert header[0] == "response_uuid" and "comment" in header and "sex_label" in header
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    assert all(cell.data_type not in ("f", "e") for cell in cells)
    by_text = {cell.value: cell for cell in cells if isinstance(cell.value, str)}
    for text in HOSTILE:
        assert text in by_text, text                   # exactly what was typed
        assert by_text[text].data_type == "s"
    assert by_text["=1+1"].quotePrefix                  # stays text when edited in Excel
    assert not any(value.startswith("'=") for value in by_text)
    household = header.index("household")
    numbers = [row[household].value for row in sheet.iter_rows(min_row=2)]
    assert any(isinstance(value, int) for value in numbers)


def test_control_characters_do_not_break_the_xlsx(app, exported):
    response = fetch(app, f"/api/v1/rounds/{exported.round_id}/export.xlsx", exported.token)
    assert response.status_code == 200
    sheet = _sheet(response)
    comment = [cell.value for cell in sheet[1]].index("comment")
    comments = {row[comment].value for row in sheet.iter_rows(min_row=2)}
    for cleaned in exported.poison.values():
        assert cleaned in comments, cleaned


def test_control_characters_do_not_break_the_csv(app, exported):
    response = fetch(app, f"/api/v1/rounds/{exported.round_id}/export.csv", exported.token)
    assert response.status_code == 200
    comments = {row["comment"] for row in _csv_rows(response)}
    for cleaned in exported.poison.values():
        assert cleaned in comments, cleaned


def test_an_export_of_one_commune_holds_its_responses_only(app, exported):
    counts = {}
    for commune_id, group_ids in exported.communes.items():
        base = f"/api/v1/rounds/{exported.round_id}/export"
        workbook = fetch(app, f"{base}.xlsx?unit={commune_id}", exported.token)
        response = fetch(app, f"{base}.csv?unit={commune_id}", exported.token)
        assert workbook.status_code == response.status_code == 200
        assert re.search(r'filename="phieu-dot-2-nam-2026-[a-z0-9-]+\.csv"',
                         response.headers["Content-Disposition"])
        rows = _csv_rows(response)
        assert rows and {int(row["unit_id"]) for row in rows} <= group_ids
        assert _sheet(workbook).max_row == len(rows) + 1
        counts[commune_id] = len(rows)
    assert sum(counts.values()) == exported.responses


def test_an_export_of_a_unit_outside_the_round_is_refused(app, exported):
    outside = fetch(app, f"/api/v1/rounds/{exported.round_id}/export.csv?unit=999999", exported.token)
    assert outside.status_code == 404
    assert outside.get_json()["error"]["code"] == "not_found"
    garbage = fetch(app, f"/api/v1/rounds/{exported.round_id}/export.xlsx?unit=abc", exported.token)
    assert garbage.status_code in (400, 422)
    assert "error" in garbage.get_json()
