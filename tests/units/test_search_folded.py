"""Search by name through the stored folded name: the same hits, in the same order, as folding
every name in Python did; and every path that sets a name keeps the folded name current."""

from sqlalchemy import insert, select

from server.tabular import read_table
from server.units.importer import apply_plan, plan_import
from server.units.models import Unit
from server.units.services import add_unit, create_unit, fold, update_unit
from server.units.tree import natural_key, search_units

NAMES = (
    "Phường Bến Nghé", "Xã Đông Hòa", "ĐẶC KHU PHÚ QUỐC", "Thôn Đồng Tâm", "Tổ dân phố 2",
    "Tổ dân phố 10", "Tổ Dân Phố 1", "Phường Hòa Khánh", "Phường Hoà Khánh Bắc",
    "Ấp Mỹ Thuận", "Bản Nậm Đăm", "Xã Ea H'Leo", "Phường Thủ Dầu Một", "Tổ 5_A",
    "Phu\u031bo\u031b\u0300ng Be\u0302\u0301n Thành",   # decomposed (NFD) on the way in
)
QUERIES = (
    "ben nghe", "BẾN NGHÉ", "Be\u0302\u0301n", "dong", "Đông", "đ", "hoa khanh", "hoà khánh",
    "to dan pho", "tổ 1", "my thuan", "nam dam", "h'leo", "thu dau mot", "  phuong   ben ",
    "5_a", "to_dan", "%", "code-3", "quoc", "x",
)


def _old_search(query: str) -> list[tuple[str, list[str]]]:
    """The search as it was: every unit read, every name folded in Python."""
    wanted = fold(query)
    units = db_units()
    names = {unit.id: unit.name for unit in units}
    matches = [u for u in units if wanted in fold(u.name) or wanted in u.code]
    matches.sort(key=lambda u: (u.code != wanted, natural_key(u.name), u.id))
    return [(u.code, [names[i] for i in u.ancestor_ids]) for u in matches]


def db_units() -> list[Unit]:
    from server.extensions import db
    return list(db.session.scalars(select(Unit).order_by(Unit.id)))


def _tree(factory):
    top = factory.unit("Thành phố Hồ Chí Minh", "province", code="code-1")
    parents = [top, factory.unit("Phường Sài Gòn", "ward", parent=top, code="code-2")]
    for number, name in enumerate(NAMES, start=3):
        factory.unit(name, "residential_group", parent=parents[number % 2], code=f"code-{number}")


def _stored_folds_are_current(db) -> None:
    db.session.expire_all()
    rows = db.session.execute(select(Unit.name, Unit.name_folded)).all()
    assert rows and all(folded == fold(name) for name, folded in rows)


def test_sql_search_finds_what_python_folding_found_in_the_same_order(db, factory):
    _tree(factory)
    for query in QUERIES:
        found = [(hit.node.code, hit.trail) for hit in search_units(query)]
        assert found == _old_search(query), query
    assert {hit.node.name for hit in search_units("ben nghe")} == {"Phường Bến Nghé"}
    assert {hit.node.name for hit in search_units("ĐỒNG")} == {"Xã Đông Hòa", "Thôn Đồng Tâm"}
    assert {hit.node.name for hit in search_units("dac khu")} == {"ĐẶC KHU PHÚ QUỐC"}
    assert search_units("to_dan") == []       # "_" and "%" are letters here, not wildcards
    assert search_units("%") == []
    assert [hit.node.code for hit in search_units("code-3")][0] == "code-3"   # exact code first
    assert len(search_units("phuong", limit=2)) == 2


def test_every_way_of_setting_a_name_keeps_the_folded_name(db, factory):
    _tree(factory)
    unit = create_unit("Xã Đắk Mil", "commune")
    assert unit.name_folded == "xa dak mil"
    added = add_unit(None, "Thôn  Ê\u0301a Súp", "village", parent=unit)
    update_unit(added, None, name="Buôn Đôn")
    unit.name = "Phường Đắk Lắk"          # a plain attribute set (as the importer does)
    db.session.flush()
    db.session.execute(insert(Unit), [    # a bulk insert (bench loaders)
        {"code": "bulk-1", "name": "Ấp Bình Điền", "kind": "hamlet", "path": "/"}])
    _stored_folds_are_current(db)
    assert [hit.node.code for hit in search_units("buon don")] == [added.code]
    assert search_units("dak mil") == []
    assert [hit.node.code for hit in search_units("dak lak")] == [unit.code]
    assert [hit.node.code for hit in search_units("binh dien")] == ["bulk-1"]


def test_an_import_keeps_the_folded_name_on_create_and_rename(db):
    def table(text):
        return read_table("units.csv", text.encode("utf-8"))

    apply_plan(plan_import(table("""code,name,kind,parent code
ninh-binh,Tỉnh Ninh Bình,province,
hoa-lu,Phường Hoa Lư,ward,ninh-binh
""")), None)
    _stored_folds_are_current(db)
    assert [hit.node.code for hit in search_units("hoa lu")] == ["hoa-lu"]
    apply_plan(plan_import(table("""code,name,kind,parent code
ninh-binh,Tỉnh Ninh Bình,province,
hoa-lu,Phường Đông Hoa Lư,ward,ninh-binh
""")), None)
    _stored_folds_are_current(db)
    assert [hit.node.code for hit in search_units("dong hoa")] == ["hoa-lu"]
