"""A national round and its previous round on PostgreSQL: load rate, reports, pages, exports
and pre-generation at the size of the country.

    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/lnh_national \
        .venv/bin/python bench/national.py [--scale 1.0] [--reuse] [--skip SECTION ...]

The database (--db, else BENCH_DATABASE_URL) is emptied and migrated here (the app's Alembic
migrations, as `flask db upgrade` does): give it a database of its own. The tree is the
country's whatever the scale: a country root, 34 provinces, 3,321 communes, 10 residential
groups each (33,210 groups, the round units), one volunteer per commune. --scale sets the
responses: 1.0 = 200 a commune in each of two rounds (664,200 a round, 1.33 M in all); 0.25
= 50 a commune. Responses go in with PostgreSQL COPY, answers drawn from the default form
(validated), then VACUUM ANALYZE.

Every figure after the load is taken in a fresh process of its own (a web worker's memory
from its start, a time limit that stops one slow step without losing the rest): summary +
PDF of a commune, a province and the country in the closed round and in the open one; the
officials' and admins' pages (first view and median warm view); CSV and XLSX exports of a
province and of the country (time, size, peak RSS); per-unit aggregates of the closed round
where the app has them; pre-generating every commune's and province's PDF for the closed
round (the app's runner where there is one, else a sample, projected). Prints figures, never
pass/fail. Targets (issue 15): commune < 0.5 s, province < 1 s, country summary + PDF < 5 s,
every page < 1 s, exports < 300 MB RSS whatever the size, pre-generation < 30 min.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

# harness first: it puts the repository on sys.path for the server imports below
from harness import bench_app, machine_line
from national_load import load, world
from sqlalchemy import create_engine

from server.extensions import db

SECTIONS = ("aggregates", "reports", "pages", "exports", "pregeneration")
TASKS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "national_tasks.py")


def run(url: str, task: str, *arguments, timeout: float) -> dict:
    """The task in a fresh process (and session: the workers it starts are stopped with it
    at the time limit); {"error": ...} when it fails or runs out of time."""
    command = [sys.executable, TASKS, url, task, json.dumps(arguments)]
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        process = subprocess.Popen(command, stdout=out, stderr=err, text=True,
                                   start_new_session=True)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            return {"error": f"stopped after {timeout:.0f} s"}
        out.seek(0)
        err.seek(0)
        for line in reversed(out.read().splitlines()):
            if line.startswith("RESULT "):
                return json.loads(line[len("RESULT "):])
        return {"error": (err.read().strip().splitlines() or ["no result"])[-1][:160]}


# --- the report ---------------------------------------------------------------------------

def _ms(seconds) -> str:
    return f"{seconds * 1000:,.0f} ms" if seconds is not None else "–"


def report_section(url: str, ids: dict, timeout: float) -> None:
    print("\nSummary + PDF (vi), each in a fresh process: raw summary (SQL + Python), the PDF "
          "route cold (nothing stored; after the other round's PDF of that unit, as a worker "
          "that served reports before), warm (stored PDF)")
    print(f"{'round':<14} {'unit':<9} {'responses':>9} {'summary':>11} {'PDF cold':>11} "
          f"{'PDF warm':>10} {'size':>8} {'peak RSS':>9}")
    for round_label in ("previous", "current"):
        for kind in ("commune", "province", "country"):
            figures = run(url, "report", ids[round_label], ids[kind], timeout=timeout)
            name = {"previous": "closed (Đợt 1)", "current": "open (Đợt 2)"}[round_label]
            if "error" in figures:
                print(f"{name:<14} {kind:<9} {figures['error']}")
                continue
            print(f"{name:<14} {kind:<9} {figures['responses']:>9,} {_ms(figures['summary']):>11} "
                  f"{_ms(figures['cold']):>11} {_ms(figures['warm']):>10} "
                  f"{figures['size'] / 1024:>6.0f}kB {figures['peak_rss']:>7.0f}MB"
                  + ("" if figures["status"] == 200 else f"  HTTP {figures['status']}"))
    print("targets: commune < 0.5 s, province < 1 s, country summary + PDF < 5 s")


def pages(ids: dict) -> list[tuple[str, str, str]]:
    r, p = ids["current"], ids["previous"]
    admin, official = "admin.bench", "canbo.bench"
    return [
        (official, "official: /reports", "/reports"),
        (official, "official: round", f"/reports/rounds/{r}"),
        (official, "official: own commune", f"/reports/rounds/{r}/units/{ids['commune']}"),
        (admin, "/reports", "/reports"),
        (admin, "/reports/rounds/<open>", f"/reports/rounds/{r}"),
        (admin, "/reports/rounds/<closed>", f"/reports/rounds/{p}"),
        (admin, "  … ?level=commune&page=3", f"/reports/rounds/{r}?level=commune&page=3"),
        (admin, "  … ?q=xa thu nghiem 1", f"/reports/rounds/{r}?q=xa+thu+nghiem+1"),
        (admin, "unit page: commune", f"/reports/rounds/{r}/units/{ids['commune']}"),
        (admin, "unit page: province", f"/reports/rounds/{r}/units/{ids['province']}"),
        (admin, "unit page: country", f"/reports/rounds/{r}/units/{ids['country']}"),
        (admin, "unit page: country (closed)", f"/reports/rounds/{p}/units/{ids['country']}"),
        (admin, "comments: country", f"/reports/rounds/{r}/units/{ids['country']}/comments"),
        (admin, "comments: province", f"/reports/rounds/{r}/units/{ids['province']}/comments"),
        (admin, "/admin/", "/admin/"),
        (admin, "/admin/units/ (tree)", "/admin/units/"),
        (admin, "/admin/units/?q=to dan pho 7", "/admin/units/?q=to+dan+pho+7"),
        (admin, "/admin/units/<commune>", f"/admin/units/{ids['commune']}"),
        (admin, "/admin/rounds/", "/admin/rounds/"),
        (admin, "/admin/rounds/<open>", f"/admin/rounds/{r}"),
        (admin, "/admin/progress/?round=", f"/admin/progress/?round={r}"),
        (admin, "/admin/progress/ province", f"/admin/progress/?round={r}&unit={ids['province']}"),
        (admin, "/admin/progress/ every unit", f"/admin/progress/?round={r}&view=all"),
        (admin, "/admin/responses/", "/admin/responses/"),
        (admin, "/admin/people/", "/admin/people/"),
        (admin, "/admin/audit/", "/admin/audit/"),
        (admin, "GET /api/v1/rounds", "/api/v1/rounds"),
        (admin, "GET /api/v1/rounds/<r>/units", f"/api/v1/rounds/{r}/units?per_page=100"),
    ]


def pages_section(url: str, ids: dict, runs: int, timeout: float) -> None:
    for round_label in ("previous", "current"):
        run(url, "forget", ids[round_label], timeout=timeout)
    # what production has between views: the job that keeps broad summaries fresh
    figures = run(url, "job", "warm-open-round-summaries", timeout=timeout * 4)
    print("\nThe summaries' warming job: "
          + (f"{figures['seconds']:.1f} s, {figures['outcome']}" if "seconds" in figures
             else figures.get("error", "")))
    print(f"\nPages through the test client, logged in (stored summaries dropped, then the "
          f"warming job; 'first' may build those of the page); median of {runs} warm views")
    print(f"{'page':<32} {'first':>10} {'warm':>10} {'HTML':>9} {'status':>6}")
    for username, label, path in pages(ids):
        figures = run(url, "page", username, path, runs, timeout=timeout)
        if "error" in figures:
            print(f"{label:<32} {figures['error']}")
            continue
        print(f"{label:<32} {_ms(figures['cold']):>10} {_ms(figures['warm']):>10} "
              f"{figures['size'] / 1024:>7.0f}kB {figures['status']:>6}")
    print("target: every page < 1 s")


def exports_section(url: str, ids: dict, timeout: float) -> None:
    print("\nExports of the open round, each in a fresh process: peak RSS of that process "
          "(VmHWM; 'start' = after imports and app)")
    print(f"{'export':<18} {'rows':>9} {'first chunk':>12} {'total':>9} {'rows/s':>8} "
          f"{'size':>9} {'peak RSS':>9} {'start':>7}")
    responses = ids["responses"].get(ids["current"], 0)
    for extension in ("csv", "xlsx"):
        for label, unit in (("province", ids["province"]), ("country", None)):
            figures = run(url, "export", ids["current"], extension, unit, timeout=timeout)
            name = f"{extension.upper()} {label}"
            if "error" in figures:
                print(f"{name:<18} {figures['error']}")
                continue
            rows = figures.get("rows", responses)
            print(f"{name:<18} {rows:>9,} {figures['first']:>10.2f} s {figures['seconds']:>7.1f} s "
                  f"{rows / figures['seconds']:>8,.0f} {figures['size'] / 2**20:>7.1f}MB "
                  f"{figures['peak_rss']:>7.0f}MB {figures['start_rss']:>5.0f}MB")
    print("target: < 300 MB RSS whatever the size")


def _run_figures(url: str, round_id: int) -> dict | None:
    """The latest pre-generation run of the round as the app recorded it, if it has runs."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            row = connection.exec_driver_sql(
                "SELECT planned, made, skipped, failed, workers, last_error FROM "
                "pregeneration_runs WHERE round_id = %(round)s ORDER BY id DESC LIMIT 1",
                {"round": round_id}).mappings().first()
            return dict(row) if row else None
    except Exception:      # no such table: the app has no recorded runs
        return None
    finally:
        engine.dispose()


def pregeneration_section(url: str, ids: dict, sample: int, timeout: float) -> None:
    print("\nPre-generating the closed round's reports (every commune and unit above, vi + en)")
    run(url, "forget", ids["previous"], timeout=timeout)
    started = time.perf_counter()
    figures = run(url, "pregeneration", ids["previous"], sample, timeout=timeout)
    elapsed = time.perf_counter() - started
    recorded = _run_figures(url, ids["previous"])
    if "projected" in figures:
        print(f"  {figures['runner']}: {figures['per_commune']:.2f} s a commune, "
              f"{figures['per_province']:.2f} s a province -> projected "
              f"{figures['projected'] / 60:.0f} min for the country on one core")
    elif recorded:
        done = recorded["made"] + recorded["skipped"]
        rate = done / elapsed if elapsed else 0.0
        state = figures.get("error") or f"finished in {figures['seconds']:.0f} s"
        print(f"  {figures.get('runner', 'server.reporting.pregeneration')}: {state}; "
              f"{done:,} of {recorded['planned']:,} reports current ({recorded['made']:,} made, "
              f"{recorded['failed']} failed) with {recorded['workers']} workers in {elapsed:.0f} s "
              f"= {rate:.2f} reports/s")
        if done < recorded["planned"] and rate:
            print(f"  -> projected {recorded['planned'] / rate / 60:.0f} min for all "
                  f"{recorded['planned']:,} (pessimistic: the largest units go first)")
        if recorded["last_error"]:
            print(f"  last error: {recorded['last_error'][:160]}")
    else:
        print(f"  {figures.get('error') or figures}")
    print("  target: every commune and province PDF within 30 minutes of the round closing")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--scale", type=float, default=1.0,
                        help="1.0 = 200 responses a commune in each of two rounds")
    parser.add_argument("--reuse", action="store_true", help="measure the database loaded before")
    parser.add_argument("--skip", nargs="*", default=[], choices=SECTIONS)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=300, help="seconds a step may take")
    parser.add_argument("--pregeneration-timeout", type=float, default=900)
    parser.add_argument("--sample", type=int, default=50, help="communes timed when projecting")
    args = parser.parse_args()
    if not args.db or not args.db.startswith("postgresql"):
        parser.error("a PostgreSQL database: --db or BENCH_DATABASE_URL")
    app = bench_app(args.db, tempfile.mkdtemp(prefix="lang-nghe-bench-instance-"))
    if not args.reuse:
        figures = load(app, args.db, args.scale)
        print(f"Loaded {figures['responses']:,} responses ({figures['per_commune']} a commune, "
              f"two rounds; scale {args.scale}) in {figures['total_seconds']:.0f} s: schema from "
              f"{figures['schema']}; units, rounds, people {figures['tree_seconds']:.1f} s; COPY "
              f"{figures['copy_seconds']:.0f} s = {figures['responses'] / figures['copy_seconds']:,.0f} "
              f"responses/s; VACUUM ANALYZE {figures['vacuum_seconds']:.0f} s; database "
              f"{figures['size']}")
    ids = world(app)
    with app.app_context():
        db.engine.dispose()
    print(f"National scale on PostgreSQL: {ids['units']:,} units ({ids['round_units']:,} round "
          f"units), responses by round {ids['responses']}; {machine_line()}")
    if "aggregates" not in args.skip:
        figures = run(args.db, "aggregates", ids["previous"], timeout=args.timeout * 4)
        if figures.get("available"):
            print(f"\nAggregates of the closed round materialised in {figures['seconds']:.1f} s "
                  f"({figures['result']})")
        else:
            print(f"\nAggregates: {figures.get('error', 'not available')}")
        # the open round's aggregates, as the scheduler's refresh job keeps them
        figures = run(args.db, "job", "refresh-aggregates", timeout=args.timeout * 4)
        print("Aggregates of the open round (the refresh job): "
              + (f"{figures['seconds']:.1f} s {figures['outcome']}" if "seconds" in figures
                 else figures.get("error", "")))
    if "reports" not in args.skip:
        report_section(args.db, ids, args.timeout)
    if "pages" not in args.skip:
        pages_section(args.db, ids, args.runs, args.timeout)
    if "exports" not in args.skip:
        exports_section(args.db, ids, args.timeout * 4)
    if "pregeneration" not in args.skip:
        pregeneration_section(args.db, ids, args.sample, args.pregeneration_timeout)
    print(f"\n{machine_line()}")


if __name__ == "__main__":
    sys.exit(main())
