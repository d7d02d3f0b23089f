"""Kill gunicorn workers with SIGKILL at random moments during uploads: every UUID sent must
still be stored exactly once, and complete.

    .venv/bin/python bench/fault_kill.py [--kills 10] [--clients 8] [--batch 100] [--workers N]
                                         [--pg-url [URL]] [--log PATH]

A temporary SQLite file (WAL) by default; with --pg-url a PostgreSQL database
`lang_nghe_bench_fault` is created next to URL (the test database when no URL is given) and
dropped at the end. gunicorn serves the app from the repository root, so its
gunicorn.conf.py applies as in production (--workers overrides the count). --clients threads
post batches of --batch default-form responses (fresh UUIDs) to POST /api/v1/submissions,
each batch sent again with the same UUIDs until every UUID in it is acknowledged (after
Retry-After on a 503, after a short backoff when the connection breaks or anything else
comes back). Meanwhile, --kills times at random moments, a random worker (a child of the
gunicorn master, read from /proc, up for 2 s at least so that it serves, busy on a CPU when
one is) gets SIGKILL; the master starts a new one. Uploads go on for a few seconds after the
last kill, then the batches under way are finished.

At the end the database is checked: every UUID sent stored exactly once, with the content
sent (the content hash recomputed from the stored row equals the hash of what was sent).
Prints sent, stored, duplicates, incomplete, missing and the kills.
"""

import argparse
import os
import random
import signal
import tempfile
import threading
import time
from collections import Counter

# harness first: it puts the repository on sys.path for the server imports below
from harness import (
    DEFAULT_PG_URL,
    Record,
    answer_pool,
    bench_app,
    check_stored,
    create_pg_database,
    drop_pg_database,
    gunicorn_line,
    is_running,
    machine_line,
    make_items,
    process_age,
    seed,
    start_gunicorn,
    stop_gunicorn,
    upload_until_acknowledged,
    worker_pids,
)

from server.extensions import db

PG_DATABASE = "lang_nghe_bench_fault"
PHASE = "under kills"
DRAIN_SECONDS = 300  # how long a batch under way at the end may still be retried
BOOTED_SECONDS = 2.0  # a worker this old has loaded the app and takes requests


def quick_backoff(failures: int) -> float:
    """A broken connection is retried soon: the killed worker is replaced within a second."""
    return min(5.0, 0.2 * 2 ** (failures - 1))


def uploader(port: int, token: str, world: dict, pool: list, record: Record, batch: int,
             stop: threading.Event, rng: random.Random) -> None:
    while not stop.is_set():
        items = make_items(world, pool, batch, rng)
        upload_until_acknowledged(port, token, items, record, PHASE,
                                  time.monotonic() + DRAIN_SECONDS, quick_backoff)


def killer(master_pid: int, kills: int, interval: tuple[float, float], record: Record,
           rng: random.Random) -> list[int]:
    """SIGKILL a random worker `kills` times, at random moments once uploads are flowing."""
    while not record.acks:
        time.sleep(0.05)
    killed = []
    while len(killed) < kills:
        time.sleep(rng.uniform(*interval))
        # Only workers that have booted: killing one still importing the app cuts no
        # upload. Among them, one busy in a request when there is one.
        workers = [pid for pid in worker_pids(master_pid) if process_age(pid) >= BOOTED_SECONDS]
        if not workers:  # all being replaced: try again in a moment
            continue
        victim = rng.choice([pid for pid in workers if is_running(pid)] or workers)
        try:
            os.kill(victim, signal.SIGKILL)
        except ProcessLookupError:
            continue
        killed.append(victim)
    return killed


def run(url: str, folder: str, args, pool: list) -> dict:
    app = bench_app(url, folder)
    world = seed(app, args.clients)
    with app.app_context():
        db.engine.dispose()
    log_path = args.log or f"{folder}/server.log"
    process, port = start_gunicorn(url, folder, args.workers, log_path)
    record, stop = Record(), threading.Event()
    started = time.monotonic()
    try:
        threads = [threading.Thread(target=uploader, args=(
            port, token, world, pool, record, args.batch, stop, random.Random(n)))
            for n, token in enumerate(world["tokens"])]
        for thread in threads:
            thread.start()
        try:
            killed = killer(process.pid, args.kills, (args.min_interval, args.max_interval), record,
                            random.Random(args.seed))
            time.sleep(args.after)
        finally:
            stop.set()
            for thread in threads:
                thread.join()
        elapsed = time.monotonic() - started
        workers_at_end = len(worker_pids(process.pid))
    finally:
        stop_gunicorn(process)
    check = check_stored(app, record.expected)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    return {"record": record, "check": check, "killed": killed, "elapsed": elapsed,
            "workers_at_end": workers_at_end, "log_path": log_path}


def report(args, database: str, result: dict) -> None:
    record, check, killed = result["record"], result["check"], result["killed"]
    outcomes = Counter(a.outcome for a in record.attempts)
    broken = sum(count for outcome, count in outcomes.items() if not outcome.isdigit())
    server_errors = sum(count for outcome, count in outcomes.items()
                        if outcome.isdigit() and int(outcome) >= 500 and outcome != "503")
    print(f"\nFault run on {database}: {gunicorn_line(result['workers_at_end'])}, {args.clients} clients "
          f"posting batches of {args.batch}, {result['elapsed']:.0f} s; {machine_line()}")
    print(f"  kills (SIGKILL to a random worker): {len(killed)}   pids {killed}   "
          f"workers serving at the end: {result['workers_at_end']}")
    print(f"  requests: {sum(outcomes.values()):,}   by outcome: {dict(sorted(outcomes.items()))}")
    print(f"  requests cut by a kill (connection broken): {broken}   5xx other than 503: {server_errors}"
          f"   503: {outcomes.get('503', 0)}")
    print(f"  results per UUID: {dict(record.results)}  (duplicate = stored by a request whose "
          "answer the kill cut, acknowledged on the resend)")
    print(f"  sent {check.sent:,}   stored {check.stored:,}   duplicates (stored twice) {check.duplicates}   "
          f"incomplete {check.incomplete}   missing {check.missing}   conflicts {check.conflicts}   "
          f"never acknowledged {record.unacknowledged}")
    verdict = (check.sent == check.stored and not (check.duplicates or check.incomplete or check.missing
                                                   or check.conflicts or record.unacknowledged))
    print(f"  every UUID sent stored exactly once and complete: {'yes' if verdict else 'NO'}")
    if server_errors or not verdict:
        print(f"  server log: {result['log_path']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=10, help="workers killed (default 10)")
    parser.add_argument("--clients", type=int, default=8, help="uploading threads (default 8)")
    parser.add_argument("--batch", type=int, default=100, help="responses per batch (default 100)")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: gunicorn.conf.py's)")
    parser.add_argument("--min-interval", type=float, default=0.5, help="least seconds between kills")
    parser.add_argument("--max-interval", type=float, default=3.0, help="most seconds between kills")
    parser.add_argument("--after", type=float, default=3.0, help="seconds of uploads after the last kill")
    parser.add_argument("--seed", type=int, default=None, help="random seed of the kill moments")
    parser.add_argument("--pg-url", nargs="?", const=DEFAULT_PG_URL,
                        help=f"run on PostgreSQL (database created next to URL, default {DEFAULT_PG_URL})")
    parser.add_argument("--log", help="keep the server log here (default: a temporary file)")
    args = parser.parse_args()
    pool = answer_pool()
    with tempfile.TemporaryDirectory(prefix="lang-nghe-fault-") as folder:
        if args.pg_url:
            url = create_pg_database(args.pg_url, PG_DATABASE)
            try:
                result = run(url, folder, args, pool)
            finally:
                drop_pg_database(args.pg_url, PG_DATABASE)
            report(args, "PostgreSQL", result)
        else:
            report(args, "SQLite (WAL, temporary file)", run(f"sqlite:///{folder}/bench.db", folder, args, pool))


if __name__ == "__main__":
    main()
