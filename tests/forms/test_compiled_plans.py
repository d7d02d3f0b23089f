"""The compiled form's per-response plans answer exactly as the general code (issue 15):
a choice sent exactly as the form has it skips the normalising, and validation's run of
the logic leaves out only the set of visible names it does not use."""

import copy
import json
import random
from pathlib import Path

import pytest

from server.forms.coercion import ABSENT, plain_choices
from server.forms.compiled import CompiledForm, coerce_answer

ROOT = Path(__file__).resolve().parents[2]
DEFAULT = json.loads((ROOT / "forms" / "resident_survey.json").read_text("utf-8"))
TODAY = "2025-07-15"

CHOICES_FORM = {
    "title": {"vi": "Lựa chọn"},
    "choice_lists": {
        "plain": [{"value": "yes"}, {"value": "no"}],
        # values the general path would change: padded, decomposed (NFD), blank, a number
        "odd": [{"value": " padded "}, {"value": "cafe\u0301"}, {"value": ""}, {"value": 3}],
        "scale": [{"value": "1"}, {"value": "2"}, {"value": "3"}],
    },
    "questions": [
        {"name": "one", "type": "select_one", "choices": "plain", "label": {"vi": "Một"}},
        {"name": "odd", "type": "select_one", "choices": "odd", "label": {"vi": "Lạ"}},
        {"name": "scale", "type": "likert", "choices": "scale", "allow_na": True,
         "label": {"vi": "Thang"}},
        {"name": "many", "type": "select_multiple", "choices": "plain", "label": {"vi": "Nhiều"}},
    ],
}
RAW_VALUES = ["yes", "no", " yes", "yes ", "YES", "maybe", "", "  ", " padded ", "padded",
              "cafe\u0301", "caf\u00e9", "3", 3, 3.0, True, ["yes"], {"a": 1}, "1", 1, 2.5,
              "na", "NA", " na", "\u00a0yes"]


def test_plain_choices_are_the_values_kept_as_they_are():
    assert plain_choices(frozenset({"yes", " padded ", "cafe\u0301", "caf\u00e9", "", "3"})) == {
        "yes", "caf\u00e9", "3"}


@pytest.mark.parametrize("raw", RAW_VALUES, ids=repr)
def test_each_question_coerces_as_the_general_coercer(raw):
    compiled = CompiledForm(CHOICES_FORM)
    for node in compiled.nodes:
        expected_value, expected_problem = coerce_answer(node, raw)
        values, problems, unknown = compiled.coerce({node.name: raw})
        assert unknown == []
        assert problems.get(node.name) == expected_problem, node.name
        if expected_problem is None and expected_value is not ABSENT:
            assert values == {node.name: expected_value}, node.name
        else:
            assert values == {}, node.name


def test_each_question_coerces_as_the_general_coercer_in_one_response():
    compiled = CompiledForm(CHOICES_FORM)
    raw = {"one": "yes", "odd": "caf\u00e9", "scale": "na", "many": ["no", "yes"], "gone": None}
    assert compiled.coerce(raw) == ({"one": "yes", "odd": "caf\u00e9", "scale": "na",
                                     "many": ["yes", "no"]}, {}, [])


def test_names_that_hold_no_answer_are_unknown_and_calculates_are_recomputed():
    form = copy.deepcopy(CHOICES_FORM)
    form["questions"] += [{"name": "intro", "type": "note", "label": {"vi": "Ghi chú"}},
                          {"name": "total", "type": "calculate", "calculation": "1 + 1"}]
    compiled = CompiledForm(form)
    values, problems, unknown = compiled.coerce({"intro": "x", "nowhere": "y", "total": 7, "one": "yes"})
    assert values == {"one": "yes"} and problems == {} and sorted(unknown) == ["intro", "nowhere"]
    assert compiled.run_logic(values, TODAY)[0] == {"one": "yes", "total": 2}


def test_validation_runs_the_same_logic_as_apply_logic():
    compiled = CompiledForm(DEFAULT)
    rng = random.Random(15)
    names = [node.name for node in compiled.nodes if node.choice_values]
    for _ in range(200):
        raw = {name: rng.choice([*sorted(compiled.by_name[name].choice_values), None, "bogus"])
               for name in names if rng.random() < 0.8}
        values, _, _ = compiled.coerce(raw)
        answers, visible, skipped, shown = compiled.run_logic(values, TODAY)
        assert compiled.checked_answers(values, TODAY) == (answers, skipped, shown)
        assert visible == {node.name for node in compiled.nodes if shown[node.index]}
