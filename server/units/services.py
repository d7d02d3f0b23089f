"""The rules of the unit tree, shared by the API, the console and the importer: adding,
renaming, moving, (de)activating and deleting units. Every change is audited with its
before and after; services flush, the request commits."""

import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import Select, case, func, literal, select, update

from server.audit.services import record
from server.errors import RuleError
from server.extensions import db
from server.sync.text_hygiene import clean_text
from server.units.models import UNIT_KINDS, Unit, fold

# Codes are identifiers people type and files carry (official codes are digits): compared
# in lower case. The API's schema uses the same pattern.
CODE_PATTERN = r"^[a-z0-9][a-z0-9._-]{0,63}$"
_CODE = re.compile(CODE_PATTERN)
NAME_MAX = 200


class UnitRuleError(RuleError):
    """A change the rules refuse; the message says why, Vietnamese first."""


def slugify(text: str) -> str:
    """ASCII slug of a Vietnamese name: 'Phường Bến Nghé' -> 'phuong-ben-nghe'."""
    return slug_of_folded(fold(text))


def slug_of_folded(folded: str) -> str:
    """The slug of a name already folded (a unit's stored name_folded): no second folding."""
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")


def normalise_code(text: str) -> str:
    code = unicodedata.normalize("NFC", (text or "").strip().lower())
    if not _CODE.match(code):
        raise UnitRuleError("bad_code",
                            "Mã đơn vị chỉ gồm chữ a–z, số, dấu “-”, “_”, “.” (tối đa 64 ký tự).",
                            "A unit code has only a–z, digits, '-', '_' or '.' (64 at most).")
    return code


def normalise_name(text: str) -> str:
    name = " ".join(clean_text(unicodedata.normalize("NFC", text or "")).split())
    if not name:
        raise UnitRuleError("missing_name", "Thiếu tên đơn vị.", "The unit's name is missing.")
    if len(name) > NAME_MAX:
        raise UnitRuleError("name_too_long", f"Tên đơn vị dài quá {NAME_MAX} ký tự.",
                            f"The unit's name is longer than {NAME_MAX} characters.")
    return name


def check_kind(kind: str) -> str:
    if kind not in UNIT_KINDS:
        raise UnitRuleError("unknown_kind", f"Loại đơn vị không hợp lệ: {kind}.",
                            f"Unknown kind of unit: {kind}.")
    return kind


def unit_by_code(code: str) -> Unit | None:
    return db.session.scalar(select(Unit).where(Unit.code == code))


def snapshot(unit: Unit) -> dict:
    """What the audit log keeps of a unit, before and after a change."""
    parent = unit.parent
    return {"code": unit.code, "name": unit.name, "kind": unit.kind,
            "parent_id": unit.parent_id, "parent_code": parent.code if parent else None,
            "is_active": unit.is_active}


def create_unit(name: str, kind: str, parent: Unit | None = None, code: str | None = None) -> Unit:
    """The unit, without checks or audit (seeding, tests); people go through add_unit."""
    check_kind(kind)
    name = unicodedata.normalize("NFC", name.strip())
    unit = Unit(name=name, kind=kind, parent=parent, code=code or "pending")
    db.session.add(unit)
    db.session.flush()
    unit.path = (parent.path if parent else "/") + f"{unit.id}/"
    if not code:
        unit.code = f"{slugify(name)}-{unit.id}"
    db.session.flush()
    return unit


def _check_parent(parent: Unit | None) -> None:
    if parent is not None and not parent.is_active:
        raise UnitRuleError("parent_inactive", "Đơn vị cấp trên đã ngừng hoạt động.",
                            "The parent unit is inactive.")


TOP_ONLY_KINDS = ("country",)


def check_top_only(kind: str, has_parent: bool) -> None:
    """A country is the root of the tree: never under another unit."""
    if kind in TOP_ONLY_KINDS and has_parent:
        raise UnitRuleError("country_not_top",
                            "Đơn vị cấp cả nước phải ở trên cùng, không thuộc đơn vị nào.",
                            "A country is at the top of the tree, under no other unit.")


def add_unit(actor_id: int | None, name: str, kind: str, parent: Unit | None = None,
             code: str | None = None) -> Unit:
    name = normalise_name(name)
    check_kind(kind)
    code = normalise_code(code) if code else None
    _check_parent(parent)
    check_top_only(kind, parent is not None)
    if code and unit_by_code(code) is not None:
        raise UnitRuleError("duplicate_code", "Mã đơn vị đã tồn tại.",
                            "A unit with this code exists.", status=409)
    unit = create_unit(name, kind, parent=parent, code=code)
    record(actor_id, "unit.created", "unit", unit.id, {"after": snapshot(unit)})
    return unit


def update_unit(unit: Unit, actor_id: int | None, name: str | None = None,
                kind: str | None = None) -> bool:
    """Rename the unit or change its kind; False when nothing changed."""
    before = snapshot(unit)
    if name is not None:
        unit.name = normalise_name(name)
    if kind is not None:
        check_top_only(check_kind(kind), unit.parent_id is not None)
        unit.kind = kind
    after = snapshot(unit)
    if after == before:
        return False
    db.session.flush()
    record(actor_id, "unit.updated", "unit", unit.id, {"before": before, "after": after})
    return True


def move_unit(unit: Unit, new_parent: Unit | None, actor_id: int | None) -> bool:
    """Put the unit (and everything below it) under new_parent (None: the top level).
    False when it is there already."""
    if (new_parent.id if new_parent else None) == unit.parent_id:
        return False
    if new_parent is not None and new_parent.is_within(unit):
        raise UnitRuleError("cycle", "Không thể chuyển một đơn vị vào chính nó hoặc đơn vị con.",
                            "A unit cannot move under itself or a unit inside it.")
    _check_parent(new_parent)
    check_top_only(unit.kind, new_parent is not None)
    before = snapshot(unit)
    place_under(unit, new_parent)
    after = snapshot(unit)
    record(actor_id, "unit.moved", "unit", unit.id, {"before": before, "after": after})
    return True


def place_under(unit: Unit, new_parent: Unit | None) -> None:
    """The new parent and the materialised path of the unit and all below it, in one
    statement: a subtree never holds paths of two places at once."""
    old_parent = unit.parent
    old_path = unit.path
    new_path = (new_parent.path if new_parent else "/") + f"{unit.id}/"
    new_parent_id = new_parent.id if new_parent else None
    db.session.execute(
        update(Unit)
        .where(Unit.path.startswith(old_path, autoescape=True))
        .values(path=literal(new_path).concat(func.substr(Unit.path, len(old_path) + 1)),
                parent_id=case((Unit.id == unit.id, new_parent_id), else_=Unit.parent_id))
        .execution_options(synchronize_session="fetch"))
    for parent in (old_parent, new_parent):  # their children lists are out of date
        if parent is not None:
            db.session.expire(parent, ["children"])
    db.session.refresh(unit)


def set_unit_active(unit: Unit, active: bool, actor_id: int | None,
                    include_inside: bool = True) -> int:
    """Deactivate a unit and every unit below it (no new rounds there; nothing is deleted),
    or reactivate it (with the units below it when include_inside). Returns how many units
    changed."""
    if active and unit.parent is not None and not unit.parent.is_active:
        raise UnitRuleError("parent_inactive",
                            "Đơn vị cấp trên đang ngừng hoạt động: hãy kích hoạt nó trước.",
                            "The parent unit is inactive: reactivate it first.")
    whole_subtree = not active or include_inside
    scope = Unit.path.startswith(unit.path, autoescape=True) if whole_subtree \
        else Unit.id == unit.id
    changed = db.session.scalars(select(Unit.id).where(scope, Unit.is_active.is_not(active))).all()
    if not changed:
        return 0
    db.session.execute(update(Unit).where(Unit.id.in_(changed)).values(is_active=active)
                       .execution_options(synchronize_session="fetch"))
    record(actor_id, "unit.activated" if active else "unit.deactivated", "unit", unit.id,
           {"before": {"is_active": not active}, "after": {"is_active": active},
            "unit_ids": sorted(changed)})
    return len(changed)


@dataclass(frozen=True)
class UnitUsage:
    children: int
    responses: int
    conflicts: int
    rounds: int
    people: int

    @property
    def deletable(self) -> bool:
        return not (self.children or self.responses or self.conflicts or self.rounds
                    or self.people)


def unit_usage(unit: Unit) -> UnitUsage:
    """What rests on the unit, counted in one query."""
    from server.people.models import user_units
    from server.rounds.models import round_units
    from server.sync.models import Response, ResponseConflict

    def count(statement):
        return statement.scalar_subquery()

    row = db.session.execute(select(
        count(select(func.count()).select_from(Unit).where(Unit.parent_id == unit.id)),
        count(select(func.count()).select_from(Response).where(Response.unit_id == unit.id)),
        count(select(func.count()).select_from(ResponseConflict)
              .where(ResponseConflict.unit_id == unit.id)),
        count(select(func.count()).select_from(round_units)
              .where(round_units.c.unit_id == unit.id)),
        count(select(func.count()).select_from(user_units).where(user_units.c.unit_id == unit.id)),
    )).one()
    return UnitUsage(*row)


def delete_unit(unit: Unit, actor_id: int | None) -> None:
    """Only a unit nothing rests on: no units inside, responses, rounds or people. A unit
    that has been used is deactivated instead, so its history stays."""
    if not unit_usage(unit).deletable:
        raise UnitRuleError("in_use",
                            "Chỉ xóa được đơn vị chưa có đơn vị con, phiếu, đợt khảo sát hay "
                            "người được phân công; hãy ngừng hoạt động đơn vị thay vì xóa.",
                            "Only a unit with no units inside, responses, rounds or people can "
                            "be deleted; deactivate it instead.", status=409)
    record(actor_id, "unit.deleted", "unit", unit.id, {"before": snapshot(unit)})
    db.session.delete(unit)
    db.session.flush()


def descendant_ids_query(unit: Unit) -> Select:
    """Ids of the unit and everything below it, in one query."""
    return select(Unit.id).where(Unit.path.startswith(unit.path, autoescape=True))


def ancestors(unit: Unit) -> list[Unit]:
    ids = unit.ancestor_ids
    if not ids:
        return []
    by_id = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_(ids)))}
    return [by_id[i] for i in ids]
