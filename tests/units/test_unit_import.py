"""The units importer: every row's outcome in the plan, parents after children, cycles,
idempotent re-import, and applying exactly the plan."""

from sqlalchemy import func, select

from server.audit.models import AuditEntry
from server.tabular import read_table
from server.units.importer import apply_plan, plan_import
from server.units.models import Unit


def _table(text: str, name: str = "units.csv"):
    return read_table(name, text.encode("utf-8"))


def _outcomes(plan) -> dict[str, str]:
    return {row.code or f"row{row.row}": row.outcome for row in plan.rows}


def _unit(db, code: str) -> Unit:
    return db.session.scalar(select(Unit).where(Unit.code == code))


COMMUNE_FILE = """code,name,kind,parent code
ninh-binh,Tỉnh Ninh Bình,province,
hoa-lu,Phường Hoa Lư,phường,ninh-binh
tdp-01,Tổ dân phố 1,tổ dân phố,hoa-lu
tdp-02,Tổ dân phố 2,residential_group,hoa-lu
"""


def test_a_new_tree_is_planned_then_written_parents_first(db):
    # Children come before their parents in the file.
    table = _table("""mã,tên,loại,mã cấp trên
tdp-02,Tổ dân phố 2,Tổ dân phố,hoa-lu
tdp-01,Tổ dân phố 1,tổ dân phố,hoa-lu
hoa-lu,Phường Hoa Lư,Phường,ninh-binh
ninh-binh,Tỉnh Ninh Bình,Tỉnh,
""")
    plan = plan_import(table)
    assert not plan.problems
    assert _outcomes(plan) == dict.fromkeys(["tdp-02", "tdp-01", "hoa-lu", "ninh-binh"], "create")
    assert db.session.scalar(select(func.count()).select_from(Unit)) == 0   # a dry run writes nothing

    assert apply_plan(plan, None, "units.csv") == {"create": 4, "update": 0}
    province, ward, group = _unit(db, "ninh-binh"), _unit(db, "hoa-lu"), _unit(db, "tdp-02")
    assert (province.kind, ward.kind, group.kind) == ("province", "ward", "residential_group")
    assert group.parent_id == ward.id and ward.parent_id == province.id
    assert group.path == f"/{province.id}/{ward.id}/{group.id}/"
    actions = db.session.scalars(select(AuditEntry.action)).all()
    assert actions.count("unit.created") == 4 and actions.count("unit.imported") == 1


def test_a_second_import_of_the_same_file_changes_nothing(db):
    apply_plan(plan_import(_table(COMMUNE_FILE)), None)
    again = plan_import(_table(COMMUNE_FILE))
    assert set(_outcomes(again).values()) == {"unchanged"}
    assert again.writes == 0


def test_updates_list_what_changes_and_moves_carry_the_subtree(db, factory):
    apply_plan(plan_import(_table(COMMUNE_FILE)), None)
    plan = plan_import(_table("""code;name;kind;parent code
ninh-binh;Tỉnh Ninh Bình;province;
gia-vien;Xã Gia Viễn;xã;ninh-binh
hoa-lu;Phường Hoa Lư mới;ward;gia-vien
tdp-01;Tổ dân phố 1;residential_group;hoa-lu
"""))
    assert _outcomes(plan) == {"ninh-binh": "unchanged", "gia-vien": "create",
                               "hoa-lu": "update", "tdp-01": "unchanged"}
    ward_row = plan.rows[2]
    assert ward_row.changes == {"name": ("Phường Hoa Lư", "Phường Hoa Lư mới"),
                                "parent_code": ("ninh-binh", "gia-vien")}
    apply_plan(plan, None)
    commune, ward, group = _unit(db, "gia-vien"), _unit(db, "hoa-lu"), _unit(db, "tdp-02")
    assert ward.name == "Phường Hoa Lư mới" and ward.parent_id == commune.id
    assert group.path == f"{commune.path}{ward.id}/{group.id}/"   # not in the file: moved along


def test_every_kind_of_error_is_listed_with_its_reason(db, factory):
    closed = factory.unit("Xã Cũ", "commune", code="xa-cu")
    closed.is_active = False
    factory.unit("Tỉnh", "province", code="tinh")
    plan = plan_import(_table("""code,name,kind,parent code
a,Đơn vị A,planet,tinh
,Không mã,commune,tinh
b,,commune,tinh
c,Đơn vị C,,tinh
d d,Mã có khoảng trắng,commune,tinh
dup,Trùng 1,commune,tinh
dup,Trùng 2,commune,tinh
e,Không có cấp trên,village,khong-co
f,Tự làm cấp trên,village,f
g,Vòng G,village,h
h,Vòng H,village,g
i,Con của lỗi,village,a
j,Dưới đơn vị ngừng,village,xa-cu
k,Hợp lệ,village,tinh
"""))
    by_row = {row.row: row for row in plan.rows}
    assert all(row.outcome == "error" for number, row in by_row.items() if number != 15)
    assert by_row[15].outcome == "create"

    def reason(number):
        return " ".join(en for _vi, en in by_row[number].reasons)

    assert "Unknown kind" in reason(2)
    assert "code is missing" in reason(3)
    assert "name is missing" in reason(4)
    assert "kind is missing" in reason(5)
    assert "a–z" in reason(6)
    assert "more than once" in reason(7) and "rows 7, 8" in reason(8)
    assert "No unit with the parent code “khong-co”" in reason(9)
    assert "its own parent" in reason(10)
    assert "cycle" in reason(11) and "cycle" in reason(12)
    assert "row 2" in reason(13)                   # its parent's row has an error
    assert "inactive" in reason(14)
    assert plan.counts == {"create": 1, "update": 0, "unchanged": 0, "error": 13}
    assert all(row.reasons and row.reasons[0][0] for row in plan.rows if row.outcome == "error")


def test_a_move_under_its_own_descendant_is_a_cycle(db):
    apply_plan(plan_import(_table(COMMUNE_FILE)), None)
    plan = plan_import(_table("code,name,kind,parent code\nhoa-lu,Phường Hoa Lư,ward,tdp-01\n"))
    assert plan.rows[0].outcome == "error" and "cycle" in plan.rows[0].reasons[0][1]


def test_missing_columns_refuse_the_file(db):
    plan = plan_import(_table("code,title\nx,y\n"))
    assert plan.problems and "name" in plan.problems[0][1] and "kind" in plan.problems[0][1]
    assert plan.rows == []


def test_without_a_parent_column_stored_units_stay_where_they_are(db):
    apply_plan(plan_import(_table(COMMUNE_FILE)), None)
    plan = plan_import(_table("code,name,kind\ntdp-01,Tổ dân phố Một,residential_group\n"
                              "moi,Đơn vị mới,province\n"))
    assert _outcomes(plan) == {"tdp-01": "update", "moi": "create"}
    assert plan.rows[0].changes == {"name": ("Tổ dân phố 1", "Tổ dân phố Một")}
    apply_plan(plan, None)
    assert _unit(db, "tdp-01").parent_id == _unit(db, "hoa-lu").id


def test_ten_thousand_rows_plan_and_apply(db):
    lines = ["code,name,kind,parent code", "p,Tỉnh,province,"]
    lines += [f"c{c},Xã {c},commune,p" for c in range(100)]
    lines += [f"g{c}-{g},Tổ {g},residential_group,c{c}" for c in range(100) for g in range(99)]
    plan = plan_import(_table("\n".join(lines)))
    assert plan.counts["create"] == 10_001
    apply_plan(plan, None)
    assert db.session.scalar(select(func.count()).select_from(Unit)) == 10_001
    group = _unit(db, "g42-7")
    assert group.path == f"{_unit(db, 'c42').path}{group.id}/"
    assert plan_import(_table("\n".join(lines))).counts["unchanged"] == 10_001


def test_formula_cells_are_stored_as_text(db):
    plan = plan_import(_table('code,name,kind,parent code\nf1,"=HYPERLINK(""http://x"")",province,\n'))
    apply_plan(plan, None)
    assert _unit(db, "f1").name == '=HYPERLINK("http://x")'
