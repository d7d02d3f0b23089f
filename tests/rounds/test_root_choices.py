"""The roots a round can start from: in the same tree order as when every unit's whole ancestor
chain was slugified while sorting."""

from sqlalchemy import select

from server.rounds.selection import root_choices, subtree_rows
from server.units.models import Unit
from server.units.services import slugify


def _old_root_choices(db) -> list[tuple[int, int]]:
    """The order as it was computed before: the ancestor chain slugified per comparison key."""
    parents = select(Unit.parent_id).where(Unit.is_active, Unit.parent_id.is_not(None))
    units = db.session.scalars(select(Unit).where(Unit.is_active, Unit.id.in_(parents))).all()
    by_id = {unit.id: unit for unit in units}

    def tree_order(unit):
        line = [by_id[i] for i in unit.ancestor_ids if i in by_id] + [unit]
        return [(slugify(u.name), u.id) for u in line]

    return [(unit.id, len(unit.ancestor_ids)) for unit in sorted(units, key=tree_order)]


def test_root_choices_keep_the_tree_order(db, factory):
    country = factory.unit("Việt Nam", "country")
    provinces = [factory.unit(name, "province", parent=country)
                 for name in ("Tỉnh Đắk Lắk", "Tỉnh Dak Nong", "Thành phố Hà Nội", "Tỉnh An Giang")]
    communes = []
    for province in provinces:
        for name in ("Phường 10", "Phường 2", "Xã An Bình", "Xã An Bình", "Xã Ấn Bình"):
            commune = factory.unit(name, "commune", parent=province)
            communes.append(commune)
            for group in ("Tổ 1", "Tổ 2"):
                factory.unit(group, "residential_group", parent=commune)
    factory.unit("Tỉnh Lẻ", "province", parent=country)   # no children: not a root
    provinces[2].is_active = False                        # its active communes stay roots
    communes[0].is_active = False
    db.session.flush()

    got = [(unit.id, depth) for unit, depth in root_choices()]
    assert got == _old_root_choices(db)
    assert got[0] == (country.id, 0)
    assert communes[0].id not in {unit_id for unit_id, _ in got}
    assert provinces[2].id not in {unit_id for unit_id, _ in got}
    assert len(got) == 1 + 3 + 4 * 5 - 1


def test_a_subtree_lists_siblings_by_slug_then_id(db, factory):
    ward = factory.unit("Phường Đông Hòa", "ward")
    names = ("Tổ 10", "Tổ 2", "Tổ Ấn", "Tổ An", "tổ an", "Tổ Đá", "Tổ Da")
    groups = [factory.unit(name, "residential_group", parent=ward) for name in names]
    groups[3].name = "Tổ Zê"          # a rename in the session moves it
    db.session.flush()
    rows = subtree_rows(ward)
    expected = sorted(groups, key=lambda unit: (slugify(unit.name), unit.id))
    assert [row.unit.id for row in rows] == [ward.id] + [unit.id for unit in expected]
    assert rows[-1].unit.name == "Tổ Zê"
