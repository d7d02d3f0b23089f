"""Operators' view of a running service: one log line per request (id, user, route, status,
time), the outcome counts of each uploaded batch, and the scheduler's last run in /health."""

import logging
import re
from datetime import UTC, datetime, timedelta

import pytest

from server.scheduling.models import JobRun
from tests.sync.sync_support import build_area, submit

LINE = re.compile(r"request id=(?P<id>\S+) user=(?P<user>\S+) method=(?P<method>\S+) "
                  r"route=(?P<route>\S+) status=(?P<status>\d+) ms=(?P<ms>[\d.]+)")


@pytest.fixture
def request_lines(caplog):
    caplog.set_level(logging.INFO, logger="lang_nghe.request")

    def lines(prefix: str = "request ") -> list[str]:
        return [r.getMessage() for r in caplog.records
                if r.name == "lang_nghe.request" and r.getMessage().startswith(prefix)]
    return lines


def test_each_request_logs_one_line_and_echoes_its_id(client, request_lines):
    response = client.get("/api/v1/health")
    made = response.headers["X-Request-Id"]
    assert re.fullmatch(r"[0-9a-f]{32}", made)
    passed = client.get("/api/v1/me/assignments", headers={"X-Request-Id": "nginx-abc.123"})
    assert passed.headers["X-Request-Id"] == "nginx-abc.123"
    junk = client.get("/api/v1/health", headers={"X-Request-Id": "bad id; x=" * 20})
    assert re.fullmatch(r"[0-9a-f]{32}", junk.headers["X-Request-Id"])

    first, second, third = (LINE.fullmatch(line) for line in request_lines())
    assert first["id"] == made and first["route"] == "/api/v1/health"
    assert first["status"] == "200" and first["user"] == "-" and float(first["ms"]) >= 0
    assert second["id"] == "nginx-abc.123" and second["route"] == "/api/v1/me/assignments"
    assert second["status"] == "401"
    assert third["id"] == junk.headers["X-Request-Id"]


def test_the_line_names_the_user_and_an_upload_logs_its_outcome_counts(client, factory,
                                                                        request_lines):
    area = build_area(factory)
    first = area.item()
    batch = [first, area.item(), area.item(answers={"age_band": "not-a-choice"})]
    submit(client, area, [first])
    response = submit(client, area, batch)
    assert response.status_code == 200

    uploads = request_lines("upload ")
    assert len(uploads) == 2
    assert uploads[1] == (f"upload id={response.headers['X-Request-Id']} "
                          f"user={area.volunteer.id} items=3 "
                          "created=1 duplicate=1 conflict=0 rejected=1")
    last = LINE.fullmatch(request_lines()[-1])
    assert last["user"] == str(area.volunteer.id) and last["route"] == "/api/v1/submissions"
    assert last["method"] == "POST" and last["status"] == "200"


def test_a_web_session_user_is_named_too(client, factory, request_lines):
    admin = factory.user("quan.tri", "admin", password="mat-khau-dai")
    page = client.get("/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    login = client.post("/login", data={"username": "quan.tri", "password": "mat-khau-dai",
                                        "csrf_token": csrf})
    assert login.status_code == 302
    assert client.get("/admin/").status_code == 200
    last = LINE.fullmatch(request_lines()[-1])
    assert last["route"] == "/admin/" and last["user"] == str(admin.id)


def test_health_reports_the_schedulers_last_finished_run(client, db):
    assert client.get("/api/v1/health").get_json()["scheduler_last_run"] is None
    now = datetime.now(UTC).replace(microsecond=0)
    db.session.add_all([
        JobRun(job_name="close-due-rounds", due_at=now - timedelta(hours=1),
               started_at=now - timedelta(hours=1), finished_at=now - timedelta(minutes=59),
               outcome="ok: []"),
        JobRun(job_name="purge-job-runs", due_at=now - timedelta(minutes=10),
               started_at=now - timedelta(minutes=10), finished_at=now - timedelta(minutes=9),
               outcome="ok: 0"),
        JobRun(job_name="open-close-rounds", due_at=now, started_at=now),  # still running
    ])
    db.session.flush()
    body = client.get("/api/v1/health").get_json()
    assert body["status"] == "ok"
    last = body["scheduler_last_run"]
    assert last["job"] == "purge-job-runs" and last["outcome"] == "ok: 0"
    assert datetime.fromisoformat(last["finished_at"]) == now - timedelta(minutes=9)
