"""Desks: who may manage them (admins, and the officials of the desk's unit or above it), and
making and changing them. Services only flush; the request commits."""

import unicodedata

from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from server.admin.unit_lists import ListPage, read_page, unit_name_holds
from server.audit.services import record
from server.auth.access import can_see_unit, visible_unit_ids
from server.extensions import db
from server.kiosks.models import KioskDesk
from server.kiosks.rules import KioskRuleError
from server.people.models import User
from server.sync.text_hygiene import BrokenText, clean_text
from server.units.models import Unit

MAX_SERVICES = 30
MIN_INTERVAL_RANGE = (0, 3600)


def may_manage(user: User | None, unit: Unit) -> bool:
    return user is not None and user.role in ("admin", "official") and can_see_unit(user, unit)


def _visible(user: User, unit_query: str = ""):
    """The desks the user manages, with their units read in the same query."""
    query = select(KioskDesk).join(KioskDesk.unit).options(contains_eager(KioskDesk.unit)).where(
        KioskDesk.unit_id.in_(visible_unit_ids(user)))
    return query.where(unit_name_holds(unit_query)) if unit_query else query


def visible_desks(user: User) -> list[KioskDesk]:
    return list(db.session.scalars(_visible(user).order_by(KioskDesk.name, KioskDesk.id)))


def desks_page(user: User, number: int, unit_query: str = "") -> ListPage:
    """One page of the desks the user manages (those of units whose name holds the query)."""
    return read_page(_visible(user, unit_query), (KioskDesk.name, KioskDesk.id), number,
                     unit_query)


def desk_text(text: str, field: str) -> str:
    """NFC and trimmed, without invisible controls (NUL cannot be stored on PostgreSQL);
    refused when it holds a lone surrogate (not a character)."""
    try:
        return clean_text(unicodedata.normalize("NFC", text)).strip()
    except BrokenText:
        raise KioskRuleError("invalid_text", "Văn bản có ký tự không hợp lệ.",
                             "The text holds an invalid character.", field=field) from None


def desk_name(name: str) -> str:
    cleaned = desk_text(name, "name")
    if not cleaned:
        raise KioskRuleError("name_required", "Hãy nhập tên bàn.", "Give the desk a name.", field="name")
    return cleaned


def clean_services(services: list[str]) -> list[str]:
    """NFC, trimmed, blanks and repeats dropped, order kept."""
    seen: list[str] = []
    for service in services:
        text = desk_text(service, "services")
        if text and text not in seen:
            seen.append(text)
    if len(seen) > MAX_SERVICES:
        raise KioskRuleError("too_many_services", f"Một bàn có tối đa {MAX_SERVICES} thủ tục.",
                             f"A desk has at most {MAX_SERVICES} services.")
    return seen


def create_desk(user: User, unit: Unit, name: str, services: list[str],
                min_interval_seconds: int) -> KioskDesk:
    if not may_manage(user, unit):
        raise KioskRuleError("forbidden", "Bạn không quản lý đơn vị này.",
                             "You do not manage this unit.", 403)
    desk = KioskDesk(unit_id=unit.id, name=desk_name(name),
                     services=clean_services(services),
                     min_interval_seconds=min_interval_seconds, created_by_id=user.id)
    db.session.add(desk)
    db.session.flush()
    record(user.id, "kiosk.desk_created", "kiosk_desk", desk.id,
           {"after": {"name": desk.name, "unit_id": unit.id, "services": desk.services,
                      "min_interval_seconds": desk.min_interval_seconds}})
    return desk


def update_desk(desk: KioskDesk, user: User, **changes) -> KioskDesk:
    before = {"name": desk.name, "services": list(desk.services or []),
              "min_interval_seconds": desk.min_interval_seconds, "is_active": desk.is_active}
    if changes.get("name") is not None:
        desk.name = desk_name(changes["name"])
    if changes.get("services") is not None:
        desk.services = clean_services(changes["services"])
    if changes.get("min_interval_seconds") is not None:
        desk.min_interval_seconds = changes["min_interval_seconds"]
    if changes.get("is_active") is not None:
        desk.is_active = changes["is_active"]
    after = {"name": desk.name, "services": list(desk.services or []),
             "min_interval_seconds": desk.min_interval_seconds, "is_active": desk.is_active}
    if after != before:
        db.session.flush()
        record(user.id, "kiosk.desk_updated", "kiosk_desk", desk.id,
               {"before": before, "after": after})
    return desk
