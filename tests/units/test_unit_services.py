"""The unit tree's rules (server/units/services.py, tree.py): moves, (de)activation, deletion,
search, and the bounded tree."""

import pytest
from sqlalchemy import event, select

from server.audit.models import AuditEntry
from server.units.models import Unit
from server.units.services import (
    UnitRuleError,
    add_unit,
    delete_unit,
    move_unit,
    set_unit_active,
    unit_usage,
)
from server.units.tree import build_tree, search_units


@pytest.fixture
def tree(factory):
    province = factory.unit("Tỉnh Ninh Bình", "province", code="ninh-binh")
    a = factory.unit("Phường Hoa Lư", "ward", parent=province, code="hoa-lu")
    b = factory.unit("Xã Gia Viễn", "commune", parent=province, code="gia-vien")
    groups = [factory.unit(f"Tổ dân phố {n}", "residential_group", parent=a, code=f"tdp-{n}")
              for n in (1, 2, 10)]
    return province, a, b, groups


def test_a_move_rewrites_the_subtree_paths_in_one_statement(db, tree):
    province, a, b, groups = tree
    updates = []

    def count(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("UPDATE UNITS"):
            updates.append(statement)

    engine = db.session.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        assert move_unit(a, b, actor_id=None) is True
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(updates) == 1
    assert a.parent_id == b.id and a.path == f"{b.path}{a.id}/"
    for group in groups:
        db.session.refresh(group)
        assert group.path == f"{b.path}{a.id}/{group.id}/"
    assert b.children == [a]
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "unit.moved"))
    assert entry.details["before"]["parent_code"] == "ninh-binh"
    assert entry.details["after"]["parent_code"] == "gia-vien"


def test_a_unit_never_moves_under_itself(db, tree):
    _, a, _, groups = tree
    for target in (a, groups[0]):
        with pytest.raises(UnitRuleError) as refused:
            move_unit(a, target, None)
        assert refused.value.code == "cycle"
    assert move_unit(a, a.parent, None) is False                  # already there


def test_to_the_top_level_and_back(db, tree):
    province, a, _, groups = tree
    move_unit(a, None, None)
    assert a.parent_id is None and a.path == f"/{a.id}/"
    move_unit(a, province, None)
    db.session.refresh(groups[2])
    assert groups[2].path == f"{province.path}{a.id}/{groups[2].id}/"


def test_deactivation_covers_the_subtree_and_blocks_new_units_below(db, tree):
    _, a, _, groups = tree
    assert set_unit_active(a, False, None) == 4
    assert all(not group.is_active for group in groups)
    with pytest.raises(UnitRuleError):
        add_unit(None, "Tổ mới", "residential_group", parent=a)
    with pytest.raises(UnitRuleError):
        set_unit_active(groups[0], True, None)
    assert set_unit_active(a, True, None, include_inside=False) == 1
    assert not groups[0].is_active
    assert set_unit_active(groups[0], True, None) == 1


def test_delete_only_what_nothing_rests_on(db, tree, factory):
    province, a, b, groups = tree
    with pytest.raises(UnitRuleError):
        delete_unit(a, None)                                      # has units inside
    factory.user("tnv", "volunteer", units=[groups[0]])
    assert unit_usage(groups[0]).people == 1
    with pytest.raises(UnitRuleError):
        delete_unit(groups[0], None)
    factory.round(units=[groups[1]])
    with pytest.raises(UnitRuleError):
        delete_unit(groups[1], None)
    delete_unit(groups[2], None)
    assert db.session.scalar(select(Unit).where(Unit.code == "tdp-10")) is None


def test_add_unit_checks_and_normalises(db, tree):
    province = tree[0]
    unit = add_unit(None, " Thôn  Mới ", "village", parent=province, code=" THON-MOI ")
    assert (unit.name, unit.code) == ("Thôn Mới", "thon-moi")
    for name, kind, code in (("", "village", None), ("X", "planet", None),
                             ("X", "village", "thon-moi"), ("X", "village", "có dấu")):
        with pytest.raises(UnitRuleError):
            add_unit(None, name, kind, parent=province, code=code)


def test_search_ignores_accents_case_and_finds_codes(db, tree):
    assert [hit.node.code for hit in search_units("GIA VIEN")] == ["gia-vien"]
    found = search_units("to dan pho")
    assert [hit.node.code for hit in found] == ["tdp-1", "tdp-2", "tdp-10"]   # numeric order
    assert found[0].trail == ["Tỉnh Ninh Bình", "Phường Hoa Lư"]
    assert search_units("tdp-2")[0].node.code == "tdp-2"
    assert search_units("   ") == []


def test_a_big_tree_is_cut_where_it_stops_fitting(db, tree):
    province, a, _, groups = tree
    full = build_tree()
    assert full.total == full.shown == 6
    cut = build_tree(limit=3)
    assert cut.shown == 3                                       # the province and its communes
    ward = next(node for node in cut.tops[0].children if node.id == a.id)
    assert ward.children == [] and ward.hidden == 3
    below = build_tree(root=a)
    assert [node.name for node in below.tops[0].children] == [
        "Tổ dân phố 1", "Tổ dân phố 2", "Tổ dân phố 10"]
