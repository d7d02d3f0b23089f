import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, or_, select

from server.audit.models import AuditEntry
from server.db_types import utcnow
from server.extensions import db
from server.people.models import User

_SURROGATES = re.compile("[\ud800-\udfff]")


def record(actor_id: int | None, action: str, object_type: str, object_id=None,
           details: dict | None = None) -> AuditEntry:
    """Add an audit entry to the session; the caller's transaction commits it."""
    entry = AuditEntry(actor_id=actor_id, action=action, object_type=object_type,
                       object_id=None if object_id is None else str(object_id),
                       details=details, at=utcnow())
    db.session.add(entry)
    return entry


def entry_rows(actor_id: int | None, action: str, object_type: str, items: list[tuple]) -> list[dict]:
    """Rows for a bulk insert of many entries at once: items are (object_id, details)."""
    now = utcnow()
    return [{"actor_id": actor_id, "action": action, "object_type": object_type,
             "object_id": str(object_id), "details": details, "at": now}
            for object_id, details in items]


# --- reading the log (the audit page and its CSV export) ----------------------------------

@dataclass(frozen=True, slots=True)
class AuditFilter:
    person: str | None = None          # a username, or part of a display name
    action: str | None = None
    object_type: str | None = None
    object_id: str | None = None
    date_from: date | None = None      # local days (the display zone), both included
    date_to: date | None = None

    def as_args(self) -> dict:
        values = {"person": self.person, "action": self.action, "object_type": self.object_type,
                  "object_id": self.object_id,
                  "from": self.date_from.isoformat() if self.date_from else None,
                  "to": self.date_to.isoformat() if self.date_to else None}
        return {key: value for key, value in values.items() if value is not None}


TEXT_FILTER_MAX = 200


def parse_audit_filter(args) -> tuple[AuditFilter, list[tuple[str, str]]]:
    """The filter from a query string; what means nothing is dropped with a message."""
    problems: list[tuple[str, str]] = []
    texts = {}
    for key in ("person", "action", "object_type", "object_id"):
        value = unicodedata.normalize("NFC", (args.get(key) or "").strip())
        if len(value) > TEXT_FILTER_MAX or _SURROGATES.search(value):
            problems.append(("Giá trị lọc quá dài hoặc có ký tự lỗi.",
                             "A filter value is too long or has a broken character."))
            value = ""
        texts[key] = value or None
    days = {}
    for key in ("from", "to"):
        raw = args.get(key) or ""
        try:
            days[key] = date.fromisoformat(raw) if raw else None
        except ValueError:
            problems.append(("Ngày không hợp lệ (dạng năm-tháng-ngày).",
                             "Not a date (year-month-day)."))
            days[key] = None
    if days["from"] and days["to"] and days["from"] > days["to"]:
        problems.append(("Ngày bắt đầu sau ngày kết thúc.", "The start date is after the end date."))
        days["to"] = None
    return AuditFilter(date_from=days["from"], date_to=days["to"], **texts), problems


def _local_midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), tzinfo=zone)


def audit_query(f: AuditFilter, zone: ZoneInfo) -> Select:
    """The entries matching, newest first, with who made them (None: the system)."""
    query = (select(AuditEntry.id, AuditEntry.at, AuditEntry.actor_id, AuditEntry.action,
                    AuditEntry.object_type, AuditEntry.object_id, AuditEntry.details,
                    User.username, User.display_name)
             .outerjoin(User, User.id == AuditEntry.actor_id))
    if f.person:
        query = query.where(or_(func.lower(User.username) == f.person.lower(),
                                User.display_name.icontains(f.person, autoescape=True)))
    if f.action:
        query = query.where(AuditEntry.action == f.action)
    if f.object_type:
        query = query.where(AuditEntry.object_type == f.object_type)
    if f.object_id:
        query = query.where(AuditEntry.object_id == f.object_id)
    if f.date_from:
        query = query.where(AuditEntry.at >= _local_midnight(f.date_from, zone))
    if f.date_to:
        query = query.where(AuditEntry.at < _local_midnight(f.date_to + timedelta(days=1), zone))
    return query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())


@dataclass(frozen=True, slots=True)
class AuditPage:
    rows: list
    total: int
    page: int
    pages: int


def audit_page(f: AuditFilter, page: int, zone: ZoneInfo, per_page: int = 50) -> AuditPage:
    query = audit_query(f, zone)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    rows = db.session.execute(query.limit(per_page).offset((page - 1) * per_page)).all()
    return AuditPage(rows, total, page, pages)


def audit_choices() -> tuple[list[str], list[str]]:
    """The actions and the object types that occur in the log (the filter's choices)."""
    actions = db.session.scalars(select(AuditEntry.action).group_by(AuditEntry.action)
                                 .order_by(AuditEntry.action)).all()
    types = db.session.scalars(select(AuditEntry.object_type).group_by(AuditEntry.object_type)
                               .order_by(AuditEntry.object_type)).all()
    return list(actions), list(types)


AUDIT_CSV_HEADER = ["id", "at", "actor_username", "actor_name", "action", "object_type",
                    "object_id", "details"]
AUDIT_CSV_BATCH = 1000


def audit_csv_rows(f: AuditFilter, zone_name: str) -> Iterator[list]:
    """The header, then every matching entry (newest first), read in batches with the session
    of the moment: the CSV body runs after the view has returned."""
    zone = ZoneInfo(zone_name)
    yield AUDIT_CSV_HEADER
    query = audit_query(f, zone).execution_options(yield_per=AUDIT_CSV_BATCH)
    for row in db.session.execute(query):
        details = "" if row.details is None else json.dumps(row.details, ensure_ascii=False,
                                                            sort_keys=True, default=str)
        yield [row.id, row.at.astimezone(zone).isoformat(), row.username, row.display_name,
               row.action, row.object_type, row.object_id, details]
