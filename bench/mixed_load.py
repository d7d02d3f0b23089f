"""Uploads from many volunteers while exports and PDFs are made: no 5xx but the documented
503, no upload lost, and what the exports cost the uploads in latency.

    .venv/bin/python bench/mixed_load.py [--seconds 60] [--volunteers 20] [--batch 20]
                                         [--existing 20000] [--workers N] [--pause 1.0]
                                         [--pg-url [URL]] [--log PATH]

A temporary SQLite file (WAL) by default, or with --pg-url a PostgreSQL database
`lang_nghe_bench_mixed` created and dropped here. The schema is seeded with a commune, its
groups, one volunteer (and token) per uploader, an admin, the default form and an open round,
and --existing stored responses are bulk-inserted so that an export takes seconds. gunicorn
serves the app from the repository root, so its gunicorn.conf.py applies as in production
(--workers overrides it; 4 sync workers when there is no such file).

After a warm-up batch per volunteer (not timed), phase 1, "uploads alone": --volunteers
threads, each with its own token, post batches of --batch default-form responses (fresh
UUIDs) to POST /api/v1/submissions, pausing about --pause s between batches. A batch is sent again, same UUIDs, until every UUID in it is
acknowledged: after Retry-After on a 503, as the phone would, or after a backoff on anything
else. Phase 2, "with exports": the same uploads while, as the admin, one thread downloads
export.xlsx, one export.csv and one the unit report PDFs, each to the end, over and over.
Each phase lasts --seconds; batches under way at the end are finished.

Prints requests by status, 5xx other than the documented 503 (must be 0), the 503s, lost
uploads (every UUID sent must be stored exactly once, with the content sent: checked in the
database), and upload latency p50/p95/max in each phase.
"""

import argparse
import io
import os
import random
import re
import tempfile
import threading
import time
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

# harness first: it puts the repository on sys.path for the server imports below
from harness import (
    DEFAULT_PG_URL,
    ROOT,
    Attempt,
    Record,
    answer_pool,
    bench_app,
    bulk_insert_responses,
    call,
    check_stored,
    cpu_busy_share,
    cpu_times,
    create_pg_database,
    drop_pg_database,
    gunicorn_line,
    latency_line,
    machine_line,
    make_items,
    percentile,
    seed,
    start_gunicorn,
    stop_gunicorn,
    upload_until_acknowledged,
    worker_pids,
)

from server.extensions import db

PG_DATABASE = "lang_nghe_bench_mixed"
WARM_UP = "warm-up"
PHASES = ("uploads alone", "with exports")
DRAIN_SECONDS = 300  # how long a batch under way at the end of a phase may still be retried


def uploader(port: int, token: str, world: dict, pool: list, record: Record, phase: str,
             deadline: float, batch: int, pause: float, rng: random.Random) -> None:
    while time.monotonic() < deadline:
        items = make_items(world, pool, batch, rng)
        upload_until_acknowledged(port, token, items, record, phase, deadline + DRAIN_SECONDS)
        time.sleep(pause * rng.uniform(0.5, 1.5))


def _body_problem(kind: str, body: bytes, existing: int) -> str:
    """Why a downloaded body is not a whole export or PDF, or ''."""
    if kind == "xlsx":
        try:
            with zipfile.ZipFile(io.BytesIO(body)) as workbook:
                bad = workbook.testzip()
            return f"corrupt member {bad}" if bad else ""
        except zipfile.BadZipFile as error:
            return f"not a zip: {error}"
    if kind == "csv":
        rows = body.count(b"\n") - 1
        return "" if rows >= existing else f"only {rows} rows"
    return "" if body.startswith(b"%PDF") and b"%%EOF" in body[-1024:] else "not a whole PDF"


def reader(port: int, token: str, kind: str, paths: list[str], record: Record, deadline: float,
           existing: int, sizes: dict) -> None:
    """Download `paths` in turn, each to the end, until the deadline."""
    turn = 0
    while time.monotonic() < deadline:
        path = paths[turn % len(paths)]
        turn += 1
        try:
            reply = call(port, "GET", path, token)
        except Exception as error:  # noqa: BLE001 (a broken download is a figure, not a crash)
            record.attempt(Attempt(kind, PHASES[1], type(error).__name__, 0.0, note=str(error)[:120]))
            time.sleep(1)
            continue
        note = _body_problem(kind, reply.body, existing) if reply.status == 200 else ""
        outcome = "200 but incomplete" if note else str(reply.status)
        record.attempt(Attempt(kind, PHASES[1], outcome, reply.seconds, reply.headers.get("retry-after"), note))
        if reply.status == 200:
            sizes[kind] = len(reply.body)
        elif reply.status == 503 and reply.headers.get("retry-after", "").isdigit():
            time.sleep(float(reply.headers["retry-after"]))
        else:
            time.sleep(1)


def warm_up(port: int, world: dict, pool: list, record: Record, batch: int) -> None:
    """One batch per volunteer first, so the workers' first requests are not timed."""
    threads = [threading.Thread(target=upload_until_acknowledged, args=(
        port, token, make_items(world, pool, batch, random.Random(-n)), record, WARM_UP,
        time.monotonic() + DRAIN_SECONDS)) for n, token in enumerate(world["tokens"])]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def run_phase(phase: str, port: int, world: dict, pool: list, record: Record, args,
              sizes: dict, wal: str | None) -> tuple[float, float, int]:
    deadline = time.monotonic() + args.seconds
    threads = [threading.Thread(target=uploader, args=(
        port, token, world, pool, record, phase, deadline, args.batch, args.pause, random.Random(n)))
        for n, token in enumerate(world["tokens"])]
    if phase == PHASES[1]:
        base = f"/api/v1/rounds/{world['round_id']}"
        units = [world["commune_id"], *world["unit_ids"]]
        jobs = {"xlsx": [f"{base}/export.xlsx"], "csv": [f"{base}/export.csv"],
                "pdf": [f"{base}/units/{unit}/report.pdf" for unit in units]}
        threads += [threading.Thread(target=reader, args=(
            port, world["admin_token"], kind, paths, record, deadline, args.existing, sizes))
            for kind, paths in jobs.items()]
    started, cpu_before, largest_wal = time.monotonic(), cpu_times(), 0
    for thread in threads:
        thread.start()
    while any(thread.is_alive() for thread in threads):
        # A long read keeps SQLite from checkpointing: the WAL grows while an export runs.
        largest_wal = max(largest_wal, _size(wal))
        threads[0].join(0.5)
    for thread in threads:
        thread.join()
    return time.monotonic() - started, cpu_busy_share(cpu_before, cpu_times()), largest_wal


def _size(path: str | None) -> int:
    try:
        return os.path.getsize(path) if path else 0
    except OSError:
        return 0


def is_documented(attempt: Attempt) -> bool:
    return attempt.outcome == "503" and (attempt.retry_after or "").isdigit()


def is_server_error(attempt: Attempt) -> bool:
    """A 5xx other than the documented 503 + Retry-After, a broken connection, or a 200
    whose body is cut short."""
    if attempt.outcome.isdigit():
        return int(attempt.outcome) >= 500 and not is_documented(attempt)
    return True


def log_excerpt(log_path: str, limit: int = 3) -> list[str]:
    """The first tracebacks and the count of each kind of warning in the server log."""
    text = Path(log_path).read_text(encoding="utf-8", errors="replace")
    lines = []
    kinds = Counter(re.sub(r"\d+", "N", line)[:110] for line in text.splitlines()
                    if re.search(r"WARNING|ERROR|CRITICAL", line))
    for kind, count in kinds.most_common(8):
        lines.append(f"  {count:>5} x {kind}")
    for match in list(re.finditer(r"Traceback \(most recent call last\):\n(?:[ \t].*\n)*.*", text))[:limit]:
        lines.append("  " + match.group(0).rstrip().replace("\n", "\n  "))
    return lines


def report(args, world: dict, record: Record, check, durations: dict, sizes: dict, workers: int,
           database: str, log_path: str) -> None:
    print(f"\nMixed load on {database}: {gunicorn_line(workers)}, {machine_line()}; "
          f"{len(world['tokens'])} volunteers posting batches of {args.batch} (pause ~{args.pause:g} s); "
          f"{args.existing:,} responses stored beforehand")
    print("Phase 2 adds one thread downloading export.xlsx, one export.csv and one the unit PDFs, "
          "each read to the end, over and over.")
    for phase in PHASES:
        seconds, busy, largest_wal = durations[phase]
        wal = f", largest SQLite WAL {largest_wal / 2**20:,.0f} MB" if largest_wal else ""
        print(f"  {phase}: {seconds:.0f} s (including finishing the batches under way), "
              f"machine CPU busy {busy:.0%}{wal}")

    print("\nRequests by status")
    by_kind: dict = defaultdict(Counter)
    for attempt in record.attempts:
        by_kind[(attempt.phase, attempt.kind)][attempt.outcome] += 1
    order = (WARM_UP, *PHASES)
    for (phase, kind), outcomes in sorted(by_kind.items(), key=lambda item: (order.index(item[0][0]), item[0][1])):
        listed = ", ".join(f"{outcome}: {count}" for outcome, count in sorted(outcomes.items()))
        print(f"  {phase:<14} {kind:<7} {listed}")

    errors = [a for a in record.attempts if is_server_error(a)]
    documented = [a for a in record.attempts if is_documented(a)]
    print(f"\n5xx other than the documented 503 (or broken/incomplete): {len(errors)}")
    for outcome, count in Counter((a.kind, a.outcome, a.note) for a in errors).most_common(10):
        print(f"    {count} x {outcome}")
    print(f"503 with Retry-After (documented): {len(documented)}"
          + (f"  (by kind: {dict(Counter(a.kind for a in documented))}, Retry-After "
             f"{sorted({a.retry_after for a in documented})} s)" if documented else ""))

    print(f"\nUploads: {check.sent:,} UUIDs sent, {check.stored:,} stored, lost {check.missing}, "
          f"stored twice {check.duplicates}, stored with other content {check.incomplete}, "
          f"conflicts recorded {check.conflicts}; never acknowledged {record.unacknowledged}; "
          f"results {dict(record.results)}")

    print("\nUpload latency (each POST answered 200)")
    for phase in PHASES:
        values = [a.seconds for a in record.attempts
                  if a.kind == "upload" and a.phase == phase and a.outcome == "200"]
        print(f"  {phase:<14} {latency_line(values)}")
    print("Upload time to acknowledgement (first try to acknowledged, waits included)")
    for phase in PHASES:
        print(f"  {phase:<14} {latency_line([s for p, s in record.acks if p == phase])}")
    print("Downloads during phase 2, seconds to the last byte")
    for kind in ("xlsx", "csv", "pdf"):
        by_outcome = defaultdict(list)
        for a in record.attempts:
            if a.kind == kind:
                by_outcome[a.outcome].append(a.seconds)
        size = f"   last {sizes[kind] / 1024:,.0f} kB" if kind in sizes else ""
        listed = "; ".join(f"{outcome}: {len(values)} x, p50 {percentile(values, 0.5):.2f} s, max "
                           f"{max(values):.2f} s" for outcome, values in sorted(by_outcome.items()))
        print(f"  {kind:<5} {listed or 'none'}{size}")
    if errors or check.missing or check.duplicates or check.incomplete:
        print(f"\nServer log {log_path}:")
        print("\n".join(log_excerpt(log_path)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60, help="length of each phase (default 60)")
    parser.add_argument("--volunteers", type=int, default=20, help="uploading threads, one volunteer each")
    parser.add_argument("--batch", type=int, default=20, help="responses per batch (default 20)")
    parser.add_argument("--pause", type=float, default=1.0, help="seconds between a volunteer's batches")
    parser.add_argument("--existing", type=int, default=20000, help="responses stored beforehand")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: gunicorn.conf.py, else 4)")
    parser.add_argument("--pg-url", nargs="?", const=DEFAULT_PG_URL,
                        help=f"run on PostgreSQL (database created next to URL, default {DEFAULT_PG_URL})")
    parser.add_argument("--log", help="keep the server log here (default: a temporary file)")
    args = parser.parse_args()
    workers = args.workers or (None if (ROOT / "gunicorn.conf.py").exists() else 4)

    pool = answer_pool()
    with tempfile.TemporaryDirectory(prefix="lang-nghe-mixed-") as folder:
        if args.pg_url:
            url, database = create_pg_database(args.pg_url, PG_DATABASE), "PostgreSQL"
            wal = None
        else:
            url, database = f"sqlite:///{folder}/bench.db", "SQLite (WAL, temporary file)"
            wal = f"{folder}/bench.db-wal"
        log_path = args.log or f"{folder}/server.log"
        try:
            app = bench_app(url, folder)
            world = seed(app, args.volunteers, one_volunteer_each=True)
            bulk_insert_responses(app, world, pool, args.existing, random.Random(11))
            with app.app_context():
                db.engine.dispose()
            process, port = start_gunicorn(url, folder, workers, log_path)
            record, durations, sizes = Record(), {}, {}
            try:
                serving = len(worker_pids(process.pid))
                warm_up(port, world, pool, record, args.batch)
                for phase in PHASES:
                    durations[phase] = run_phase(phase, port, world, pool, record, args, sizes, wal)
            finally:
                stop_gunicorn(process)
            check = check_stored(app, record.expected)
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
            report(args, world, record, check, durations, sizes, serving, database, log_path)
            if args.log is None and os.path.getsize(log_path):
                print(f"\n(server log: {os.path.getsize(log_path):,} bytes, removed with the temporary "
                      "folder; keep it with --log PATH)")
        finally:
            if args.pg_url:
                drop_pg_database(args.pg_url, PG_DATABASE)


if __name__ == "__main__":
    main()
