"""What a draft changes against the previous version, and the warnings for changes that break
the comparison with earlier rounds (server/forms/changes.py)."""

import copy
import json
from types import SimpleNamespace

import pytest

from server.forms.changes import compare_definitions, draft_changes
from tests.conftest import DEFAULT_FORM

DEFAULT = json.loads(DEFAULT_FORM.read_text(encoding="utf-8"))


def _question(definition: dict, name: str) -> dict:
    def find(questions):
        for question in questions:
            if question["name"] == name:
                return question
            if question["type"] == "group":
                found = find(question["questions"])
                if found:
                    return found
        return None

    return find(definition["questions"])


def _codes(result) -> list[tuple]:
    return [(w["question"], w["code"]) for w in result["warnings"]]


@pytest.fixture
def new():
    return copy.deepcopy(DEFAULT)


def test_the_same_definition_changes_nothing(new):
    assert compare_definitions(DEFAULT, new) == {
        "added": [], "removed": [], "changed": [], "warnings": [], "form_fields": []}


def test_a_new_form_lists_every_question_as_added_and_warns_of_nothing(new):
    result = compare_definitions(None, new)
    assert result["added"][:3] == ["sec_profile", "intro", "age_band"]
    assert result["warnings"] == [] and result["removed"] == []


def test_an_added_question_and_a_hint_warn_of_nothing(new):
    profile = _question(new, "sec_profile")["questions"]
    profile.append({"type": "integer", "name": "household_size", "label": {"vi": "Số người"}})
    _question(new, "age_band")["hint"] = {"vi": "Chọn một nhóm"}
    result = compare_definitions(DEFAULT, new)
    assert result["added"] == ["household_size"]
    assert result["changed"] == [{"question": "age_band", "fields": ["hint"]}]
    assert result["warnings"] == []


def test_a_removed_satisfaction_item_warns(new):
    access = _question(new, "sec_access")["questions"]
    access.pop()
    new["report"]["groups"][0]["questions"].remove("access_online")
    result = compare_definitions(DEFAULT, new)
    assert result["removed"] == ["access_online"]
    assert _codes(result) == [("access_online", "item_removed")]
    assert "access_online" in result["warnings"][0]["message"]


def test_a_removed_question_that_is_not_an_item_does_not_warn(new):
    group = _question(new, "sec_three_nos")["questions"]
    group.remove(_question(new, "missed_detail"))
    new["report"]["comments"].remove("missed_detail")
    result = compare_definitions(DEFAULT, new)
    assert result["removed"] == ["missed_detail"] and result["warnings"] == []
    assert result["form_fields"] == ["report"]


def test_a_reworded_item_warns_and_a_new_translation_does_not(new):
    _question(new, "off_attitude")["label"]["vi"] = "Thái độ của công chức khi tiếp dân"
    _question(new, "off_guidance")["label"]["km"] = "ការណែនាំ"
    result = compare_definitions(DEFAULT, new)
    assert result["changed"] == [{"question": "off_attitude", "fields": ["label"]},
                                 {"question": "off_guidance", "fields": ["label"]}]
    assert _codes(result) == [("off_attitude", "item_reworded")]


def test_a_changed_scale_warns_on_every_item_that_uses_it(new):
    new["choice_lists"]["satisfaction"][2]["label"]["vi"] = "Tạm được"
    result = compare_definitions(DEFAULT, new)
    likert_items = [name for name, code in _codes(result)]
    assert {code for _, code in _codes(result)} == {"scale_changed"}
    assert "know_listen" in likert_items and "overall_satisfaction" in likert_items
    assert {"question": "know_listen", "fields": ["choice_list"]} in result["changed"]


def test_dropping_not_applicable_changes_the_scale(new):
    assert _question(new, "proc_fees").pop("allow_na") is True
    assert _codes(compare_definitions(DEFAULT, new)) == [("proc_fees", "scale_changed")]


def test_changed_choices_of_a_breakdown_warn(new):
    new["choice_lists"]["age_bands"].append({"value": "under_18", "label": {"vi": "Dưới 18"}})
    result = compare_definitions(DEFAULT, new)
    assert _codes(result) == [("age_band", "choices_changed")]


def test_a_changed_type_warns(new):
    question = _question(new, "other_comments")
    question["type"] = "integer"
    new["report"]["comments"].remove("other_comments")
    assert ("other_comments", "type_changed") in _codes(compare_definitions(DEFAULT, new))


def test_an_item_moved_to_another_sipas_group_warns(new):
    new["report"]["groups"][0]["questions"].remove("access_online")
    new["report"]["groups"][1]["questions"].append("access_online")
    result = compare_definitions(DEFAULT, new)
    assert _codes(result) == [("access_online", "report_group_changed")]
    assert "access → procedures" in result["warnings"][0]["message_en"]


def test_a_removed_group_and_changed_satisfied_values_warn(new):
    feedback = new["report"]["groups"].pop()
    new["report"]["satisfied_values"] = ["5"]
    codes = _codes(compare_definitions(DEFAULT, new))
    assert (None, "report_group_removed") in codes and (None, "satisfied_values_changed") in codes
    assert ("fb_channels", "report_group_changed") in codes
    assert feedback["key"] == "feedback"


def test_a_question_moved_between_groups_and_reordered(new):
    profile = _question(new, "sec_profile")["questions"]
    moved = profile.pop(2)
    _question(new, "sec_overall")["questions"].insert(0, moved)
    result = compare_definitions(DEFAULT, new)
    assert result["changed"] == [{"question": "sex", "fields": ["group"]}]
    assert result["form_fields"] == ["order"]


def test_a_draft_that_is_garbage_in_places_is_compared_without_an_error():
    garbage = {"questions": [None, "text", {"name": 5}, {"type": "group", "name": "g",
                                                         "questions": "not a list"},
                             {"type": "likert", "name": "know_listen", "choices": 7}],
               "choice_lists": [], "report": "none"}
    result = compare_definitions(DEFAULT, garbage)
    assert "know_listen" not in result["removed"] and "g" in result["added"]
    assert ("know_listen", "scale_changed") in _codes(result)
    assert compare_definitions(DEFAULT, "not a dict")["added"] == []


def test_a_draft_started_from_an_older_version_warns():
    v1 = SimpleNamespace(id=1, form_id=1, version=1, definition=DEFAULT)
    v2 = SimpleNamespace(id=2, form_id=1, version=2, definition=DEFAULT)
    result = draft_changes(copy.deepcopy(DEFAULT), v2, based_on=v1)
    assert result["previous_version_id"] == 2 and result["previous_version"] == 2
    assert _codes(result) == [(None, "based_on_older_version")]
    assert draft_changes(copy.deepcopy(DEFAULT), v2, based_on=v2)["warnings"] == []
    assert draft_changes(copy.deepcopy(DEFAULT), None)["previous_version_id"] is None
