"""The Units pages (/admin/units): the tree, search, a unit's actions, adding a unit, and
Import (upload → dry run → apply), through the test client logged in via POST /login."""

import io
import re

import pytest
from sqlalchemy import select

from server.audit.models import AuditEntry
from server.units.models import Unit
from tests.admin.conftest import csrf_token


@pytest.fixture
def tree(factory):
    province = factory.unit("Tỉnh Ninh Bình", "province", code="ninh-binh")
    ward = factory.unit("Phường Hoa Lư", "ward", parent=province, code="hoa-lu")
    group = factory.unit("Tổ dân phố Đông Thịnh", "residential_group", parent=ward, code="dong-thinh")
    commune = factory.unit("Xã Gia Viễn", "commune", parent=province, code="gia-vien")
    return {"province": province, "ward": ward, "group": group, "commune": commune}


@pytest.fixture
def admin_client(client, factory, web_login):
    web_login(factory.user("admin", "admin"))
    return client


def _post(client, path, data=None, **kwargs):
    return client.post(path, data={"csrf_token": csrf_token(client), **(data or {})}, **kwargs)


def _unit(db, code):
    return db.session.scalar(select(Unit).where(Unit.code == code))


def test_the_tree_shows_every_level_with_links(admin_client, tree):
    page = admin_client.get("/admin/units/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    for unit in tree.values():
        assert f'href="/admin/units/{unit.id}"' in html and unit.name in html
    assert ">Đơn vị<" in html and "Nhập từ tệp" in html        # the nav entry and Import
    assert ' style="' not in html and "<script>" not in html
    english = admin_client.get("/admin/units/?lang=en").get_data(as_text=True)
    assert ">Units<" in english and ">Import<" in english


def test_search_ignores_accents_and_case_and_finds_codes(admin_client, tree):
    html = admin_client.get("/admin/units/?q=hoa lu").get_data(as_text=True)
    assert "Phường Hoa Lư" in html and "Xã Gia Viễn" not in html
    html = admin_client.get("/admin/units/?q=DONG-THINH").get_data(as_text=True)
    assert "Tổ dân phố Đông Thịnh" in html and "Tỉnh Ninh Bình › Phường Hoa Lư" in html


def test_add_rename_and_move_a_unit(admin_client, tree, db):
    added = _post(admin_client, "/admin/units/new", {
        "name": "  Tổ dân phố   Mới ", "kind": "residential_group", "code": "TDP-Moi",
        "parent_id": str(tree["ward"].id)})
    assert added.status_code == 302
    unit = _unit(db, "tdp-moi")
    assert unit.name == "Tổ dân phố Mới" and unit.parent_id == tree["ward"].id

    renamed = _post(admin_client, f"/admin/units/{unit.id}/rename",
                    {"name": "Tổ dân phố Một", "kind": "village"})
    assert renamed.status_code == 302
    db.session.refresh(unit)
    assert (unit.name, unit.kind) == ("Tổ dân phố Một", "village")

    ward = tree["ward"]
    moved = _post(admin_client, f"/admin/units/{ward.id}/move",
                  {"parent_id": str(tree["commune"].id)})
    assert moved.status_code == 302
    db.session.refresh(tree["group"])
    assert tree["group"].path == f"{tree['commune'].path}{ward.id}/{tree['group'].id}/"
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.object_id == str(ward.id))).all()
    moved_entry = next(entry for entry in entries if entry.action == "unit.moved")
    assert moved_entry.details["before"]["parent_code"] == "ninh-binh"
    assert moved_entry.details["after"]["parent_code"] == "gia-vien"


def test_refusals_show_the_page_again_with_the_reason(admin_client, tree, db):
    ward, group = tree["ward"], tree["group"]
    under_itself = _post(admin_client, f"/admin/units/{ward.id}/move", {"parent_id": str(group.id)})
    assert under_itself.status_code == 400
    assert "chính nó" in under_itself.get_data(as_text=True)
    db.session.refresh(ward)
    assert ward.parent_id == tree["province"].id
    empty_name = _post(admin_client, f"/admin/units/{ward.id}/rename", {"name": " ", "kind": "ward"})
    assert empty_name.status_code == 400 and "Thiếu tên" in empty_name.get_data(as_text=True)
    bad_kind = _post(admin_client, "/admin/units/new", {"name": "X", "kind": "planet"})
    assert bad_kind.status_code == 400 and "planet" in bad_kind.get_data(as_text=True)
    taken = _post(admin_client, "/admin/units/new", {"name": "X", "kind": "ward", "code": "hoa-lu"})
    assert taken.status_code == 409
    bad_parent = _post(admin_client, f"/admin/units/{ward.id}/move", {"parent_id": "abc"})
    assert bad_parent.status_code == 400
    unknown_code = _post(admin_client, f"/admin/units/{ward.id}/move", {"parent_code": "khong-co"})
    assert unknown_code.status_code == 400


def test_deactivate_covers_the_subtree_and_reactivate_can_too(admin_client, tree, db):
    ward, group = tree["ward"], tree["group"]
    assert _post(admin_client, f"/admin/units/{ward.id}/deactivate").status_code == 302
    db.session.refresh(ward), db.session.refresh(group)
    assert not ward.is_active and not group.is_active
    refused = _post(admin_client, f"/admin/units/{group.id}/reactivate", {"include_inside": "1"})
    assert refused.status_code == 400                  # its parent is inactive
    assert _post(admin_client, f"/admin/units/{ward.id}/reactivate",
                 {"include_inside": "1"}).status_code == 302
    db.session.refresh(ward), db.session.refresh(group)
    assert ward.is_active and group.is_active


def test_delete_only_an_unused_unit(admin_client, tree, factory, db):
    group = tree["group"]
    volunteer = factory.user("tnv", "volunteer", units=[group])
    round_ = factory.round(units=[group])
    factory.response(round_, group, volunteer, {"overall_satisfaction": "4"})
    page = admin_client.get(f"/admin/units/{group.id}").get_data(as_text=True)
    assert "Xóa đơn vị" not in page
    refused = _post(admin_client, f"/admin/units/{group.id}/delete")
    assert refused.status_code == 409 and _unit(db, "dong-thinh") is not None

    spare = factory.unit("Thôn Trống", "village", parent=tree["commune"], code="thon-trong")
    assert "Xóa đơn vị" in admin_client.get(f"/admin/units/{spare.id}").get_data(as_text=True)
    assert _post(admin_client, f"/admin/units/{spare.id}/delete").status_code == 302
    assert _unit(db, "thon-trong") is None
    deleted = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "unit.deleted"))
    assert deleted.details["before"]["code"] == "thon-trong"


def _upload(client, content: bytes, filename: str):
    return _post(client, "/admin/units/import",
                 {"file": (io.BytesIO(content), filename)}, content_type="multipart/form-data")


IMPORT = """mã;tên;loại;mã cấp trên
tdp-9;Tổ dân phố 9;tổ dân phố;hoa-lu-moi
hoa-lu-moi;Phường Hoa Lư Mới;phường;ninh-binh
hoa-lu;Phường Hoa Lư (đổi tên);phường;ninh-binh
x;Sai loại;hành tinh;ninh-binh
"""


def test_import_dry_run_lists_every_row_then_apply_writes_the_plan(admin_client, tree, db):
    uploaded = _upload(admin_client, ("\ufeff" + IMPORT).encode(), "don-vi.csv")
    assert uploaded.status_code == 302
    plan_url = uploaded.headers["Location"]
    html = admin_client.get(plan_url).get_data(as_text=True)
    assert _unit(db, "tdp-9") is None                       # nothing written by the dry run
    for text in ("Tạo mới", "Cập nhật", "Lỗi", "hành tinh", "Phường Hoa Lư (đổi tên)"):
        assert text in html
    assert len(re.findall(r'<tr class="outcome-', html)) == 4
    assert "2 tạo mới, 1 cập nhật" in " ".join(html.split())      # the Apply button
    fingerprint = re.search(r'name="fingerprint" value="([0-9a-f]+)"', html).group(1)

    stale = _post(admin_client, plan_url + "/apply", {"fingerprint": "0" * 64})
    assert stale.status_code == 409 and _unit(db, "tdp-9") is None

    applied = _post(admin_client, plan_url + "/apply", {"fingerprint": fingerprint})
    assert applied.status_code == 302
    assert _unit(db, "tdp-9").parent_id == _unit(db, "hoa-lu-moi").id
    assert _unit(db, "hoa-lu").name == "Phường Hoa Lư (đổi tên)"
    assert _unit(db, "x") is None
    assert admin_client.get(plan_url).status_code == 404      # the staged file is gone

    again = _upload(admin_client, IMPORT.encode(), "don-vi.csv")
    html = admin_client.get(again.headers["Location"]).get_data(as_text=True)
    assert html.count('<tr class="outcome-unchanged"') == 3
    assert html.count('<tr class="outcome-error"') == 1


def test_xlsx_import_reads_the_first_sheet(admin_client, tree, db):
    from openpyxl import Workbook
    book = Workbook()
    sheet = book.active
    sheet.append(["Mã", "Tên", "Loại", "Mã cấp trên"])
    sheet.append([12345, "Thôn Xuân", "thôn", "gia-vien"])
    book.create_sheet("Other").append(["nothing"])
    buffer = io.BytesIO()
    book.save(buffer)
    uploaded = _upload(admin_client, buffer.getvalue(), "units.xlsx")
    html = admin_client.get(uploaded.headers["Location"]).get_data(as_text=True)
    assert "12345" in html and "Thôn Xuân" in html and 'class="outcome-create"' in html


@pytest.mark.parametrize(("content", "filename", "message"), [
    (b"", "units.csv", "Tệp trống"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "units.png", "Chỉ nhận tệp CSV hoặc XLSX"),
    (b"%PDF-1.4\x00\x01", "units.csv", "không phải tệp CSV"),
    (b"PK\x03\x04garbage", "units.xlsx", "Không đọc được tệp XLSX"),
    ("code,tên\nx,Tên".encode("cp1258"), "units.csv", "UTF-8"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "units.xls", ".xls"),
])
def test_a_bad_file_shows_the_upload_page_again(admin_client, tree, content, filename, message):
    response = _upload(admin_client, content, filename)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_no_file_chosen_and_missing_columns(admin_client, tree):
    response = _post(admin_client, "/admin/units/import", {}, content_type="multipart/form-data")
    assert response.status_code == 400 and "Hãy chọn" in response.get_data(as_text=True)
    uploaded = _upload(admin_client, b"code,title\nx,y\n", "units.csv")
    html = admin_client.get(uploaded.headers["Location"]).get_data(as_text=True)
    assert "Thiếu cột" in html and 'name="fingerprint"' not in html


def test_someone_elses_staged_import_is_not_found(client, factory, tree, web_login):
    web_login(factory.user("admin", "admin"))
    uploaded = _upload(client, IMPORT.encode(), "don-vi.csv")
    plan_url = uploaded.headers["Location"]
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    web_login(factory.user("admin2", "admin"))
    assert client.get(plan_url).status_code == 404
    assert client.get("/admin/units/import/..%2F..%2Fetc").status_code == 404
    assert client.get("/admin/units/import/short").status_code == 404


def test_the_sample_file_imports_cleanly(admin_client, db):
    sample = admin_client.get("/admin/units/import/template.csv")
    assert sample.status_code == 200 and sample.mimetype == "text/csv"
    uploaded = _upload(admin_client, sample.data, "units-template.csv")
    html = admin_client.get(uploaded.headers["Location"]).get_data(as_text=True)
    assert html.count('<tr class="outcome-create"') == 3
