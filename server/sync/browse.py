"""Finding stored responses (by round, unit, volunteer, status, exclusion, day) a page at a
time, and reading one with the labels of the form version it answered."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select
from sqlalchemy.orm import aliased

from server.analytics.spec import form_spec
from server.extensions import db
from server.forms.compiled import walk_questions
from server.people.models import User
from server.rounds.models import Round
from server.sync.models import RESPONSE_STATUSES, Response
from server.units.models import Unit

PER_PAGE = 50
EXCLUSION_CHOICES = ("no", "yes")   # not excluded / excluded only


@dataclass(frozen=True, slots=True)
class ResponseFilter:
    round_id: int | None = None
    unit_id: int | None = None
    volunteer_id: int | None = None
    status: str | None = None
    excluded: str | None = None
    date_from: date | None = None
    date_to: date | None = None

    def as_args(self) -> dict:
        """The filter as query-string values (for links that keep it)."""
        values = {"round": self.round_id, "unit": self.unit_id, "volunteer": self.volunteer_id,
                  "status": self.status, "excluded": self.excluded,
                  "from": self.date_from.isoformat() if self.date_from else None,
                  "to": self.date_to.isoformat() if self.date_to else None}
        kept = {key: value for key, value in values.items() if value is not None}
        # an empty round is a choice ("every round"), not the absence of one (the default)
        return {"round": "", **kept}


@dataclass(slots=True)
class ParsedFilter:
    filter: ResponseFilter
    problems: list[tuple[str, str]] = field(default_factory=list)   # (vi, en)


def _id(raw: str | None) -> int | None | str:
    if raw in (None, ""):
        return None
    if raw.isascii() and raw.isdigit() and len(raw) <= 12:
        return int(raw)
    return "bad"


def _day(raw: str | None) -> date | None | str:
    if raw in (None, ""):
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return "bad"


def parse_filter(args, default_round_id: int | None = None) -> ParsedFilter:
    """The filter from a query string; a value that means nothing is dropped with a message
    (never an error page)."""
    problems = []
    values = {}
    for key, column, model, message in (
            ("round", "round_id", Round, ("Không có đợt khảo sát này.", "No such round.")),
            ("unit", "unit_id", Unit, ("Không có đơn vị này.", "No such unit.")),
            ("volunteer", "volunteer_id", User, ("Không có người này.", "No such person."))):
        value = _id(args.get(key))
        if value == "bad" or (value is not None and db.session.get(model, value) is None):
            problems.append(message)
            value = None
        values[column] = value
    if "round" not in args and default_round_id is not None:
        values["round_id"] = default_round_id
    status = args.get("status") or None
    if status is not None and status not in RESPONSE_STATUSES:
        problems.append(("Trạng thái không hợp lệ.", "Unknown status."))
        status = None
    excluded = args.get("excluded") or None
    if excluded is not None and excluded not in EXCLUSION_CHOICES:
        problems.append(("Lựa chọn “đã loại” không hợp lệ.", "Unknown exclusion choice."))
        excluded = None
    days = {}
    for key in ("from", "to"):
        value = _day(args.get(key))
        if value == "bad":
            problems.append(("Ngày không hợp lệ (dạng năm-tháng-ngày).",
                             "Not a date (year-month-day)."))
            value = None
        days[key] = value
    if days["from"] and days["to"] and days["from"] > days["to"]:
        problems.append(("Ngày bắt đầu sau ngày kết thúc.", "The start date is after the end date."))
        days["to"] = None
    return ParsedFilter(ResponseFilter(status=status, excluded=excluded, date_from=days["from"],
                                       date_to=days["to"], **values), problems)


def _utc_midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), tzinfo=zone)


def filtered(query: Select, f: ResponseFilter, zone: ZoneInfo) -> Select:
    if f.round_id is not None:
        query = query.where(Response.round_id == f.round_id)
    if f.unit_id is not None:
        unit = db.session.get(Unit, f.unit_id)
        inside = select(Unit.id).where(Unit.path.startswith(unit.path, autoescape=True))
        query = query.where(Response.unit_id.in_(inside))
    if f.volunteer_id is not None:
        query = query.where(Response.volunteer_id == f.volunteer_id)
    if f.status is not None:
        query = query.where(Response.status == f.status)
    if f.excluded == "yes":
        query = query.where(Response.excluded_at.is_not(None))
    elif f.excluded == "no":
        query = query.where(Response.excluded_at.is_(None))
    if f.date_from is not None:   # local days: the day the response was completed
        query = query.where(Response.completed_at >= _utc_midnight(f.date_from, zone))
    if f.date_to is not None:
        query = query.where(Response.completed_at
                            < _utc_midnight(f.date_to + timedelta(days=1), zone))
    return query


@dataclass(frozen=True, slots=True)
class ResponsePage:
    rows: list
    total: int
    page: int
    pages: int


def browse(f: ResponseFilter, page: int, zone: ZoneInfo, per_page: int = PER_PAGE) -> ResponsePage:
    """One page of the responses matching, latest completed first."""
    excluder = aliased(User)
    base = filtered(select(Response.id), f, zone)
    total = db.session.scalar(select(func.count()).select_from(base.subquery()))
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    query = filtered(
        select(Response.id, Response.uuid, Response.completed_at, Response.received_at,
               Response.status, Response.is_late, Response.excluded_at,
               Response.excluded_reason, Unit.name.label("unit_name"),
               User.display_name.label("volunteer_name"), User.username.label("volunteer_username"),
               Round.title.label("round_title"), excluder.display_name.label("excluded_by"))
        .join(Unit, Unit.id == Response.unit_id)
        .join(User, User.id == Response.volunteer_id)
        .join(Round, Round.id == Response.round_id)
        .outerjoin(excluder, excluder.id == Response.excluded_by_id), f, zone)
    rows = db.session.execute(query.order_by(Response.completed_at.desc(), Response.id.desc())
                              .limit(per_page).offset((page - 1) * per_page)).all()
    return ResponsePage(rows, total, page, pages)


def volunteers_of_round(round_id: int) -> list[tuple[int, str, str]]:
    """(id, name, username) of everyone with a response in the round (the filter's choices)."""
    ids = select(Response.volunteer_id).where(Response.round_id == round_id).distinct()
    return list(db.session.execute(
        select(User.id, User.display_name, User.username).where(User.id.in_(ids))
        .order_by(User.display_name, User.id)).all())


# --- one response with its labels ---------------------------------------------------------

@dataclass(frozen=True, slots=True)
class AnswerLine:
    kind: str          # group, answered, skipped, missing, extra
    name: str
    label: str
    value: str = ""
    depth: int = 0


def _display(value) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def answer_lines(definition: dict, answers: dict, skipped: list, lang: str) -> list[AnswerLine]:
    """The form's questions in order, each with its label and the answer in words (choice
    labels, "not applicable"), or why there is none; then answers the form does not know."""
    spec = form_spec(definition)
    answers = answers if isinstance(answers, dict) else {}
    skipped_names = set(skipped or [])
    lines, known = [], set()
    for entry in walk_questions(definition):
        question, name, depth = entry["question"], entry["name"], entry["depth"]
        label = text_in(question.get("label"), lang) or name
        if entry["type"] == "group":
            lines.append(AnswerLine("group", name, label, depth=depth))
            continue
        q = spec.question(name)
        if q is None:   # notes and other text with no answer
            continue
        known.add(name)
        if name in answers and answers[name] not in (None, "", []):
            value = answers[name]
            if q.is_choice:
                values = value if isinstance(value, list) else [value]
                shown = "; ".join(q.choice_label(str(v), spec.not_applicable).text(lang)
                                  for v in values)
            else:
                shown = _display(value)
            lines.append(AnswerLine("answered", name, label, shown, depth))
        elif name in skipped_names:
            lines.append(AnswerLine("skipped", name, label, depth=depth))
        else:
            lines.append(AnswerLine("missing", name, label, depth=depth))
    for name in sorted(set(answers) - known):
        lines.append(AnswerLine("extra", name, name, _display(answers[name])))
    return lines


def text_in(label, lang: str) -> str:
    """A form label ({"vi": ..., "en": ...} or plain text) in the language, else Vietnamese."""
    if isinstance(label, dict):
        return str((label.get(lang) if lang == "en" else None) or label.get("vi") or "")
    return "" if label is None else str(label)


def reason_text(reason, lang: str) -> str:
    """A note stored with a response on receipt: its message in the language, else its code."""
    if isinstance(reason, dict):
        message = reason.get("message")
        return text_in(message, lang) if message else str(reason.get("code", ""))
    return _display(reason)
