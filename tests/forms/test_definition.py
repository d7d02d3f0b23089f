import copy
import json
from pathlib import Path

import pytest

from server.forms.compiled import walk_questions
from server.forms.definition import DefinitionError, definition_problems, load_definition
from server.forms.definition_schema import QuestionSchema

ROOT = Path(__file__).resolve().parents[2]
DEFAULT = json.loads((ROOT / "forms" / "resident_survey.json").read_text("utf-8"))
JSON_SCHEMA = json.loads((ROOT / "forms" / "schema" / "form-definition.schema.json").read_text("utf-8"))


def problems_of(definition) -> list[str]:
    with pytest.raises(DefinitionError) as caught:
        load_definition(definition)
    return caught.value.lines("en")


def test_default_form_is_valid_and_anonymous():
    definition = load_definition(DEFAULT)
    names = {entry["name"] for entry in walk_questions(definition)}
    assert {"age_band", "sex", "dealt_with_commune", "overall_satisfaction", "compared_6_months",
            "other_comments", "harassment", "harassment_detail"} <= names
    assert not names & {"age", "full_name", "phone", "id_number"}
    assert [group["key"] for group in definition["report"]["groups"]] == [
        "access", "procedures", "officials", "results", "feedback"]


def test_default_form_satisfaction_only_for_people_who_dealt_with_the_commune():
    services = next(e for e in walk_questions(DEFAULT) if e["name"] == "sec_services")
    assert services["question"]["relevant"] == "${dealt_with_commune} = 'yes'"
    access = next(e for e in walk_questions(DEFAULT) if e["name"] == "access_location")
    assert access["groups"] == ["sec_services", "sec_access"]


def test_error_points_at_nested_question_by_path_and_name():
    broken = copy.deepcopy(DEFAULT)
    broken["questions"][1]["questions"][1]["questions"][0]["choices"] = "missing_list"
    assert problems_of(broken) == [
        "questions[1].questions[1].questions[0] (access_location): choices: no choice list named 'missing_list'"]


def test_structural_errors_are_all_listed_with_paths():
    broken = copy.deepcopy(DEFAULT)
    broken["questions"][0]["questions"][1]["label"] = {"en": "Age"}
    broken["questions"][0]["questions"][2]["required"] = "yes"
    broken["questions"][3]["questions"][0]["colour"] = "red"
    lines = problems_of(broken)
    assert "questions[0].questions[1] (age_band): label: A Vietnamese text (vi) is required." in lines
    assert "questions[0].questions[2] (sex): required: Not a valid boolean." in lines
    assert "questions[3].questions[0] (harassment): colour: Unknown field." in lines
    vietnamese = DefinitionError(definition_problems(broken)).lines("vi")
    assert any("Cần có nội dung tiếng Việt" in line for line in vietnamese)


def test_duplicate_names_and_bad_references():
    broken = copy.deepcopy(DEFAULT)
    overall = broken["questions"][4]["questions"]
    overall[1]["name"] = "overall_satisfaction"
    overall[2]["relevant"] = "${nowhere} = 1 and ${sec_overall} = 2"
    overall[0]["constraint"] = "regex(., 'x')"
    lines = problems_of(broken)
    assert "questions[4].questions[1] (overall_satisfaction): The question name is used twice in the form" in lines
    assert "questions[4].questions[2] (other_comments): relevant: there is no question ${nowhere}" in lines
    assert ("questions[4].questions[2] (other_comments): relevant: ${sec_overall} is a group, "
            "it has no answer") in lines
    assert any("(overall_satisfaction): constraint: Unsupported function" in line for line in lines)


def test_likert_needs_five_points_and_rules_by_type():
    broken = copy.deepcopy(DEFAULT)
    broken["choice_lists"]["satisfaction"] = broken["choice_lists"]["satisfaction"][:4]
    broken["questions"][0]["questions"][1]["min"] = 3
    lines = problems_of(broken)
    assert any("(access_location): choices: a likert scale needs exactly 5 points" in line for line in lines)
    assert "questions[0].questions[1] (age_band): min: not allowed on a select_one question" in lines


def test_report_metadata_must_name_existing_questions():
    broken = copy.deepcopy(DEFAULT)
    broken["report"]["groups"][0]["questions"].append("gone")
    broken["report"]["overall"] = "other_comments"
    broken["report"]["satisfied_values"] = ["4", "yes"]
    lines = problems_of(broken)
    assert "report.groups[0].questions[3]: there is no question 'gone'" in lines
    assert "report.overall: 'other_comments' is a text, expected likert/select_one" in lines
    assert "report.satisfied_values[1]: 'yes' is not a point of a likert scale" in lines


def test_logic_cycle_is_refused():
    definition = {"schema_version": 1, "name": "cycle", "title": {"vi": "Vòng"}, "languages": ["vi"],
                  "default_language": "vi", "questions": [
                      {"type": "text", "name": "a", "label": {"vi": "A"}, "relevant": "${b} = 'x'"},
                      {"type": "text", "name": "b", "label": {"vi": "B"}, "relevant": "${a} = 'x'"}]}
    assert problems_of(definition) == [
        "questions: relevant/calculation conditions depend on each other in a cycle: a, b."]


def test_current_value_only_in_constraints_and_label_languages_declared():
    definition = {"schema_version": 1, "name": "dots", "title": {"vi": "Chấm", "fr": "Point"},
                  "languages": ["vi"], "default_language": "vi", "questions": [
                      {"type": "integer", "name": "n", "label": {"vi": "Số"}, "relevant": ". > 1"}]}
    lines = problems_of(definition)
    assert "questions[0] (n): relevant: '.' is only allowed in a constraint" in lines
    assert "title: language not among the form's languages: fr" in lines


def test_text_is_nfc_normalised_on_load():
    definition = copy.deepcopy(DEFAULT)
    definition["title"]["vi"] = "Phie\u0302\u0301u"
    assert load_definition(definition)["title"]["vi"] == "Phiếu"


def test_json_schema_lists_the_same_question_properties_as_the_loader():
    json_properties = set(JSON_SCHEMA["$defs"]["question"]["properties"])
    assert json_properties == set(QuestionSchema().fields)
    assert JSON_SCHEMA["$defs"]["question"]["properties"]["type"]["enum"] == list(
        QuestionSchema().fields["type"].validate.choices)


def test_not_an_object():
    with pytest.raises(DefinitionError):
        load_definition(["not", "a", "form"])
