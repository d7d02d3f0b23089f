"""Desks: who may manage them (admins, and the officials of the desk's unit or above it), and
making and changing them. Services only flush; the request commits."""

import unicodedata

from sqlalchemy import select

from server.audit.services import record
from server.auth.access import can_see_unit, visible_unit_ids
from server.extensions import db
from server.kiosks.models import KioskDesk
from server.kiosks.rules import KioskRuleError
from server.people.models import User
from server.units.models import Unit

MAX_SERVICES = 30
MIN_INTERVAL_RANGE = (0, 3600)


def may_manage(user: User | None, unit: Unit) -> bool:
    return user is not None and user.role in ("admin", "official") and can_see_unit(user, unit)


def visible_desks(user: User) -> list[KioskDesk]:
    return list(db.session.scalars(select(KioskDesk).where(
        KioskDesk.unit_id.in_(visible_unit_ids(user))).order_by(KioskDesk.name, KioskDesk.id)))


def clean_services(services: list[str]) -> list[str]:
    """NFC, trimmed, blanks and repeats dropped, order kept."""
    seen: list[str] = []
    for service in services:
        text = unicodedata.normalize("NFC", service).strip()
        if text and text not in seen:
            seen.append(text)
    if len(seen) > MAX_SERVICES:
        raise KioskRuleError(400, "too_many_services",
                             f"Một bàn có tối đa {MAX_SERVICES} thủ tục.",
                             f"A desk has at most {MAX_SERVICES} services.")
    return seen


def create_desk(user: User, unit: Unit, name: str, services: list[str],
                min_interval_seconds: int) -> KioskDesk:
    if not may_manage(user, unit):
        raise KioskRuleError(403, "forbidden", "Bạn không quản lý đơn vị này.",
                             "You do not manage this unit.")
    desk = KioskDesk(unit_id=unit.id, name=unicodedata.normalize("NFC", name).strip(),
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
        desk.name = unicodedata.normalize("NFC", changes["name"]).strip()
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
