"""The Conflicts page (/admin/conflicts): the later upload beside the stored response under
the form's question labels, differences highlighted (answers, unit, volunteer, times); keep
or replace for a reason, audited; paged; open and resolved lists."""

import importlib.util
import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from server.audit.models import AuditEntry
from server.db_types import utcnow
from server.sync.conflicts import REASON_MAX
from server.sync.models import Response, ResponseConflict
from tests.admin.conftest import csrf_token

_SPEC = importlib.util.spec_from_file_location(
    "sync_support_for_conflict_pages", Path(__file__).parents[1] / "sync" / "sync_support.py")
sync_support = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(sync_support)

OVERALL_LABEL = "Nhìn chung, ông/bà hài lòng ở mức nào"


@pytest.fixture
def area(factory):
    return sync_support.build_area(factory)


@pytest.fixture
def admin(factory, client, web_login):
    user = factory.user("quantri", "admin", display_name="Quản Trị")
    web_login(user)
    return user


def _make_conflict(client, area, later: dict | None = None) -> tuple[dict, ResponseConflict]:
    """A stored response (overall satisfaction "Hài lòng") and a later upload under its
    UUID that says "Không hài lòng" (and whatever else `later` changes)."""
    answers = {**sync_support.valid_answers(1), "overall_satisfaction": "4"}
    first = area.item(answers=answers)
    assert sync_support.statuses(sync_support.submit(client, area, [first])) == ["created"]
    second = {**first, "answers": {**answers, "overall_satisfaction": "2"}, **(later or {})}
    assert sync_support.statuses(sync_support.submit(client, area, [second])) == ["conflict"]
    from server.extensions import db
    conflict = db.session.scalars(select(ResponseConflict).order_by(ResponseConflict.id.desc())).first()
    return first, conflict


def _row(html: str, text: str) -> str:
    """The table row that holds `text`."""
    rows = [row for row in re.split(r"<tr\b", html) if text in row]
    assert rows, f"no row with {text!r}"
    return rows[0].split("</tr>")[0]


def _resolve(client, conflict_id: int, **data):
    return client.post(f"/admin/conflicts/{conflict_id}/resolve",
                       data={"csrf_token": csrf_token(client), **data})


def test_the_list_shows_open_conflicts_with_their_names(client, db, area, admin):
    _, conflict = _make_conflict(client, area)
    page = client.get("/admin/conflicts/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Xung đột" in html and "Khảo sát đợt 2 năm 2026" in html
    assert "Tổ dân phố 1" in html and "Trần Văn Bình" in html
    assert conflict.uuid[:8] in html and f"/admin/conflicts/{conflict.id}" in html
    assert "Chưa có xung đột nào được xử lý" in client.get("/admin/conflicts/?state=resolved").get_data(as_text=True)
    english = client.get("/admin/conflicts/?lang=en").get_data(as_text=True)
    assert "Conflicts" in english and "Review and decide" in english


def test_the_conflict_shows_both_sides_under_the_form_labels_with_differences_marked(
        client, db, area, admin):
    later = utcnow() - timedelta(minutes=1)
    _, conflict = _make_conflict(client, area, {"unit_id": area.groups[1].id,
                                                "completed_at": later.isoformat(),
                                                "client": {"app_version": "2.0.0", "device": "Tab"}})
    html = client.get(f"/admin/conflicts/{conflict.id}").get_data(as_text=True)
    answer = _row(html, OVERALL_LABEL)
    assert "is-changed" in answer and answer.count('class="diff-changed"') == 2
    assert "Hài lòng" in answer and "Không hài lòng" in answer
    same = _row(html, "Biết lắng nghe người dân nói")
    assert "diff-changed" not in same
    unit = _row(html, "<th scope=\"row\">Đơn vị")
    assert "diff-changed" in unit and "Tổ dân phố 1" in unit and "Tổ dân phố 2" in unit
    assert "diff-changed" in _row(html, "Hoàn thành (giờ điện thoại)")
    assert "diff-changed" in _row(html, "Ứng dụng")
    assert "diff-changed" not in _row(html, "<th scope=\"row\">Tình nguyện viên")
    assert "Giữ phiếu đã lưu" in html and "Thay bằng bản gửi sau" in html
    assert 'name="csrf_token"' in html and 'name="reason"' in html


def test_keeping_the_stored_response_for_a_reason_is_audited(client, db, area, admin):
    first, conflict = _make_conflict(client, area)
    answer = _resolve(client, conflict.id, resolution="kept_stored",
                      reason="  Bản sau là phiếu thử của tình nguyện viên  ")
    assert answer.status_code == 302
    assert answer.headers["Location"].endswith(f"/admin/conflicts/{conflict.id}")
    db.session.expire_all()
    assert conflict.resolution == "kept_stored" and conflict.resolved_by_id == admin.id
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "conflict.resolved")).one()
    assert (entry.actor_id, entry.object_type, entry.object_id) == \
        (admin.id, "response_conflict", str(conflict.id))
    assert entry.details["reason"] == "Bản sau là phiếu thử của tình nguyện viên"
    assert entry.details["before"]["resolution"] is None
    assert entry.details["after"]["resolution"] == "kept_stored"
    stored = db.session.scalar(select(Response).where(Response.uuid == first["uuid"]))
    assert stored.answers["overall_satisfaction"] == "4"

    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "Đã giữ phiếu đã lưu" in page and "Bản sau là phiếu thử của tình nguyện viên" in page
    assert 'name="resolution"' not in page  # decided: no form any more
    resolved = client.get("/admin/conflicts/?state=resolved").get_data(as_text=True)
    assert conflict.uuid[:8] in resolved and "Quản Trị" in resolved
    assert conflict.uuid[:8] not in client.get("/admin/conflicts/").get_data(as_text=True)


def test_replacing_with_the_later_upload_for_a_reason(client, db, area, admin):
    first, conflict = _make_conflict(client, area)
    answer = _resolve(client, conflict.id, resolution="used_submitted",
                      reason="Người dân sửa lại câu trả lời")
    assert answer.status_code == 302
    db.session.expire_all()
    stored = db.session.scalar(select(Response).where(Response.uuid == first["uuid"]))
    assert stored.answers["overall_satisfaction"] == "2"
    replaced = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "response.replaced")).one()
    assert replaced.details["reason"] == "Người dân sửa lại câu trả lời"
    assert replaced.details["previous_answers"]["overall_satisfaction"] == "4"
    assert set(replaced.details["before"]) == set(replaced.details["after"])
    assert "Đã thay phiếu đã lưu bằng bản gửi sau." in client.get(answer.headers["Location"]).get_data(as_text=True)


@pytest.mark.parametrize(("data", "message"), [
    ({"resolution": "kept_stored", "reason": "   "}, "Hãy ghi lý do của quyết định."),
    ({"resolution": "kept_stored"}, "Hãy ghi lý do của quyết định."),
    ({"resolution": "kept_stored", "reason": "x" * (REASON_MAX + 1)}, "Lý do dài quá"),
    ({"resolution": "delete_both", "reason": "vì sao"}, "Hãy chọn giữ phiếu đã lưu"),
    ({"reason": "vì sao"}, "Hãy chọn giữ phiếu đã lưu"),
])
def test_bad_form_values_show_the_page_again_with_a_message(client, db, area, admin, data, message):
    _, conflict = _make_conflict(client, area)
    answer = _resolve(client, conflict.id, **data)
    html = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert message in html and OVERALL_LABEL in html
    if data.get("reason", "").strip() and len(data["reason"]) < 50:
        assert data["reason"] in html  # what was typed is kept
    db.session.expire_all()
    assert conflict.resolved_at is None
    assert db.session.scalar(select(AuditEntry.id).where(AuditEntry.action == "conflict.resolved")) is None


def test_a_conflict_decided_meanwhile_is_not_decided_twice(client, db, area, admin):
    _, conflict = _make_conflict(client, area)
    assert _resolve(client, conflict.id, resolution="kept_stored", reason="một").status_code == 302
    again = _resolve(client, conflict.id, resolution="used_submitted", reason="hai")
    assert again.status_code == 302
    assert "đã được xử lý" in client.get(again.headers["Location"]).get_data(as_text=True)
    db.session.expire_all()
    assert conflict.resolution == "kept_stored"


def test_the_service_reads_the_conflict_afresh_under_its_lock(client, db, area, admin):
    # the page loaded the conflict; another admin decided it before this request locked it
    from server.errors import ApiError
    from server.sync.conflicts import resolve_conflict
    _, conflict = _make_conflict(client, area)
    assert conflict.resolved_at is None  # loaded in this session
    db.session.execute(update(ResponseConflict).where(ResponseConflict.id == conflict.id)
                       .values(resolved_at=utcnow(), resolution="kept_stored")
                       .execution_options(synchronize_session=False))
    with pytest.raises(ApiError) as refused:
        resolve_conflict(conflict.id, "used_submitted", admin, "muộn")
    assert refused.value.code == "already_resolved"


def test_when_only_keeping_is_possible_the_page_says_why(client, db, area, admin):
    first, conflict = _make_conflict(client, area)
    db.session.delete(db.session.scalar(select(Response).where(Response.uuid == first["uuid"])))
    db.session.flush()
    html = client.get(f"/admin/conflicts/{conflict.id}").get_data(as_text=True)
    assert "không còn nữa" in html
    assert re.search(r'value="used_submitted"[^>]*disabled', html)
    refused = _resolve(client, conflict.id, resolution="used_submitted", reason="thử")
    assert refused.status_code == 302
    db.session.expire_all()
    assert conflict.resolved_at is None
    assert _resolve(client, conflict.id, resolution="kept_stored", reason="phiếu gốc đã xoá").status_code == 302
    db.session.expire_all()
    assert conflict.resolution == "kept_stored"


def test_the_list_is_paged(client, db, area, admin, app, monkeypatch):
    items = [area.item(answers=sync_support.valid_answers(seed)) for seed in range(30)]
    assert sync_support.statuses(sync_support.submit(client, area, items)) == ["created"] * 30
    later = [{**item, "answers": {**item["answers"], "other_comments": "sửa"}} for item in items]
    assert sync_support.statuses(sync_support.submit(client, area, later)) == ["conflict"] * 30
    first = client.get("/admin/conflicts/").get_data(as_text=True)
    assert "Trang 1 / 2" in first and "page=2" in first
    second = client.get("/admin/conflicts/?page=2").get_data(as_text=True)
    assert "Trang 2 / 2" in second
    shown = lambda html: set(re.findall(r'href="/admin/conflicts/(\d+)"', html))  # noqa: E731
    assert len(shown(first)) == 25 and len(shown(second)) == 5
    assert not shown(first) & shown(second)
    # a page out of range shows the last one, nonsense the first
    assert "Trang 2 / 2" in client.get("/admin/conflicts/?page=99").get_data(as_text=True)
    assert "Trang 1 / 2" in client.get("/admin/conflicts/?page=abc").get_data(as_text=True)
