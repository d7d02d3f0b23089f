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

import contextlib
import csv
import io
import json
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
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
FILE_CHUNK = 256 * 1024       # bytes per chunk when the XLSX file is sent
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


def export_plan(round_: Round) -> ExportPlan:
    spec = form_spec(round_.form_version.definition)
    return ExportPlan(round_id=round_.id, header=header(spec),
                      questions=tuple(_question_columns(spec, q) for q in spec.questions))


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

def _text_cell(sheet, text: str):
    """A cell that is text whatever it looks like: openpyxl would type "=..." as a formula
    and "#N/A" as an error. quotePrefix keeps Excel from reading it as a formula when
    someone edits the cell, and shows no apostrophe."""
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def _xlsx_cell(sheet, value):
    if isinstance(value, str) and (value.startswith(FORMULA_STARTS) or value in ERROR_CODES):
        return _text_cell(sheet, value)
    return value


def _discard(sheet) -> None:
    """Remove the temporary file in which openpyxl keeps a write-only sheet's rows until
    the workbook is saved, after a failure half-way: a worker process lives long."""
    with contextlib.suppress(Exception):
        if not sheet.closed:
            sheet.close()
    if sheet._writer is not None:
        with contextlib.suppress(OSError, ValueError):
            sheet._writer.cleanup()


def xlsx_file(rows: Iterator[list], title: str) -> IO[bytes]:
    """The workbook in an anonymous temporary file, rewound. openpyxl's write-only mode
    writes each row out as it comes, so memory does not grow with the round."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=clean_text(title)[:31] or "responses")
    output = tempfile.TemporaryFile(suffix=".xlsx")
    try:
        for row in rows:
            sheet.append([_xlsx_cell(sheet, value) for value in row])
        workbook.save(output)
        output.seek(0)
    except BaseException:
        output.close()
        _discard(sheet)
        raise
    return output


def file_chunks(file: IO[bytes]) -> Iterator[bytes]:
    """The file's bytes in chunks; the file is closed when done or when the client goes."""
    with file:
        while chunk := file.read(FILE_CHUNK):
            yield chunk


def xlsx_chunks(rows: Iterator[list], title: str) -> Iterator[bytes]:
    """The workbook built (into a temporary file), then sent from it in chunks."""
    yield from file_chunks(xlsx_file(rows, title))
