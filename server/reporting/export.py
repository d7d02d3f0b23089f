"""A round's responses as rows: one per response, one column per question (choice questions
get their value and their label), written as CSV or XLSX.

Exports stream: the view only checks access and reads what it needs from the round
(`ExportPlan`); the rows are read while the body is sent, in batches, by a generator that
knows only ids and runs its own queries. Memory stays flat whatever the size of the round.

Whatever a resident typed must never make an export fail: text is cleaned of what a file
format cannot hold (`clean_text`), and a cell that a spreadsheet would run as a formula is
neutralised (CSV: a leading apostrophe; XLSX: a cell typed as text).
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import select

from server.analytics.spec import FormSpec, QuestionSpec, form_spec
from server.extensions import db
from server.moderation.models import HiddenComment
from server.moderation.services import reason_label
from server.people.models import User
from server.rounds.models import Round
from server.sync.exclusion import excluded_flag
from server.sync.models import Response
from server.units.models import Unit

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
META_COLUMNS = ("response_uuid", "unit_id", "unit_code", "unit_name", "volunteer",
                "completed_at", "received_at", "status", "is_late", "excluded", "excluded_reason")
LABEL_SUFFIX = "_label"
MULTIPLE_SEPARATOR = ";"
# A spreadsheet reads a cell starting with one of these as a formula (OWASP CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# comments hidden from the reports by moderation (server/moderation): questions, reasons
HIDDEN_COLUMNS = ("comments_hidden", "comments_hidden_reason")
BATCH = 1000                  # rows read per database round trip, and per CSV chunk
FILE_CHUNK = 256 * 1024       # bytes per chunk of the XLSX at most
# C0 controls other than tab, newline and carriage return, and the two non-characters:
# XML 1.0 (inside every XLSX) cannot hold them. Lone surrogates cannot be encoded as UTF-8.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SURROGATES = re.compile("[\ud800-\udfff]")
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def clean_text(text: str) -> str:
    """Text any export format can hold: control characters dropped (they are invisible),
    lone surrogates replaced by U+FFFD (they stand for a broken character)."""
    if _UNWRITABLE.search(text) is None:
        return text
    return _SURROGATES.sub("\ufffd", _CONTROLS.sub("", text))


def _plain(value):
    """A cell value of a type every writer takes: text, number, boolean or nothing."""
    if isinstance(value, str):
        return clean_text(value)
    if value is None or isinstance(value, bool | int | float):
        return value
    # An answer of an unexpected shape (stored before a form change): its JSON text.
    return clean_text(json.dumps(value, ensure_ascii=False, default=str))


@dataclass(frozen=True)
class QuestionColumns:
    """A question's cells: its answer, and for a choice question the labels as well."""
    name: str
    labels: dict[str, str] | None     # choice value -> Vietnamese label; None: not a choice

    def cells(self, value) -> list:
        if self.labels is None:
            return [_plain(value)]
        if value is None:
            return [None, None]
        values = [_plain(v) for v in (value if isinstance(value, list) else [value])]
        texts = [str(v) for v in values]
        return [MULTIPLE_SEPARATOR.join(texts),
                MULTIPLE_SEPARATOR.join([self.labels.get(t, t) for t in texts])]


def _question_columns(spec: FormSpec, question: QuestionSpec) -> QuestionColumns:
    if not question.is_choice:
        return QuestionColumns(question.name, None)
    values = [choice.value for choice in question.choices] + [spec.not_applicable]
    labels = {value: clean_text(question.choice_label(value, spec.not_applicable).vi)
              for value in values}
    return QuestionColumns(question.name, labels)


@dataclass(frozen=True)
class ExportPlan:
    """What the streamed body needs from the round, read while the request's session is
    open: the body is produced after the view returned, when the round object is gone."""
    round_id: int
    header: list[str]
    questions: tuple[QuestionColumns, ...]
    unit_path: str | None = None      # only the responses in this unit and below; None: all


def export_plan(round_: Round, unit: Unit | None = None) -> ExportPlan:
    """The plan of the round's export, of every response or of those of `unit` (a province,
    a commune) and the units below it."""
    spec = form_spec(round_.form_version.definition)
    return ExportPlan(round_id=round_.id, header=header(spec),
                      questions=tuple(_question_columns(spec, q) for q in spec.questions),
                      unit_path=unit.path if unit is not None else None)


def header(spec: FormSpec) -> list[str]:
    columns = list(META_COLUMNS)
    for question in spec.questions:
        columns.append(question.name)
        if question.is_choice:
            columns.append(question.name + LABEL_SUFFIX)
    columns.append("skipped_by_logic")
    columns += HIDDEN_COLUMNS
    return columns


def _hidden_comment_cells(round_id: int) -> dict[int, list[str]]:
    """Response id -> the two moderation cells: the hidden comment questions, and for each
    its reason (moderation hides a comment from the reports; the export keeps it, marked)."""
    query = (select(HiddenComment.response_id, HiddenComment.question, HiddenComment.reason,
                    HiddenComment.note)
             .where(HiddenComment.round_id == round_id)
             .order_by(HiddenComment.response_id, HiddenComment.id))
    found: dict[int, tuple[list[str], list[str]]] = {}
    for response_id, question, reason, note in db.session.execute(query):
        names, reasons = found.setdefault(response_id, ([], []))
        names.append(question)
        reasons.append(f"{question}: {reason_label(reason)}" + (f" – {note}" if note else ""))
    return {response_id: [clean_text(MULTIPLE_SEPARATOR.join(names)),
                          clean_text(MULTIPLE_SEPARATOR.join(reasons))]
            for response_id, (names, reasons) in found.items()}


def _local_iso(moment) -> str | None:
    return moment.astimezone(VIETNAM).isoformat() if moment else None


def response_rows(plan: ExportPlan) -> Iterator[list]:
    """The header, then one row per response of the round (rejected ones included, marked
    by their status), oldest first; every cell a plain, clean value. Reads plain columns
    in batches (a server-side cursor on PostgreSQL) with the session of the moment."""
    yield list(plan.header)
    hidden = _hidden_comment_cells(plan.round_id)
    query = (select(Response.id, Response.uuid, Response.unit_id, Unit.code, Unit.name, User.username,
                    Response.completed_at, Response.received_at, Response.status,
                    Response.is_late, excluded_flag().label("excluded"), Response.excluded_reason,
                    Response.answers, Response.skipped)
             .join(Unit, Response.unit_id == Unit.id)
             .join(User, Response.volunteer_id == User.id)
             .where(Response.round_id == plan.round_id)
             .order_by(Response.completed_at, Response.id)
             .execution_options(yield_per=BATCH))
    if plan.unit_path is not None:
        # the subtree's units first: PostgreSQL then reads their responses through
        # (round_id, unit_id) and sorts a province's rows, instead of walking the whole
        # round in completion order and dropping 97 % of it
        query = query.where(Response.unit_id.in_(
            select(Unit.id).where(Unit.path.startswith(plan.unit_path, autoescape=True))))
    for (response_id, uuid, unit_id, unit_code, unit_name, volunteer, completed_at, received_at, status,
         is_late, excluded, excluded_reason, answers, skipped) in db.session.execute(query):
        row = [_plain(uuid), unit_id, _plain(unit_code), _plain(unit_name), _plain(volunteer),
               _local_iso(completed_at), _local_iso(received_at), status, is_late,
               bool(excluded), _plain(excluded_reason)]
        answers = answers if isinstance(answers, dict) else {}
        for question in plan.questions:
            row += question.cells(answers.get(question.name))
        row.append(clean_text(MULTIPLE_SEPARATOR.join(map(str, skipped or []))))
        row += hidden.get(response_id, ["", ""])
        yield row


# CSV ------------------------------------------------------------------------------------

def csv_cell(value):
    """CSV has no cell types: text a spreadsheet would run as a formula gets an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_chunks(rows: Iterator[list]) -> Iterator[bytes]:
    """CSV in UTF-8 with a byte-order mark (so spreadsheet programs read it as UTF-8): the
    header at once, then a chunk every BATCH rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    for index, row in enumerate(rows):
        writer.writerow([csv_cell(cell) for cell in row])
        if index % BATCH == 0:    # the header alone first: the download starts at once
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


# XLSX -----------------------------------------------------------------------------------
# Written here rather than by openpyxl: its write-only mode managed ~40k cells/s on this
# machine (a national round's 73 M cells took most of an hour) and must finish the file
# before the first byte goes out. This writes the sheet's XML as the rows come, through a
# zip stream (data descriptors, zip64), so the download starts at once, memory stays flat
# and nothing is kept on disk. Every text is an inline string (never a formula or an
# error, whatever it looks like); those a spreadsheet would run as a formula get the
# quotePrefix style, so Excel keeps them text when someone edits the cell.

_TEXT_STYLE = 1                # the cellXfs entry with quotePrefix="1"
_PACKAGE = {
    "[Content_Types].xml":
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        '</Types>',
    "_rels/.rels":
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        '</Relationships>',
    "xl/_rels/workbook.xml.rels":
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
        '</Relationships>',
    "xl/styles.xml":
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        '</styleSheet>',
}
_WORKBOOK = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
             'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
             '<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>')
_SHEET_START = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                '<sheetData>')
_SHEET_END = "</sheetData></worksheet>"


def _column_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _xml_text(text: str) -> str:
    # chained replace: a C scan each, many times faster than str.translate with a table
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("\r", "&#13;"))


def _cell_rest(value) -> str:
    """A cell's XML after its reference (`<c r="A1` + this): the same for equal values."""
    if isinstance(value, bool):
        return f'" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float) and math.isfinite(value):
        return f'"><v>{value!r}</v></c>'
    text = str(value)
    style = f' s="{_TEXT_STYLE}"' if text.startswith(FORMULA_STARTS) else ""
    return f'"{style} t="inlineStr"><is><t xml:space="preserve">{_xml_text(text)}</t></is></c>'


class _CellCache:
    """The XML of the short values met so far (choice codes, labels, flags repeat on every
    row): drawn once, not 73 million times. Bounded."""
    SIZE, LONGEST = 20000, 64

    def __init__(self):
        self._rests: dict = {}

    def rest(self, value) -> str:
        if isinstance(value, str) and len(value) > self.LONGEST:
            return _cell_rest(value)
        key = (value.__class__, value)            # True, 1 and "1" are different cells
        rest = self._rests.get(key)
        if rest is None:
            rest = _cell_rest(value)
            if len(self._rests) < self.SIZE:
                self._rests[key] = rest
        return rest


def _row_xml(number: int, row: list, letters: list[str], cells: _CellCache) -> str:
    while len(letters) < len(row):
        letters.append(_column_letters(len(letters)))
    suffix = f"{number}"
    return (f'<row r="{number}">'
            + "".join([f'<c r="{letters[index]}{suffix}{cells.rest(value)}'
                       for index, value in enumerate(row) if value is not None])
            + "</row>")


class _Outbox:
    """Where the zip stream writes (not seekable: zipfile then writes data descriptors);
    what has been written is taken out and sent."""

    def __init__(self):
        self._parts: list[bytes] = []

    def write(self, data) -> int:
        self._parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self._parts)
        self._parts.clear()
        return data


def _sliced(data: bytes) -> Iterator[bytes]:
    for start in range(0, len(data), FILE_CHUNK):
        yield data[start:start + FILE_CHUNK]


def xlsx_chunks(rows: Iterator[list], title: str) -> Iterator[bytes]:
    """The workbook as it is written, in chunks of at most FILE_CHUNK bytes: the first
    goes out before any row is read, then more every BATCH rows."""
    outbox = _Outbox()
    name = _xml_text(clean_text(title)[:31] or "responses").replace('"', "&quot;")
    with zipfile.ZipFile(outbox, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        for part, content in _PACKAGE.items():
            package.writestr(part, content)
        package.writestr("xl/workbook.xml", _WORKBOOK.format(name=name))
        with package.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(_SHEET_START.encode("utf-8"))
            yield from _sliced(outbox.take())
            letters: list[str] = []
            lines: list[str] = []
            cells = _CellCache()
            for number, row in enumerate(rows, start=1):
                lines.append(_row_xml(number, row, letters, cells))
                if len(lines) == BATCH:
                    sheet.write("".join(lines).encode("utf-8"))
                    lines.clear()
                    yield from _sliced(outbox.take())
            sheet.write(("".join(lines) + _SHEET_END).encode("utf-8"))
    yield from _sliced(outbox.take())
