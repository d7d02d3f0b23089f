"""A round's report document settings (issuing body, number, place, signer, recipients):
set through the API and the console, checked by one schema, audited, and printed on the
report, whose cache sees the change."""

import importlib.util
import re
import subprocess
import unicodedata
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from server.audit.models import AuditEntry
from server.reporting.services import report_pdf
from server.rounds.document import document_settings
from tests.admin.conftest import csrf_token, log_in
from tests.conftest import auth_header

_SPEC = importlib.util.spec_from_file_location(
    "survey_data", Path(__file__).parents[1] / "analytics" / "survey_data.py")
survey_data = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(survey_data)


@pytest.fixture
def dataset(db, factory):
    return survey_data.build_dataset(db, factory)


@pytest.fixture
def admin_headers(factory):
    return auth_header(factory.token(factory.user("admin", "admin")))


def _url(round_id: int) -> str:
    return f"/api/v1/rounds/{round_id}/document"


def _pages_text(pdf: bytes) -> list[str]:
    """Each page's text, whitespace squashed."""
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf,
                          capture_output=True, check=True)
    pages = done.stdout.decode("utf-8").split("\f")[:len(PdfReader(BytesIO(pdf)).pages)]
    return [" ".join(page.split()) for page in pages]


def test_the_api_sets_reads_and_resets_the_settings_with_an_audit(client, db, factory,
                                                                  admin_headers):
    round_ = factory.round(units=[factory.unit("Phường Hòa Khánh", "ward")])
    empty = client.get(_url(round_.id), headers=admin_headers)
    assert empty.status_code == 200
    assert set(empty.get_json().values()) == {None}

    decomposed = unicodedata.normalize("NFD", "  Nguyễn   Thị Lan ")
    changed = client.patch(_url(round_.id), headers=admin_headers, json={
        "superior": "Ủy ban MTTQ Việt Nam thành phố Đà Nẵng", "number": "27",
        "signer_title": "TM. BAN THƯỜNG TRỰC\n\n  CHỦ TỊCH ", "signer_name": decomposed,
        "recipients": ["Ban Thường trực UBMTTQ thành phố", "  ", "Lưu: VT"]})
    assert changed.status_code == 200, changed.get_json()
    body = changed.get_json()
    assert body["signer_name"] == "Nguyễn Thị Lan"              # NFC, spaces tidied
    assert unicodedata.is_normalized("NFC", body["signer_name"])
    assert body["signer_title"] == "TM. BAN THƯỜNG TRỰC\nCHỦ TỊCH"
    assert body["recipients"] == ["Ban Thường trực UBMTTQ thành phố", "Lưu: VT"]
    assert body["issuer"] is None and body["place"] is None
    settings = document_settings(round_)
    assert settings.signer_title == ("TM. BAN THƯỜNG TRỰC", "CHỦ TỊCH")
    assert settings.number == "27"

    entry = db.session.scalar(select(AuditEntry).where(
        AuditEntry.action == "round.document_updated"))
    assert entry is not None and entry.object_id == str(round_.id)
    assert entry.details["after"]["number"] == "27" and entry.details["before"]["number"] is None

    # only the fields sent change; blank (or null) puts one back to the default
    reset = client.patch(_url(round_.id), headers=admin_headers,
                         json={"number": " ", "superior": None})
    assert reset.status_code == 200
    assert reset.get_json()["number"] is None and reset.get_json()["superior"] is None
    assert reset.get_json()["signer_name"] == "Nguyễn Thị Lan"


@pytest.mark.parametrize("body", [
    {"number": "1" * 41}, {"issuer": "x" * 201}, {"recipients": ["Lưu"] * 21},
    {"recipients": ["x" * 201]}, {"recipients": "Lưu: VT"}, {"signer_name": 12},
    {"unknown": "x"}])
def test_the_api_refuses_what_the_schema_does_not_allow(client, factory, admin_headers, body):
    round_ = factory.round(units=[factory.unit("Phường Hòa Khánh", "ward")])
    response = client.patch(_url(round_.id), headers=admin_headers, json=body)
    assert response.status_code in (400, 422)
    assert "error" in response.get_json()
    assert client.get(_url(round_.id), headers=admin_headers).get_json()["number"] is None


def test_only_an_admin_may_see_or_change_the_settings(client, factory):
    ward = factory.unit("Phường Hòa Khánh", "ward")
    round_ = factory.round(units=[ward])
    for role in ("official", "volunteer"):
        headers = auth_header(factory.token(factory.user(role, role, units=[ward])))
        assert client.get(_url(round_.id), headers=headers).status_code == 403
        assert client.patch(_url(round_.id), headers=headers,
                            json={"number": "1"}).status_code == 403
    assert client.get(_url(round_.id)).status_code == 401
    admin = auth_header(factory.token(factory.user("admin", "admin")))
    assert client.patch(_url(999_999), headers=admin, json={"number": "1"}).status_code == 404


def test_the_console_edits_the_settings_and_shows_them(client, db, factory):
    round_ = factory.round(units=[factory.unit("Phường Hòa Khánh", "ward")])
    admin = factory.user("admin", "admin")
    db.session.commit()
    log_in(client, admin.username)
    saved = client.post(f"/admin/rounds/{round_.id}/document", data={
        "csrf_token": csrf_token(client), "issuer": "", "superior": "", "number": "12/BC-MTTQ",
        "place": "Hòa Khánh", "signer_title": "TM. BAN THƯỜNG TRỰC\r\nPHÓ CHỦ TỊCH",
        "signer_name": "Trần Văn Bình", "recipients": "Ban Thường trực UBMTTQ TP\r\nLưu: VT\r\n"})
    assert saved.status_code == 302
    db.session.expire_all()
    assert round_.document_number == "12/BC-MTTQ"
    assert round_.document_recipients == ["Ban Thường trực UBMTTQ TP", "Lưu: VT"]
    assert round_.document_signer_title == "TM. BAN THƯỜNG TRỰC\nPHÓ CHỦ TỊCH"
    assert round_.document_issuer is None
    page = client.get(f"/admin/rounds/{round_.id}").get_data(as_text=True)
    assert 'value="12/BC-MTTQ"' in page and "Trần Văn Bình" in page
    assert re.search(r">Ban Thường trực UBMTTQ TP\nLưu: VT</textarea>", page)

    too_long = client.post(f"/admin/rounds/{round_.id}/document", data={
        "csrf_token": csrf_token(client), "signer_name": "x" * 101})
    assert too_long.status_code == 400
    assert "Họ tên người ký" in too_long.get_data(as_text=True)
    db.session.expire_all()
    assert round_.document_signer_name == "Trần Văn Bình"


def test_the_report_prints_the_settings_and_is_made_again_when_they_change(client, db, dataset,
                                                                           admin_headers):
    commune = dataset.communes["Phường Đông Hòa"]
    round_ = dataset.current
    before = report_pdf(round_, commune, "vi")
    first_page = _pages_text(before)[0]
    assert "Số:" in first_page and "/BC-MTTQ" in first_page    # blank: room to write it
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in first_page
    assert "Độc lập - Tự do - Hạnh phúc" in first_page
    assert "Đông Hòa, ngày" in first_page                       # the place: the unit's name

    response = client.patch(_url(round_.id), headers=admin_headers, json={
        "superior": "Ủy ban MTTQ Việt Nam tỉnh Phú Yên", "number": "27",
        "place": "Tuy Hòa", "signer_title": "TM. BAN THƯỜNG TRỰC\nCHỦ TỊCH",
        "signer_name": "Nguyễn Thị Lan", "recipients": ["Đảng ủy phường", "Lưu: VT"]})
    assert response.status_code == 200
    after = report_pdf(round_, commune, "vi")
    assert after != before                                       # not the cached report
    pages = _pages_text(after)
    assert "ỦY BAN MTTQ VIỆT NAM TỈNH PHÚ YÊN" in pages[0]
    assert "Số: 27/BC-MTTQ" in pages[0] and "Tuy Hòa, ngày" in pages[0]
    signed = next(page for page in pages if "Nơi nhận:" in page)
    for words in ("- Đảng ủy phường;", "- Lưu: VT.", "TM. BAN THƯỜNG TRỰC", "CHỦ TỊCH",
                  "Nguyễn Thị Lan"):
        assert words in signed, words
    # the round is open: provisional on every page, the cover included
    assert all("TẠM THỜI" in page for page in pages)
