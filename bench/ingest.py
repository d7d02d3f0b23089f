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
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from anywhere

from sqlalchemy import create_engine, delete, insert, text  # noqa: E402

from server import create_app  # noqa: E402
from server.auth.tokens import issue_token  # noqa: E402
from server.db_types import utcnow  # noqa: E402
from server.demo.responses import COMMENTS  # noqa: E402
from server.demo.synthetic import clean_answers, random_raw_answers  # noqa: E402
from server.extensions import db  # noqa: E402
from server.forms.services import publish_definition  # noqa: E402
from server.people.services import create_user  # noqa: E402
from server.rounds.services import create_round  # noqa: E402
from server.sync.content import content_hash  # noqa: E402
from server.sync.models import Response  # noqa: E402
from server.units.services import create_unit  # noqa: E402

BATCH_SIZE = 100
DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
BENCH_DB = "lang_nghe_bench_ingest"
DEFINITION = json.loads((ROOT / "forms" / "resident_survey.json").read_text("utf-8"))


def _app(url: str, instance: str):
    os.environ["LANG_NGHE_INSTANCE"] = instance
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SCHEDULER_ENABLED": False,
                       "SECRET_KEY": "bench-secret", "ENVIRONMENT": "bench"})


def seed(app, clients: int) -> dict:
    """A fresh schema with one commune, its groups, a volunteer with a token per client, the
    default form published and a round open now."""
    with app.app_context():
        db.drop_all()
        db.create_all()
        commune = create_unit("Phường Hoa Lư", "ward")
        groups = [create_unit(f"Tổ dân phố {n}", "residential_group", parent=commune) for n in range(1, 6)]
        volunteer = create_user("tnv.bench", "bench-password", "volunteer", units=groups)
        version = publish_definition(DEFINITION)
        now = utcnow()
        round_ = create_round("Đợt đo tốc độ", version, groups, now - timedelta(days=1), now + timedelta(days=30))
        tokens = [issue_token(volunteer, 30, f"bench {n}").token for n in range(clients)]
        db.session.commit()
        return {"round_id": round_.id, "form_version_id": version.id, "unit_ids": [g.id for g in groups],
                "volunteer_id": volunteer.id, "tokens": tokens}


def answer_pool(count: int = 400) -> list[dict]:
    rng = random.Random(4)
    return [clean_answers(DEFINITION, random_raw_answers(DEFINITION, rng, rng.uniform(0.5, 0.9), COMMENTS)).answers
            for _ in range(count)]


def make_items(world: dict, pool: list[dict], count: int, rng: random.Random) -> list[dict]:
    now = utcnow()
    items = []
    for n in range(count):
        completed = now - timedelta(minutes=rng.randint(5, 600))
        items.append({"uuid": str(uuid.uuid4()), "round_id": world["round_id"],
                      "form_version_id": world["form_version_id"],
                      "unit_id": world["unit_ids"][n % len(world["unit_ids"])],
                      "started_at": (completed - timedelta(minutes=9)).isoformat(),
                      "completed_at": completed.isoformat(), "answers": pool[n % len(pool)],
                      "client": {"app_version": "1.0.0", "device": "bench"}})
    return items


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(url: str, instance: str, workers: int) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench-secret", "LANG_NGHE_INSTANCE": instance,
           "SCHEDULER_ENABLED": "0", "LANG_NGHE_ENV": "bench"}
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning", "server:create_app()"], cwd=ROOT, env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/api/v1/health")
            if connection.getresponse().status == 200:
                return process, port
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("gunicorn did not start")


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


def raw_rows(world: dict, items: list[dict]) -> list[dict]:
    """The rows the API stores for these items (cleaned answers, hash, times), with new UUIDs."""
    now = utcnow()
    rows = []
    for item in items:
        started, completed = (datetime.fromisoformat(item[key]) for key in ("started_at", "completed_at"))
        rows.append({"uuid": str(uuid.uuid4()), "round_id": item["round_id"],
                     "form_version_id": item["form_version_id"], "unit_id": item["unit_id"],
                     "volunteer_id": world["volunteer_id"], "started_at": started, "completed_at": completed,
                     "received_at": now, "answers": item["answers"], "skipped": [],
                     "content_hash": content_hash(item["round_id"], item["form_version_id"], item["unit_id"],
                                                  started, completed, item["answers"]),
                     "status": "accepted", "reasons": [], "is_late": False, "client": item["client"]})
    return rows


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
    app = _app(url, instance)
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
    process, port = start_gunicorn(url, instance, args.workers)
    try:
        run_clients(port, world["tokens"], [encode(items) for items in warmup], args.gzip)
        elapsed = run_clients(port, world["tokens"], bodies, args.gzip)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(30)
    api_rate = args.batches * BATCH_SIZE / elapsed
    raw_rate = raw_insert_rate(app, raw_rows(world, [item for items in timed for item in items]))
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    size = sum(len(b) for b in bodies) / len(bodies)
    return {"label": label, "api": api_rate, "raw": raw_rate, "elapsed": elapsed, "body": size}


def _pg_bench_url(base: str) -> str:
    return base.rsplit("/", 1)[0] + "/" + BENCH_DB


def _admin_engine(base: str):
    return create_engine(base, isolation_level="AUTOCOMMIT")


def create_pg_database(base: str) -> str:
    engine = _admin_engine(base)
    with engine.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)"))
        connection.execute(text(f"CREATE DATABASE {BENCH_DB}"))
    engine.dispose()
    return _pg_bench_url(base)


def drop_pg_database(base: str) -> None:
    engine = _admin_engine(base)
    with engine.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)"))
    engine.dispose()


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
        url = create_pg_database(args.pg_url)
        try:
            results.append(bench_database("PostgreSQL", url, args, pool))
        finally:
            drop_pg_database(args.pg_url)
    print(f"\nSync ingest: {args.batches} batches of {BATCH_SIZE} default-form responses, gunicorn "
          f"{args.workers} sync workers, {args.clients} clients, {'gzip' if args.gzip else 'plain'} JSON "
          f"bodies, {os.cpu_count()} CPUs")
    print(f"{'database':<12} {'API responses/s':>16} {'raw executemany/s':>18} {'API / raw':>10} {'body':>9}")
    for r in results:
        print(f"{r['label']:<12} {r['api']:>16,.0f} {r['raw']:>18,.0f} {r['api'] / r['raw']:>10.0%} "
              f"{r['body'] / 1024:>7.0f} kB")


if __name__ == "__main__":
    main()
