"""The progress page and the rounds API on a national database filled before
(bench/reports_page.py or bench/national.py), with the time of each SQL statement.

    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/lnh_mine \
        .venv/bin/python bench/progress_national.py [--runs 3] [--explain]

Figures (median of --runs warm views, after one warm-up, as the bench admin): the progress
page of the open round for the whole country, a province and a commune; its CSV; the
service alone with its slowest statements; GET /api/v1/rounds and its 304 when the ETag
still holds. --explain prints EXPLAIN (ANALYZE, BUFFERS) of the service's statements that
took over 50 ms. Target: every page < 1 s warm. The machine's load average is printed: the
figures are inflated when other work runs.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time

# reports_page first: it imports harness, which puts the repository on sys.path
from harness import bench_app
from reports_page import _logged_in, reuse
from sqlalchemy import event, text

from server.extensions import db
from server.people.models import User
from server.progress.services import round_progress
from server.rounds.models import Round
from server.units.models import Unit

SLOW_STATEMENT = 0.05


def _median_get(client, path: str, runs: int, headers: dict | None = None):
    client.get(path, headers=headers or {})
    times, size, status = [], 0, 0
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(path, headers=headers or {})
        size = len(response.get_data())
        times.append(time.perf_counter() - started)
        status = response.status_code
    return statistics.median(times), size, status


def _statement_times(run):
    """The statements `run` executes, with their parameters and times."""
    seen, started = [], {}

    def before(conn, cursor, statement, parameters, context, executemany):
        started[id(cursor)] = time.perf_counter()

    def after(conn, cursor, statement, parameters, context, executemany):
        seen.append((time.perf_counter() - started.pop(id(cursor)), statement, parameters))

    engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        run()
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)
    return seen


def service(app, ids: dict, scope_id: int | None, runs: int, explain: bool) -> None:
    with app.app_context():
        round_ = db.session.get(Round, ids["current"])
        admin = db.session.get(User, ids["admin"])
        scope = db.session.get(Unit, scope_id) if scope_id else None
        round_progress(round_, admin, scope)
        times, cpu, statements = [], [], []
        for _ in range(runs):
            started, started_cpu = time.perf_counter(), time.process_time()
            statements = _statement_times(lambda: round_progress(round_, admin, scope))
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        sql = sum(elapsed for elapsed, _, _ in statements)
        # the CPU time of this process (Python) is less inflated by other work than the wall
        print(f"  service {scope.kind if scope else 'country'}: "
              f"{statistics.median(times) * 1000:.0f} ms, {len(statements)} statements, "
              f"{sql * 1000:.0f} ms waiting on SQL (last run), "
              f"{statistics.median(cpu) * 1000:.0f} ms Python CPU")
        for elapsed, statement, parameters in sorted(statements, key=lambda s: -s[0])[:3]:
            line = " ".join(statement.split())[:110]
            print(f"    {elapsed * 1000:7.0f} ms  {line}")
            if explain and elapsed > SLOW_STATEMENT:
                connection = db.session.connection().connection.driver_connection
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL work_mem = '64MB'")
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
                    for (row,) in cursor.fetchall():
                        print(f"        {row}")
        db.session.rollback()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()
    url = os.environ["BENCH_DATABASE_URL"]
    app = bench_app(url, tempfile.mkdtemp(prefix="lang-nghe-bench-instance-"))
    ids = reuse(app)
    with app.app_context():
        db.session.execute(text("ANALYZE responses"))
        db.session.commit()
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    for scope in (None, ids["province"], ids["commune"]):
        service(app, ids, scope, args.runs, args.explain)
    client = _logged_in(app)
    r = ids["current"]
    pages = [("/admin/progress/ country", f"/admin/progress/?round={r}"),
             ("/admin/progress/ province", f"/admin/progress/?round={r}&unit={ids['province']}"),
             ("/admin/progress/ commune", f"/admin/progress/?round={r}&unit={ids['commune']}"),
             ("/admin/progress/ every unit of a province",
              f"/admin/progress/?round={r}&unit={ids['province']}&view=all"),
             ("/admin/progress/export.csv country", f"/admin/progress/export.csv?round={r}"),
             ("GET /api/v1/rounds", "/api/v1/rounds")]
    for label, path in pages:
        elapsed, size, status = _median_get(client, path, args.runs)
        print(f"  {label:<44} {elapsed * 1000:>7.0f} ms {size / 1024:>8.1f} kB {status}")
    etag = client.get("/api/v1/rounds").headers.get("ETag")
    if etag:
        elapsed, size, status = _median_get(client, "/api/v1/rounds", args.runs,
                                            {"If-None-Match": etag})
        print(f"  {'GET /api/v1/rounds If-None-Match':<44} {elapsed * 1000:>7.0f} ms "
              f"{size / 1024:>8.1f} kB {status}")
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    print(f"load average after: {os.getloadavg()[0]:.2f} ({os.cpu_count()} CPUs); "
          "target: every page < 1 s warm")


if __name__ == "__main__":
    sys.exit(main())
