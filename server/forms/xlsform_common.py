"""What XLSForm import and export share: language columns, cell text, the error type."""

import re

# The sheet that carries what XLSForm has no place for (report metadata, translated
# title); ODK and KoboToolbox ignore sheets they do not know.
EXTRA_SHEET = "lang_nghe"
LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English"}
_NAME_TO_CODE = {"vietnamese": "vi", "tiếng việt": "vi", "tieng viet": "vi", "english": "en",
                 "tiếng anh": "en"}
_CODE_IN_PARENS = re.compile(r"\(([a-z]{2,3}(?:-[A-Za-z0-9]+)?)\)\s*$")
_BARE_CODE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]+)?$")
NA_LABEL = {"vi": "Không áp dụng", "en": "Not applicable"}
NA_SUFFIX = "_na"


class XLSFormError(ValueError):
    """The workbook cannot be converted; problems are listed row by row."""

    def __init__(self, problems: list[dict], warnings: list[dict] | None = None):
        self.problems = problems
        self.warnings = warnings or []
        super().__init__("; ".join(format_row_problem(p) for p in problems[:5]))


def row_problem(sheet: str, row: int | None, vi: str, en: str, column: str | None = None) -> dict:
    return {"sheet": sheet, "row": row, "column": column, "message": {"vi": vi, "en": en}}


def format_row_problem(problem: dict, language: str = "en") -> str:
    where = problem["sheet"]
    if problem.get("row"):
        where += f" row {problem['row']}" if language == "en" else f" dòng {problem['row']}"
    if problem.get("column"):
        where += f" [{problem['column']}]"
    return f"{where}: {problem['message'][language]}"


def language_code(text: str) -> str | None:
    """"Tiếng Việt (vi)", "English (en)", "vi" or "Vietnamese" -> the code; None if unknown."""
    text = text.strip()
    match = _CODE_IN_PARENS.search(text)
    if match:
        return match.group(1)
    if _BARE_CODE.match(text):
        return text
    return _NAME_TO_CODE.get(text.lower())


def language_column(base: str, code: str) -> str:
    return f"{base}::{LANGUAGE_NAMES.get(code, code)} ({code})"


def cell_text(value) -> str:
    """A cell as text: 1 and 1.0 both become "1"; empty cells become ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
