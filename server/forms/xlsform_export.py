"""Writing our form definition as an XLSForm workbook (sheets survey, choices, settings).

Numeric bounds are folded into the constraint (". >= 0 and . <= 120") so that ODK and
KoboToolbox enforce them too; a likert question becomes `select_one` with appearance
`likert`, and one that allows "not applicable" uses a list with an extra "na" choice.
The import recognises both, so our form -> XLSForm -> our form gives the same form.
"""

import json

from openpyxl import Workbook

from server.forms.compiled import walk_questions
from server.forms.logic_values import format_number
from server.forms.xlsform_common import (
    EXTRA_SHEET,
    NA_LABEL,
    NA_SUFFIX,
    language_column,
)

TYPE_NAMES = {"select_one": "select_one", "likert": "select_one",
              "select_multiple": "select_multiple", "integer": "integer", "decimal": "decimal",
              "text": "text", "date": "date", "note": "note", "calculate": "calculate"}


def _bounds_constraint(question: dict) -> str | None:
    parts = []
    if question.get("min") is not None:
        parts.append(f". >= {format_number(question['min'])}")
    if question.get("max") is not None:
        parts.append(f". <= {format_number(question['max'])}")
    if question.get("constraint"):
        parts.append(f"({question['constraint']})" if parts else question["constraint"])
    return " and ".join(parts) or None


def _list_name(question: dict) -> str:
    name = question["choices"]
    return name + NA_SUFFIX if question["type"] == "likert" and question.get("allow_na") else name


def _appearance(question: dict) -> str | None:
    tokens = []
    if question["type"] == "likert":
        tokens.append("likert")
    if question.get("multiline"):
        tokens.append("multiline")
    if question.get("appearance"):
        tokens.append(question["appearance"])
    return " ".join(tokens) or None


def _survey_rows(definition: dict, languages: list[str]):
    columns = (["type", "name"] + [language_column("label", c) for c in languages]
               + [language_column("hint", c) for c in languages]
               + ["required", "relevant", "constraint"]
               + [language_column("constraint_message", c) for c in languages]
               + ["calculation", "appearance"])
    rows = [columns]

    def row(**cells):
        return [cells.get(column) for column in columns]

    def labels(prefix, label):
        return {language_column(prefix, code): text for code, text in (label or {}).items()}

    def visit(questions):
        for question in questions:
            kind = question["type"]
            common = {"name": question["name"], **labels("label", question.get("label")),
                      **labels("hint", question.get("hint")), "relevant": question.get("relevant"),
                      "appearance": _appearance(question)}
            if kind == "group":
                rows.append(row(type="begin_group", **common))
                visit(question["questions"])
                rows.append(row(type="end_group", name=question["name"]))
                continue
            kind_text = TYPE_NAMES[kind]
            if "choices" in question:
                kind_text += " " + _list_name(question)
            rows.append(row(type=kind_text, **common,
                            required="yes" if question.get("required") else None,
                            constraint=_bounds_constraint(question),
                            calculation=question.get("calculation"),
                            **labels("constraint_message", question.get("constraint_message"))))

    visit(definition["questions"])
    return rows


def _choice_rows(definition: dict, languages: list[str]):
    columns = ["list_name", "name"] + [language_column("label", code) for code in languages]
    rows = [columns]
    with_na = {question["choices"] for question in (e["question"] for e in walk_questions(definition))
               if question["type"] == "likert" and question.get("allow_na")}

    def add(list_name, choice):
        labels = {language_column("label", code): text for code, text in choice["label"].items()}
        rows.append([{"list_name": list_name, "name": choice["value"]}.get(column, labels.get(column))
                     for column in columns])

    for list_name, choices in definition.get("choice_lists", {}).items():
        for choice in choices:
            add(list_name, choice)
    for list_name in sorted(with_na):
        for choice in definition["choice_lists"][list_name]:
            add(list_name + NA_SUFFIX, choice)
        add(list_name + NA_SUFFIX, {"value": "na", "label": {
            code: NA_LABEL.get(code, NA_LABEL["en"]) for code in languages}})
    return rows


def export_xlsform(definition: dict, version: int | None = None) -> Workbook:
    """The workbook of a definition; save it with workbook.save(path)."""
    languages = list(definition["languages"])
    default = definition["default_language"]
    workbook = Workbook()
    survey = workbook.active
    survey.title = "survey"
    for row in _survey_rows(definition, languages):
        survey.append(row)
    choices = workbook.create_sheet("choices")
    for row in _choice_rows(definition, languages):
        choices.append(row)
    settings = workbook.create_sheet("settings")
    settings.append(["form_title", "form_id", "version", "default_language"])
    settings.append([definition["title"].get(default, definition["title"]["vi"]), definition["name"],
                     str(version) if version is not None else None,
                     language_column("x", default).split("::", 1)[1]])
    extra = workbook.create_sheet(EXTRA_SHEET)
    extra.append(["key", "value"])
    for code, text in definition["title"].items():
        extra.append([f"title::{code}", text])
    for code, text in (definition.get("description") or {}).items():
        extra.append([f"description::{code}", text])
    extra.append(["languages", " ".join(languages)])
    if "report" in definition:
        extra.append(["report", json.dumps(definition["report"], ensure_ascii=False)])
    for sheet in (survey, choices, settings, extra):
        for column in sheet.columns:
            sheet.column_dimensions[column[0].column_letter].width = 24
    return workbook
