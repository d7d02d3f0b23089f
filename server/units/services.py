import re
import unicodedata

from sqlalchemy import Select, select

from server.extensions import db
from server.units.models import UNIT_KINDS, Unit


def slugify(text: str) -> str:
    """ASCII slug of a Vietnamese name: 'Phường Bến Nghé' -> 'phuong-ben-nghe'."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def create_unit(name: str, kind: str, parent: Unit | None = None, code: str | None = None) -> Unit:
    if kind not in UNIT_KINDS:
        raise ValueError(f"unknown unit kind {kind!r}")
    name = unicodedata.normalize("NFC", name.strip())
    unit = Unit(name=name, kind=kind, parent=parent, code=code or "pending")
    db.session.add(unit)
    db.session.flush()
    unit.path = (parent.path if parent else "/") + f"{unit.id}/"
    if not code:
        unit.code = f"{slugify(name)}-{unit.id}"
    db.session.flush()
    return unit


def descendant_ids_query(unit: Unit) -> Select:
    """Ids of the unit and everything below it, in one query."""
    return select(Unit.id).where(Unit.path.startswith(unit.path, autoescape=True))


def ancestors(unit: Unit) -> list[Unit]:
    ids = unit.ancestor_ids
    if not ids:
        return []
    by_id = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_(ids)))}
    return [by_id[i] for i in ids]
