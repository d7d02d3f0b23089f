"""Time of every admin console page (and the officials' moderation and report pages) at
province or national scale, as an admin.

    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/lnh_pages \
        .venv/bin/python bench/console_pages.py --national [--reuse] [--runs 3]

The tree, two rounds and their responses come from bench/reports_page.py's loader (see its
docstring for the scales); this script adds what the console lists at that scale: one
volunteer per residential group (assigned to it, and the author of its responses), open
upload conflicts, audit entries, a
suggestion box with messages and a kiosk desk with ratings in every commune. --reuse
measures a database filled before (the extras are added once).

Figures: each page through the test client as a logged-in admin (routing, queries,
template), median of --runs views after one warm-up view, and its HTML size.
Target: every page < 1 s warm.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import timedelta

# reports_page first: it imports harness, which puts the repository on sys.path
from harness import bench_app
from reports_page import NATIONAL, PROVINCE, _logged_in, populate, reuse
from sqlalchemy import func, insert, select, update

from server.audit.models import AuditEntry
from server.db_types import utcnow
from server.extensions import db
from server.kiosks.models import KioskDesk, KioskRating
from server.people.models import User, user_units
from server.people.services import hash_password
from server.suggestions.models import SuggestionBox, SuggestionMessage
from server.sync.models import Response, ResponseConflict
from server.units.models import Unit

BATCH = 5000
CONFLICTS = 2000
AUDIT_ENTRIES = 100_000
MESSAGES_PER_BOX = 5
RATINGS_PER_DESK = 10


def _insert(table, rows: list[dict]) -> None:
    for start in range(0, len(rows), BATCH):
        db.session.execute(insert(table), rows[start:start + BATCH])


def add_extras(app, ids: dict) -> dict:
    """Volunteers, conflicts, audit entries, suggestion boxes and kiosk desks (once)."""
    started = time.perf_counter()
    with app.app_context():
        counts = {"volunteers": db.session.scalar(
            select(func.count()).select_from(User).where(User.role == "volunteer"))}
        if counts["volunteers"] > 1:
            counts.update(_extra_counts())
            return {**counts, "seconds": 0.0}
        now = utcnow()
        groups = list(db.session.scalars(select(Unit.id).where(
            Unit.kind == "residential_group").order_by(Unit.id)))
        communes = list(db.session.scalars(select(Unit.id).where(
            Unit.kind == "commune").order_by(Unit.id)))
        password = hash_password("bench-password")   # one hash: bcrypt per row would take hours
        _insert(User.__table__, [
            {"username": f"tnv.{n}", "display_name": f"Tình nguyện viên {n}",
             "password_hash": password, "role": "volunteer", "is_active": True,
             "is_demo": False, "created_at": now} for n in range(len(groups))])
        volunteer_ids = dict(db.session.execute(select(User.username, User.id).where(
            User.username.like("tnv.%"))).all())
        _insert(user_units, [{"user_id": volunteer_ids[f"tnv.{n}"], "unit_id": group}
                             for n, group in enumerate(groups)])
        # each response by its group's volunteer (the volunteer filter's choices at scale)
        db.session.execute(update(Response).where(
            Response.unit_id == user_units.c.unit_id, user_units.c.user_id == User.id,
            User.username.like("tnv.%"), User.username != "tnv.bench")
            .values(volunteer_id=user_units.c.user_id))
        sample = db.session.execute(select(Response.uuid, Response.round_id,
                                           Response.form_version_id, Response.unit_id,
                                           Response.volunteer_id, Response.answers,
                                           Response.started_at, Response.completed_at)
                                    .where(Response.round_id == ids["current"])
                                    .limit(CONFLICTS)).all()
        _insert(ResponseConflict.__table__, [
            {"uuid": row.uuid, "round_id": row.round_id, "form_version_id": row.form_version_id,
             "unit_id": row.unit_id, "volunteer_id": row.volunteer_id, "answers": row.answers,
             "content_hash": "-", "payload": {
                 "uuid": row.uuid, "round_id": row.round_id, "unit_id": row.unit_id,
                 "form_version_id": row.form_version_id, "answers": row.answers, "skipped": [],
                 "started_at": row.started_at.isoformat(),
                 "completed_at": row.completed_at.isoformat(), "client": {}},
             "received_at": now} for row in sample])
        _insert(AuditEntry.__table__, [
            {"at": now - timedelta(seconds=n), "actor_id": ids["admin"], "action": "unit.update",
             "object_type": "unit", "object_id": str(groups[n % len(groups)]),
             "details": {"name": [f"Tổ {n}", f"Tổ {n + 1}"]}} for n in range(AUDIT_ENTRIES)])
        _insert(SuggestionBox.__table__, [
            {"code": f"box{n:08d}", "unit_id": commune, "name": f"Hòm thư xã {n + 1}",
             "is_open": True, "created_at": now} for n, commune in enumerate(communes)])
        box_ids = list(db.session.scalars(select(SuggestionBox.id).order_by(SuggestionBox.id)))
        _insert(SuggestionMessage.__table__, [
            {"box_id": box, "client_uuid": str(uuid.uuid4()), "receipt_code": f"r{box}x{m}",
             "body": "Đường ngõ xóm bị ngập khi mưa lớn, đề nghị nạo vét cống.",
             "received_at": now - timedelta(hours=m), "status": "new", "moderation": "pending"}
            for box in box_ids for m in range(MESSAGES_PER_BOX)])
        _insert(KioskDesk.__table__, [
            {"unit_id": commune, "name": f"Bộ phận một cửa xã {n + 1}", "services": ["Hộ tịch"],
             "is_active": True, "created_at": now} for n, commune in enumerate(communes)])
        desk_ids = list(db.session.scalars(select(KioskDesk.id).order_by(KioskDesk.id)))
        _insert(KioskRating.__table__, [
            {"desk_id": desk, "client_uuid": str(uuid.uuid4()), "score": 1 + (desk + r) % 5,
             "service": "Hộ tịch", "rated_at": now - timedelta(hours=r), "received_at": now}
            for desk in desk_ids for r in range(RATINGS_PER_DESK)])
        db.session.commit()
        counts.update(_extra_counts())
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
                c.exec_driver_sql("VACUUM ANALYZE")
    return {**counts, "seconds": time.perf_counter() - started}


def _extra_counts() -> dict:
    def count(model):
        return db.session.scalar(select(func.count()).select_from(model))
    return {"volunteers": db.session.scalar(select(func.count()).select_from(User).where(
                User.role == "volunteer")),
            "conflicts": count(ResponseConflict), "audit entries": count(AuditEntry),
            "suggestion boxes": count(SuggestionBox), "kiosk desks": count(KioskDesk)}


def _some_ids(app, ids: dict) -> dict:
    with app.app_context():
        def first(column, *where):
            return db.session.scalar(select(func.min(column)).where(*where))
        return {
            "volunteer": first(User.id, User.role == "volunteer", User.username != "tnv.bench"),
            "response": first(Response.id, Response.round_id == ids["current"]),
            "conflict": first(ResponseConflict.id),
            "box": first(SuggestionBox.id),
            "desk": first(KioskDesk.id),
        }


def pages(ids: dict, more: dict) -> list[tuple[str, str]]:
    r = ids["current"]
    return [
        ("/admin/", "/admin/"),
        ("/admin/units/ (tree)", "/admin/units/"),
        ("/admin/units/?q=to dan pho 7", "/admin/units/?q=to+dan+pho+7"),
        ("/admin/units/<top>", f"/admin/units/{ids['top']}"),
        ("/admin/units/<province>", f"/admin/units/{ids['province']}"),
        ("/admin/units/<commune>", f"/admin/units/{ids['commune']}"),
        ("/admin/people/", "/admin/people/"),
        ("/admin/people/?q=tnv.12", "/admin/people/?q=tnv.12"),
        ("/admin/people/<volunteer>", f"/admin/people/{more['volunteer']}"),
        ("/admin/rounds/", "/admin/rounds/"),
        ("/admin/rounds/<current>", f"/admin/rounds/{r}"),
        ("/admin/rounds/new", "/admin/rounds/new"),
        ("/admin/rounds/recurring", "/admin/rounds/recurring"),
        ("/admin/forms/", "/admin/forms/"),
        ("/admin/responses/", "/admin/responses/"),
        ("/admin/responses/?round&unit=province", f"/admin/responses/?round={r}"
                                                  f"&unit={ids['province']}"),
        ("/admin/responses/<id>", f"/admin/responses/{more['response']}"),
        ("/admin/conflicts/", "/admin/conflicts/"),
        ("/admin/conflicts/<id>", f"/admin/conflicts/{more['conflict']}"),
        ("/admin/audit/", "/admin/audit/"),
        ("/reports/rounds/<r>/comments", f"/reports/rounds/{r}/comments"),
        ("/reports/…/units/<top>/comments", f"/reports/rounds/{r}/units/{ids['top']}/comments"),
        ("/reports/…/units/<commune>/comments",
         f"/reports/rounds/{r}/units/{ids['commune']}/comments"),
        ("/admin/suggestions/", "/admin/suggestions/"),
        ("/admin/suggestions/boxes/<id>", f"/admin/suggestions/boxes/{more['box']}"),
        ("/admin/suggestions/topics", "/admin/suggestions/topics"),
        ("/admin/kiosks/", "/admin/kiosks/"),
        ("/admin/kiosks/<desk>", f"/admin/kiosks/{more['desk']}"),
        ("/admin/progress/?round= (other helper)", f"/admin/progress/?round={r}"),
        ("/admin/progress/ province (other helper)",
         f"/admin/progress/?round={r}&unit={ids['province']}"),
        ("/reports", "/reports"),
        ("/reports/rounds/<r> (other helper)", f"/reports/rounds/{r}"),
        ("GET /api/v1/rounds", "/api/v1/rounds"),
    ]


def _timed_get(client, path: str) -> tuple[float, int, int]:
    started = time.perf_counter()
    response = client.get(path)
    body = response.get_data()
    return time.perf_counter() - started, len(body), response.status_code


def measure(app, ids: dict, more: dict, runs: int, only: str | None) -> list[tuple]:
    client = _logged_in(app)
    figures = []
    for label, path in pages(ids, more):
        if only and only not in label:
            continue
        _, size, status = _timed_get(client, path)
        warm = []
        for _ in range(runs):
            elapsed, size, status = _timed_get(client, path)
            warm.append(elapsed)
        figures.append((label, statistics.median(warm), size, status))
        print(f"  {label:<42} {statistics.median(warm) * 1000:>8.0f}ms", file=sys.stderr)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--national", action="store_true")
    parser.add_argument("--per-commune", type=int, default=None)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--reuse", action="store_true",
                        help="measure the database BENCH_DATABASE_URL filled before")
    parser.add_argument("--only", help="only the pages whose label contains this text")
    args = parser.parse_args()
    scale = dict(NATIONAL if args.national else PROVINCE)
    if args.per_commune is not None:
        scale["per_commune"] = args.per_commune
    url = os.environ.get("BENCH_DATABASE_URL")
    if not url:
        url = f"sqlite:///{tempfile.mkdtemp(prefix='lang-nghe-bench-')}/bench.db"
    app = bench_app(url, tempfile.mkdtemp(prefix="lang-nghe-bench-instance-"))
    ids = reuse(app) if args.reuse else populate(app, scale)
    extras = add_extras(app, ids)
    more = _some_ids(app, ids)
    figures = measure(app, ids, more, args.runs, args.only)
    with app.app_context():
        dialect = db.engine.dialect.name
        db.session.remove()
        db.engine.dispose()
    print(f"\nConsole pages, {'national' if args.national else 'province'} scale on {dialect}: "
          f"{ids['units']:,} units ({ids['round_units']:,} round units), "
          f"{ids['responses']:,} responses in two rounds; "
          + ", ".join(f"{value:,} {name}" for name, value in extras.items() if name != "seconds")
          + f"; median of {args.runs} warm views as an admin, {os.cpu_count()} CPUs")
    print(f"{'page':<44} {'warm':>9} {'HTML':>10} status")
    for label, warm, size, status in figures:
        print(f"{label:<44} {warm * 1000:>7.0f}ms {size / 1024:>8.1f}kB {status}")
    print("target: every page < 1 s warm")


if __name__ == "__main__":
    sys.exit(main())
