"""Reading an uploaded table (CSV or XLSX) into rows of text: what the importers share.

CSV: UTF-8 with or without a byte-order mark (Excel writes one), comma or semicolon
(Excel in a Vietnamese locale writes semicolons). XLSX: the first sheet, with the values
formula cells last showed (what the person saw). Every cell comes back as stripped NFC
text; nothing is ever evaluated, so a CSV cell "=1+1" is the text "=1+1".
"""

import csv
import io
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import PurePath

from server.sync.text_hygiene import clean_text
from server.units.services import fold

# Bounds on what one upload can make the server read (the body limit bounds the bytes;
# an XLSX is compressed, so its rows and columns are bounded too).
MAX_ROWS = 50_000
MAX_COLUMNS = 50
ACCEPTED_SUFFIXES = ("", ".csv", ".txt", ".xlsx", ".xlsm")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls


class TableProblem(ValueError):
    """The upload cannot be read as a table; the message says what to do instead."""

    def __init__(self, code: str, message_vi: str, message_en: str):
        super().__init__(code)
        self.code = code
        self.message_vi = message_vi
        self.message_en = message_en


@dataclass(frozen=True)
class Table:
    headers: list[str]
    # (row number as a spreadsheet shows it, {header: text}); blank rows are left out.
    rows: list[tuple[int, dict[str, str]]]


def read_table(filename: str, content: bytes) -> Table:
    suffix = PurePath(filename or "").suffix.lower()
    if suffix == ".xls" or content.startswith(_OLE_MAGIC):
        raise TableProblem("old_excel", "Tệp .xls cũ: hãy lưu lại dạng .xlsx hoặc CSV UTF-8.",
                           "An old .xls file: save it as .xlsx or CSV UTF-8.")
    if suffix not in ACCEPTED_SUFFIXES:
        raise TableProblem("wrong_type", "Chỉ nhận tệp CSV hoặc XLSX.",
                           "Only CSV or XLSX files are accepted.")
    if content.startswith(_ZIP_MAGIC):
        grid = _xlsx_grid(content)
    elif suffix in (".xlsx", ".xlsm"):
        raise TableProblem("unreadable_xlsx", "Không đọc được tệp XLSX.",
                           "The XLSX file cannot be read.")
    else:
        grid = _csv_grid(content)
    return _table(grid)


def cell_text(value) -> str:
    """One cell as the text a person saw: whole numbers without ".0", dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        value = "TRUE" if value else "FALSE"
    elif isinstance(value, float) and value.is_integer():
        value = str(int(value))
    elif isinstance(value, datetime | date | time):
        value = value.isoformat()
    text = str(value).encode("utf-8", "replace").decode("utf-8")  # no lone surrogates
    return unicodedata.normalize("NFC", clean_text(text)).strip()


def _csv_grid(content: bytes) -> list[list]:
    if b"\x00" in content[:8192]:
        raise TableProblem("wrong_type", "Đây không phải tệp CSV hoặc XLSX.",
                           "This is not a CSV or XLSX file.")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TableProblem(
            "not_utf8", "Tệp CSV không ở dạng UTF-8: trong Excel chọn Lưu dạng “CSV UTF-8”.",
            "The CSV file is not UTF-8: in Excel, save as “CSV UTF-8”.") from None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    grid = []
    try:
        for line in reader:
            grid.append(line[:MAX_COLUMNS])
            if len(grid) > MAX_ROWS + 1:
                raise _too_many_rows()
    except csv.Error as error:
        raise TableProblem("bad_csv", f"Tệp CSV bị lỗi ở dòng {reader.line_num}.",
                           f"The CSV file is broken at line {reader.line_num}: {error}.") from None
    return grid


def _delimiter(text: str) -> str:
    """Comma, semicolon or tab: whichever the header line holds most of."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    counts = {sep: header.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _xlsx_grid(content: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, EOFError) as error:
        raise TableProblem("unreadable_xlsx", "Không đọc được tệp XLSX.",
                           f"The XLSX file cannot be read ({type(error).__name__}).") from None
    try:
        if not book.worksheets:
            return []
        grid = []
        for values in book.worksheets[0].iter_rows(max_col=MAX_COLUMNS, values_only=True):
            grid.append(list(values))
            if len(grid) > MAX_ROWS + 1:
                raise _too_many_rows()
        return grid
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, EOFError) as error:
        raise TableProblem("unreadable_xlsx", "Không đọc được tệp XLSX.",
                           f"The XLSX file cannot be read ({type(error).__name__}).") from None
    finally:
        book.close()


def _too_many_rows() -> TableProblem:
    return TableProblem("too_many_rows", f"Tệp có hơn {MAX_ROWS:,} dòng: hãy chia nhỏ.",
                        f"The file has more than {MAX_ROWS:,} rows: split it.")


def _table(grid: list[list]) -> Table:
    texts = [[cell_text(value) for value in line] for line in grid]
    numbered = [(number, line) for number, line in enumerate(texts, start=1) if any(line)]
    if not numbered:
        raise TableProblem("empty", "Tệp trống.", "The file is empty.")
    header_number, header_cells = numbered[0]
    headers = []
    for cell in header_cells:
        if cell and cell in headers:
            raise TableProblem("duplicate_header", f"Cột “{cell}” có hai lần.",
                               f"The column “{cell}” appears twice.")
        headers.append(cell)
    rows = [(number, {header: (line[index] if index < len(line) else "")
                      for index, header in enumerate(headers) if header})
            for number, line in numbered[1:]]
    return Table([header for header in headers if header], rows)


def match_columns(headers: list[str], aliases: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """{field: header} for the headers that name a field, whatever their accents, case,
    spaces or underscores ("Mã cấp trên", "ma_cap_tren", "Parent code"). Aliases are given
    folded: lower case, no accents, single spaces."""
    found = {}
    for header in headers:
        key = fold(header.replace("_", " "))
        for name, names in aliases.items():
            if key in names and name not in found:
                found[name] = header
    return found
