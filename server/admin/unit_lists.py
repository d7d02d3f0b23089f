"""The console's list pages of things placed at units (suggestion boxes, one-stop desks, a
round's units): a page of their list, the search on unit names, and the unit choice of a
"new" form. A national tree's 36,000 units never go into one list: the choice opens a level
at a time (the user's top units, the way down to the chosen unit, the units just below it) or
lists the units whose name or code holds a search."""

import unicodedata
from dataclasses import dataclass

from sqlalchemy import false, func, or_, select

from server.auth.access import can_see_unit, visible_unit_ids
from server.extensions import db
from server.people.models import User
from server.reporting.access import top_units
from server.units.models import Unit, fold, matchable
from server.units.tree import natural_key

PER_PAGE = 50
PAGE_MAX = 100_000
LEVEL_MAX = 500      # the units just below one unit (a province's communes: about a hundred)
SEARCH_MAX = 50
QUERY_MAX = 100


@dataclass(frozen=True, slots=True)
class UnitChoice:
    id: int
    name: str
    depth: int


@dataclass(frozen=True, slots=True)
class ListPage:
    items: list
    total: int
    number: int
    query: str

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PER_PAGE))


def read_page(query, order: tuple, number: int, unit_query: str) -> ListPage:
    """The page `number` (the last one if beyond it) of a select, with the total."""
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    number = min(number, max(1, -(-total // PER_PAGE)))
    items = list(db.session.scalars(query.order_by(*order).limit(PER_PAGE)
                                    .offset((number - 1) * PER_PAGE)))
    return ListPage(items, total, number, unit_query)


def page_number(text: str | None) -> int:
    text = (text or "").strip()
    if not (text.isascii() and text.isdigit()):
        return 1
    return PAGE_MAX if len(text) > 6 else max(1, min(int(text), PAGE_MAX))


def search_text(text: str | None) -> str:
    return " ".join(unicodedata.normalize("NFC", text or "").split())[:QUERY_MAX]


def unit_name_holds(query: str):
    """The unit's name holds the query, accents and case ignored (on the folded name)."""
    wanted = fold(query)
    if not matchable(wanted):
        return false()
    return Unit.name_folded.contains(wanted, autoescape=True)


def _tops(user: User) -> list[Unit]:
    if user.role == "admin":
        tops = list(db.session.scalars(select(Unit).where(Unit.parent_id.is_(None))))
    else:
        tops = top_units(sorted(user.units, key=lambda unit: unit.path))
    return sorted((unit for unit in tops if unit.is_active),
                  key=lambda unit: (natural_key(unit.name), unit.id))


def _children(unit: Unit) -> list[Unit]:
    children = db.session.scalars(select(Unit).where(
        Unit.parent_id == unit.id, Unit.is_active.is_(True)).order_by(Unit.name).limit(LEVEL_MAX))
    return sorted(children, key=lambda child: (natural_key(child.name), child.id))


def _found(user: User, query: str) -> list[UnitChoice]:
    if not matchable(query):   # nor a code: PostgreSQL cannot compare such text
        return []
    units = db.session.scalars(
        select(Unit).where(Unit.id.in_(visible_unit_ids(user)), Unit.is_active.is_(True),
                           or_(unit_name_holds(query), Unit.code == query))
        .order_by(Unit.path).limit(SEARCH_MAX))
    return [UnitChoice(unit.id, f"{unit.name} ({unit.code})", 0) for unit in units]


def chosen_unit(user: User, text: str | None) -> Unit | None:
    """The unit asked for (its id as sent), if the user may place things there."""
    text = (text or "").strip()
    unit_id = int(text) if text.isascii() and text.isdigit() and len(text) < 10 else 0
    unit = db.session.get(Unit, unit_id) if unit_id else None
    return unit if unit is not None and can_see_unit(user, unit) else None


def unit_choices(user: User, selected: Unit | None, query: str = "") -> list[UnitChoice]:
    """The active units the user may choose: those matching the search, or a level at a
    time (one top unit is opened by itself)."""
    if query:
        found = _found(user, query)
        if selected is not None and all(choice.id != selected.id for choice in found):
            found.insert(0, UnitChoice(selected.id, selected.name, 0))   # keep it shown
        return found
    tops = _tops(user)
    if selected is not None:
        opened = {*selected.ancestor_ids, selected.id}
    else:
        opened = {tops[0].id} if len(tops) == 1 else set()
    choices: list[UnitChoice] = []

    def add(units: list[Unit], depth: int) -> None:
        for unit in units:
            choices.append(UnitChoice(unit.id, unit.name, depth))
            if unit.id in opened:
                add(_children(unit), depth + 1)

    add(tops, 0)
    if selected is not None and all(choice.id != selected.id for choice in choices):
        choices.append(UnitChoice(selected.id, selected.name, 0))
    return choices
