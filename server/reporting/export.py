"""A round's responses as rows: one per response, one column per question (choice questions
get their value and their label), text neutralised against spreadsheet formula injection."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from sqlalchemy import select

from server.analytics.spec import FormSpec, QuestionSpec, form_spec
from server.extensions import db
from server.people.models import User
from server.rounds.models import Round
from server.sync.models import Response
from server.units.models import Unit

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
META_COLUMNS = ("response_uuid", "unit_id", "unit_code", "unit_name", "volunteer",
                "completed_at", "received_at", "status", "is_late")
LABEL_SUFFIX = "_label"
MULTIPLE_SEPARATOR = ";"
# A spreadsheet reads a cell starting with one of these as a formula (OWASP CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BATCH = 1000


def neutralise(value):
    """Text that a spreadsheet would run as a formula is prefixed with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def header(spec: FormSpec) -> list[str]:
    columns = list(META_COLUMNS)
    for question in spec.questions:
        columns.append(question.name)
        if question.is_choice:
            columns.append(question.name + LABEL_SUFFIX)
    columns.append("skipped_by_logic")
    return columns


def _answer_cells(spec: FormSpec, question: QuestionSpec, value) -> list:
    if not question.is_choice:
        return [value]
    values = value if isinstance(value, list) else ([] if value is None else [value])
    labels = [question.choice_label(str(v), spec.not_applicable).vi for v in values]
    if value is None:
        return [None, None]
    return [MULTIPLE_SEPARATOR.join(map(str, values)), MULTIPLE_SEPARATOR.join(labels)]


def _local_iso(moment) -> str | None:
    return moment.astimezone(VIETNAM).isoformat() if moment else None


def response_rows(round_: Round) -> Iterator[list]:
    """The header, then one row per response of the round (rejected ones included, marked
    by their status), oldest first. Reads the responses in batches."""
    spec = form_spec(round_.form_version.definition)
    yield header(spec)
    query = (select(Response, Unit.code, Unit.name, User.username)
             .join(Unit, Response.unit_id == Unit.id)
             .join(User, Response.volunteer_id == User.id)
             .where(Response.round_id == round_.id)
             .order_by(Response.completed_at, Response.id)
             .execution_options(yield_per=BATCH))
    for response, unit_code, unit_name, volunteer in db.session.execute(query):
        row = [response.uuid, response.unit_id, unit_code, unit_name, volunteer,
               _local_iso(response.completed_at), _local_iso(response.received_at),
               response.status, response.is_late]
        answers = response.answers or {}
        for question in spec.questions:
            row += _answer_cells(spec, question, answers.get(question.name))
        row.append(MULTIPLE_SEPARATOR.join(response.skipped or []))
        yield [neutralise(cell) for cell in row]


def csv_chunks(rows: Iterator[list]) -> Iterator[str]:
    """CSV text in chunks, with a byte-order mark so spreadsheet programs read UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    for index, row in enumerate(rows, start=1):
        writer.writerow(["" if cell is None else cell for cell in row])
        if index % BATCH == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def xlsx_bytes(rows: Iterator[list], title: str) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31] or "responses")
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
