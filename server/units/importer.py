"""Importing units from a table (code, name, kind, parent code): first a plan that gives
every row its outcome (create, update, unchanged or error with the reasons), written by
nobody; then `apply_plan` writes exactly that plan. A second import of the same file plans
nothing but "unchanged".

Parent rows may come after their children. A row's parent is a unit of the file or one
already stored. A file without a parent-code column keeps stored units where they are; a
blank parent code puts a unit at the top level."""

import hashlib
import json
from dataclasses import dataclass, field

from sqlalchemy import insert, select, update

from server.audit.models import AuditEntry
from server.audit.services import entry_rows, record
from server.extensions import db
from server.tabular import Table, match_columns
from server.units.models import UNIT_KIND_LABELS, UNIT_KINDS, Unit
from server.units.services import (
    UnitRuleError,
    check_top_only,
    fold,
    normalise_code,
    normalise_name,
    place_under,
)

COLUMNS = {
    "code": ("code", "unit code", "ma", "ma don vi"),
    "name": ("name", "unit name", "ten", "ten don vi"),
    "kind": ("kind", "type", "loai", "loai don vi", "cap"),
    "parent_code": ("parent code", "parent", "ma cap tren", "ma don vi cap tren", "cap tren"),
}
REQUIRED = ("code", "name", "kind")

# Kinds as people write them, folded (no accents, lower case).
_KIND_WORDS = {
    "country": ("quoc gia", "toan quoc", "ca nuoc", "trung uong"),
    "province": ("tinh", "thanh pho", "tinh/thanh pho", "tinh thanh pho",
                 "thanh pho truc thuoc trung uong"),
    "district": ("quan", "huyen", "thi xa", "quan/huyen", "quan huyen", "thanh pho thuoc tinh"),
    "commune": ("xa", "thi tran"),
    "ward": ("phuong",),
    "special_zone": ("dac khu", "special zone"),
    "village": ("thon", "xom", "lang", "buon", "soc"),
    "hamlet": ("ap", "ban", "ap/ban"),
    "residential_group": ("to dan pho", "khu pho", "to", "khu dan cu", "residential group"),
}
KIND_ALIASES = {fold(kind.replace("_", " ")): kind for kind in UNIT_KINDS}
for _kind, _words in _KIND_WORDS.items():
    KIND_ALIASES.update(dict.fromkeys(_words, _kind))
for _kind, _labels in UNIT_KIND_LABELS.items():
    KIND_ALIASES.update({fold(label): _kind for label in _labels.values()})

OUTCOMES = ("create", "update", "unchanged", "error")
CHUNK = 1000  # codes per IN list
_KEEP = object()  # no parent-code column: a stored unit stays where it is


@dataclass
class RowPlan:
    row: int
    code: str
    name: str
    kind: str
    parent_code: str | None
    outcome: str = "error"
    reasons: list[tuple[str, str]] = field(default_factory=list)   # (vi, en)
    changes: dict[str, tuple] = field(default_factory=dict)        # field: (before, after)

    def refuse(self, message_vi: str, message_en: str) -> None:
        self.outcome = "error"
        self.reasons.append((message_vi, message_en))


@dataclass
class UnitPlan:
    rows: list[RowPlan]
    problems: list[tuple[str, str]]          # the file as a whole (missing columns)
    counts: dict[str, int]
    fingerprint: str

    @property
    def writes(self) -> int:
        return self.counts["create"] + self.counts["update"]


@dataclass(frozen=True)
class _Stored:
    id: int
    code: str
    name: str
    kind: str
    parent_id: int | None
    is_active: bool


def plan_import(table: Table) -> UnitPlan:
    columns = match_columns(table.headers, COLUMNS)
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        return _finish([], [(
            "Thiếu cột: " + ", ".join(missing) + " (cần: mã, tên, loại, mã cấp trên).",
            "Missing columns: " + ", ".join(missing) + " (needed: code, name, kind, parent code).")])
    stored = {row.code: row for row in db.session.execute(select(
        Unit.id, Unit.code, Unit.name, Unit.kind, Unit.parent_id, Unit.is_active)).all()}
    stored = {code: _Stored(*row) for code, row in stored.items()}
    code_of_id = {unit.id: code for code, unit in stored.items()}
    has_parent_column = "parent_code" in columns

    plans = [_read_row(number, cells, columns, has_parent_column) for number, cells in table.rows]
    _refuse_duplicates(plans)

    # The tree once the file is written: stored parents, replaced by the file's.
    parent_of = {code: code_of_id.get(unit.parent_id) for code, unit in stored.items()}
    valid = {plan.code: plan for plan in plans if not plan.reasons}
    for plan in valid.values():
        if plan.parent_code is not _KEEP:
            parent_of[plan.code] = plan.parent_code
        elif plan.code not in stored:
            parent_of[plan.code] = None
    row_of_code = {plan.code: plan.row for plan in plans if plan.code}

    def drop(plan: RowPlan, vi: str, en: str) -> None:
        plan.refuse(vi, en)
        del valid[plan.code]
        if plan.code in stored:
            parent_of[plan.code] = code_of_id.get(stored[plan.code].parent_id)
        else:
            parent_of.pop(plan.code, None)

    changed = True
    while changed:  # each pass refuses at least one row, or ends
        changed = False
        for plan in list(valid.values()):
            parent = parent_of.get(plan.code)
            if parent is None or parent in valid or parent in stored:
                if parent in stored and not stored[parent].is_active \
                        and _moves(plan, stored, code_of_id):
                    drop(plan, "Đơn vị cấp trên đã ngừng hoạt động.", "The parent unit is inactive.")
                    changed = True
                continue
            if parent in row_of_code:
                drop(plan, f"Đơn vị cấp trên (dòng {row_of_code[parent]}) có lỗi.",
                     f"The parent unit (row {row_of_code[parent]}) has an error.")
            else:
                drop(plan, f"Không tìm thấy mã cấp trên “{parent}”.",
                     f"No unit with the parent code “{parent}”.")
            changed = True
        for code in _cycle_members(valid, parent_of):
            drop(valid[code], "Vòng lặp: đơn vị nằm dưới chính nó.",
                 "A cycle: the unit would lie under itself.")
            changed = True

    for plan in valid.values():
        _decide(plan, stored.get(plan.code), parent_of.get(plan.code), code_of_id)
    return _finish(plans, [])


def _read_row(number: int, cells: dict, columns: dict, has_parent_column: bool) -> RowPlan:
    def cell(name):
        return cells.get(columns[name], "") if name in columns else ""

    plan = RowPlan(number, cell("code"), cell("name"), cell("kind"),
                   cell("parent_code") if has_parent_column else _KEEP)
    for name, check in (("code", normalise_code), ("name", normalise_name)):
        if not getattr(plan, name):
            plan.refuse(*_MISSING[name])
            continue
        try:
            setattr(plan, name, check(getattr(plan, name)))
        except UnitRuleError as error:
            plan.refuse(error.message_vi, error.message_en)
    if not plan.kind:
        plan.refuse(*_MISSING["kind"])
    elif fold(plan.kind.replace("_", " ")) in KIND_ALIASES:
        plan.kind = KIND_ALIASES[fold(plan.kind.replace("_", " "))]
    else:
        plan.refuse(f"Loại đơn vị không rõ: “{plan.kind}”.", f"Unknown kind of unit: “{plan.kind}”.")
    if plan.parent_code is not _KEEP:
        if not plan.parent_code:
            plan.parent_code = None
        else:
            try:
                plan.parent_code = normalise_code(plan.parent_code)
            except UnitRuleError:
                plan.refuse(f"Mã cấp trên không hợp lệ: “{plan.parent_code}”.",
                            f"The parent code is not valid: “{plan.parent_code}”.")
        if plan.parent_code is not None and plan.parent_code == plan.code:
            plan.refuse("Vòng lặp: đơn vị là cấp trên của chính nó.",
                        "A cycle: the unit is its own parent.")
        try:
            check_top_only(plan.kind, plan.parent_code is not None)
        except UnitRuleError as error:
            plan.refuse(error.message_vi, error.message_en)
    return plan


_MISSING = {
    "code": ("Thiếu mã đơn vị.", "The code is missing."),
    "name": ("Thiếu tên đơn vị.", "The name is missing."),
    "kind": ("Thiếu loại đơn vị.", "The kind is missing."),
}


def _refuse_duplicates(plans: list[RowPlan]) -> None:
    rows_of: dict[str, list[int]] = {}
    for plan in plans:
        if plan.code and not any(reason == _MISSING["code"] for reason in plan.reasons):
            rows_of.setdefault(plan.code, []).append(plan.row)
    for plan in plans:
        rows = rows_of.get(plan.code, [])
        if len(rows) > 1:
            listed = ", ".join(str(row) for row in rows)
            plan.refuse(f"Mã “{plan.code}” trùng trong tệp (dòng {listed}).",
                        f"The code “{plan.code}” appears more than once in the file (rows {listed}).")


def _cycle_members(valid: dict, parent_of: dict) -> set[str]:
    """Codes of the file's rows that would lie under themselves."""
    members, cleared = set(), set()
    for start in valid:
        trail, code = [], start
        while code is not None and code not in cleared and code not in trail:
            trail.append(code)
            code = parent_of.get(code)
        if code is not None and code in trail:
            members.update(member for member in trail[trail.index(code):] if member in valid)
        cleared.update(trail)
    return members


def _moves(plan: RowPlan, stored: dict, code_of_id: dict) -> bool:
    """A new unit, or a stored one whose parent the file changes."""
    unit = stored.get(plan.code)
    if unit is None:
        return True
    return plan.parent_code is not _KEEP and plan.parent_code != code_of_id.get(unit.parent_id)


def _decide(plan: RowPlan, unit: _Stored | None, parent: str | None, code_of_id: dict) -> None:
    plan.parent_code = parent
    if unit is None:
        plan.outcome = "create"
        return
    before = {"name": unit.name, "kind": unit.kind, "parent_code": code_of_id.get(unit.parent_id)}
    after = {"name": plan.name, "kind": plan.kind, "parent_code": parent}
    plan.changes = {key: (before[key], after[key]) for key in before if before[key] != after[key]}
    plan.outcome = "update" if plan.changes else "unchanged"


def _finish(plans: list[RowPlan], problems: list) -> UnitPlan:
    counts = dict.fromkeys(OUTCOMES, 0)
    for plan in plans:
        counts[plan.outcome] += 1
        if plan.parent_code is _KEEP:  # a refused row of a file without parent codes
            plan.parent_code = None
    written = [[plan.row, plan.outcome, plan.code, plan.name, plan.kind, plan.parent_code,
                sorted(plan.changes)] for plan in plans if plan.outcome in ("create", "update")]
    fingerprint = hashlib.sha256(json.dumps([written, problems], ensure_ascii=False)
                                 .encode()).hexdigest()
    return UnitPlan(plans, problems, counts, fingerprint)


# --- writing the plan ----------------------------------------------------------------------

def apply_plan(plan: UnitPlan, actor_id: int | None, filename: str = "") -> dict[str, int]:
    """Write the plan's creates and updates, parents before children; audited per unit and
    once for the import. Returns the counts written."""
    if plan.problems:
        raise UnitRuleError("bad_file", "Tệp không nhập được.", "The file cannot be imported.")
    changing = [row for row in plan.rows if row.outcome in ("create", "update")]
    depth = _final_depths(plan)
    audit_items: list[tuple] = []
    for level in sorted({depth[row.code] for row in changing}):
        at_level = [row for row in changing if depth[row.code] == level]
        _create_level([row for row in at_level if row.outcome == "create"], audit_items)
        _update_level([row for row in at_level if row.outcome == "update"], actor_id)
    if audit_items:
        db.session.execute(insert(AuditEntry),
                           entry_rows(actor_id, "unit.created", "unit", audit_items))
    counts = {"create": plan.counts["create"], "update": plan.counts["update"]}
    record(actor_id, "unit.imported", "import", None,
           {"file": filename[:200], "rows": len(plan.rows), **counts,
            "unchanged": plan.counts["unchanged"], "errors": plan.counts["error"]})
    db.session.flush()
    return counts


def _final_depths(plan: UnitPlan) -> dict[str, int]:
    """How deep each changing unit lies once the plan is written: ancestors are written first,
    so a unit's path is made from its parent's final path."""
    parents = dict(db.session.execute(select(Unit.code, Unit.parent_id)).all())
    code_of_id = dict(db.session.execute(select(Unit.id, Unit.code)).all())
    parent_of = {code: code_of_id.get(parent_id) for code, parent_id in parents.items()}
    for row in plan.rows:
        if row.outcome in ("create", "update", "unchanged"):
            parent_of[row.code] = row.parent_code
    depths: dict[str, int] = {}

    def depth_of(code: str) -> int:
        trail = []
        while code not in depths:
            parent = parent_of.get(code)
            if parent is None:
                depths[code] = 0
                break
            trail.append(code)
            if len(trail) > len(parent_of):  # changed by someone else since the plan
                raise UnitRuleError("cycle", "Cây đơn vị vừa bị thay đổi; hãy nhập lại.",
                                    "The unit tree changed meanwhile; import again.", 409)
            code = parent
        for member in reversed(trail):
            depths[member] = depths[parent_of[member]] + 1
        return depths[trail[0]] if trail else depths[code]

    for row in plan.rows:
        if row.outcome in ("create", "update"):
            depth_of(row.code)
    return depths


def _create_level(rows: list[RowPlan], audit_items: list[tuple]) -> None:
    """New units of one depth: one insert and one path update, whatever their number."""
    if not rows:
        return
    parent_codes = sorted({row.parent_code for row in rows if row.parent_code})
    parents, parent_paths = {}, {}
    for start in range(0, len(parent_codes), CHUNK):
        for code, unit_id, path in db.session.execute(select(Unit.code, Unit.id, Unit.path).where(
                Unit.code.in_(parent_codes[start:start + CHUNK]))):
            parents[code], parent_paths[unit_id] = unit_id, path
    made = db.session.execute(
        insert(Unit).returning(Unit.id, Unit.code, sort_by_parameter_order=True),
        [{"code": row.code, "name": row.name, "kind": row.kind, "is_active": True, "path": "",
          "parent_id": parents.get(row.parent_code)} for row in rows]).all()
    paths = []
    for (unit_id, _code), row in zip(made, rows, strict=True):
        parent_id = parents.get(row.parent_code)
        paths.append({"id": unit_id, "path": (parent_paths[parent_id] if parent_id else "/")
                      + f"{unit_id}/"})
        audit_items.append((unit_id, {"after": {
            "code": row.code, "name": row.name, "kind": row.kind, "parent_id": parent_id,
            "parent_code": row.parent_code, "is_active": True}, "row": row.row}))
    db.session.execute(update(Unit), paths)


def _update_level(rows: list[RowPlan], actor_id: int | None) -> None:
    """Renames, new kinds and moves of stored units of one depth (a move rewrites the paths
    of the unit's subtree in one statement)."""
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start:start + CHUNK]
        units = {unit.code: unit for unit in db.session.scalars(
            select(Unit).where(Unit.code.in_([row.code for row in chunk])))}
        for row in chunk:
            unit = units[row.code]
            parent_before = row.changes.get("parent_code", (row.parent_code,))[0]
            before = {"code": unit.code, "name": unit.name, "kind": unit.kind,
                      "parent_code": parent_before, "is_active": unit.is_active}
            unit.name, unit.kind = row.name, row.kind
            if "parent_code" in row.changes:
                parent = db.session.scalar(select(Unit).where(Unit.code == row.parent_code)) \
                    if row.parent_code else None
                place_under(unit, parent)
            after = dict(before, name=row.name, kind=row.kind, parent_code=row.parent_code)
            record(actor_id, "unit.updated", "unit", unit.id,
                   {"before": before, "after": after, "row": row.row})
