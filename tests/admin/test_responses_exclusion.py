"""Excluding a response from reports with a reason, and undoing it: audited, the round's data
version raised, reports, progress and the cached PDF's fingerprint honour it."""

import importlib.util
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from server.analytics.build import build_round_summary
from server.audit.models import AuditEntry
from server.errors import ApiError
from server.progress.services import round_progress
from server.reporting.services import data_fingerprint
from server.sync.exclusion import exclude_response, include_response, not_excluded
from server.sync.models import Response

_SPEC = importlib.util.spec_from_file_location(
    "progress_world", Path(__file__).parents[1] / "progress" / "progress_world.py")
progress_world = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(progress_world)


@pytest.fixture
def world(db, factory):
    return progress_world.build_world(db, factory)


def _token(client, response_id: int) -> str:
    page = client.get(f"/admin/responses/{response_id}").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def _counted_in_report(db, world) -> int:
    return build_round_summary(db.session, world.round, world.province).coverage.responses


def test_exclude_and_undo_from_the_page(client, web_login, world, db):
    admin = world.users["admin"]
    web_login(admin)
    response = world.responses["A1-0"]
    version, fingerprint = world.round.data_version, data_fingerprint(world.round, world.province, "vi")
    assert _counted_in_report(db, world) == 10
    answer = client.post(f"/admin/responses/{response.id}/exclude",
                         data={"csrf_token": _token(client, response.id),
                               "reason": "  Phiếu thử của cán bộ  "})
    assert answer.status_code == 302
    assert answer.headers["Location"].startswith(f"/admin/responses/{response.id}")
    db.session.expire_all()
    assert response.excluded_at is not None and response.excluded_reason == "Phiếu thử của cán bộ"
    assert response.excluded_by_id == admin.id
    assert world.round.data_version == version + 1
    assert data_fingerprint(world.round, world.province, "vi") != fingerprint
    assert _counted_in_report(db, world) == 9
    assert round_progress(world.round, admin, None).total.responses == 9
    entry = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "response.excluded")).one()
    assert (entry.actor_id, entry.object_type, entry.object_id) == (admin.id, "response", response.uuid)
    assert entry.details["before"]["excluded"] is False
    assert entry.details["after"]["reason"] == "Phiếu thử của cán bộ"
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "Đã loại phiếu khỏi báo cáo." in page and "Phiếu thử của cán bộ" in page

    undo = client.post(f"/admin/responses/{response.id}/include",
                       data={"csrf_token": _token(client, response.id)})
    assert undo.status_code == 302
    db.session.expire_all()
    assert response.excluded_at is None and response.excluded_reason is None
    assert world.round.data_version == version + 2
    assert _counted_in_report(db, world) == 10
    entry = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "response.included")).one()
    assert entry.details["before"]["reason"] == "Phiếu thử của cán bộ"
    assert entry.details["after"]["excluded"] is False


def test_a_reason_is_required(client, web_login, world, db):
    web_login(world.users["admin"])
    response = world.responses["A1-0"]
    for reason in ("", "   ", "x" * 501):
        answer = client.post(f"/admin/responses/{response.id}/exclude",
                             data={"csrf_token": _token(client, response.id), "reason": reason})
        assert answer.status_code == 400
        html = answer.get_data(as_text=True)
        assert "lý do" in html.lower() or "Lý do" in html
        assert 'name="reason"' in html              # the form again
    db.session.expire_all()
    assert response.excluded_at is None


def test_csrf_is_required(client, web_login, world, db):
    web_login(world.users["admin"])
    response = world.responses["A1-0"]
    assert client.post(f"/admin/responses/{response.id}/exclude",
                       data={"reason": "phiếu giả"}).status_code == 400
    assert client.post(f"/admin/responses/{response.id}/include", data={}).status_code == 400
    db.session.expire_all()
    assert response.excluded_at is None


def test_excluding_twice_or_undoing_what_is_not_excluded(client, web_login, world, db):
    web_login(world.users["admin"])
    excluded = world.responses["A1-excluded"]
    answer = client.post(f"/admin/responses/{excluded.id}/exclude",
                         data={"csrf_token": _token(client, excluded.id), "reason": "lần nữa"})
    assert answer.status_code == 302
    assert "đã bị loại" in client.get(answer.headers["Location"]).get_data(as_text=True)
    counted = world.responses["A1-0"]
    answer = client.post(f"/admin/responses/{counted.id}/include",
                         data={"csrf_token": _token(client, counted.id)})
    assert answer.status_code == 302
    db.session.expire_all()
    assert excluded.excluded_reason == "phiếu thử" and counted.excluded_at is None


def test_service_refuses_a_second_exclusion(world, db):
    admin = world.users["admin"]
    response = world.responses["A1-1"]
    exclude_response(response, admin, "phiếu giả")
    with pytest.raises(ApiError) as refused:
        exclude_response(response, admin, "phiếu giả")
    assert refused.value.status == 409
    include_response(response, admin)
    with pytest.raises(ApiError):
        include_response(response, admin)
    with pytest.raises(ApiError) as broken:
        exclude_response(response, admin, "lỗi \ud800")
    assert broken.value.code == "reason_invalid"


def test_not_excluded_is_the_condition_for_exports(world, db):
    """The clause export.py uses: excluded responses drop out, or are marked."""
    ids = set(db.session.scalars(select(Response.id).where(
        Response.round_id == world.round.id, not_excluded())))
    assert world.responses["A1-excluded"].id not in ids and len(ids) == 11


def test_comments_of_an_excluded_response_leave_the_report(world, db, factory):
    admin = world.users["admin"]
    fake = factory.response(world.round, world.units["B1"], world.users["vB"],
                            {**progress_world.ANSWERS, "other_comments": "Phiếu giả để thử"},
                            skipped=list(progress_world.SKIPPED))
    texts = {c.text for c in build_round_summary(db.session, world.round, world.province).comments}
    assert "Phiếu giả để thử" in texts
    exclude_response(fake, admin, "phiếu giả")
    texts = {c.text for c in build_round_summary(db.session, world.round, world.province).comments}
    assert "Phiếu giả để thử" not in texts
