"""Sync ingest throughput through the real HTTP stack, next to the raw insert limit.

    .venv/bin/python bench/ingest.py [--batches 100] [--clients 4] [--workers 2] [--gzip]
                                     [--rounds 4] [--sqlite-only] [--pg-url URL] [--pg-db NAME]

For each database (a temporary SQLite file; a PostgreSQL database `lang_nghe_bench_ingest`
or --pg-db, created and dropped here next to --pg-url so the test database is untouched):
the schema is created, a commune with a volunteer, the default form and an open round are
seeded, then gunicorn serves create_app() with --workers sync workers and --clients threads
post batches of 100 default-form responses (each a fresh UUID) to POST /api/v1/submissions
with a volunteer's bearer token. Every result must be `created`.

The raw limit is the same rows (cleaned answers, hash, times) inserted into the same table
with executemany (SQLAlchemy Core) in batches of 100, one transaction each, as the API
commits once per request (all rows in one transaction is printed too, for reference).
The API's batches and the raw batches alternate in --rounds rounds (the raw rows deleted
after each), so both are measured under the same load: on a shared machine, a raw rate
taken once after the API's run moved by a factor of two from one run to the next.
Prints responses per second and API / raw; and, since wall-clock rates move with whatever
else the machine runs, the CPU seconds per batch of the gunicorn workers and of the raw
inserts (this side of the database only).
"""

import argparse
import gzip
import http.client
import json
import os
import random
import tempfile
import threading
import time
from pathlib import Path

# harness first: it puts the repository on sys.path for the server imports below
from harness import (
    DEFAULT_PG_URL,
    answer_pool,
    bench_app,
    create_pg_database,
    drop_pg_database,
    make_items,
    response_rows,
    seed,
    start_gunicorn,
    stop_gunicorn,
    worker_pids,
)
from sqlalchemy import delete, insert

from server.extensions import db
from server.sync.models import Response

BATCH_SIZE = 100
BENCH_DB = "lang_nghe_bench_ingest"


def post_batch(port: int, token: str, body: bytes, compressed: bool) -> list[dict]:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    if compressed:
        headers["Content-Encoding"] = "gzip"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("POST", "/api/v1/submissions", body=body, headers=headers)
    response = connection.getresponse()
    payload = response.read()
    connection.close()
    if response.status != 200:
        raise RuntimeError(f"HTTP {response.status}: {payload[:300]!r}")
    return json.loads(payload)["results"]


def run_clients(port: int, tokens: list[str], bodies: list[bytes], compressed: bool) -> float:
    """Post every body, spread over one thread per token; returns the seconds taken."""
    failures = []
    queue = list(enumerate(bodies))
    lock = threading.Lock()

    def client(token: str) -> None:
        while True:
            with lock:
                if not queue:
                    return
                _, body = queue.pop()
            try:
                results = post_batch(port, token, body, compressed)
                bad = [r for r in results if r["status"] != "created"]
                if bad or len(results) != BATCH_SIZE:
                    failures.append(bad[:1] or f"{len(results)} results")
            except Exception as error:  # noqa: BLE001 (reported below, the figure would be wrong)
                failures.append(repr(error))

    threads = [threading.Thread(target=client, args=(token,)) for token in tokens]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if failures:
        raise RuntimeError(f"{len(failures)} batches failed, e.g. {failures[0]}")
    return elapsed


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU the processes have used (/proc; 0 for one that is gone)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / os.sysconf("SC_CLK_TCK")


def raw_inserts(app, rows: list[dict], per_batch: bool = True) -> tuple[float, float]:
    """Seconds and CPU seconds (this process) to insert rows straight into the table with
    executemany (SQLAlchemy Core): one transaction per BATCH_SIZE, like the API, or all in
    one. The rows are deleted afterwards, so every run sees the same table."""
    table = Response.__table__
    groups = ([rows[start:start + BATCH_SIZE] for start in range(0, len(rows), BATCH_SIZE)]
              if per_batch else [rows])
    with app.app_context():
        started, cpu = time.perf_counter(), time.process_time()
        for group in groups:
            with db.engine.begin() as connection:
                connection.execute(insert(table), group)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        with db.engine.begin() as connection:
            connection.execute(delete(table).where(table.c.uuid.in_([row["uuid"] for row in rows])))
    return elapsed, cpu


def _rounds(values: list, rounds: int) -> list[list]:
    size = -(-len(values) // rounds)
    return [values[start:start + size] for start in range(0, len(values), size)]


def bench_database(label: str, url: str, args, pool: list[dict]) -> dict:
    instance = tempfile.mkdtemp(prefix="lang-nghe-bench-")
    app = bench_app(url, instance)
    world = seed(app, args.clients)
    with app.app_context():
        db.engine.dispose()
    rng = random.Random(7)
    warmup = [make_items(world, pool, BATCH_SIZE, rng) for _ in range(args.clients * 2)]
    timed = [make_items(world, pool, BATCH_SIZE, rng) for _ in range(args.batches)]

    def encode(items):
        body = json.dumps({"submissions": items}, ensure_ascii=False).encode("utf-8")
        return gzip.compress(body, 6) if args.gzip else body

    bodies = [encode(items) for items in timed]
    row_batches = [response_rows(world, items) for items in timed]  # new UUIDs, the same content
    rows = [row for batch in row_batches for row in batch]
    rounds = min(max(args.rounds, 1), args.batches)
    api = {"elapsed": 0.0, "cpu": 0.0}
    raw = {"elapsed": 0.0, "cpu": 0.0}
    process, port = start_gunicorn(url, instance, args.workers, worker_class="sync")
    try:
        run_clients(port, world["tokens"], [encode(items) for items in warmup], args.gzip)
        workers = worker_pids(process.pid)
        for api_bodies, raw_batches in zip(_rounds(bodies, rounds), _rounds(row_batches, rounds), strict=True):
            cpu = cpu_seconds(workers)
            api["elapsed"] += run_clients(port, world["tokens"], api_bodies, args.gzip)
            api["cpu"] += cpu_seconds(workers) - cpu
            elapsed, cpu = raw_inserts(app, [row for batch in raw_batches for row in batch])
            raw["elapsed"] += elapsed
            raw["cpu"] += cpu
    finally:
        stop_gunicorn(process)
    one_transaction = len(rows) / raw_inserts(app, rows, per_batch=False)[0]
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    size = sum(len(b) for b in bodies) / len(bodies)
    return {"label": label, "api": len(rows) / api["elapsed"], "raw": len(rows) / raw["elapsed"],
            "raw_one": one_transaction, "elapsed": api["elapsed"], "body": size,
            "api_cpu": api["cpu"] / args.batches * 1000, "raw_cpu": raw["cpu"] / args.batches * 1000}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--batches", type=int, default=100, help="timed batches of 100 (default 100)")
    parser.add_argument("--clients", type=int, default=4, help="concurrent uploading threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--gzip", action="store_true", help="send gzip-compressed bodies")
    parser.add_argument("--rounds", type=int, default=4,
                        help="API and raw runs alternate this many times (default 4)")
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", DEFAULT_PG_URL),
                        help="a PostgreSQL URL to create the bench database from")
    parser.add_argument("--pg-db", default=BENCH_DB,
                        help=f"the bench database's name, created and dropped here (default {BENCH_DB})")
    args = parser.parse_args()
    pool = answer_pool()
    results = []
    with tempfile.TemporaryDirectory(prefix="lang-nghe-bench-") as folder:
        results.append(bench_database("SQLite", f"sqlite:///{folder}/bench.db", args, pool))
    if not args.sqlite_only:
        url = create_pg_database(args.pg_url, args.pg_db)
        try:
            results.append(bench_database("PostgreSQL", url, args, pool))
        finally:
            drop_pg_database(args.pg_url, args.pg_db)
    print(f"\nSync ingest: {args.batches} batches of {BATCH_SIZE} default-form responses, gunicorn "
          f"{args.workers} sync workers, {args.clients} clients, {'gzip' if args.gzip else 'plain'} JSON "
          f"bodies, {os.cpu_count()} CPUs")
    print(f"raw: the same rows with executemany (Core), one transaction per {BATCH_SIZE} as the API "
          f"commits per request, alternating with the API in {args.rounds} rounds; 'one tx': all in "
          "one transaction, for reference")
    print(f"{'database':<12} {'API responses/s':>16} {'raw per batch/s':>16} {'API / raw':>10} "
          f"{'raw one tx/s':>13} {'API / one tx':>13} {'body':>9}")
    for r in results:
        print(f"{r['label']:<12} {r['api']:>16,.0f} {r['raw']:>16,.0f} {r['api'] / r['raw']:>10.0%} "
              f"{r['raw_one']:>13,.0f} {r['api'] / r['raw_one']:>13.0%} {r['body'] / 1024:>7.0f} kB")
    # Wall-clock rates move with whatever else the machine runs; CPU per batch does not.
    print(f"\nCPU per batch of {BATCH_SIZE} (this side of the database; PostgreSQL's own work is not "
          "counted on either side)")
    print(f"{'database':<12} {'API workers ms':>15} {'raw ms':>8} {'raw / API':>10}")
    for r in results:
        print(f"{r['label']:<12} {r['api_cpu']:>15.1f} {r['raw_cpu']:>8.1f} {r['raw_cpu'] / r['api_cpu']:>10.0%}")


if __name__ == "__main__":
    main()
