"""What the HTTP benchmarks share: a seeded database, default-form submissions, gunicorn
serving the app, a PostgreSQL database of their own, clients that upload the way the phone
does (same UUIDs until acknowledged) and the check that every UUID sent is stored exactly
once and complete.

Imported by bench/ingest.py, bench/mixed_load.py and bench/fault_kill.py, which run as
scripts (so this folder is on sys.path).
"""

import http.client
import json
import os
import random
import runpy
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from anywhere

from sqlalchemy import create_engine, func, insert, select, text  # noqa: E402

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

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
DEFINITION = json.loads((ROOT / "forms" / "resident_survey.json").read_text("utf-8"))
ACKNOWLEDGED = frozenset({"created", "duplicate"})


# --- the database -------------------------------------------------------------------------

def bench_app(url: str, instance: str):
    os.environ["LANG_NGHE_INSTANCE"] = instance
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SCHEDULER_ENABLED": False,
                       "SECRET_KEY": "bench-secret", "ENVIRONMENT": "bench"})


def seed(app, clients: int, one_volunteer_each: bool = False) -> dict:
    """A fresh schema with one commune, its groups, volunteers with a token per client (one
    volunteer for all, or one each), an admin with a token, the default form published and
    a round open now."""
    with app.app_context():
        db.drop_all()
        db.create_all()
        commune = create_unit("Phường Hoa Lư", "ward")
        groups = [create_unit(f"Tổ dân phố {n}", "residential_group", parent=commune) for n in range(1, 6)]
        count = clients if one_volunteer_each else 1
        volunteers = [create_user(f"tnv.bench{n}", "bench-password", "volunteer", units=groups)
                      for n in range(count)]
        admin = create_user("admin.bench", "bench-password", "admin")
        version = publish_definition(DEFINITION)
        now = utcnow()
        round_ = create_round("Đợt đo tốc độ", version, groups, now - timedelta(days=1), now + timedelta(days=30))
        tokens = [issue_token(volunteers[n % count], 30, f"bench {n}").token for n in range(clients)]
        admin_token = issue_token(admin, 30, "bench admin").token
        db.session.commit()
        return {"round_id": round_.id, "form_version_id": version.id, "unit_ids": [g.id for g in groups],
                "commune_id": commune.id, "volunteer_id": volunteers[0].id,
                "volunteer_ids": [v.id for v in volunteers], "tokens": tokens, "admin_token": admin_token}


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


def expected_hash(item: dict) -> str:
    """The content hash the server must store for a submission sent as `item`."""
    started, completed = (datetime.fromisoformat(item[key]) for key in ("started_at", "completed_at"))
    return content_hash(item["round_id"], item["form_version_id"], item["unit_id"], started, completed,
                        item["answers"])


def response_rows(world: dict, items: list[dict]) -> list[dict]:
    """The rows the API stores for these items (cleaned answers, hash, times), with new UUIDs."""
    now = utcnow()
    rows = []
    for n, item in enumerate(items):
        started, completed = (datetime.fromisoformat(item[key]) for key in ("started_at", "completed_at"))
        volunteers = world.get("volunteer_ids") or [world["volunteer_id"]]
        rows.append({"uuid": str(uuid.uuid4()), "round_id": item["round_id"],
                     "form_version_id": item["form_version_id"], "unit_id": item["unit_id"],
                     "volunteer_id": volunteers[n % len(volunteers)], "started_at": started,
                     "completed_at": completed, "received_at": now, "answers": item["answers"],
                     "skipped": [], "content_hash": expected_hash(item),
                     "status": "accepted", "reasons": [], "is_late": False, "client": item["client"]})
    return rows


def bulk_insert_responses(app, world: dict, pool: list[dict], count: int, rng: random.Random) -> None:
    """`count` stored responses, inserted straight into the table in one transaction."""
    with app.app_context():
        with db.engine.begin() as connection:
            for start in range(0, count, 5000):
                items = make_items(world, pool, min(5000, count - start), rng)
                connection.execute(insert(Response.__table__), response_rows(world, items))


@dataclass
class StorageCheck:
    sent: int
    stored: int
    missing: int
    duplicates: int
    incomplete: int  # stored, but not what was sent (content differs)
    conflicts: int  # conflict rows recorded for these UUIDs


def check_stored(app, expected: dict[str, str]) -> StorageCheck:
    """Every UUID sent (uuid -> expected content hash) stored exactly once, and complete: the
    hash recomputed from the stored row equals the hash of what was sent."""
    from server.sync.models import ResponseConflict

    table = Response.__table__
    uuids = sorted(expected)
    counts: Counter = Counter()
    incomplete = conflicts = 0
    with app.app_context():
        with db.engine.connect() as connection:
            for start in range(0, len(uuids), 500):
                chunk = uuids[start:start + 500]
                rows = connection.execute(
                    select(table.c.uuid, table.c.round_id, table.c.form_version_id, table.c.unit_id,
                           table.c.started_at, table.c.completed_at, table.c.answers,
                           table.c.content_hash).where(table.c.uuid.in_(chunk))).all()
                for row in rows:
                    counts[row.uuid] += 1
                    recomputed = content_hash(row.round_id, row.form_version_id, row.unit_id,
                                              row.started_at, row.completed_at, row.answers)
                    if not recomputed == row.content_hash == expected[row.uuid]:
                        incomplete += 1
                conflicts += connection.scalar(select(func.count()).select_from(ResponseConflict).where(
                    ResponseConflict.uuid.in_(chunk)))
    return StorageCheck(sent=len(uuids), stored=len(counts), missing=len(uuids) - len(counts),
                        duplicates=sum(n - 1 for n in counts.values()), incomplete=incomplete,
                        conflicts=conflicts)


def pg_database_url(base: str, name: str) -> str:
    return base.rsplit("/", 1)[0] + "/" + name


def create_pg_database(base: str, name: str) -> str:
    """A fresh PostgreSQL database `name` next to `base` (so the test database is untouched)."""
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        connection.execute(text(f"CREATE DATABASE {name}"))
    engine.dispose()
    return pg_database_url(base, name)


def drop_pg_database(base: str, name: str) -> None:
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    engine.dispose()


# --- gunicorn -----------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def gunicorn_conf() -> dict:
    """The settings of the repository's gunicorn.conf.py (what production runs), or {}."""
    path = ROOT / "gunicorn.conf.py"
    return runpy.run_path(str(path)) if path.exists() else {}


def gunicorn_line(workers: int, worker_class: str | None = None) -> str:
    conf = gunicorn_conf()
    kind = worker_class or conf.get("worker_class", "sync")
    threads = f" x {conf.get('threads', 1)} threads" if kind == "gthread" else ""
    source = "gunicorn.conf.py" if conf else "gunicorn defaults"
    if os.environ.get("GUNICORN_CMD_ARGS"):  # it overrides the file: say so
        source += f", GUNICORN_CMD_ARGS={os.environ['GUNICORN_CMD_ARGS']!r} over it"
    return f"gunicorn {workers} {kind} workers{threads} ({source}, timeout {conf.get('timeout', 30)} s)"


def start_gunicorn(url: str, instance: str, workers: int | None, log_path: str | None = None,
                   worker_class: str | None = None) -> tuple[subprocess.Popen, int]:
    """gunicorn serving create_app() from the repository root, so its gunicorn.conf.py
    applies as in production; `workers` and `worker_class` override it when given. No
    access log (the clients count the requests). With `log_path`, gunicorn's and the app's
    log go there instead of this terminal."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench-secret", "LANG_NGHE_INSTANCE": instance,
           "SCHEDULER_ENABLED": "0", "LANG_NGHE_ENV": "bench"}
    command = [str(Path(sys.executable).parent / "gunicorn"), "--bind", f"127.0.0.1:{port}",
               "--log-level", "warning", "--access-logfile", os.devnull]
    if workers is not None:
        command += ["--workers", str(workers)]
    if worker_class is not None:
        command += ["--worker-class", worker_class]
    command.append("server:create_app()")
    if log_path:
        with open(log_path, "ab") as log:  # the child keeps its own copy of the descriptor
            process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
    else:
        process = subprocess.Popen(command, cwd=ROOT, env=env)
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


def stop_gunicorn(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(10)


def worker_pids(master_pid: int) -> list[int]:
    """gunicorn's worker processes: the children of its master, read from /proc."""
    pids = []
    for children in Path(f"/proc/{master_pid}/task").glob("*/children"):
        try:
            pids += [int(pid) for pid in children.read_text().split()]
        except OSError:  # the thread ended meanwhile
            continue
    return sorted(set(pids))


def _stat_fields(pid: int | str) -> list[str]:
    """/proc/<pid>/stat from field 3 (state) on; [] when the process is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return []


def process_age(pid: int) -> float:
    """Seconds since the process started, 0 when it is gone."""
    fields = _stat_fields(pid)
    if not fields:
        return 0.0
    uptime = float(Path("/proc/uptime").read_text().split()[0])
    return uptime - int(fields[19]) / os.sysconf("SC_CLK_TCK")  # field 22: starttime


def is_running(pid: int) -> bool:
    """A thread of the process on a CPU or waiting for one (state R): a worker in a
    request, not one idle in accept."""
    for task in Path(f"/proc/{pid}/task").glob("*"):
        fields = _stat_fields(f"{pid}/task/{task.name}")
        if fields and fields[0] == "R":
            return True
    return False


# --- HTTP clients -------------------------------------------------------------------------

@dataclass
class Reply:
    status: int
    headers: dict
    body: bytes
    seconds: float


def call(port: int, method: str, path: str, token: str, body: bytes | None = None,
         timeout: float = 300) -> Reply:
    """One request on a fresh connection, the body read to the end. Raises OSError or
    http.client.HTTPException when the connection breaks (a killed worker)."""
    headers = {"Authorization": f"Bearer {token}"}
    if body is not None:
        headers["Content-Type"] = "application/json"
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        payload = response.read()
    finally:
        connection.close()
    return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, payload,
                 time.perf_counter() - started)


def batch_results(reply: Reply, items: list[dict]) -> list[str] | None:
    """The status of each item when the reply is our answer to this batch (a result per
    UUID sent, in order), else None: a 200 from anything else is no answer (the phone on
    a café Wi-Fi login page)."""
    if reply.status != 200:
        return None
    try:
        results = json.loads(reply.body)["results"]
        if len(results) == len(items) and all(
                r["uuid"] == i["uuid"] for r, i in zip(results, items, strict=True)):
            return [r["status"] for r in results]
    except (ValueError, KeyError, TypeError):
        pass
    return None


@dataclass
class Attempt:
    kind: str  # upload, xlsx, csv, pdf
    phase: str
    outcome: str  # the HTTP status as text, or the exception's class name
    seconds: float
    retry_after: str | None = None
    note: str = ""


@dataclass
class Record:
    """What every client thread did, collected under a lock."""

    attempts: list[Attempt] = field(default_factory=list)
    acks: list[tuple[str, float]] = field(default_factory=list)  # phase, seconds from first try
    results: Counter = field(default_factory=Counter)  # per-UUID result statuses
    expected: dict[str, str] = field(default_factory=dict)  # uuid -> content hash sent
    unacknowledged: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def attempt(self, attempt: Attempt) -> None:
        with self.lock:
            self.attempts.append(attempt)


def upload_until_acknowledged(port: int, token: str, items: list[dict], record: Record, phase: str,
                              give_up_at: float, retry_delay=None) -> bool:
    """Send one batch, always the same body, until the server answers for every UUID in it
    (True when all are acknowledged: created or duplicate). A 503 waits Retry-After (with
    jitter, as many phones retrying at once would); a broken connection or another status
    waits `retry_delay(failures)` (the phone's backoff). Gives up at `give_up_at`."""
    body = json.dumps({"submissions": items}, ensure_ascii=False).encode("utf-8")
    with record.lock:
        record.expected.update((item["uuid"], expected_hash(item)) for item in items)
    retry_delay = retry_delay or (lambda failures: min(60.0, 5.0 * 2 ** (failures - 1)))
    first_try, failures = time.perf_counter(), 0
    while True:
        try:
            reply = call(port, "POST", "/api/v1/submissions", token, body)
        except (OSError, http.client.HTTPException) as error:
            record.attempt(Attempt("upload", phase, type(error).__name__, 0.0))
            reply = None
        if reply is not None:
            record.attempt(Attempt("upload", phase, str(reply.status), reply.seconds,
                                   reply.headers.get("retry-after"), _error_code(reply)))
            statuses = batch_results(reply, items)
            if statuses is not None:
                # The server answered each item: the phone drops the acknowledged ones and
                # does not resend the rest as they are (rejected, conflict): counted here.
                unacknowledged = sum(status not in ACKNOWLEDGED for status in statuses)
                with record.lock:
                    record.results.update(statuses)
                    record.unacknowledged += unacknowledged
                    if not unacknowledged:
                        record.acks.append((phase, time.perf_counter() - first_try))
                return not unacknowledged
        failures += 1
        if reply is not None and reply.status == 503 and reply.headers.get("retry-after", "").isdigit():
            delay = float(reply.headers["retry-after"]) * random.uniform(0.8, 1.2)
        else:
            delay = retry_delay(failures) * random.uniform(0.8, 1.2)
        if time.monotonic() + delay > give_up_at:
            with record.lock:
                record.unacknowledged += len(items)
            return False
        time.sleep(delay)


def _error_code(reply: Reply) -> str:
    if reply.status < 400:
        return ""
    try:
        return json.loads(reply.body)["error"]["code"]
    except (ValueError, KeyError, TypeError):
        return reply.body[:80].decode("utf-8", "replace")


# --- figures ------------------------------------------------------------------------------

def machine_line() -> str:
    """CPUs and load: figures taken on a machine busy with something else mean less."""
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return f"{os.cpu_count()} CPUs, load average {load} at the end"

def cpu_times() -> tuple[int, int]:
    """(busy, total) CPU time of the whole machine so far, in ticks, from /proc/stat."""
    ticks = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = ticks[3] + ticks[4]  # idle, iowait
    return sum(ticks) - idle, sum(ticks)


def cpu_busy_share(before: tuple[int, int], after: tuple[int, int]) -> float:
    return (after[0] - before[0]) / max(1, after[1] - before[1])


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]


def latency_line(values: list[float]) -> str:
    if not values:
        return "no requests"
    return (f"p50 {percentile(values, 0.5) * 1000:7.0f} ms   p95 {percentile(values, 0.95) * 1000:7.0f} ms"
            f"   max {max(values) * 1000:7.0f} ms   (n={len(values)})")
