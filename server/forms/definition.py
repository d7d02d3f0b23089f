"""Loading and checking a form definition; every problem names the question and its path.

load_definition(data) returns the definition with all text NFC-normalised, or raises
DefinitionError listing every problem as {path, question, message: {vi, en}}, e.g.
"questions[3].questions[1] (q_access_2): choices: no choice list named 'likert'".
"""

import copy
import unicodedata

import marshmallow as ma

from server.forms.compiled import CompiledForm, LogicCycleError, walk_questions
from server.forms.definition_rules import question_problems, report_problems
from server.forms.definition_schema import DefinitionSchema

# marshmallow's own messages, in Vietnamese for the admins who read them.
_VIETNAMESE = {
    "Missing data for required field.": "Thiếu trường bắt buộc.",
    "Unknown field.": "Trường không được phép.",
    "Not a valid string.": "Phải là chuỗi ký tự.",
    "Not a valid boolean.": "Phải là true hoặc false.",
    "Not a valid number.": "Phải là một số.",
    "Not a valid integer.": "Phải là số nguyên.",
    "Not a valid list.": "Phải là một danh sách.",
    "Not a valid mapping type.": "Phải là một đối tượng (mapping).",
    "Invalid input type.": "Kiểu dữ liệu không hợp lệ.",
    "Field may not be null.": "Không được là null.",
    "String does not match expected pattern.": "Không đúng định dạng cho phép.",
    "A Vietnamese text (vi) is required.": "Cần có nội dung tiếng Việt (vi).",
    "Must be equal to 1.": "Phải bằng 1.",
}


class DefinitionError(ValueError):
    def __init__(self, errors: list[dict]):
        self.errors = errors
        super().__init__("; ".join(format_problem(error) for error in errors[:5]))

    def lines(self, language: str = "vi") -> list[str]:
        return [format_problem(error, language) for error in self.errors]


def format_problem(problem: dict, language: str = "en") -> str:
    where = problem["path"] or "definition"
    if problem.get("question"):
        where += f" ({problem['question']})"
    return f"{where}: {problem['message'][language]}"


def _translate(message: str) -> str:
    if message in _VIETNAMESE:
        return _VIETNAMESE[message]
    if message.startswith("Must be one of:"):
        return "Phải là một trong:" + message[len("Must be one of:"):]
    if message.startswith("Length must be") or message.startswith("Shorter than") or \
            message.startswith("Longer than"):
        return "Độ dài không hợp lệ (" + message + ")"
    return message


def _flatten(messages, parts=()):
    if isinstance(messages, dict):
        for key, inner in messages.items():
            yield from _flatten(inner, (*parts, key))
    elif isinstance(messages, list) and messages and all(isinstance(m, str) for m in messages):
        for message in messages:
            yield parts, message
    elif isinstance(messages, list):
        for inner in messages:
            yield from _flatten(inner, parts)
    else:
        yield parts, str(messages)


def _render_path(parts) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _structure_problems(data: dict, messages: dict) -> list[dict]:
    problems = []
    for parts, message in _flatten(messages):
        # The longest questions[i].questions[j]... prefix names the question.
        split, node, question = 0, data, None
        while (split + 1 < len(parts) and parts[split] == "questions"
               and isinstance(parts[split + 1], int) and isinstance(node, dict)):
            items = node.get("questions")
            if not isinstance(items, list) or parts[split + 1] >= len(items):
                break
            node = items[parts[split + 1]]
            question = node.get("name") if isinstance(node, dict) else None
            split += 2
        field = _render_path(parts[split:])
        prefix = f"{field}: " if field and split else ""
        path = _render_path(parts[:split]) if split else _render_path(parts)
        problems.append({"path": path, "question": question if split else None,
                         "message": {"vi": prefix + _translate(message), "en": prefix + message}})
    return problems


def normalize_all_text(value):
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [normalize_all_text(item) for item in value]
    if isinstance(value, dict):
        return {normalize_all_text(key): normalize_all_text(item) for key, item in value.items()}
    return value


def definition_problems(data) -> list[dict]:
    """Every problem of a definition, in document order; empty when it is valid."""
    if not isinstance(data, dict):
        return [{"path": "", "question": None,
                 "message": {"vi": "Định nghĩa phải là một đối tượng JSON.",
                             "en": "A definition must be a JSON object."}}]
    try:
        DefinitionSchema().load(data)
    except ma.ValidationError as error:
        return _structure_problems(data, error.messages)
    entries = walk_questions(data)
    problems = question_problems(data, entries)
    problems += report_problems(data, entries)
    if not problems:
        try:
            CompiledForm(data)
        except LogicCycleError as error:
            names = ", ".join(error.names)
            problems.append({"path": "questions", "question": None, "message": {
                "vi": f"Điều kiện hiển thị/tính toán phụ thuộc vòng tròn giữa: {names}.",
                "en": f"relevant/calculation conditions depend on each other in a cycle: {names}."}})
    return problems


def load_definition(data) -> dict:
    """The definition, NFC-normalised and checked; raises DefinitionError."""
    definition = normalize_all_text(copy.deepcopy(data)) if isinstance(data, dict) else data
    problems = definition_problems(definition)
    if problems:
        raise DefinitionError(problems)
    return definition
