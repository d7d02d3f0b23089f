"""Pre-generating a closed round's reports (server/reporting/pregeneration.py): reports/s
with one worker and with one worker per core, and the projection for a national round.

    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/lnh_bench \
        .venv/bin/python bench/pregenerate.py [--communes 200] [--provinces 2] \
        [--per-commune 200] [--groups 10] [--reuse]
    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/lnh_<you>_nat \
        .venv/bin/python bench/pregenerate.py --national-db [--round 1] [--workers 2]

The database (PostgreSQL; emptied and filled here: give it a database of its own) is loaded
by bench/reports_page.py's loader: --provinces provinces, --communes communes shared among
them, --groups residential groups a commune, --per-commune responses a commune in each of
two rounds; the earlier round is closed and its reports are pre-generated (every commune
and province, in Vietnamese and English; residential groups are made on demand).

Each measured run starts with no stored report or summary for the round, so it makes every
report; the figures include the round's aggregates (when server.analytics.aggregates
materialises them) and the worker processes' start. Projection: 3,321 communes and 34
provinces (two languages each) at the measured rate, which holds only as far as a province
of the sample costs what a national province does (theirs are ~100 communes each).

--national-db: the database is a copy of the national one (lnh_national, migrated; never
the template itself), left as it is bar the round's stored reports and summaries, which
are forgotten first. One run of the closed round with --workers processes (default one
per core), every Vietnamese report before the English ones: the minutes until the
Vietnamese set is current and until all are, reports/s, and CPU seconds a report.
"""

import argparse
import os
import resource
import sys
import tempfile
import time

# harness first: it puts the repository on sys.path for the server imports below
from harness import bench_app
from reports_page import populate, reuse
from sqlalchemy import delete

from server.extensions import db
from server.reporting.models import CachedReport, CachedSummary
from server.reporting.pregeneration import run_pregeneration
from server.reporting.services import PREGENERATED_LANGUAGES

NATIONAL_UNITS = 3321 + 34
TARGET_MINUTES = 30


def _forget_reports(app, round_id: int) -> None:
    with app.app_context():
        db.session.execute(delete(CachedReport).where(CachedReport.round_id == round_id))
        db.session.execute(delete(CachedSummary).where(CachedSummary.round_id == round_id))
        db.session.commit()


def _cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the worker processes)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), \
        resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _run(app, round_id: int, workers: int):
    _forget_reports(app, round_id)
    with app.app_context():
        cpu, started = _cpu_seconds(), time.perf_counter()
        figures = run_pregeneration(round_id, workers=workers)
        elapsed, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
        db.session.remove()
    assert figures.complete and figures.failed == 0, figures
    return figures, elapsed, cpu


def _load() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def national_run(url: str, round_id: int, workers: int | None) -> None:
    """One full pre-generation of a round of a copy of the national database."""
    app = bench_app(url, tempfile.mkdtemp(prefix="lang-nghe-bench-instance-"))
    workers = workers or os.cpu_count() or 1
    print(f"national database, round {round_id}, {workers} workers on {os.cpu_count()} CPUs; "
          f"load average before: {_load()}")
    figures, elapsed, cpu = _run(app, round_id, workers)
    for lang, seconds in figures.languages_done:
        print(f"  every {lang} report current after {seconds / 60:.1f} min")
    print(f"  {figures.made:,} reports in {elapsed / 60:.1f} min = {figures.made / elapsed:.2f} "
          f"reports/s; {cpu / figures.made:.3f} CPU s a report in the app's processes "
          f"(target: the Vietnamese set < {TARGET_MINUTES} min)")
    print(f"load average after: {_load()}")
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--communes", type=int, default=200)
    parser.add_argument("--provinces", type=int, default=2)
    parser.add_argument("--groups", type=int, default=10)
    parser.add_argument("--per-commune", type=int, default=200)
    parser.add_argument("--reuse", action="store_true",
                        help="use the database BENCH_DATABASE_URL this script filled before")
    parser.add_argument("--national-db", action="store_true",
                        help="BENCH_DATABASE_URL is a copy of the national database")
    parser.add_argument("--round", type=int, default=1, help="with --national-db")
    parser.add_argument("--workers", type=int, default=None, help="with --national-db")
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL")
    if not url or not url.startswith("postgresql"):
        sys.exit("give a PostgreSQL database of its own in BENCH_DATABASE_URL")
    if args.national_db:
        if url.rstrip("/").endswith("/lnh_national"):
            sys.exit("lnh_national is the template: give a copy of it")
        national_run(url, args.round, args.workers)
        return
    app = bench_app(url, tempfile.mkdtemp(prefix="lang-nghe-bench-instance-"))
    scale = {"provinces": args.provinces, "communes": args.communes, "groups": args.groups,
             "per_commune": args.per_commune, "country": False}
    ids = reuse(app) if args.reuse else populate(app, scale)
    round_id = ids["previous"]
    cores = os.cpu_count() or 1
    print(f"PostgreSQL, {cores} CPUs: {args.provinces} provinces, {args.communes:,} communes, "
          f"{args.groups} groups a commune, {args.per_commune} responses a commune "
          f"({ids['responses']:,} in two rounds, loaded in {ids['load_seconds']:.0f} s)")
    print(f"load average before: {' '.join(f'{v:.1f}' for v in os.getloadavg())}")
    rows = []
    for workers in dict.fromkeys((1, cores)):
        figures, elapsed, cpu = _run(app, round_id, workers)
        rate = figures.made / elapsed
        rows.append((workers, rate, cpu / figures.made))
        print(f"  {workers} worker(s): {figures.made:,} reports in {elapsed:.1f} s = "
              f"{rate:.2f} reports/s; {cpu / figures.made:.2f} CPU s a report in the app's "
              f"processes ({len(figures.pids)} processes made reports)")
    national = NATIONAL_UNITS * len(PREGENERATED_LANGUAGES)
    what = (f"{national:,} reports (3,321 communes + 34 provinces, "
            f"{'/'.join(PREGENERATED_LANGUAGES)})")
    for workers, rate, cpu_each in rows:
        print(f"projection, {workers} worker(s): {what} in {national / rate / 60:.1f} min at "
              f"the measured rate; {national * cpu_each / workers / 60:.1f} min if the "
              f"{workers} core(s) were this run's alone (target < {TARGET_MINUTES} min)")
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


if __name__ == "__main__":
    main()
