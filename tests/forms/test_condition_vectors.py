"""The condition builder's shared vectors (forms/vectors/condition_builder.json) read by the
Python engine: every expression the designer treats as valid parses here too, every one it
shows as an error fails here with the same code, and the canonical text the builder writes
means the same as the hand-written text it stands for.

tests/js/designer-condition-builder.test.mjs runs the builder itself on the same file.
"""

import itertools
import json
from pathlib import Path

import pytest

from server.forms.logic import ExpressionError, evaluate, parse, references

VECTORS = json.loads(
    (Path(__file__).resolve().parents[2] / "forms" / "vectors" / "condition_builder.json")
    .read_text("utf-8")
)
CURRENT = "."


def _error_code(text: str) -> str | None:
    try:
        parse(text)
    except ExpressionError as error:
        return error.code
    return None


def _rows_questions(model: dict) -> set[str]:
    return {row["question"] for row in model["rows"] if row["question"] != CURRENT}


def _answer_sets(model: dict):
    """Answers that tell the rows apart: each row's value, another value, or no answer."""
    candidates: dict[str, list] = {}
    for row in model["rows"]:
        values = candidates.setdefault(row["question"], [None, "zz", 0])
        value = row["value"]
        if value is not None:
            values += [value, [str(value)], value + 1 if isinstance(value, (int, float)) else value + "x"]
    names = sorted(candidates)
    for combination in itertools.islice(itertools.product(*(candidates[n] for n in names)), 400):
        chosen = dict(zip(names, combination, strict=True))
        current = chosen.pop(CURRENT, None)
        yield {k: v for k, v in chosen.items() if v is not None}, current


@pytest.mark.parametrize("vector", VECTORS["read"], ids=lambda v: v["id"])
def test_python_engine_agrees_on_valid_and_invalid(vector):
    code = _error_code(vector["text"])
    if vector["builder"] == "error":
        assert code == vector["error"]
    else:
        assert code is None, f"{vector['text']!r} fails in Python: {code}"


@pytest.mark.parametrize("vector", [v for v in VECTORS["read"] if isinstance(v["builder"], dict)],
                         ids=lambda v: v["id"])
def test_canonical_text_means_the_same_to_the_python_engine(vector):
    model = vector["builder"]
    original, canonical = parse(vector["text"]), parse(vector["canonical"])
    assert references(original) == references(canonical) == _rows_questions(model)
    for answers, current in _answer_sets(model):
        assert evaluate(original, answers, today="2025-07-15", current=current) == \
            evaluate(canonical, answers, today="2025-07-15", current=current), (answers, current)


@pytest.mark.parametrize("vector", [v for v in VECTORS["write"] if "text" in v],
                         ids=lambda v: v["id"])
def test_written_text_parses_in_python(vector):
    if vector["text"]:
        assert references(parse(vector["text"])) == _rows_questions(vector["model"])


@pytest.mark.parametrize("vector", VECTORS["edits"], ids=lambda v: v["id"])
def test_an_edit_stores_text_the_python_engine_reads_like_the_builder(vector):
    if vector["expect"] == vector["text"]:
        return  # kept byte for byte: whatever it was, it still is
    if vector["expect"]:
        assert references(parse(vector["expect"])) == _rows_questions(vector["model"])
