import io
import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from server.forms.compiled import walk_questions
from server.forms.validation import validate_response
from server.forms.xlsform import XLSFormError, export_xlsform, format_row_problem, import_xlsform

ROOT = Path(__file__).resolve().parents[2]
WORKBOOKS = Path(__file__).resolve().parent / "xlsforms"
DEFAULT = json.loads((ROOT / "forms" / "resident_survey.json").read_text("utf-8"))
VECTOR_DEFINITIONS = json.loads((ROOT / "forms" / "vectors" / "logic.json").read_text("utf-8"))["definitions"]


def by_name(definition: dict) -> dict:
    return {entry["name"]: entry["question"] for entry in walk_questions(definition)}


def round_trip(definition: dict) -> dict:
    buffer = io.BytesIO()
    export_xlsform(definition, version=3).save(buffer)
    buffer.seek(0)
    result, warnings = import_xlsform(buffer)
    assert warnings == []
    return result


@pytest.mark.parametrize("definition", [DEFAULT, *VECTOR_DEFINITIONS.values()],
                         ids=["resident_survey", *VECTOR_DEFINITIONS])
def test_round_trip_gives_the_same_form(definition):
    assert round_trip(definition) == definition


def test_export_writes_what_odk_reads():
    workbook = export_xlsform(DEFAULT)
    survey = list(workbook["survey"].iter_rows(values_only=True))
    header = survey[0]
    assert header[:4] == ("type", "name", "label::Tiếng Việt (vi)", "label::English (en)")
    rows = {row[1]: dict(zip(header, row, strict=True)) for row in survey[1:] if row[0] != "end_group"}
    assert rows["sec_services"]["type"] == "begin_group"
    assert rows["access_online"]["type"] == "select_one satisfaction_na"
    assert rows["access_online"]["appearance"] == "likert"
    assert rows["overall_satisfaction"]["type"] == "select_one satisfaction"
    assert rows["other_comments"]["appearance"] == "multiline"
    choices = [row for row in workbook["choices"].iter_rows(values_only=True) if row[0] == "satisfaction_na"]
    assert [row[1] for row in choices] == ["1", "2", "3", "4", "5", "na"]
    settings = list(workbook["settings"].iter_rows(values_only=True))
    assert settings[1][1] == "resident_survey"


def test_kobo_workbook():
    definition, warnings = import_xlsform(WORKBOOKS / "kobo_household.xlsx")
    questions = by_name(definition)
    assert definition["name"] == "household_survey"
    assert definition["languages"] == ["vi", "en"]
    assert questions["hh_size"]["required"] is True
    assert questions["hh_size"]["label"]["vi"] == "Hộ ông/bà có bao nhiêu người?"
    assert questions["children"]["relevant"] == "${has_children} = 'yes'"
    assert by_name(definition)["children"] in questions["household"]["questions"]
    assert questions["service_count"] == {"type": "calculate", "name": "service_count",
                                          "calculation": "count-selected(${services_used})"}
    assert "required" not in questions["services_used"]
    where = {(w["sheet"], w["row"], w["column"]) for w in warnings}
    assert {("survey", 2, "type"), ("survey", 3, "type"), ("survey", 4, "type"), ("survey", 5, "type"),
            ("survey", 1, "$kuid"), ("choices", 1, "$kuid")} <= where
    answers = {"hh_size": "3", "has_children": "yes", "children": 4, "services_used": ["land", "other"]}
    result = validate_response(definition, answers, "2025-07-15")
    assert [(e["question"], e["code"]) for e in result.errors] == [
        ("children", "constraint"), ("services_other", "required")]
    assert result.answers["service_count"] == 2


def test_odk_workbook_with_nested_groups_and_likert():
    definition, warnings = import_xlsform(WORKBOOKS / "odk_clinic_feedback.xlsx")
    questions = by_name(definition)
    assert questions["wait_time"]["type"] == "likert" and questions["wait_time"]["allow_na"] is True
    assert [c["value"] for c in definition["choice_lists"]["scale"]] == ["1", "2", "3", "4", "5"]
    assert questions["distance_km"]["min"] == 0 and "constraint" not in questions["distance_km"]
    assert questions["complaint_text"]["multiline"] is True
    assert [w["column"] for w in warnings] == ["style"]
    result = validate_response(definition, {"visit_date": "2025-07-20", "age_group": "18_59",
                                            "wait_time": "na", "staff": "1",
                                            "topics": ["none", "wait"]}, "2025-07-15")
    assert [(e["question"], e["code"]) for e in result.errors] == [
        ("visit_date", "constraint"), ("topics", "constraint")]
    assert result.errors[0]["message"]["en"] == "The date cannot be in the future"
    assert "complaint_text" not in result.skipped
    assert round_trip(definition) == definition


def test_plain_label_columns_and_no_settings_sheet():
    definition, _ = import_xlsform(WORKBOOKS / "plain_labels.xlsx", fallback_name="tiep_xuc_cu_tri")
    assert definition["name"] == "tiep_xuc_cu_tri"
    assert definition["languages"] == ["vi"]
    assert by_name(definition)["reason"]["hint"] == {"vi": "Có thể bỏ trống"}


def test_what_cannot_be_converted_is_reported_row_by_row():
    with pytest.raises(XLSFormError) as caught:
        import_xlsform(WORKBOOKS / "broken.xlsx")
    rows = [(p["sheet"], p["row"]) for p in caught.value.problems]
    assert sorted(rows) == sorted([("survey", 2), ("survey", 5), ("survey", 6), ("survey", 7),
                                   ("survey", 8), ("survey", 9), ("survey", 10), ("survey", 11),
                                   ("survey", 12), ("choices", 3)])
    text = [format_row_problem(p) for p in caught.value.problems]
    assert "survey row 5 [type]: Question type 'geopoint' is not supported" in text
    assert "survey row 10: questions[4] (follow_up): relevant: there is no question ${nope}" in text
    assert all(p["message"]["vi"] for p in caught.value.problems)


def test_bad_names_are_located_and_non_workbooks_refused():
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "survey"
    sheet.append(["type", "name", "label"])
    sheet.append(["text", "ok_name", "Được"])
    sheet.append(["text", "first-name", "Tên"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    with pytest.raises(XLSFormError) as caught:
        import_xlsform(buffer, fallback_name="names")
    assert [(p["sheet"], p["row"]) for p in caught.value.problems] == [("survey", 3)]
    with pytest.raises(XLSFormError):
        import_xlsform(io.BytesIO(b"not a workbook"))
