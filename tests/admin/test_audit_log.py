"""The audit log (/admin/audit): filters, paging, before/after, and the streamed CSV."""

import contextvars
import csv
import io
import re
from datetime import timedelta

import pytest

from server.audit.services import record
from server.db_types import utcnow

HOSTILE_ID = "=HYPERLINK(\"http://evil.example\",\"bấm\")"


@pytest.fixture
def log(db, factory):
    admin = factory.user("quantri", "admin", display_name="Quản Trị Viên")
    other = factory.user("bientap", "admin", display_name="Biên Tập")
    now = utcnow()
    record(admin.id, "unit.renamed", "unit", 5, {"before": {"name": "Tổ 1"},
                                                 "after": {"name": "Tổ dân phố 1"}})
    record(other.id, "response.excluded", "response", "abc-123",
           {"before": {"excluded": False, "reason": None},
            "after": {"excluded": True, "reason": "phiếu thử"}})
    old = record(admin.id, "round.closed", "round", 7, {"before": {"status": "scheduled"},
                                                        "after": {"status": "closed"}})
    old.at = now - timedelta(days=40)
    record(None, "round.opened", "round", 8, None)     # the scheduler: no person
    db.session.flush()
    return {"admin": admin, "other": other, "old_day": old.at.date()}


def _actions(html: str) -> list[str]:
    return re.findall(r"<td><code>([a-z_.]+)</code></td>", html)


def test_newest_first_with_before_and_after(client, web_login, log):
    web_login(log["admin"])
    page = client.get("/admin/audit/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert _actions(html)[-1] == "round.closed"               # 40 days ago: last
    assert "Tổ dân phố 1" in html and "diff-changed" in html
    assert "hệ thống" in html                                 # the scheduler's entry
    assert ' style="' not in html


def test_filters(client, web_login, log):
    web_login(log["admin"])

    def actions(query):
        return sorted(_actions(client.get(f"/admin/audit/?{query}").get_data(as_text=True)))

    assert actions("person=bientap") == ["response.excluded"]
    assert actions("person=Quản Trị") == ["round.closed", "unit.renamed"]
    assert actions("person=QUANTRI") == ["round.closed", "unit.renamed"]
    assert actions("action=round.opened") == ["round.opened"]
    assert actions("object_type=round") == ["round.closed", "round.opened"]
    assert actions("object_type=response&object_id=abc-123") == ["response.excluded"]
    day = log["old_day"]
    assert actions(f"from={day - timedelta(days=1)}&to={day + timedelta(days=1)}") == [
        "round.closed"]
    assert "round.closed" not in actions(f"from={day + timedelta(days=2)}")
    assert actions("person=100%_") == []                         # LIKE wildcards are text


def test_paging(client, web_login, log, db):
    for n in range(60):
        record(log["admin"].id, "unit.created", "unit", n, {"n": n})
    db.session.flush()
    web_login(log["admin"])
    first = client.get("/admin/audit/?action=unit.created").get_data(as_text=True)
    assert len(_actions(first)) == 50 and "Trang 1 / 2" in first
    second = client.get("/admin/audit/?action=unit.created&page=2").get_data(as_text=True)
    assert len(_actions(second)) == 10


def test_bad_filter_values_show_the_page_with_a_message(client, web_login, log):
    web_login(log["admin"])
    for query in ("from=2026-02-31", "to=tomorrow", "from=2026-05-02&to=2026-05-01",
                  "person=" + "x" * 300, "page=-3", "page=abc"):
        page = client.get(f"/admin/audit/?{query}")
        assert page.status_code == 200, query
        if not query.startswith("page"):
            assert 'class="flash error"' in page.get_data(as_text=True), query
    assert client.get("/admin/audit/export.csv?from=nonsense").status_code == 200


def test_officials_cannot_read_the_log(client, web_login, factory, log):
    web_login(factory.user("canbo", "official", units=[factory.unit("Xã A", "commune")]))
    assert client.get("/admin/audit/").status_code == 403
    assert client.get("/admin/audit/export.csv").status_code == 403


# --- the CSV, requested the way a server does ---------------------------------------------

@pytest.fixture
def committed_log(committed_db, factory_committed):
    """Entries committed, the test's own session closed: it holds nothing during the request."""
    admin = factory_committed.user("quantri", "admin", display_name="@Quản Trị")
    for n in range(1200):     # more than one batch of the streamed body
        record(admin.id, "unit.created", "unit", n, {"name": f"Tổ {n}"})
    record(admin.id, "unit.renamed", "unit", HOSTILE_ID, {"after": {"name": "-1+1"}})
    committed_db.session.commit()
    committed_db.session.close()
    return admin


def _fetch(app, path):
    """GET in a fresh context (no app context of the test around it), the whole streamed
    body read after the view has returned."""

    def get():
        client = app.test_client()
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        assert client.post("/login", data={"username": "quantri", "password": "pw",
                                           "csrf_token": token}).status_code == 302
        response = client.get(path)
        response.get_data()
        response.close()
        return response

    return contextvars.Context().run(get)


def test_csv_export_streams_every_matching_entry(app, committed_log):
    response = _fetch(app, "/admin/audit/export.csv?action=unit.created")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    assert len(rows) == 1200
    assert rows[0]["action"] == "unit.created" and rows[0]["actor_username"] == "quantri"
    assert '"name": "Tổ' in rows[0]["details"]


def test_csv_cells_cannot_run_as_formulas(app, committed_log):
    response = _fetch(app, "/admin/audit/export.csv?action=unit.renamed")
    cells = [cell for row in csv.reader(io.StringIO(response.get_data(as_text=True)
                                                    .lstrip("\ufeff"))) for cell in row]
    assert "'" + HOSTILE_ID in cells and HOSTILE_ID not in cells
    assert "'@Quản Trị" in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)

