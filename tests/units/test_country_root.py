"""A country root above the provinces: created at the top only, provinces moved under it,
accepted by the importer, and seen by admins and by central staff assigned to it."""

import pytest
from sqlalchemy import select

from server.auth.access import can_see_unit
from server.tabular import read_table
from server.units.importer import apply_plan, plan_import
from server.units.models import UNIT_KIND_LABELS, UNIT_KINDS, Unit
from server.units.services import UnitRuleError, add_unit, move_unit, update_unit
from tests.conftest import auth_header


def test_country_is_a_kind_with_labels():
    assert UNIT_KINDS[0] == "country"
    assert UNIT_KIND_LABELS["country"] == {"vi": "Cả nước", "en": "Country"}


def test_an_admin_adds_the_country_and_moves_provinces_under_it(db, factory):
    province = factory.unit("Tỉnh Ninh Bình", "province")
    ward = factory.unit("Phường Hoa Lư", "ward", parent=province)
    country = add_unit(None, "Việt Nam", "country", code="vn")
    assert country.path == f"/{country.id}/" and country.parent_id is None
    assert move_unit(province, country, None)
    db.session.refresh(ward)
    assert ward.path == f"/{country.id}/{province.id}/{ward.id}/"

    staff = factory.user("mttq.tw", "official", units=[country])
    assert can_see_unit(staff, ward)
    other_staff = factory.user("mttq.tinh", "official", units=[province])
    assert not can_see_unit(other_staff, country)


def test_a_country_is_never_under_another_unit(db, factory):
    province = factory.unit("Tỉnh Ninh Bình", "province")
    country = add_unit(None, "Việt Nam", "country")
    with pytest.raises(UnitRuleError) as refused:
        add_unit(None, "Một nước khác", "country", parent=province)
    assert refused.value.code == "country_not_top"
    with pytest.raises(UnitRuleError):
        move_unit(country, province, None)
    commune = factory.unit("Xã Gia Viễn", "commune", parent=province)
    with pytest.raises(UnitRuleError):
        update_unit(commune, None, kind="country")
    assert commune.kind == "commune"


def test_the_api_creates_a_country_and_refuses_one_with_a_parent(client, factory):
    headers = auth_header(factory.token(factory.user("admin", "admin")))
    country = client.post("/api/v1/units", headers=headers,
                          json={"name": "Việt Nam", "kind": "country", "code": "vn"})
    assert country.status_code == 201
    province = client.post("/api/v1/units", headers=headers, json={
        "name": "Tỉnh Ninh Bình", "kind": "province", "parent_id": country.get_json()["id"]})
    assert province.status_code == 201
    nested = client.post("/api/v1/units", headers=headers, json={
        "name": "Nước con", "kind": "country", "parent_id": province.get_json()["id"]})
    assert nested.status_code == 400
    assert "trên cùng" in nested.get_json()["error"]["message"]


def test_the_importer_reads_the_country_kind_and_refuses_one_with_a_parent(db):
    table = read_table("units.csv", """code,name,kind,parent code
vn,Việt Nam,Cả nước,
ninh-binh,Tỉnh Ninh Bình,tỉnh,vn
sai,Nước sai,country,ninh-binh
""".encode())
    plan = plan_import(table)
    outcomes = {row.code: row.outcome for row in plan.rows}
    assert outcomes == {"vn": "create", "ninh-binh": "create", "sai": "error"}
    apply_plan(plan, None, "units.csv")
    country = db.session.scalar(select(Unit).where(Unit.code == "vn"))
    province = db.session.scalar(select(Unit).where(Unit.code == "ninh-binh"))
    assert country.kind == "country" and province.parent_id == country.id
