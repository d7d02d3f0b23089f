"""Time of the officials' report pages and the admin console's unit and progress pages at
province or national scale.

    .venv/bin/python bench/reports_page.py [--national] [--per-commune N] [--runs 3]
    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/lnh_bench \
        .venv/bin/python bench/reports_page.py

The database is BENCH_DATABASE_URL (emptied and filled here: give it a database of its own)
or else a temporary SQLite file. Province scale: 1 province, 100 communes, 10 residential
groups each (1,000 round units), 200 responses a commune (20,000 a round) in the current
round and as many in the previous one. --national: a country root, 34 provinces, 3,321
communes, 33,210 residential groups, and --per-commune responses a commune (default 20 at
national scale, i.e. 66,420 a round: the pages' work grows with the units, not with the
responses, once the summaries are stored; the summaries themselves grow with both).
Units, round units and responses are inserted in bulk (executemany), not through HTTP.

Figures (median of --runs, after one warm-up view): each page as a logged-in admin through
the test client (routing, queries, template), its HTML size, and for the report pages the
first view with no stored summary (cold). Target: every page < 1 s warm.

A view never builds the summary of a broad unit (country, province) of an open round: the
open round's pages are measured cold (nothing stored: "being computed" for those), then the
warming job (server/reporting/warming.py) is timed making them, and the pages measured again.

The pages are measured twice: with the current round open (read live), then after closing
it and materialising both rounds' per-unit aggregates (server/analytics/aggregates.py, timed),
with summary + PDF of the whole top unit and of a province, cold (no stored summary or PDF),
from the aggregates; --skip-open measures the closed round only.
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
from harness import DEFINITION, answer_pool, bench_app
from sqlalchemy import delete, insert, text, update

from server.analytics.aggregates import materialise_round_aggregates
from server.db_types import utcnow
from server.extensions import db
from server.forms.services import publish_definition
from server.people.models import user_units
from server.people.services import create_user
from server.reporting.models import CachedReport, CachedSummary
from server.reporting.services import report_pdf
from server.reporting.warming import open_round_ids, warm_open_round_summaries
from server.rounds.models import Round, round_units
from server.rounds.services import create_round
from server.sync.models import Response
from server.units.models import Unit

PASSWORD = "bench-password"
BATCH = 5000
PROVINCE = {"provinces": 1, "communes": 100, "groups": 10, "per_commune": 200, "country": False}
NATIONAL = {"provinces": 34, "communes": 3321, "groups": 10, "per_commune": 20, "country": True}


def _unit_rows(scale: dict) -> tuple[list[dict], dict]:
    """Units with their ids and paths computed here (one executemany, not 36,000 flushes)."""
    rows, next_id = [], 1

    def add(name, kind, parent):
        nonlocal next_id
        unit_id, next_id = next_id, next_id + 1
        path = (parent["path"] if parent else "/") + f"{unit_id}/"
        row = {"id": unit_id, "code": f"u{unit_id}", "name": name, "kind": kind,
               "parent_id": parent["id"] if parent else None, "path": path, "is_active": True}
        rows.append(row)
        return row

    country = add("Việt Nam", "country", None) if scale["country"] else None
    provinces = [add(f"Tỉnh Thử Nghiệm {p + 1}", "province", country)
                 for p in range(scale["provinces"])]
    communes, groups = [], []
    for c in range(scale["communes"]):
        province = provinces[c % len(provinces)]
        commune = add(f"Xã Thử Nghiệm {c + 1}", "commune", province)
        communes.append(commune)
        groups.append([add(f"Tổ dân phố {g + 1} xã {c + 1}", "residential_group", commune)
                       for g in range(scale["groups"])])
    return rows, {"country": country, "provinces": provinces, "communes": communes,
                  "groups": groups}


def populate(app, scale: dict) -> dict:
    started = time.perf_counter()
    with app.app_context():
        db.drop_all()
        db.create_all()
        version = publish_definition(DEFINITION)
        rows, tree = _unit_rows(scale)
        for start in range(0, len(rows), BATCH):
            db.session.execute(insert(Unit), rows[start:start + BATCH])
        if db.engine.dialect.name == "postgresql":  # ids were given: move the sequence on
            db.session.execute(text("SELECT setval('units_id_seq', (SELECT max(id) FROM units))"))
        now = utcnow()
        previous = create_round("Đợt 1", version, [], now - timedelta(days=200),
                                now - timedelta(days=170), target_per_unit=20)
        current = create_round("Đợt 2", version, [], now - timedelta(days=10),
                               now + timedelta(days=20), target_per_unit=22)
        group_ids = [group["id"] for groups in tree["groups"] for group in groups]
        for round_ in (previous, current):
            members = [{"round_id": round_.id, "unit_id": g, "target": None} for g in group_ids]
            for start in range(0, len(members), BATCH):
                db.session.execute(insert(round_units), members[start:start + BATCH])
        admin = create_user("admin.bench", PASSWORD, "admin")
        official = create_user("canbo.bench", PASSWORD, "official")
        volunteer = create_user("tnv.bench", PASSWORD, "volunteer")
        db.session.execute(insert(user_units), [{"user_id": official.id,
                                                 "unit_id": tree["communes"][0]["id"]}])
        ids = {"previous": previous.id, "current": current.id, "version": version.id,
               "volunteer": volunteer.id, "admin": admin.id,
               "top": (tree["country"] or tree["provinces"][0])["id"],
               "province": tree["provinces"][0]["id"], "commune": tree["communes"][0]["id"],
               "units": len(rows), "round_units": len(group_ids)}
        previous_opens, current_opens = previous.opens_at, current.opens_at
        db.session.commit()
    pool = answer_pool(600)
    rng = random.Random(5)
    responses = 0
    with app.app_context(), db.engine.begin() as connection:
        for round_id, opens in ((ids["previous"], previous_opens),
                                (ids["current"], current_opens)):
            batch = []
            for groups in tree["groups"]:
                for n in range(scale["per_commune"]):
                    group = groups[n % len(groups)]
                    completed = opens + timedelta(minutes=rng.randint(0, 9 * 24 * 60))
                    uid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
                    batch.append({
                        "uuid": uid, "round_id": round_id, "form_version_id": ids["version"],
                        "unit_id": group["id"], "volunteer_id": ids["volunteer"],
                        "started_at": completed - timedelta(minutes=9),
                        "completed_at": completed, "received_at": completed,
                        "answers": rng.choice(pool), "skipped": [], "content_hash": "-",
                        "status": "accepted", "reasons": [], "is_late": False, "client": {}})
                    if len(batch) == BATCH:
                        connection.execute(insert(Response.__table__), batch)
                        responses += len(batch)
                        batch = []
            if batch:
                connection.execute(insert(Response.__table__), batch)
                responses += len(batch)
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
                c.exec_driver_sql("VACUUM ANALYZE")
        else:
            with db.engine.begin() as c:
                c.exec_driver_sql("ANALYZE")
    ids["responses"] = responses
    ids["load_seconds"] = time.perf_counter() - started
    return ids


def reuse(app) -> dict:
    """The ids of a database this script filled before (--reuse: no second load)."""
    from sqlalchemy import func, select

    from server.people.models import User
    from server.rounds.models import Round

    with app.app_context():
        db.create_all()   # tables added since the database was filled (e.g. the aggregates)

        def first(kind):
            return db.session.scalar(select(func.min(Unit.id)).where(Unit.kind == kind))

        rounds = dict(db.session.execute(select(Round.title, Round.id)).all())
        top = db.session.scalar(select(func.min(Unit.id)).where(Unit.parent_id.is_(None)))
        return {"previous": rounds["Đợt 1"], "current": rounds["Đợt 2"], "top": top,
                "province": first("province"), "commune": first("commune"),
                "admin": db.session.scalar(select(User.id).where(User.username == "admin.bench")),
                "units": db.session.scalar(select(func.count()).select_from(Unit)),
                "round_units": db.session.scalar(select(func.count()).select_from(round_units)
                                                 .where(round_units.c.round_id == rounds["Đợt 2"])),
                "responses": db.session.scalar(select(func.count()).select_from(Response)),
                "load_seconds": 0.0}


def _forget_summaries(app) -> None:
    with app.app_context():
        db.session.execute(delete(CachedSummary))
        db.session.execute(delete(CachedReport))
        db.session.commit()


def _logged_in(app):
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    answer = client.post("/login", data={"username": "admin.bench", "password": PASSWORD,
                                         "csrf_token": token})
    assert answer.status_code == 302, answer.status_code
    return client


def _timed_get(client, path: str) -> tuple[float, int]:
    started = time.perf_counter()
    response = client.get(path)
    body = response.get_data()
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, (path, response.status_code)
    return elapsed, len(body)


def set_round_status(app, round_id: int, status: str) -> None:
    with app.app_context():
        db.session.execute(update(Round).where(Round.id == round_id).values(status=status))
        db.session.commit()


def materialise(app, ids: dict) -> float:
    """Both rounds' aggregates, as the pre-generation does when a round closes; seconds."""
    started = time.perf_counter()
    with app.app_context():
        for round_id in (ids["previous"], ids["current"]):
            materialise_round_aggregates(round_id)
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
                c.exec_driver_sql("ANALYZE")
    return time.perf_counter() - started


def summaries_and_pdfs(app, ids: dict) -> list[tuple[str, float]]:
    """Summary + PDF (vi) of the top unit and of a province in the current round, cold: no
    stored summary nor PDF (the fingerprint, the summary, the PDF, as a download does)."""
    _forget_summaries(app)
    figures = []
    with app.app_context():
        round_ = db.session.get(Round, ids["current"])
        for label, key in (("top unit", "top"), ("province", "province")):
            unit = db.session.get(Unit, ids[key])
            started = time.perf_counter()
            pdf = report_pdf(round_, unit, "vi")
            figures.append((f"summary + PDF: {label}", time.perf_counter() - started))
            db.session.commit()
            assert pdf.startswith(b"%PDF")
    return figures


def run_warming(app) -> tuple[float, str]:
    """The warming job once, without its time budget: seconds, and what it did."""
    started = time.perf_counter()
    with app.app_context():
        now = utcnow()
        assert open_round_ids(now), "no open round to warm"
        outcome = warm_open_round_summaries(now, budget=timedelta(hours=2))
    return time.perf_counter() - started, outcome


def measure(app, ids: dict, runs: int, keep_summaries: bool = False) -> list[tuple]:
    client = _logged_in(app)
    r = ids["current"]
    report_pages = [
        ("/reports", "/reports"),
        ("/reports/rounds/<current>", f"/reports/rounds/{r}"),
        ("  … ?level=commune&page=3", f"/reports/rounds/{r}?level=commune&page=3"),
        ("  … ?q=xa thu nghiem 1", f"/reports/rounds/{r}?q=xa+thu+nghiem+1"),
        ("unit page: commune", f"/reports/rounds/{r}/units/{ids['commune']}"),
        ("unit page: province", f"/reports/rounds/{r}/units/{ids['province']}"),
        ("unit page: top unit", f"/reports/rounds/{r}/units/{ids['top']}"),
    ]
    console_pages = [
        ("/admin/units/ (tree)", "/admin/units/"),
        ("/admin/units/?q=to dan pho 7", "/admin/units/?q=to+dan+pho+7"),
        ("/admin/units/<commune>", f"/admin/units/{ids['commune']}"),
        ("/admin/progress/?round=", f"/admin/progress/?round={r}"),
        ("/admin/progress/ province", f"/admin/progress/?round={r}&unit={ids['province']}"),
    ]
    figures = []
    if not keep_summaries:
        _forget_summaries(app)
    for label, path in report_pages:
        cold, _ = _timed_get(client, path)
        warm = []
        size = 0
        for _ in range(runs):
            elapsed, size = _timed_get(client, path)
            warm.append(elapsed)
        figures.append((label, cold, statistics.median(warm), size))
    for label, path in console_pages:
        _timed_get(client, path)
        warm, size = [], 0
        for _ in range(runs):
            elapsed, size = _timed_get(client, path)
            warm.append(elapsed)
        figures.append((label, None, statistics.median(warm), size))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--national", action="store_true")
    parser.add_argument("--per-commune", type=int, default=None)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--reuse", action="store_true",
                        help="measure the database BENCH_DATABASE_URL filled before")
    parser.add_argument("--keep-summaries", action="store_true",
                        help="with --reuse: keep the stored summaries ('cold' is then warm)")
    parser.add_argument("--skip-open", action="store_true",
                        help="measure the closed round only (its aggregates materialised)")
    args = parser.parse_args()
    scale = dict(NATIONAL if args.national else PROVINCE)
    if args.per_commune is not None:
        scale["per_commune"] = args.per_commune
    url = os.environ.get("BENCH_DATABASE_URL")
    folder = None
    if not url:
        folder = tempfile.mkdtemp(prefix="lang-nghe-bench-")
        url = f"sqlite:///{folder}/bench.db"
    app = bench_app(url, tempfile.mkdtemp(prefix="lang-nghe-bench-instance-"))
    ids = reuse(app) if args.reuse else populate(app, scale)
    figures = {}
    warming = None
    if not args.skip_open:
        set_round_status(app, ids["current"], "open")
        figures["open, nothing stored (broad units: \"being computed\")"] = measure(
            app, ids, args.runs, keep_summaries=args.keep_summaries)
        warming = run_warming(app)
        figures["open, after the warming job"] = measure(app, ids, args.runs,
                                                         keep_summaries=True)
    set_round_status(app, ids["current"], "closed")
    materialised = materialise(app, ids)
    downloads = summaries_and_pdfs(app, ids)
    figures["closed, from aggregates"] = measure(app, ids, args.runs,
                                                 keep_summaries=args.keep_summaries)
    with app.app_context():
        dialect = db.engine.dialect.name
        db.session.remove()
        db.engine.dispose()
    print(f"\nReport pages, {'national' if args.national else 'province'} scale on {dialect}: "
          f"{ids['units']:,} units ({ids['round_units']:,} round units), "
          f"{scale['per_commune']} responses a commune, {ids['responses']:,} responses in two "
          f"rounds (loaded in {ids['load_seconds']:.0f} s); median of {args.runs} warm views, "
          f"{os.cpu_count()} CPUs")
    for state, rows in figures.items():
        print(f"\ncurrent round {state}")
        print(f"{'page':<34} {'cold':>9} {'warm':>9} {'HTML':>10}")
        for label, cold, warm, size in rows:
            cold_text = f"{cold * 1000:.0f}ms" if cold is not None else "–"
            print(f"{label:<34} {cold_text:>9} {warm * 1000:>7.0f}ms {size / 1024:>8.1f}kB")
    if warming is not None:
        print(f"\nwarming job (open round's broad units, live): {warming[0]:.1f} s ({warming[1]})")
    print(f"\nmaterialising both rounds' aggregates: {materialised:.1f} s")
    for label, seconds in downloads:
        print(f"{label:<34} {seconds * 1000:>9.0f}ms  (cold, from aggregates)")
    print("target: every page < 1 s warm; cold = no stored summary yet (builds those of the "
          "page)")


if __name__ == "__main__":
    sys.exit(main())
