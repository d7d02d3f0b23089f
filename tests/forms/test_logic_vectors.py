"""Runs every shared vector of forms/vectors/logic.json on the Python side.

tests/js/form-logic.test.mjs runs the same file on the JavaScript side.
"""

import json
from pathlib import Path

import pytest

from server.forms.logic import ExpressionError, evaluate, parse
from server.forms.logic import apply_logic as apply_logic_api
from server.forms.validation import validate_response

VECTORS = json.loads(
    (Path(__file__).resolve().parents[2] / "forms" / "vectors" / "logic.json").read_text("utf-8")
)
DEFINITIONS = VECTORS["definitions"]


def _same(actual, expected) -> bool:
    """Equal in value and JSON type (True is not 1, 1.5 is not "1.5")."""
    if isinstance(expected, bool) or isinstance(actual, bool):
        return type(actual) is type(expected) and actual == expected
    if isinstance(expected, (int, float)):
        return isinstance(actual, (int, float)) and actual == expected
    if isinstance(expected, list):
        return (isinstance(actual, list) and len(actual) == len(expected)
                and all(_same(a, e) for a, e in zip(actual, expected, strict=True)))
    if isinstance(expected, dict):
        return (isinstance(actual, dict) and actual.keys() == expected.keys()
                and all(_same(actual[k], expected[k]) for k in expected))
    return type(actual) is type(expected) and actual == expected


def test_there_are_enough_vectors():
    assert len(VECTORS["expressions"]) >= 200
    assert VECTORS["apply_logic"] and VECTORS["validation"]


@pytest.mark.parametrize("vector", VECTORS["expressions"], ids=lambda vec: vec["id"])
def test_expression_vector(vector):
    answers = vector.get("answers", {})
    today = vector.get("today", VECTORS["today"])
    current = vector.get("current")
    if "error" in vector:
        with pytest.raises(ExpressionError) as caught:
            evaluate(vector["expr"], answers, today=today, current=current)
        assert caught.value.code == vector["error"]
        assert caught.value.message["vi"] and caught.value.message["en"]
    else:
        actual = evaluate(vector["expr"], answers, today=today, current=current)
        assert _same(actual, vector["expect"]), f"{vector['expr']!r} gave {actual!r}"


@pytest.mark.parametrize("vector", VECTORS["apply_logic"], ids=lambda vec: vec["id"])
def test_apply_logic_vector(vector):
    definition = DEFINITIONS[vector["definition"]]
    result = apply_logic_api(definition, vector["answers"], vector.get("today", VECTORS["today"]))
    expect = vector["expect"]
    assert _same(result["answers"], expect["answers"])
    assert result["skipped"] == expect["skipped"]
    assert set(expect.get("visible_includes", [])) <= result["visible"]
    assert not set(expect.get("hidden_includes", [])) & result["visible"]


@pytest.mark.parametrize("vector", VECTORS["validation"], ids=lambda vec: vec["id"])
def test_validation_vector(vector):
    definition = DEFINITIONS[vector["definition"]]
    result = validate_response(definition, vector["answers"], vector.get("today", VECTORS["today"]))
    expect = vector["expect"]
    actual = [{key: error[key] for key in expected} for error, expected
              in zip(result.errors, expect["errors"], strict=False)]
    assert len(result.errors) == len(expect["errors"]), result.errors
    assert actual == expect["errors"]
    if "answers" in expect:
        assert _same(result.answers, expect["answers"])
    if "skipped" in expect:
        assert result.skipped == expect["skipped"]


def test_parse_is_cached_and_returns_plain_tuples():
    assert parse("${a} = 1") is parse("${a} = 1")
    assert parse("${a} = 1") == ("op", "=", ("ref", "a"), ("num", 1.0))
