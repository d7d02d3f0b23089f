"""The volunteers importer: every row's outcome, idempotence, passwords made only at apply
(and only hashed), and people without a password."""

import pytest
from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from server.audit.models import AuditEntry
from server.people.importer import MAX_GENERATED_PASSWORDS, apply_plan, plan_import
from server.people.models import User
from server.people.services import NO_PASSWORD, PersonRuleError
from server.tabular import read_table


@pytest.fixture
def units(factory):
    province = factory.unit("Tỉnh Ninh Bình", "province", code="ninh-binh")
    ward = factory.unit("Phường Hoa Lư", "ward", parent=province, code="hoa-lu")
    return {"ward": ward,
            "tdp1": factory.unit("Tổ dân phố 1", "residential_group", parent=ward, code="tdp-1"),
            "tdp2": factory.unit("Tổ dân phố 2", "residential_group", parent=ward, code="tdp-2")}


def _table(text: str, name: str = "people.csv"):
    return read_table(name, text.encode("utf-8"))


def _user(db, username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


VOLUNTEERS = """họ tên,tên đăng nhập,điện thoại,mã đơn vị
Nguyễn Văn An,an.nguyen,0912 345 678,tdp-1
Trần Thị Bình,Binh.Tran,,tdp-1; TDP-2
"""


def test_new_volunteers_are_planned_then_created_with_passwords_shown_once(db, units):
    plan = plan_import(_table(VOLUNTEERS))
    assert [row.outcome for row in plan.rows] == ["create", "create"]
    assert plan.rows[1].username == "binh.tran" and plan.rows[1].unit_codes == ["tdp-1", "tdp-2"]
    assert db.session.scalar(select(func.count()).select_from(User)) == 0

    result = apply_plan(plan, None, "people.csv", generate_passwords=True)
    assert (result.created, result.updated) == (2, 0)
    an = _user(db, "an.nguyen")
    assert an.role == "volunteer" and an.phone == "0912345678" and an.is_active
    assert [unit.code for unit in an.units] == ["tdp-1"]
    credential = next(person for person in result.new_people if person.username == "an.nguyen")
    assert credential.password and credential.password not in an.password_hash
    assert check_password_hash(an.password_hash, credential.password)
    audit = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "user.created")).all()
    assert len(audit) == 2 and credential.password not in str([entry.details for entry in audit])


def test_without_passwords_people_have_none_and_cannot_log_in_with_one(db, units, client):
    result = apply_plan(plan_import(_table(VOLUNTEERS)), None, generate_passwords=False)
    assert all(person.password is None for person in result.new_people)
    assert _user(db, "an.nguyen").password_hash == NO_PASSWORD
    response = client.post("/api/v1/auth/token", json={"username": "an.nguyen", "password": ""})
    assert response.status_code in (400, 401)
    response = client.post("/api/v1/auth/token",
                           json={"username": "an.nguyen", "password": NO_PASSWORD})
    assert response.status_code == 401


def test_a_second_import_is_all_unchanged(db, units):
    apply_plan(plan_import(_table(VOLUNTEERS)), None)
    again = plan_import(_table(VOLUNTEERS))
    assert [row.outcome for row in again.rows] == ["unchanged", "unchanged"]
    assert again.writes == 0


def test_updates_show_before_and_after_and_the_file_is_the_truth(db, units):
    apply_plan(plan_import(_table(VOLUNTEERS)), None)
    plan = plan_import(_table("""name;username;phone;unit codes
Nguyễn Văn An;an.nguyen;;tdp-2
Trần Thị Bình;binh.tran;0988 000 111;tdp-1,tdp-2
"""))
    an, binh = plan.rows
    assert an.outcome == "update" and an.changes == {
        "unit_codes": (["tdp-1"], ["tdp-2"]), "phone": ("0912345678", None)}
    assert binh.changes == {"phone": (None, "0988000111")}
    apply_plan(plan, None)
    user = _user(db, "an.nguyen")
    assert [unit.code for unit in user.units] == ["tdp-2"] and user.phone is None
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.updated",
                                                       AuditEntry.object_id == str(user.id)))
    assert entry.details["before"] == {"unit_codes": ["tdp-1"], "phone": "0912345678"}


def test_without_a_phone_column_phones_stay(db, units):
    apply_plan(plan_import(_table(VOLUNTEERS)), None)
    plan = plan_import(_table("name,username,unit codes\nNguyễn Văn An,an.nguyen,tdp-1\n"))
    assert plan.rows[0].outcome == "unchanged"


def test_every_kind_of_error_is_listed(db, units, factory):
    factory.user("can.bo", "official", units=[units["ward"]])
    closed = factory.unit("Tổ cũ", "residential_group", parent=units["ward"], code="to-cu")
    closed.is_active = False
    plan = plan_import(_table("""name,username,phone,unit codes
,khong.ten,,tdp-1
Không tên đăng nhập,,,tdp-1
Tên Sai,Tên Có Dấu,,tdp-1
Điện thoại sai,dt.sai,12ab,tdp-1
Không đơn vị,khong.dv,,
Mã lạ,ma.la,,tdp-1;khong-co
Đơn vị ngừng,dv.ngung,,to-cu
Cán bộ,can.bo,,tdp-1
Trùng 1,trung,,tdp-1
Trùng 2,trung,,tdp-2
Mã hỏng,ma.hong,,tdp 1!
Hợp lệ,hop.le,,tdp-1
"""))
    reasons = {row.row: " ".join(en for _vi, en in row.reasons) for row in plan.rows}
    assert "name is missing" in reasons[2]
    assert "username is missing" in reasons[3]
    assert "lowercase" in reasons[4]
    assert "Not a phone number" in reasons[5]
    assert "unit codes are missing" in reasons[6]
    assert "Unknown unit codes: khong-co" in reasons[7]
    assert "Inactive units: to-cu" in reasons[8]
    assert "official or an admin" in reasons[9]
    assert "rows 10, 11" in reasons[10] and "rows 10, 11" in reasons[11]
    assert "Not a unit code: “1!”" in reasons[12]
    assert plan.rows[-1].outcome == "create"
    assert plan.counts == {"create": 1, "update": 0, "unchanged": 0, "error": 11}


def test_too_many_new_people_for_passwords_is_refused(db, units):
    lines = ["name,username,unit codes"] + [f"Người {n},nguoi{n},tdp-1"
                                            for n in range(MAX_GENERATED_PASSWORDS + 1)]
    plan = plan_import(_table("\n".join(lines)))
    with pytest.raises(PersonRuleError):
        apply_plan(plan, None, generate_passwords=True)


def test_ten_thousand_volunteers_plan_and_apply_without_passwords(db, units):
    lines = ["name,username,unit codes"] + [f"Người {n},nguoi{n},tdp-{1 + n % 2}"
                                            for n in range(10_000)]
    plan = plan_import(_table("\n".join(lines)))
    assert plan.counts["create"] == 10_000
    result = apply_plan(plan, None)
    assert result.created == 10_000
    assert [unit.code for unit in _user(db, "nguoi77").units] == ["tdp-2"]
    assert plan_import(_table("\n".join(lines))).counts["unchanged"] == 10_000


def test_formula_cells_are_kept_as_text(db, units):
    apply_plan(plan_import(_table('name,username,unit codes\n"=1+2",cong.thuc,tdp-1\n')), None)
    assert _user(db, "cong.thuc").display_name == "=1+2"
