"""The rules of a definition that span questions: names, choice lists, logic, report metadata.

Each rule returns problems {path, question, message: {vi, en}} (see definition.py).
"""

from server.forms.coercion import ANSWERABLE_TYPES, NOT_APPLICABLE
from server.forms.logic import ExpressionError, parse, references, uses_current

ANSWER_BEARING = ANSWERABLE_TYPES | {"calculate"}
CHOICE_TYPES = {"select_one", "select_multiple", "likert"}
NUMBER_TYPES = {"integer", "decimal"}
LIKERT_POINTS = 5

# property -> the question types that may carry it
ONLY_FOR = {
    "choices": CHOICE_TYPES, "allow_na": {"likert"}, "min": NUMBER_TYPES, "max": NUMBER_TYPES,
    "multiline": {"text"}, "calculation": {"calculate"}, "questions": {"group"},
    "required": ANSWERABLE_TYPES, "constraint": ANSWERABLE_TYPES,
    "constraint_message": ANSWERABLE_TYPES,
}


def problem(path, question, vi, en) -> dict:
    return {"path": path, "question": question, "message": {"vi": vi, "en": en}}


def _label_problems(data, path, name, field, label) -> list[dict]:
    extra = sorted(set(label) - set(data["languages"]))
    if not extra:
        return []
    langs = ", ".join(extra)
    prefix = f"{field}: " if field else ""
    return [problem(path, name, f"{prefix}ngôn ngữ không có trong danh sách ngôn ngữ của phiếu: {langs}",
                    f"{prefix}language not among the form's languages: {langs}")]


def _form_problems(data) -> list[dict]:
    found = []
    if "vi" not in data["languages"]:
        found.append(problem("languages", None, "Phiếu phải có tiếng Việt (vi).",
                             "The form must include Vietnamese (vi)."))
    if data["default_language"] not in data["languages"]:
        found.append(problem("default_language", None,
                             "Ngôn ngữ mặc định phải nằm trong danh sách ngôn ngữ.",
                             "The default language must be one of the languages."))
    for key in ("title", "description"):
        if key in data:
            found += _label_problems(data, key, None, None, data[key])
    for list_name, choices in (data.get("choice_lists") or {}).items():
        seen = set()
        for index, choice in enumerate(choices):
            path = f"choice_lists.{list_name}[{index}]"
            if choice["value"] in seen:
                found.append(problem(path, None, f"Giá trị lựa chọn bị trùng: {choice['value']}",
                                     f"duplicate choice value: {choice['value']}"))
            seen.add(choice["value"])
            found += _label_problems(data, path, None, "label", choice["label"])
    return found


def _type_problems(data, entry, kinds) -> list[dict]:
    question, path, name, kind = entry["question"], entry["path"], entry["name"], entry["type"]
    found = []
    for key, allowed in ONLY_FOR.items():
        if key in question and kind not in allowed:
            found.append(problem(path, name, f"{key}: không dùng được cho câu hỏi loại {kind}",
                                 f"{key}: not allowed on a {kind} question"))
    if kind != "calculate" and "label" not in question:
        found.append(problem(path, name, "label: thiếu nhãn câu hỏi", "label: a label is required"))
    if kind in CHOICE_TYPES:
        lists = (data.get("choice_lists") or {})
        if "choices" not in question:
            found.append(problem(path, name, "choices: cần tên danh sách lựa chọn",
                                 "choices: a choice list name is required"))
        elif question["choices"] not in lists:
            found.append(problem(path, name, f"choices: không có danh sách lựa chọn '{question['choices']}'",
                                 f"choices: no choice list named '{question['choices']}'"))
        elif kind == "likert":
            values = [choice["value"] for choice in lists[question["choices"]]]
            if len(values) != LIKERT_POINTS or NOT_APPLICABLE in values:
                found.append(problem(path, name,
                                     f"choices: thang likert cần đúng {LIKERT_POINTS} mức và không chứa '{NOT_APPLICABLE}'",
                                     f"choices: a likert scale needs exactly {LIKERT_POINTS} points, none of them '{NOT_APPLICABLE}'"))
    if kind == "calculate" and "calculation" not in question:
        found.append(problem(path, name, "calculation: cần biểu thức tính toán",
                             "calculation: an expression is required"))
    if kind == "group" and not question.get("questions"):
        found.append(problem(path, name, "questions: nhóm phải có ít nhất một câu hỏi",
                             "questions: a group needs at least one question"))
    low, high = question.get("min"), question.get("max")
    if low is not None and high is not None and low > high:
        found.append(problem(path, name, "min lớn hơn max", "min is greater than max"))
    for key in ("label", "hint", "constraint_message"):
        if key in question:
            found += _label_problems(data, path, name, key, question[key])
    return found


def _expression_problems(entry, kinds) -> list[dict]:
    question, path, name = entry["question"], entry["path"], entry["name"]
    found = []
    for key in ("relevant", "constraint", "calculation"):
        if key not in question:
            continue
        try:
            ast = parse(question[key])
        except ExpressionError as error:
            found.append(problem(path, name, f"{key}: {error.message['vi']}",
                                 f"{key}: {error.message['en']}"))
            continue
        for ref in sorted(references(ast)):
            if ref not in kinds:
                found.append(problem(path, name, f"{key}: không có câu hỏi ${{{ref}}}",
                                     f"{key}: there is no question ${{{ref}}}"))
            elif kinds[ref] not in ANSWER_BEARING:
                found.append(problem(path, name, f"{key}: ${{{ref}}} là {kinds[ref]}, không có câu trả lời",
                                     f"{key}: ${{{ref}}} is a {kinds[ref]}, it has no answer"))
        if key != "constraint" and uses_current(ast):
            found.append(problem(path, name, f"{key}: chỉ dùng '.' trong constraint",
                                 f"{key}: '.' is only allowed in a constraint"))
    return found


def question_problems(data, entries) -> list[dict]:
    found = _form_problems(data)
    kinds, seen = {}, set()
    for entry in entries:
        kinds.setdefault(entry["name"], entry["type"])
    for entry in entries:
        if entry["name"] in seen:
            found.append(problem(entry["path"], entry["name"], "Tên câu hỏi bị trùng trong phiếu",
                                 "The question name is used twice in the form"))
        seen.add(entry["name"])
        found += _type_problems(data, entry, kinds)
        found += _expression_problems(entry, kinds)
    return found


def report_problems(data, entries) -> list[dict]:
    report = data.get("report")
    if report is None:
        return []
    kinds = {entry["name"]: entry["type"] for entry in entries}
    questions = {entry["name"]: entry["question"] for entry in entries}
    lists = (data.get("choice_lists") or {})
    found = []

    def expect(path, ref, allowed):
        if ref not in kinds:
            found.append(problem(path, None, f"không có câu hỏi '{ref}'", f"there is no question '{ref}'"))
        elif kinds[ref] not in allowed:
            wanted = "/".join(sorted(allowed))
            found.append(problem(path, None, f"'{ref}' là {kinds[ref]}, cần {wanted}",
                                 f"'{ref}' is a {kinds[ref]}, expected {wanted}"))

    groups = list(report["groups"]) + ([report["conduct"]] if "conduct" in report else [])
    keys = [group["key"] for group in groups]
    for index, group in enumerate(report["groups"]):
        for i, ref in enumerate(group["questions"]):
            expect(f"report.groups[{index}].questions[{i}]", ref, {"likert"})
    for i, ref in enumerate(report.get("conduct", {}).get("questions", [])):
        expect(f"report.conduct.questions[{i}]", ref, {"likert"})
    for key in sorted({key for key in keys if keys.count(key) > 1}):
        found.append(problem("report.groups", None, f"khóa nhóm bị trùng: {key}", f"duplicate group key: {key}"))
    likert_values = {choice["value"] for entry in entries if entry["type"] == "likert"
                     for choice in lists.get(entry["question"].get("choices"), [])}
    for i, value in enumerate(report["satisfied_values"]):
        if value not in likert_values:
            found.append(problem(f"report.satisfied_values[{i}]", None,
                                 f"'{value}' không phải là một mức của thang likert",
                                 f"'{value}' is not a point of a likert scale"))
    for index, incident in enumerate(report.get("incidents", [])):
        path = f"report.incidents[{index}]"
        expect(path, incident["question"], {"select_one"})
        if kinds.get(incident["question"]) == "select_one":
            values = {c["value"] for c in lists.get(questions[incident["question"]].get("choices"), [])}
            if incident["value"] not in values:
                found.append(problem(path, None, f"'{incident['value']}' không có trong các lựa chọn",
                                     f"'{incident['value']}' is not one of the choices"))
    for key in ("overall", "trend"):
        if key in report:
            expect(f"report.{key}", report[key], {"likert", "select_one"})
    for i, ref in enumerate(report.get("breakdowns", [])):
        expect(f"report.breakdowns[{i}]", ref, {"select_one", "calculate"})
    for i, ref in enumerate(report.get("comments", [])):
        expect(f"report.comments[{i}]", ref, {"text"})
    return found
