from sqlalchemy import event, select

from server.auth.access import can_collect_in, can_see_unit, visible_unit_ids
from server.units.models import Unit
from server.units.services import ancestors, descendant_ids_query, slugify


def _tree(factory):
    province = factory.unit("Tỉnh Ninh Bình", "province")
    commune_a = factory.unit("Phường Hoa Lư", "ward", parent=province)
    commune_b = factory.unit("Xã Gia Viễn", "commune", parent=province)
    group_a1 = factory.unit("Tổ dân phố Đông Thịnh", "residential_group", parent=commune_a)
    group_a2 = factory.unit("Tổ dân phố Bắc Sơn", "residential_group", parent=commune_a)
    group_b1 = factory.unit("Thôn Đồng Tâm", "village", parent=commune_b)
    return province, commune_a, commune_b, group_a1, group_a2, group_b1


def test_paths_make_descendants_one_query(factory, db):
    province, commune_a, _, group_a1, group_a2, _ = _tree(factory)
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        ids = set(db.session.scalars(descendant_ids_query(commune_a)))
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert ids == {commune_a.id, group_a1.id, group_a2.id}
    assert len(statements) == 1
    assert group_a1.path == f"{province.path}{commune_a.id}/{group_a1.id}/"
    assert [u.id for u in ancestors(group_a1)] == [province.id, commune_a.id]


def test_names_are_stored_nfc(factory):
    decomposed = "Phu\u031bo\u031b\u0300ng Be\u0302\u0301n Nghe\u0301"
    unit = factory.unit(decomposed, "ward")
    assert unit.name == "Phường Bến Nghé"
    assert slugify(unit.name) == "phuong-ben-nghe"


def test_who_sees_and_collects_where(factory, db):
    province, commune_a, commune_b, group_a1, group_a2, group_b1 = _tree(factory)
    admin = factory.user("admin", "admin")
    official_a = factory.user("official_a", "official", units=[commune_a])
    volunteer = factory.user("volunteer", "volunteer", units=[group_a1])
    everyone = [province, commune_a, commune_b, group_a1, group_a2, group_b1]

    assert all(can_see_unit(admin, u) for u in everyone)
    assert [u for u in everyone if can_see_unit(official_a, u)] == [commune_a, group_a1, group_a2]
    assert [u for u in everyone if can_see_unit(volunteer, u)] == [group_a1]
    assert [u for u in everyone if can_collect_in(volunteer, u)] == [group_a1]
    assert not any(can_collect_in(official_a, u) for u in everyone)
    assert not any(can_collect_in(admin, u) for u in everyone)
    assert not can_see_unit(None, commune_a)

    visible = set(db.session.scalars(select(Unit.id).where(Unit.id.in_(visible_unit_ids(official_a)))))
    assert visible == {commune_a.id, group_a1.id, group_a2.id}
    nobody = factory.user("unassigned", "official")
    assert list(db.session.scalars(visible_unit_ids(nobody))) == []
    volunteer.is_active = False
    assert not can_collect_in(volunteer, group_a1)
