"""Time to build the progress page (/admin/progress) of a province round.

    .venv/bin/python bench/progress.py [--sqlite-only] [--pg-url URL] [--runs 5]

The round: a province of 100 communes, each with 10 residential groups (1,000 round units,
target 100 each), one volunteer per group, 100,000 default-form responses (some late, some
rejected, some excluded), an audit entry per stored response and 1,000 uploads refused at
sync. Bulk-inserted into a temporary SQLite file and into a PostgreSQL database
`lang_nghe_bench_progress` (created and dropped here).

Figures (median of --runs): the service alone (every SQL query of the page), and the whole
HTTP page through the test client as a logged-in admin (service, sorting, template), for
the province and for one commune; and the province's CSV download. Target: the province page
< 1 s on PostgreSQL.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import timedelta

# harness first: it puts the repository on sys.path for the server imports below
from harness import (
    DEFAULT_PG_URL,
    DEFINITION,
    answer_pool,
    bench_app,
    create_pg_database,
    drop_pg_database,
)
from sqlalchemy import insert, update

from server.audit.models import AuditEntry
from server.db_types import utcnow
from server.extensions import db
from server.forms.services import publish_definition
from server.people.models import User, user_units
from server.people.services import create_user
from server.progress.services import round_progress
from server.rounds.models import Round, round_units
from server.rounds.services import create_round
from server.sync.models import Response
from server.units.services import create_unit

COMMUNES, GROUPS_PER_COMMUNE, RESPONSES, TARGET = 100, 10, 100_000, 100
REFUSED_UPLOADS = 1000
PG_DATABASE = "lang_nghe_bench_progress"
PASSWORD = "bench-password"
BATCH = 5000


def populate(app) -> dict:
    """The schema and the province round; returns the ids the figures need."""
    with app.app_context():
        db.drop_all()
        db.create_all()
        version = publish_definition(DEFINITION)
        province = create_unit("Tỉnh Thử Nghiệm", "province")
        communes, groups = [], []
        for c in range(COMMUNES):
            commune = create_unit(f"Xã Thử Nghiệm {c + 1}", "commune", parent=province)
            communes.append(commune)
            groups += [create_unit(f"Tổ dân phố {g + 1} xã {c + 1}", "residential_group",
                                   parent=commune) for g in range(GROUPS_PER_COMMUNE)]
        now = utcnow()
        round_ = create_round("Đợt đo tiến độ", version, groups, now - timedelta(days=12),
                              now + timedelta(days=18), target_per_unit=TARGET)
        db.session.execute(update(round_units).where(
            round_units.c.round_id == round_.id,
            round_units.c.unit_id.in_([g.id for g in groups[::7]])).values(target=80))
        admin = create_user("admin.bench", PASSWORD, "admin")
        db.session.flush()
        volunteer_rows = [{"username": f"tnv.{n}", "display_name": f"Tình nguyện viên {n}",
                           "password_hash": "-", "role": "volunteer", "is_active": True,
                           "is_demo": False, "created_at": now,
                           "last_sync_at": now - timedelta(hours=n % 72),
                           "last_app_version": f"1.{n % 4}.0", "last_queued_count": n % 5}
                          for n in range(len(groups))]
        db.session.execute(insert(User), volunteer_rows)
        volunteers = dict(db.session.execute(
            User.__table__.select().with_only_columns(User.username, User.id)
            .where(User.role == "volunteer")).all())
        volunteer_ids = [volunteers[f"tnv.{n}"] for n in range(len(groups))]
        db.session.execute(insert(user_units), [{"user_id": v, "unit_id": g.id}
                                                for v, g in zip(volunteer_ids, groups, strict=True)])
        ids = {"round_id": round_.id, "version_id": version.id, "province_id": province.id,
               "commune_id": communes[0].id, "group_ids": [g.id for g in groups],
               "volunteer_ids": volunteer_ids, "opens_at": round_.opens_at,
               "admin_id": admin.id}
        db.session.commit()
    _insert_responses(app, ids)
    return ids


def _insert_responses(app, ids: dict) -> None:
    rng = random.Random(11)
    pool = answer_pool()
    groups, volunteers = ids["group_ids"], ids["volunteer_ids"]
    received = utcnow()
    with app.app_context(), db.engine.begin() as connection:
        for start in range(0, RESPONSES, BATCH):
            rows, audit = [], []
            for n in range(start, min(start + BATCH, RESPONSES)):
                at = rng.randrange(len(groups))
                completed = ids["opens_at"] + timedelta(minutes=rng.randint(0, 12 * 24 * 60))
                uid = str(uuid.uuid4())
                rows.append({
                    "uuid": uid, "round_id": ids["round_id"], "form_version_id": ids["version_id"],
                    "unit_id": groups[at], "volunteer_id": volunteers[at],
                    "started_at": completed - timedelta(minutes=9), "completed_at": completed,
                    "received_at": received, "answers": pool[n % len(pool)], "skipped": [],
                    "content_hash": uid.replace("-", "") * 2,
                    "status": "rejected" if n % 97 == 0 else ("flagged" if n % 31 == 0 else "accepted"),
                    "reasons": [], "is_late": n % 53 == 0, "client": {"app_version": "1.0.0"},
                    "excluded_at": received if n % 211 == 0 else None,
                    "excluded_reason": "phiếu thử" if n % 211 == 0 else None})
                audit.append({"at": received, "actor_id": volunteers[at],
                              "action": "submission.created", "object_type": "response",
                              "object_id": uid, "details": {"round_id": ids["round_id"],
                                                            "unit_id": groups[at], "late": False}})
            connection.execute(insert(Response.__table__), rows)
            connection.execute(insert(AuditEntry.__table__), audit)
        refused = [{"at": received, "actor_id": volunteers[n % len(volunteers)],
                    "action": "submission.rejected", "object_type": "response",
                    "object_id": str(uuid.uuid4()),
                    "details": {"round_id": ids["round_id"], "unit_id": groups[n % len(groups)],
                                "codes": ["round_closed"]}}
                   for n in range(REFUSED_UPLOADS)]
        connection.execute(insert(AuditEntry.__table__), refused)
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
                c.exec_driver_sql("VACUUM ANALYZE")
        else:
            with db.engine.begin() as c:
                c.exec_driver_sql("ANALYZE")


def median_seconds(run, runs: int) -> float:
    run()   # warm: the first run pays for connections and template compilation
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def bench_database(label: str, url: str, runs: int) -> dict:
    instance = tempfile.mkdtemp(prefix="lang-nghe-bench-")
    app = bench_app(url, instance)
    started = time.perf_counter()
    ids = populate(app)
    seeded = time.perf_counter() - started

    def service():
        with app.app_context():
            round_ = db.session.get(Round, ids["round_id"])
            progress = round_progress(round_, db.session.get(User, ids["admin_id"]), None)
            assert progress.total.responses > 90_000 and len(progress.rows) == COMMUNES
            db.session.remove()

    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    answer = client.post("/login", data={"username": "admin.bench", "password": PASSWORD,
                                         "csrf_token": token})
    assert answer.status_code == 302, answer.status_code

    def get(path):
        def run():
            response = client.get(path)
            response.get_data()
            assert response.status_code == 200, (path, response.status_code)
        return run

    r = ids["round_id"]
    figures = {
        "label": label, "seeded": seeded,
        "service": median_seconds(service, runs),
        "province": median_seconds(get(f"/admin/progress/?round={r}"), runs),
        "province_sorted": median_seconds(
            get(f"/admin/progress/?round={r}&view=all&sort=shortfall&dir=desc"), runs),
        "commune": median_seconds(get(f"/admin/progress/?round={r}&unit={ids['commune_id']}"), runs),
        "csv": median_seconds(get(f"/admin/progress/export.csv?round={r}&view=all"), runs),
    }
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", DEFAULT_PG_URL),
                        help="a PostgreSQL URL to create the bench database from")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="lang-nghe-bench-") as folder:
        results.append(bench_database("SQLite", f"sqlite:///{folder}/bench.db", args.runs))
    if not args.sqlite_only:
        url = create_pg_database(args.pg_url, PG_DATABASE)
        try:
            results.append(bench_database("PostgreSQL", url, args.runs))
        finally:
            drop_pg_database(args.pg_url, PG_DATABASE)
    print(f"\nProgress page: a province round of {COMMUNES} communes x {GROUPS_PER_COMMUNE} "
          f"residential groups, {RESPONSES:,} responses, {COMMUNES * GROUPS_PER_COMMUNE:,} "
          f"volunteers; median of {args.runs} runs, {os.cpu_count()} CPUs")
    print(f"{'database':<12} {'service':>9} {'province page':>14} {'every unit, sorted':>19} "
          f"{'commune page':>13} {'CSV':>8}   (seeded in)")
    for r in results:
        print(f"{r['label']:<12} {r['service'] * 1000:>7.0f}ms {r['province'] * 1000:>12.0f}ms "
              f"{r['province_sorted'] * 1000:>17.0f}ms {r['commune'] * 1000:>11.0f}ms "
              f"{r['csv'] * 1000:>6.0f}ms   ({r['seeded']:.0f} s)")
    print("target: the province page < 1 s on PostgreSQL")


if __name__ == "__main__":
    sys.exit(main())
