"""The Rounds pages walked with every role: anonymous goes to the login page, the admin gets
in, officials and volunteers are refused. Every POST needs its CSRF token; unknown ids are
404s. A new /admin/rounds route without a row here fails the coverage test."""

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest

from server.db_types import utcnow
from server.rounds import recurring
from tests.access.admin_matrix import (
    assert_forms_need_csrf,
    client_as,
    form_failures,
    page_failures,
)
from tests.admin.conftest import csrf_token

MISSING = 999_999


@dataclass
class World:
    round_id: int
    plan_id: int
    unit_id: int


@pytest.fixture
def world(factory, db):
    ward = factory.unit("Phường Hoa Lư", "ward")
    group = factory.unit("Tổ dân phố 1", "residential_group", parent=ward)
    admin = factory.user("admin", "admin")
    factory.user("official", "official", units=[ward])
    factory.user("volunteer", "volunteer", units=[group])
    round_ = factory.round(units=[group], opens_at=utcnow() - timedelta(days=1),
                           closes_at=utcnow() + timedelta(days=20))
    plan = recurring.create_plan(round_, "Khảo sát định kỳ", [
        {"open_month": 5, "open_day": 1, "close_month": 5, "close_day": 31}], 30, admin.id)
    db.session.commit()
    return World(round_.id, plan.id, group.id)


def _later(days: int) -> str:
    return (utcnow() + timedelta(days=days, hours=7)).strftime("%Y-%m-%dT%H:%M")


def _pages(w: World) -> list[str]:
    r, p = w.round_id, w.plan_id
    return ["/admin/rounds/", "/admin/rounds/new", f"/admin/rounds/{r}", "/admin/rounds/recurring",
            f"/admin/rounds/{r}/recurring", f"/admin/rounds/recurring/{p}"]


def _forms(w: World) -> list[tuple[str, dict, int]]:
    """(path, fields, the admin's status): fields an admin would send."""
    r, p = w.round_id, w.plan_id
    window = {"open_day-0": "1", "open_month-0": "5", "close_day-0": "31", "close_month-0": "5"}
    return [
        ("/admin/rounds/new", {"action": "units", "root_id": str(w.unit_id)}, 200),
        (f"/admin/rounds/{r}/settings", {"title": "Đợt đã đổi tên", "target_per_unit": "20",
                                         "late_policy": "accept"}, 302),
        (f"/admin/rounds/{r}/targets", {f"target-{w.unit_id}": "15"}, 302),
        (f"/admin/rounds/{r}/document", {"number": "12", "signer_name": "Nguyễn Văn An",
                                         "recipients": "Lưu: VT"}, 302),
        (f"/admin/rounds/{r}/extend", {"closes_at": _later(40)}, 302),
        (f"/admin/rounds/{r}/window", {"opens_at": _later(1), "closes_at": _later(2)}, 400),
        (f"/admin/rounds/{r}/close", {}, 302),
        (f"/admin/rounds/{r}/reopen", {"closes_at": _later(5)}, 302),
        (f"/admin/rounds/{r}/recurring", {"title": "Lịch thứ hai", "lead_days": "30", **window},
         302),
        (f"/admin/rounds/recurring/{p}", {"title": "Lịch đã sửa", "lead_days": "20", **window},
         302),
        (f"/admin/rounds/recurring/{p}/active", {"active": "0"}, 302),
    ]


def _client(app, role: str):
    return client_as(app, role)


def test_every_rounds_page_answers_each_role_as_expected(app, client, world):
    failures = page_failures(app, _pages(world))
    assert not failures, "\n".join(failures)


def test_every_rounds_form_answers_each_role_as_expected(app, client, world):
    failures = form_failures(app, _forms(world))
    assert not failures, "\n".join(failures)


def test_every_rounds_form_refuses_a_post_without_its_csrf_token(app, client, world):
    assert_forms_need_csrf(app, _forms(world))


def test_unknown_rounds_and_plans_are_404(app, client, world):
    browser = _client(app, "admin")
    unknown = World(MISSING, MISSING, world.unit_id)
    for path in _pages(unknown):
        if str(MISSING) in path:
            assert browser.get(path).status_code == 404, path
    for path, fields, _ in _forms(unknown):
        if str(MISSING) in path:
            response = browser.post(path, data={"csrf_token": csrf_token(browser), **fields})
            assert response.status_code == 404, path
    assert browser.get("/admin/rounds/abc").status_code == 404
    assert browser.get(f"/admin/rounds/{2**70}").status_code == 404


def test_odd_input_on_the_plan_page_is_never_a_500(app, client, world):
    browser = _client(app, "admin")
    for query in ("root_id=abc", f"root_id={2**70}", "root_id=-1", "root_id=%00",
                  "target_per_unit=%F0%9F%98%80", "units_root=1&include=x"):
        assert browser.get(f"/admin/rounds/new?{query}").status_code == 200, query
    token = csrf_token(browser)
    for fields in ({"action": "create"}, {"action": "create", "include": "\x00"},
                   {"action": "create", "opens_at": "9999-99-99T99:99"},
                   {"action": "units", "root_id": str(2**70)}):
        status = browser.post("/admin/rounds/new", data={"csrf_token": token, **fields}).status_code
        assert status in (200, 400), fields


def test_every_rounds_route_is_in_the_matrix(app, world):
    def template(path: str) -> str:
        return re.sub(r"/\d+(?=/|$)", "/<id>", path)

    covered = {("GET", template(p)) for p in _pages(world)}
    covered |= {("POST", template(p)) for p, _, _ in _forms(world)}
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("rounds_admin."):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                if (method, re.sub(r"<[^>]+>", "<id>", rule.rule)) not in covered:
                    missing.append(f"{method} {rule.rule}")
    assert not missing, "\n".join(missing)
