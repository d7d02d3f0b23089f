"""Sync ingest throughput through the real HTTP stack, next to the raw insert limit.

    .venv/bin/python bench/ingest.py [--batches 100] [--clients 4] [--workers 2] [--gzip]
                                     [--sqlite-only] [--pg-url URL]

For each database (a temporary SQLite file; a PostgreSQL database `lang_nghe_bench_ingest`,
created and dropped here so the test database is untouched): the schema is created, a
commune with a volunteer, the default form and an open round are seeded, then gunicorn
serves create_app() with --workers sync workers and --clients threads post batches of 100
default-form responses (each a fresh UUID) to POST /api/v1/submissions with a volunteer's
bearer token. Every result must be `created`. The raw limit is the same number of the same
rows inserted into the same table with one executemany (SQLAlchemy Core, one transaction).
Prints responses per second for both.
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


def raw_insert_rate(app, rows: list[dict]) -> float:
    with app.app_context():
        with db.engine.begin() as connection:
            started = time.perf_counter()
            connection.execute(insert(Response.__table__), rows)
        elapsed = time.perf_counter() - started
        with db.engine.begin() as connection:
            connection.execute(delete(Response.__table__).where(
                Response.__table__.c.uuid.in_([row["uuid"] for row in rows])))
    return len(rows) / elapsed


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
    process, port = start_gunicorn(url, instance, args.workers, worker_class="sync")
    try:
        run_clients(port, world["tokens"], [encode(items) for items in warmup], args.gzip)
        elapsed = run_clients(port, world["tokens"], bodies, args.gzip)
    finally:
        stop_gunicorn(process)
    api_rate = args.batches * BATCH_SIZE / elapsed
    raw_rate = raw_insert_rate(app, response_rows(world, [item for items in timed for item in items]))
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    size = sum(len(b) for b in bodies) / len(bodies)
    return {"label": label, "api": api_rate, "raw": raw_rate, "elapsed": elapsed, "body": size}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--batches", type=int, default=100, help="timed batches of 100 (default 100)")
    parser.add_argument("--clients", type=int, default=4, help="concurrent uploading threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--gzip", action="store_true", help="send gzip-compressed bodies")
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", DEFAULT_PG_URL),
                        help="a PostgreSQL URL to create the bench database from")
    args = parser.parse_args()
    pool = answer_pool()
    results = []
    with tempfile.TemporaryDirectory(prefix="lang-nghe-bench-") as folder:
        results.append(bench_database("SQLite", f"sqlite:///{folder}/bench.db", args, pool))
    if not args.sqlite_only:
        url = create_pg_database(args.pg_url, BENCH_DB)
        try:
            results.append(bench_database("PostgreSQL", url, args, pool))
        finally:
            drop_pg_database(args.pg_url, BENCH_DB)
    print(f"\nSync ingest: {args.batches} batches of {BATCH_SIZE} default-form responses, gunicorn "
          f"{args.workers} sync workers, {args.clients} clients, {'gzip' if args.gzip else 'plain'} JSON "
          f"bodies, {os.cpu_count()} CPUs")
    print(f"{'database':<12} {'API responses/s':>16} {'raw executemany/s':>18} {'API / raw':>10} {'body':>9}")
    for r in results:
        print(f"{r['label']:<12} {r['api']:>16,.0f} {r['raw']:>18,.0f} {r['api'] / r['raw']:>10.0%} "
              f"{r['body'] / 1024:>7.0f} kB")


if __name__ == "__main__":
    main()
