"""Reading an XLSForm workbook (as ODK and KoboToolbox users write them) into our definition.

Whatever cannot be converted is reported row by row with its sheet and row number:
problems stop the import, warnings (device metadata, presentation-only columns) are
reported and the rest converts. The expression syntax of XLSForm (`${name}`, `.`,
selected(), count-selected(), and/or/not()) is ours, so expressions pass through and
definition checks catch what we do not support (regex(), jr:choice-name(), ...).
"""

import json
import re
import zipfile

from openpyxl import load_workbook

from server.forms.definition import definition_problems, normalize_all_text
from server.forms.xlsform_common import (
    EXTRA_SHEET,
    NA_SUFFIX,
    XLSFormError,
    cell_text,
    language_code,
    row_problem,
)

SIMPLE_TYPES = {"integer", "decimal", "text", "date", "note", "calculate"}
METADATA_TYPES = {"start", "end", "today", "deviceid", "subscriberid", "simserial", "phonenumber",
                  "username", "email", "audit", "start-geopoint", "background-audio", "uri:deviceid"}
ALIASES = {"relevance": "relevant", "calculate": "calculation", "jr:constraintmsg": "constraint_message",
           "constraint message": "constraint_message", "list name": "list_name"}
LABELLED = {"label", "hint", "constraint_message"}
SURVEY_COLUMNS = {"type", "name", "required", "relevant", "constraint", "calculation", "appearance"}
REFUSED_COLUMNS = {"choice_filter", "repeat_count"}
TRUE_WORDS = {"yes", "true", "true()", "1"}
FALSE_WORDS = {"", "no", "false", "false()", "0"}
_NUMBER = r"(-?[0-9]+(?:\.[0-9]+)?)"
_BOUNDS = re.compile(rf"^\.\s*>=\s*{_NUMBER}(?:\s+and\s+\.\s*<=\s*{_NUMBER})?(?:\s+and\s+\((.*)\))?$|"
                     rf"^\.\s*<=\s*{_NUMBER}(?:\s+and\s+\((.*)\))?$", re.S)
_QUESTION_PATH = re.compile(r"^questions\[\d+\](?:\.questions\[\d+\])*")
_CHOICE_PATH = re.compile(r"^choice_lists\.([A-Za-z0-9_]+)\[(\d+)\]")


class _Sheet:
    """One sheet as (row number, {column: text}) with columns split into base and language."""

    def __init__(self, worksheet, name):
        self.name = name
        rows = list(worksheet.iter_rows(values_only=True))
        self.columns = []
        for cell in rows[0] if rows else []:
            text = cell_text(cell)
            base, _, language = text.partition("::")
            base = ALIASES.get(base.strip().lower(), base.strip().lower())
            self.columns.append((base, language.strip() or None))
        self.rows = []
        for number, values in enumerate(rows[1:], start=2):
            cells = {}
            for (base, language), value in zip(self.columns, values, strict=False):
                text = cell_text(value)
                if base and text:
                    cells[(base, language)] = text
            if cells:
                self.rows.append((number, cells))


def _number(text: str):
    return float(text) if "." in text else int(text)


class _Importer:
    def __init__(self, workbook, fallback_name: str | None):
        self.problems, self.warnings = [], []
        self.fallback_name = fallback_name
        sheets = {ws.title.strip().lower(): ws for ws in workbook.worksheets}
        self.sheets = {key: _Sheet(sheets[key], sheets[key].title)
                       for key in ("survey", "choices", "settings", EXTRA_SHEET) if key in sheets}
        self.question_rows, self.choice_rows, self.extra_rows = {}, {}, {}
        self.languages_seen = []

    def problem(self, sheet, row, vi, en, column=None):
        self.problems.append(row_problem(sheet, row, vi, en, column))

    def warn(self, sheet, row, vi, en, column=None):
        self.warnings.append(row_problem(sheet, row, vi, en, column))

    # -- columns and labels -------------------------------------------------
    def language(self, sheet, code_text):
        code = language_code(code_text) if code_text else self.default_language
        if code is None:
            self.problem(sheet, 1, f"Không nhận ra ngôn ngữ '{code_text}'; hãy viết dạng 'Tiếng Việt (vi)'",
                         f"Unknown language '{code_text}'; write it as 'English (en)'")
        elif code not in self.languages_seen:
            self.languages_seen.append(code)
        return code

    def labels(self, sheet, cells, base):
        label = {}
        for (column, language), text in cells.items():
            if column == base:
                code = self.language(sheet, language)
                if code:
                    label[code] = text
        return label

    def check_columns(self, sheet: _Sheet, known: set):
        for base, language in sheet.columns:
            if not base or base in known or base in LABELLED | REFUSED_COLUMNS:
                continue
            column = f"{base}::{language}" if language else base
            self.warn(sheet.name, 1, f"Cột '{column}' không được chuyển đổi và bị bỏ qua",
                      f"Column '{column}' is not converted and is ignored", column)

    # -- settings and extra sheet --------------------------------------------
    def read_settings(self):
        settings = self.sheets.get("settings")
        self.settings = dict(settings.rows[0][1]) if settings and settings.rows else {}
        self.settings_row = settings.rows[0][0] if settings and settings.rows else None
        default_text = self.settings.get(("default_language", None))
        self.default_language = (language_code(default_text) if default_text else None) or "vi"
        if default_text and language_code(default_text) is None:
            self.problem("settings", self.settings_row, f"Không nhận ra ngôn ngữ '{default_text}'",
                         f"Unknown language '{default_text}'", "default_language")
        for column, _language in self.settings:
            if column not in {"form_title", "form_id", "version", "default_language"}:
                self.warn("settings", self.settings_row, f"Thiết lập '{column}' bị bỏ qua",
                          f"Setting '{column}' is ignored", column)
        self.extra = {}
        extra = self.sheets.get(EXTRA_SHEET)
        for number, cells in extra.rows if extra else []:
            key, value = cells.get(("key", None)), cells.get(("value", None), "")
            if key:
                self.extra[key] = value
                self.extra_rows[key] = number

    # -- survey ---------------------------------------------------------------
    def read_survey(self):
        survey = self.sheets.get("survey")
        if survey is None:
            self.problem("survey", None, "Không có trang tính 'survey'", "There is no 'survey' sheet")
            return []
        self.check_columns(survey, SURVEY_COLUMNS | {"default", "read_only", "required_message",
                                                    "guidance_hint", "parameters", "trigger"})
        root = {"questions": [], "path": "questions", "row": None}
        stack = [root]
        for number, cells in survey.rows:
            kind = " ".join(cells.get(("type", None), "").lower().split())
            kind = kind.replace("begin_", "begin ").replace("end_", "end ")
            kind = kind.replace("select one ", "select_one ").replace("select multiple ", "select_multiple ")
            self.row_warnings(number, cells)
            if not kind:
                self.problem("survey", number, "Dòng không có loại câu hỏi (type)", "The row has no type", "type")
            elif kind in ("end group", "end repeat"):
                if len(stack) == 1:
                    self.problem("survey", number, "'end group' không có 'begin group' tương ứng",
                                 "'end group' without a matching 'begin group'", "type")
                else:
                    stack.pop()
            elif kind in ("begin group", "begin repeat"):
                if kind == "begin repeat":
                    self.problem("survey", number, "Nhóm lặp (repeat) chưa được hỗ trợ",
                                 "Repeat groups are not supported", "type")
                group = self.question(number, cells, "group", None)
                group["questions"] = []
                parent = stack[-1]
                parent["questions"].append(group)
                self.question_rows[f"{parent['path']}[{len(parent['questions']) - 1}]"] = number
                stack.append({"questions": group["questions"], "row": number,
                              "path": f"{parent['path']}[{len(parent['questions']) - 1}].questions"})
            elif kind in METADATA_TYPES:
                self.warn("survey", number, f"Trường siêu dữ liệu '{kind}' bị bỏ qua (Lắng Nghe tự ghi thời gian)",
                          f"Metadata field '{kind}' is skipped (Lắng Nghe records times itself)", "type")
            else:
                question = self.typed_question(number, cells, kind)
                if question is not None:
                    parent = stack[-1]
                    parent["questions"].append(question)
                    self.question_rows[f"{parent['path']}[{len(parent['questions']) - 1}]"] = number
        for open_group in stack[1:]:
            self.problem("survey", open_group["row"], "'begin group' chưa có 'end group'",
                         "'begin group' is never closed by 'end group'", "type")
        return root["questions"]

    def row_warnings(self, number, cells):
        for column in ("choice_filter", "repeat_count"):
            if (column, None) in cells:
                self.problem("survey", number, f"Cột '{column}' chưa được hỗ trợ",
                             f"'{column}' is not supported", column)
        for column, _language in cells:
            if column in {"default", "read_only", "required_message", "guidance_hint", "parameters",
                          "trigger"}:
                self.warn("survey", number, f"Giá trị ở cột '{column}' bị bỏ qua",
                          f"The '{column}' value is ignored", column)

    def typed_question(self, number, cells, kind):
        parts = kind.split(" ")
        if parts[0] in ("select_one", "select_multiple") and len(parts) == 2:
            return self.question(number, cells, parts[0], parts[1])
        if parts[0] in ("select_one", "select_multiple") and len(parts) == 3 and parts[2] == "or_other":
            self.problem("survey", number, "'or_other' chưa được hỗ trợ: hãy thêm lựa chọn 'other' và một câu hỏi text",
                         "'or_other' is not supported: add an 'other' choice and a text question", "type")
            return None
        if kind in SIMPLE_TYPES:
            return self.question(number, cells, kind, None)
        self.problem("survey", number, f"Loại câu hỏi '{kind}' chưa được hỗ trợ",
                     f"Question type '{kind}' is not supported", "type")
        return None

    def question(self, number, cells, kind, choices):
        question = {"type": kind, "name": cells.get(("name", None), "")}
        for key in ("label", "hint"):
            label = self.labels("survey", cells, key)
            if label:
                question[key] = label
        if kind == "group" and "label" not in question and question["name"]:
            question["label"] = {self.default_language: question["name"]}
            self.warn("survey", number, "Nhóm không có nhãn: dùng tên nhóm làm nhãn",
                      "The group has no label: its name is used", "label")
        required = cells.get(("required", None), "").lower()
        if required in TRUE_WORDS:
            question["required"] = True
        elif required not in FALSE_WORDS:
            self.problem("survey", number, f"'required' phải là yes hoặc no, không phải '{required}'",
                         f"'required' must be yes or no, not '{required}'", "required")
        for key in ("relevant", "constraint", "calculation"):
            if (key, None) in cells:
                question[key] = cells[(key, None)]
        message = self.labels("survey", cells, "constraint_message")
        if message:
            question["constraint_message"] = message
        if choices:
            question["choices"] = choices
        tokens = cells.get(("appearance", None), "").split()
        if "multiline" in tokens and kind == "text":
            tokens.remove("multiline")
            question["multiline"] = True
        if "likert" in tokens and kind == "select_one":
            tokens.remove("likert")
            question["type"] = "likert"  # confirmed once the choice lists are read
        if tokens:
            question["appearance"] = " ".join(tokens)
        if kind in ("integer", "decimal") and "constraint" in question:
            self.extract_bounds(question)
        return question

    def extract_bounds(self, question):
        match = _BOUNDS.match(question["constraint"].strip())
        if not match:
            return
        low, high, rest = match.group(1), match.group(2), match.group(3)
        if low is None:
            high, rest = match.group(4), match.group(5)
        if rest is None and "constraint_message" in question:
            return  # the form's own message belongs to this constraint: keep it whole
        if low is not None:
            question["min"] = _number(low)
        if high is not None:
            question["max"] = _number(high)
        if rest is None:
            del question["constraint"]
        else:
            question["constraint"] = rest

    # -- choices ---------------------------------------------------------------
    def read_choices(self):
        lists = {}
        sheet = self.sheets.get("choices")
        if sheet is None:
            return lists
        self.check_columns(sheet, {"list_name", "name"})
        for number, cells in sheet.rows:
            list_name, value = cells.get(("list_name", None)), cells.get(("name", None))
            if not list_name or not value:
                self.problem("choices", number, "Lựa chọn cần có list_name và name",
                             "A choice needs a list_name and a name", "list_name" if not list_name else "name")
                continue
            choice = {"value": value}
            label = self.labels("choices", cells, "label")
            if label:
                choice["label"] = label
            lists.setdefault(list_name, []).append(choice)
            self.choice_rows[(list_name, len(lists[list_name]) - 1)] = number
        return lists

    def resolve_likert(self, questions, lists):
        """Likert questions need five points; "na" in the list means "not applicable"."""
        consumed, used, plain = set(), set(), set()

        def visit(items, path, act):
            for index, question in enumerate(items):
                here = f"{path}[{index}]"
                if question["type"] == "group":
                    visit(question.get("questions", []), here + ".questions", act)
                elif "choices" in question:
                    act(question, here)

        def note_plain(question, _):
            if question["type"] != "likert":
                plain.add(question["choices"])

        def resolve(question, here):
            name = question["choices"]
            if question["type"] == "likert":
                name = self.likert_list(question, lists, consumed, plain, here)
            used.add(name)

        visit(questions, "questions", note_plain)
        visit(questions, "questions", resolve)
        return {name: items for name, items in lists.items() if name not in consumed or name in used}

    def likert_list(self, question, lists, consumed, plain, path):
        name = question["choices"]
        choices = lists.get(name, [])
        points = [choice for choice in choices if choice["value"] != "na"]
        if len(points) != 5:
            question["type"] = "select_one"
            question["appearance"] = " ".join(filter(None, ["likert", question.get("appearance")]))
            self.warn("survey", self.question_rows.get(path),
                      "Thang 'likert' cần đúng 5 mức: giữ là select_one",
                      "A 'likert' scale needs exactly 5 points: kept as select_one", "appearance")
            return name
        if len(points) == len(choices):
            return name
        question["allow_na"] = True
        if name.endswith(NA_SUFFIX) and lists.get(name[: -len(NA_SUFFIX)], points) == points:
            base = name[: -len(NA_SUFFIX)]  # the pair our export writes: scale and scale_na
            consumed.add(name)
        elif name not in plain:
            base = name  # only likert questions use it: the "na" row becomes allow_na
        else:
            base = name + "_points"
        lists[base] = points
        question["choices"] = base
        return base

    # -- the whole workbook ------------------------------------------------------
    def definition(self):
        self.read_settings()
        questions = self.read_survey()
        lists = self.resolve_likert(questions, self.read_choices())
        languages = self.extra.get("languages", "").split() or (
            [self.default_language] + [c for c in self.languages_seen if c != self.default_language])
        title = {key.split("::", 1)[1]: value for key, value in self.extra.items()
                 if key.startswith("title::")}
        name = self.settings.get(("form_id", None)) or self.fallback_name
        if not name:
            self.problem("settings", self.settings_row, "Cần form_id (tên phiếu)",
                         "A form_id (the form's name) is required", "form_id")
        title = title or {self.default_language: self.settings.get(("form_title", None)) or name or ""}
        definition = {"schema_version": 1, "name": name or "", "title": title}
        description = {key.split("::", 1)[1]: value for key, value in self.extra.items()
                       if key.startswith("description::")}
        if description:
            definition["description"] = description
        definition.update({"languages": languages, "default_language": self.default_language,
                           "choice_lists": lists, "questions": questions})
        if "report" in self.extra:
            try:
                definition["report"] = json.loads(self.extra["report"])
            except ValueError:
                self.problem(EXTRA_SHEET, self.extra_rows["report"], "'report' không phải JSON hợp lệ",
                             "'report' is not valid JSON", "value")
        return normalize_all_text(definition)

    def locate(self, problem):
        """The sheet and row a definition problem comes from."""
        path = problem["path"]
        match = _QUESTION_PATH.match(path)
        if match and match.group() in self.question_rows:
            return "survey", self.question_rows[match.group()]
        match = _CHOICE_PATH.match(path)
        if match:
            return "choices", self.choice_rows.get((match.group(1), int(match.group(2))))
        if path.startswith("report"):
            return EXTRA_SHEET, self.extra_rows.get("report")
        return "settings", self.settings_row

    def run(self):
        definition = self.definition()
        if definition["name"]:
            for problem in definition_problems(definition):
                sheet, row = self.locate(problem)
                where = f"{problem['path']} ({problem['question']}): " if problem.get("question") else \
                    (f"{problem['path']}: " if problem["path"] else "")
                self.problem(sheet, row, where + problem["message"]["vi"], where + problem["message"]["en"])
        if self.problems:
            raise XLSFormError(self.problems, self.warnings)
        return definition, self.warnings


def import_xlsform(source, fallback_name: str | None = None):
    """(definition, warnings) from an .xlsx path or file; raises XLSFormError."""
    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise XLSFormError([row_problem("", None, f"Không đọc được tệp .xlsx: {error}",
                                        f"Cannot read the .xlsx file: {error}")]) from error
    try:
        return _Importer(workbook, fallback_name).run()
    finally:
        workbook.close()
