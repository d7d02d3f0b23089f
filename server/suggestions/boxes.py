"""Suggestion boxes: who may see and manage them, making, renaming, closing and reopening
them, and their posters. Services flush; the request commits."""

import unicodedata

from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager

from server.admin.unit_lists import ListPage, read_page, unit_name_holds
from server.audit.services import record
from server.auth.access import can_see_unit, visible_unit_ids
from server.db_types import utcnow
from server.extensions import db
from server.people.models import User
from server.suggestions.codes import new_box_code
from server.suggestions.models import SuggestionBox, SuggestionMessage
from server.suggestions.rules import SuggestionRuleError
from server.suggestions.topics import ensure_default_topics
from server.sync.text_hygiene import BrokenText, clean_text
from server.units.models import Unit

NAME_MAX = 200
HANDLING_ROLES = ("admin", "official")


def may_handle(user: User | None, unit: Unit) -> bool:
    """Admins, and officials of the unit or a unit above it."""
    return user is not None and user.role in HANDLING_ROLES and can_see_unit(user, unit)


def _visible(user: User, unit_id: int | None = None, unit_query: str = ""):
    """The boxes the user handles, with their units read in the same query."""
    query = select(SuggestionBox).join(SuggestionBox.unit).options(
        contains_eager(SuggestionBox.unit)).where(SuggestionBox.unit_id.in_(visible_unit_ids(user)))
    if unit_id is not None:
        query = query.where(SuggestionBox.unit_id == unit_id)
    return query.where(unit_name_holds(unit_query)) if unit_query else query


IN_ORDER = (Unit.path, SuggestionBox.name, SuggestionBox.id)


def visible_boxes(user: User, unit_id: int | None = None) -> list[SuggestionBox]:
    return list(db.session.scalars(_visible(user, unit_id).order_by(*IN_ORDER)))


def boxes_page(user: User, number: int, unit_query: str = "") -> ListPage:
    """One page of the boxes the user handles (those of units whose name holds the query)."""
    return read_page(_visible(user, unit_query=unit_query), IN_ORDER, number, unit_query)


def box_by_code(code: str) -> SuggestionBox | None:
    return db.session.scalar(select(SuggestionBox).where(SuggestionBox.code == code))


def message_counts(box_ids: list[int]) -> dict[int, dict[str, int]]:
    """{box id: {status: count}} in one query."""
    if not box_ids:
        return {}
    rows = db.session.execute(
        select(SuggestionMessage.box_id, SuggestionMessage.status, func.count())
        .where(SuggestionMessage.box_id.in_(box_ids))
        .group_by(SuggestionMessage.box_id, SuggestionMessage.status))
    counts: dict[int, dict[str, int]] = {}
    for box_id, status, count in rows:
        counts.setdefault(box_id, {})[status] = count
    return counts


def normalise_box_name(text: str | None) -> str:
    try:
        name = " ".join(clean_text(unicodedata.normalize("NFC", text or "")).split())
    except BrokenText:
        name = ""
    if not name:
        raise SuggestionRuleError("box_name_required",
                                  "Thiếu tên hòm thư (nơi đặt, ví dụ: Nhà văn hóa tổ dân phố …).",
                                  "The box's name (its place) is missing.")
    if len(name) > NAME_MAX:
        raise SuggestionRuleError("box_name_too_long", f"Tên hòm thư dài quá {NAME_MAX} ký tự.",
                                  f"The box's name is longer than {NAME_MAX} characters.")
    return name


def _snapshot(box: SuggestionBox) -> dict:
    return {"code": box.code, "name": box.name, "unit_id": box.unit_id, "is_open": box.is_open}


def create_box(actor: User, unit: Unit, name: str) -> SuggestionBox:
    if not may_handle(actor, unit):
        raise SuggestionRuleError("forbidden", "Bạn không quản lý đơn vị này.",
                                  "You do not manage this unit.", status=403)
    if not unit.is_active:
        raise SuggestionRuleError("unit_inactive", "Đơn vị đã ngừng hoạt động.",
                                  "The unit is inactive.")
    ensure_default_topics()
    code = new_box_code()
    while box_by_code(code) is not None:
        code = new_box_code()
    box = SuggestionBox(code=code, unit=unit, name=normalise_box_name(name),
                        created_by_id=actor.id, is_open=True)
    db.session.add(box)
    db.session.flush()
    record(actor.id, "suggestion_box.created", "suggestion_box", box.id, {"after": _snapshot(box)})
    return box


def update_box(box: SuggestionBox, actor: User, name: str | None = None,
               is_open: bool | None = None) -> SuggestionBox:
    before = _snapshot(box)
    if name is not None:
        box.name = normalise_box_name(name)
    if is_open is not None and is_open != box.is_open:
        box.is_open = is_open
        box.closed_at = None if is_open else utcnow()
    after = _snapshot(box)
    if after != before:
        db.session.flush()
        action = "suggestion_box.updated"
        if before["is_open"] != after["is_open"]:
            action = "suggestion_box.reopened" if box.is_open else "suggestion_box.closed"
        record(actor.id, action, "suggestion_box", box.id, {"before": before, "after": after})
    return box


def delete_box(box: SuggestionBox, actor: User) -> None:
    """Only a box no one has written to; one with messages is closed instead (they stay)."""
    used = db.session.scalar(select(func.count()).select_from(SuggestionMessage)
                             .where(SuggestionMessage.box_id == box.id))
    if used:
        raise SuggestionRuleError("box_in_use",
                                  "Hòm thư đã có ý kiến nên không xóa được; hãy đóng hòm thư.",
                                  "The box has messages and cannot be deleted; close it instead.",
                                  status=409)
    record(actor.id, "suggestion_box.deleted", "suggestion_box", box.id,
           {"before": _snapshot(box)})
    db.session.delete(box)
    db.session.flush()
