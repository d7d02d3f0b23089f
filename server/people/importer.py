"""Importing volunteers from a table (name, username, phone, unit codes): a plan first that
gives every row its outcome (create, update, unchanged, or error with the reasons), written
by nobody; then `apply_plan` writes exactly that plan. A second import of the same file
plans nothing but "unchanged".

The file is the truth for the people it lists: their name, their units and (when the file
has the column) their phone. New volunteers get either a generated password, returned once
by apply_plan and never stored in clear, or none at all: they sign in with a sign-in card."""

import hashlib
import json
import re
from dataclasses import dataclass, field

from sqlalchemy import insert, select
from sqlalchemy.orm import selectinload

from server.audit.models import AuditEntry
from server.audit.services import entry_rows, record
from server.extensions import db
from server.people.models import User, user_units
from server.people.services import (
    NO_PASSWORD,
    PersonRuleError,
    generate_password,
    hash_password,
    normalise_display_name,
    normalise_phone,
    normalise_username,
)
from server.tabular import Table, match_columns
from server.units.models import Unit
from server.units.services import UnitRuleError, normalise_code

COLUMNS = {
    "display_name": ("name", "full name", "display name", "ho ten", "ho va ten", "ten",
                     "ten hien thi"),
    "username": ("username", "user name", "login", "ten dang nhap"),
    "phone": ("phone", "phone number", "dien thoai", "so dien thoai", "sdt", "so dt"),
    "unit_codes": ("unit codes", "unit code", "units", "ma don vi", "don vi", "cac ma don vi"),
}
REQUIRED = ("display_name", "username", "unit_codes")
OUTCOMES = ("create", "update", "unchanged", "error")
CHUNK = 1000
# Each generated password costs a deliberately slow hash: above this many new people, print
# sign-in cards instead.
MAX_GENERATED_PASSWORDS = 100
_KEEP = object()   # no phone column: stored phones stay


@dataclass
class PersonRow:
    row: int
    username: str
    display_name: str
    phone: object                  # str | None, or _KEEP
    unit_codes: list[str]
    outcome: str = "error"
    reasons: list[tuple[str, str]] = field(default_factory=list)
    changes: dict[str, tuple] = field(default_factory=dict)
    notes: list[tuple[str, str]] = field(default_factory=list)

    def refuse(self, message_vi: str, message_en: str) -> None:
        self.outcome = "error"
        self.reasons.append((message_vi, message_en))

    @property
    def phone_shown(self) -> str:
        return "" if self.phone is _KEEP or self.phone is None else self.phone


@dataclass
class PeoplePlan:
    rows: list[PersonRow]
    problems: list[tuple[str, str]]
    counts: dict[str, int]
    fingerprint: str

    @property
    def writes(self) -> int:
        return self.counts["create"] + self.counts["update"]


def plan_import(table: Table) -> PeoplePlan:
    columns = match_columns(table.headers, COLUMNS)
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        return _finish([], [(
            "Thiếu cột: " + ", ".join(missing)
            + " (cần: họ tên, tên đăng nhập, mã đơn vị; điện thoại nếu có).",
            "Missing columns: " + ", ".join(missing)
            + " (needed: name, username, unit codes; phone if any).")])
    rows = [_read_row(number, cells, columns) for number, cells in table.rows]
    _refuse_duplicates(rows)
    units = _units_by_code({code for row in rows for code in row.unit_codes})
    users = _users_by_name({row.username for row in rows if not row.reasons})
    for row in rows:
        unknown = [code for code in row.unit_codes if code not in units]
        inactive = [code for code in row.unit_codes if code in units and not units[code].is_active]
        if unknown:
            listed = ", ".join(unknown)
            row.refuse(f"Không tìm thấy mã đơn vị: {listed}.", f"Unknown unit codes: {listed}.")
        if inactive:
            listed = ", ".join(inactive)
            row.refuse(f"Đơn vị đã ngừng hoạt động: {listed}.", f"Inactive units: {listed}.")
        if not row.reasons:
            _decide(row, users.get(row.username))
    return _finish(rows, [])


def _read_row(number: int, cells: dict, columns: dict) -> PersonRow:
    def cell(name):
        return cells.get(columns[name], "") if name in columns else ""

    row = PersonRow(number, cell("username"), cell("display_name"),
                    cell("phone") if "phone" in columns else _KEEP, [])
    for name, check in (("username", normalise_username), ("display_name", normalise_display_name)):
        if not getattr(row, name):
            row.refuse(*_MISSING[name])
            continue
        try:
            setattr(row, name, check(getattr(row, name)))
        except PersonRuleError as error:
            row.refuse(error.message_vi, error.message_en)
    if row.phone is not _KEEP:
        try:
            row.phone = normalise_phone(row.phone)
        except PersonRuleError as error:
            row.refuse(error.message_vi, error.message_en)
    raw_codes = [code for code in re.split(r"[;,\s]+", cell("unit_codes")) if code]
    if not raw_codes:
        row.refuse(*_MISSING["unit_codes"])
    for raw in raw_codes:
        try:
            code = normalise_code(raw)
        except UnitRuleError:
            row.refuse(f"Mã đơn vị không hợp lệ: “{raw}”.", f"Not a unit code: “{raw}”.")
            continue
        if code not in row.unit_codes:
            row.unit_codes.append(code)
    row.unit_codes.sort()
    return row


_MISSING = {
    "username": ("Thiếu tên đăng nhập.", "The username is missing."),
    "display_name": ("Thiếu họ tên.", "The name is missing."),
    "unit_codes": ("Thiếu mã đơn vị.", "The unit codes are missing."),
}


def _refuse_duplicates(rows: list[PersonRow]) -> None:
    rows_of: dict[str, list[int]] = {}
    for row in rows:
        if row.username:
            rows_of.setdefault(row.username, []).append(row.row)
    for row in rows:
        numbers = rows_of.get(row.username, [])
        if len(numbers) > 1:
            listed = ", ".join(str(number) for number in numbers)
            row.refuse(f"Tên đăng nhập “{row.username}” trùng trong tệp (dòng {listed}).",
                       f"The username “{row.username}” appears more than once (rows {listed}).")


def _chunks(values) -> list[list]:
    values = sorted(values)
    return [values[start:start + CHUNK] for start in range(0, len(values), CHUNK)]


def _units_by_code(codes: set[str]) -> dict[str, Unit]:
    found = {}
    for chunk in _chunks(codes):
        found.update({unit.code: unit for unit in db.session.scalars(
            select(Unit).where(Unit.code.in_(chunk)))})
    return found


def _users_by_name(usernames: set[str]) -> dict[str, User]:
    found = {}
    for chunk in _chunks(usernames):
        found.update({user.username: user for user in db.session.scalars(
            select(User).where(User.username.in_(chunk)).options(selectinload(User.units)))})
    return found


def _decide(row: PersonRow, user: User | None) -> None:
    if user is None:
        row.outcome = "create"
        return
    if user.role != "volunteer":
        row.refuse("Tên đăng nhập này là của một cán bộ hoặc quản trị viên.",
                   "This username belongs to an official or an admin.")
        return
    before = {"display_name": user.display_name, "unit_codes": sorted(u.code for u in user.units)}
    after = {"display_name": row.display_name, "unit_codes": row.unit_codes}
    if row.phone is not _KEEP:
        before["phone"], after["phone"] = user.phone, row.phone
    row.changes = {key: (before[key], after[key]) for key in before if before[key] != after[key]}
    row.outcome = "update" if row.changes else "unchanged"
    if not user.is_active:
        row.notes.append(("Tài khoản đang ngừng hoạt động (nhập không kích hoạt lại).",
                          "The account is inactive (an import does not reactivate it)."))


def _finish(rows: list[PersonRow], problems: list) -> PeoplePlan:
    counts = dict.fromkeys(OUTCOMES, 0)
    for row in rows:
        counts[row.outcome] += 1
    written = [[row.row, row.outcome, row.username, row.display_name, row.phone_shown,
                row.unit_codes, sorted(row.changes)]
               for row in rows if row.outcome in ("create", "update")]
    fingerprint = hashlib.sha256(json.dumps([written, problems], ensure_ascii=False)
                                 .encode()).hexdigest()
    return PeoplePlan(rows, problems, counts, fingerprint)


# --- writing the plan ----------------------------------------------------------------------

@dataclass(frozen=True)
class Credential:
    user_id: int
    username: str
    display_name: str
    password: str | None


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    new_people: list[Credential]   # with their passwords when generated: show them once


def apply_plan(plan: PeoplePlan, actor_id: int | None, filename: str = "",
               generate_passwords: bool = False) -> ImportResult:
    if plan.problems:
        raise PersonRuleError("bad_file", "Tệp không nhập được.", "The file cannot be imported.")
    creating = [row for row in plan.rows if row.outcome == "create"]
    if generate_passwords and len(creating) > MAX_GENERATED_PASSWORDS:
        raise PersonRuleError(
            "too_many_passwords",
            f"Chỉ tạo mật khẩu cho tối đa {MAX_GENERATED_PASSWORDS} người mỗi lần; "
            "hãy dùng thẻ đăng nhập.",
            f"Passwords are generated for {MAX_GENERATED_PASSWORDS} people at most per import; "
            "use sign-in cards.")
    units = _units_by_code({code for row in plan.rows if row.outcome in ("create", "update")
                            for code in row.unit_codes})
    new_people = _create(creating, units, actor_id, generate_passwords)
    updating = [row for row in plan.rows if row.outcome == "update"]
    _update(updating, units, actor_id)
    record(actor_id, "user.imported", "import", None,
           {"file": filename[:200], "rows": len(plan.rows), "create": len(creating),
            "update": len(updating), "unchanged": plan.counts["unchanged"],
            "errors": plan.counts["error"], "passwords": generate_passwords})
    db.session.flush()
    return ImportResult(len(creating), len(updating), new_people)


def _create(rows: list[PersonRow], units: dict[str, Unit], actor_id: int | None,
            generate_passwords: bool) -> list[Credential]:
    if not rows:
        return []
    passwords = [generate_password() if generate_passwords else None for _ in rows]
    made = db.session.execute(
        insert(User).returning(User.id, User.username, sort_by_parameter_order=True),
        [{"username": row.username, "display_name": row.display_name, "role": "volunteer",
          "phone": row.phone_shown or None, "is_active": True, "is_demo": False,
          "password_hash": hash_password(password) if password else NO_PASSWORD}
         for row, password in zip(rows, passwords, strict=True)]).all()
    links, audit_items, people = [], [], []
    for (user_id, username), row, password in zip(made, rows, passwords, strict=True):
        links += [{"user_id": user_id, "unit_id": units[code].id} for code in row.unit_codes]
        audit_items.append((user_id, {"after": {
            "username": username, "display_name": row.display_name, "phone": row.phone_shown or None,
            "role": "volunteer", "is_active": True, "unit_codes": row.unit_codes},
            "row": row.row, "password": "generated" if password else "none"}))
        people.append(Credential(user_id, username, row.display_name, password))
    db.session.execute(insert(user_units), links)
    db.session.execute(insert(AuditEntry), entry_rows(actor_id, "user.created", "user", audit_items))
    return people


def _update(rows: list[PersonRow], units: dict[str, Unit], actor_id: int | None) -> None:
    users = _users_by_name({row.username for row in rows})
    for row in rows:
        user = users[row.username]
        before = {key: change[0] for key, change in row.changes.items()}
        user.display_name = row.display_name
        if row.phone is not _KEEP:
            user.phone = row.phone
        if "unit_codes" in row.changes:
            user.units = [units[code] for code in row.unit_codes]
        record(actor_id, "user.updated", "user", user.id,
               {"before": before, "after": {key: change[1] for key, change in row.changes.items()},
                "row": row.row})
