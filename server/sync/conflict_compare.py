"""A conflict beside the stored response, for an admin to decide between them: the facts
(round, form version, unit, volunteer, the phone's times, the app) and every answer under
its question label, each row marked where the two differ."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from server.extensions import db
from server.forms.models import FormVersion
from server.people.models import User
from server.rounds.models import Round
from server.sync.browse import AnswerLine, answer_lines, text_in
from server.sync.conflicts import submitted_validation
from server.sync.models import Response, ResponseConflict
from server.templating import local_time
from server.units.models import Unit

NO_ANSWER = ("skipped", "missing")


@dataclass(frozen=True, slots=True)
class FactRow:
    label: tuple[str, str]  # (vi, en)
    stored: str
    submitted: str
    changed: bool


@dataclass(frozen=True, slots=True)
class AnswerRow:
    kind: str  # group or question
    name: str
    label: str
    depth: int
    stored: AnswerLine | None
    submitted: AnswerLine | None
    changed: bool


@dataclass(frozen=True, slots=True)
class Comparison:
    facts: list[FactRow]
    answers: list[AnswerRow]
    changed_answers: int


@dataclass(frozen=True, slots=True)
class _Side:
    round_id: int | None
    form_version_id: int | None
    unit_id: int | None
    volunteer_id: int | None
    started_at: str
    completed_at: str
    received_at: str
    client: dict


def _name(model, key) -> str:
    row = db.session.get(model, key) if key is not None else None
    if row is None:
        return "–"
    if isinstance(row, Unit):
        return f"{row.name} ({row.parent.name})" if row.parent else row.name
    if isinstance(row, User):
        return f"{row.display_name} ({row.username})"
    return row.title


def _version_name(version: FormVersion | None, lang: str) -> str:
    if version is None:
        return "–"
    return f"{text_in(version.title, lang)} · v{version.version}"


def _client(client) -> str:
    client = client if isinstance(client, dict) else {}
    shown = " · ".join(str(client[key]) for key in ("app_version", "device") if client.get(key))
    return shown or "–"


def _facts(stored: _Side | None, submitted: _Side, lang: str) -> list[FactRow]:
    sides = [side for side in (stored, submitted) if side is not None]
    version_of = {side.form_version_id: db.session.get(FormVersion, side.form_version_id)
                  for side in sides if side.form_version_id is not None}
    rows = [
        (("Đợt khảo sát", "Round"), lambda s: _name(Round, s.round_id), True),
        (("Mẫu phiếu", "Form"),
         lambda s: _version_name(version_of.get(s.form_version_id), lang), True),
        (("Đơn vị", "Unit"), lambda s: _name(Unit, s.unit_id), True),
        (("Tình nguyện viên", "Volunteer"), lambda s: _name(User, s.volunteer_id), True),
        (("Bắt đầu (giờ điện thoại)", "Started (phone's clock)"), lambda s: s.started_at, True),
        (("Hoàn thành (giờ điện thoại)", "Completed (phone's clock)"),
         lambda s: s.completed_at, True),
        (("Ứng dụng", "App"), lambda s: _client(s.client), True),
        # Always later for the later upload: shown, never marked as a difference.
        (("Máy chủ nhận", "Received by the server"), lambda s: s.received_at, False),
    ]
    facts = []
    for label, shown, compared in rows:
        left = shown(stored) if stored is not None else "–"
        right = shown(submitted)
        facts.append(FactRow(label, left, right, compared and stored is not None and left != right))
    return facts


def _stored_side(response: Response) -> _Side:
    return _Side(response.round_id, response.form_version_id, response.unit_id,
                 response.volunteer_id, local_time(response.started_at) or "–",
                 local_time(response.completed_at), local_time(response.received_at),
                 response.client)


def _moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if isinstance(text, str) else None


def _submitted_side(conflict: ResponseConflict) -> _Side:
    payload = conflict.payload
    return _Side(conflict.round_id, conflict.form_version_id, conflict.unit_id,
                 conflict.volunteer_id, local_time(_moment(payload.get("started_at"))) or "–",
                 local_time(_moment(payload.get("completed_at"))) or "–",
                 local_time(conflict.received_at), payload.get("client") or {})


def _raw(value) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _key(line: AnswerLine) -> tuple[str, str]:
    return ("group" if line.kind == "group" else "question", line.name)


def _same(a: AnswerLine | None, b: AnswerLine | None) -> bool:
    """Equal answers: the same value, or no answer on both sides (hidden or blank alike)."""
    if a is None or b is None:
        return a is b
    if a.kind in NO_ANSWER and b.kind in NO_ANSWER:
        return True
    return (a.kind in NO_ANSWER) == (b.kind in NO_ANSWER) and a.value == b.value


def _answers(stored_lines: list[AnswerLine], submitted_lines: list[AnswerLine]) -> list[AnswerRow]:
    """Rows in the stored version's order, then what only the later upload has."""
    submitted_by_key = {_key(line): line for line in submitted_lines}
    rows, seen = [], set()
    for line in stored_lines:
        key = _key(line)
        seen.add(key)
        other = submitted_by_key.get(key)
        if line.kind == "group":
            rows.append(AnswerRow("group", line.name, line.label, line.depth, None, None, False))
            continue
        rows.append(AnswerRow("question", line.name, line.label, line.depth, line, other,
                              not _same(line, other)))
    for line in submitted_lines:
        if _key(line) in seen:
            continue
        if line.kind == "group":
            rows.append(AnswerRow("group", line.name, line.label, line.depth, None, None, False))
            continue
        # a question only the later upload's version has: a difference only when answered
        rows.append(AnswerRow("question", line.name, line.label, line.depth, None, line,
                              line.kind not in NO_ANSWER))
    return rows


def side_by_side(conflict: ResponseConflict, response: Response | None, lang: str) -> Comparison:
    """The conflict's later upload beside the response stored under its UUID (None: gone)."""
    stored_lines = []
    if response is not None:
        version = db.session.get(FormVersion, response.form_version_id)
        stored_lines = answer_lines(version.definition, response.answers, response.skipped, lang)
    submitted_version = (db.session.get(FormVersion, conflict.form_version_id)
                         if conflict.form_version_id is not None else None)
    if submitted_version is not None:
        checked = submitted_validation(conflict)
        submitted_lines = answer_lines(submitted_version.definition, conflict.answers,
                                       checked.skipped, lang)
    else:  # its form version is gone: the answers as sent, under their names
        submitted_lines = [AnswerLine("extra", name, name, _raw(value))
                           for name, value in sorted(conflict.answers.items())]
    answers = _answers(stored_lines, submitted_lines)
    facts = _facts(_stored_side(response) if response is not None else None,
                   _submitted_side(conflict), lang)
    return Comparison(facts, answers, sum(1 for row in answers if row.changed))
