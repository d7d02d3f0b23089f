"""The sample files in tests/admin/files, as a new admin would use them: the units of a new
commune, then its volunteers, each through dry run and apply; then both again, unchanged."""

import io
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from server.people.models import User
from server.units.models import Unit
from tests.admin.conftest import csrf_token

FILES = Path(__file__).parent / "files"


def _import(client, area: str, path: Path, **apply_fields):
    """Upload, read the dry run, apply it; returns (dry run html, apply response)."""
    token = csrf_token(client)
    uploaded = client.post(f"/admin/{area}/import", data={
        "csrf_token": token, "file": (io.BytesIO(path.read_bytes()), path.name)},
        content_type="multipart/form-data")
    assert uploaded.status_code == 302, uploaded.get_data(as_text=True)[:500]
    html = client.get(uploaded.headers["Location"]).get_data(as_text=True)
    fingerprint = re.search(r'name="fingerprint" value="([0-9a-f]+)"', html).group(1)
    applied = client.post(uploaded.headers["Location"] + "/apply", data={
        "csrf_token": token, "fingerprint": fingerprint, **apply_fields})
    return html, applied


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_a_new_commune_from_the_sample_files(client, factory, web_login, db, suffix):
    factory.unit("Tỉnh Ninh Bình", "province", code="ninh-binh")
    web_login(factory.user("quantri", "admin"))

    html, applied = _import(client, "units", FILES / f"units_new_commune.{suffix}")
    assert html.count('<tr class="outcome-create"') == 6
    assert html.count('<tr class="outcome-unchanged"') == 1          # the province
    assert applied.status_code == 302
    commune = db.session.scalar(select(Unit).where(Unit.code == "yen-mo"))
    assert commune.kind == "commune" and len(commune.children) == 5

    html, applied = _import(client, "people", FILES / f"volunteers_new_commune.{suffix}",
                            passwords="none")
    assert html.count('<tr class="outcome-create"') == 4 and applied.status_code == 200
    khanh = db.session.scalar(select(User).where(User.username == "khanh.vu"))
    assert sorted(unit.code for unit in khanh.units) == ["yen-mo-thon-1", "yen-mo-thon-2"]
    assert db.session.scalar(select(User.phone).where(User.username == "hung.dinh")) == "0912000101"

    for area, name in (("units", "units_new_commune"), ("people", "volunteers_new_commune")):
        token = csrf_token(client)
        path = FILES / f"{name}.{suffix}"
        uploaded = client.post(f"/admin/{area}/import", data={
            "csrf_token": token, "file": (io.BytesIO(path.read_bytes()), path.name)},
            content_type="multipart/form-data")
        again = client.get(uploaded.headers["Location"]).get_data(as_text=True)
        assert 'class="outcome-create"' not in again and 'class="outcome-update"' not in again
        assert 'class="outcome-error"' not in again and 'class="outcome-unchanged"' in again
