"""Checking one response against its form version: the check sync runs on every response.

Mirrors validateAnswers in pwa/js/form-logic.js; the error codes and messages are
fixed by the "validation" vectors in forms/vectors/logic.json.
"""

from dataclasses import dataclass

from server.forms import logic_values as v
from server.forms.coercion import ANSWERABLE_TYPES
from server.forms.compiled import compiled_form

MESSAGES = {
    "unknown_question": ("Không có câu hỏi này trong phiếu: {name}.",
                         "There is no such question in this form: {name}."),
    "not_in_choices": ("Giá trị không có trong các lựa chọn: {value}.",
                       "Not one of the choices: {value}."),
    "required": ("Câu hỏi này bắt buộc phải trả lời.", "This question must be answered."),
    "too_long": ("Câu trả lời quá dài (tối đa {max} ký tự).",
                 "The answer is too long (at most {max} characters)."),
    "range_both": ("Giá trị phải từ {min} đến {max}.", "The value must be from {min} to {max}."),
    "range_min": ("Giá trị phải từ {min} trở lên.", "The value must be at least {min}."),
    "range_max": ("Giá trị không được lớn hơn {max}.", "The value must be at most {max}."),
    "constraint": ("Giá trị không hợp lệ.", "The value is not valid."),
}
WRONG_TYPE = {
    "select_one": ("Hãy chọn một lựa chọn.", "Choose one option."),
    "likert": ("Hãy chọn một mức trên thang đo.", "Choose one point on the scale."),
    "select_multiple": ("Hãy chọn một hoặc nhiều lựa chọn.", "Choose one or more options."),
    "integer": ("Hãy nhập một số nguyên.", "Enter a whole number."),
    "decimal": ("Hãy nhập một số.", "Enter a number."),
    "text": ("Hãy nhập chữ.", "Enter text."),
    "date": ("Hãy nhập ngày theo dạng NNNN-TT-NN.", "Enter a date as YYYY-MM-DD."),
}
# The questions checked below are the compiled form's `answerable` ones: these types.
assert WRONG_TYPE.keys() == ANSWERABLE_TYPES


@dataclass(frozen=True, slots=True)
class ValidationResult:
    answers: dict
    skipped: list
    errors: list

    @property
    def ok(self) -> bool:
        return not self.errors


def _message(key: str, **params) -> dict:
    vi, en = MESSAGES[key]
    return {"vi": vi.format(**params), "en": en.format(**params)}


def _error(question: str, code: str, message: dict) -> dict:
    return {"question": question, "code": code, "message": message}


def _problem_error(node, code: str, params: dict) -> dict:
    if code == "wrong_type":
        vi, en = WRONG_TYPE[node.type]
        return _error(node.name, code, {"vi": vi, "en": en})
    return _error(node.name, code, _message(code, **params))


def _range_error(node, value):
    low, high = node.question.get("min"), node.question.get("max")
    if (low is None or value >= low) and (high is None or value <= high):
        return None
    params = {"min": v.format_number(low) if low is not None else "",
              "max": v.format_number(high) if high is not None else ""}
    key = "range_both" if low is not None and high is not None else (
        "range_min" if low is not None else "range_max")
    return _error(node.name, "out_of_range", _message(key, **params))


def _constraint_error(node, value, answers, today):
    if node.constraint is None:
        return None
    if v.to_boolean(node.constraint(answers, value, today)):
        return None
    custom = node.question.get("constraint_message")
    if not custom:
        return _error(node.name, "constraint", _message("constraint"))
    # A form's own message wins; English falls back to the Vietnamese one.
    return _error(node.name, "constraint", {"vi": custom["vi"], "en": custom.get("en") or custom["vi"]})


def validate_response(definition: dict, answers: dict, today: str | None = None, *,
                      content_hash: str | None = None) -> ValidationResult:
    """Clean and check one response's answers; errors are [{question, code, message}].

    The definition is compiled once and cached by identity and content hash: never
    mutate a definition dict after validating with it.
    """
    compiled = compiled_form(definition, content_hash)
    values, problems, unknown = compiled.coerce(answers if isinstance(answers, dict) else {})
    cleaned, skipped, shown = compiled.checked_answers(values, today)
    errors = [_error(name, "unknown_question", _message("unknown_question", name=name))
              for name in sorted(unknown)]
    for node in compiled.answerable:
        if not shown[node.index]:
            continue
        if node.name in problems:
            errors.append(_problem_error(node, *problems[node.name]))
            continue
        if node.name not in cleaned:
            if node.question.get("required"):
                errors.append(_error(node.name, "required", _message("required")))
            continue
        value = cleaned[node.name]
        problem = None
        if node.type in ("integer", "decimal"):
            problem = _range_error(node, value)
        if problem is None and node.constraint is not None:
            problem = _constraint_error(node, value, cleaned, today)
        if problem:
            errors.append(problem)
    return ValidationResult(cleaned, skipped, errors)
