"""Time and peak memory of a round's CSV and XLSX export, at two sizes, through the app as
a server runs it (the request, then the streamed body read chunk by chunk and dropped).

    .venv/bin/python bench/export.py [N]        (N responses, default 20000)

Two rounds are bulk-inserted into a temporary SQLite file: one of N/4 responses and one of
N, answers drawn from the default form. Each export runs in a forked process of its own
and prints the time to the first chunk, the total time, the size, and how far the
process's peak resident memory (getrusage) rose during the export. Streamed, that rise
stays about the same when the round is four times larger (both formats are written as the
rows come: the XLSX's first chunk goes out before any row is read). Prints figures, no
pass/fail. At national scale on PostgreSQL (peak RSS of a fresh process, a province and the
country): bench/national.py.
"""

import contextvars
import json
import os
import random
import resource
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))   # run from anywhere

from sqlalchemy import insert  # noqa: E402

from server import create_app  # noqa: E402
from server.auth.tokens import issue_token  # noqa: E402
from server.db_types import utcnow  # noqa: E402
from server.demo.responses import COMMENTS  # noqa: E402
from server.demo.synthetic import clean_answers, random_raw_answers  # noqa: E402
from server.extensions import db  # noqa: E402
from server.forms.services import publish_definition  # noqa: E402
from server.people.services import create_user  # noqa: E402
from server.rounds.services import create_round  # noqa: E402
from server.sync.models import Response  # noqa: E402
from server.units.services import create_unit  # noqa: E402

FORM = ROOT / "forms" / "resident_survey.json"
GROUPS = 20
DISTINCT_ANSWER_SETS = 2000     # validated once, then drawn from
INSERT_BATCH = 5000


def _populate(sizes: list[int]) -> tuple[list[int], str]:
    """One round per size, all in one commune of GROUPS residential groups; returns the
    round ids and an admin's API token."""
    definition = json.loads(FORM.read_text(encoding="utf-8"))
    version = publish_definition(definition)
    commune = create_unit("Xã Thử Nghiệm", "commune")
    groups = [create_unit(f"Tổ dân phố {g + 1}", "residential_group", parent=commune)
              for g in range(GROUPS)]
    volunteer = create_user("tnv_bench", "pw", "volunteer", units=[commune])
    token = issue_token(create_user("admin_bench", "pw", "admin"), 1, "bench").token
    rng = random.Random(1)
    pool = [clean_answers(definition, random_raw_answers(definition, rng, 0.65, COMMENTS))
            for _ in range(DISTINCT_ANSWER_SETS)]
    now = utcnow()
    round_ids = []
    for index, size in enumerate(sizes):
        round_ = create_round(f"Đợt {index + 1}", version, groups, now - timedelta(days=10),
                              now + timedelta(days=20), target_per_unit=size // GROUPS + 1)
        db.session.flush()
        rows = []
        for n in range(size):
            answers = rng.choice(pool)
            moment = round_.opens_at + timedelta(seconds=n * 7)
            rows.append({"uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                         "round_id": round_.id, "form_version_id": version.id,
                         "unit_id": groups[n % GROUPS].id, "volunteer_id": volunteer.id,
                         "started_at": moment - timedelta(minutes=8),
                         "completed_at": moment, "received_at": moment,
                         "answers": answers.answers, "skipped": answers.skipped,
                         "content_hash": "-", "status": "accepted", "reasons": [],
                         "is_late": False, "client": {}})
        for start in range(0, len(rows), INSERT_BATCH):
            db.session.execute(insert(Response), rows[start:start + INSERT_BATCH])
        round_ids.append(round_.id)
    db.session.commit()
    return round_ids, token


def _download(app, path: str, token: str) -> tuple[float, float, int]:
    """(seconds to the first chunk, seconds in all, bytes), the body read and dropped as
    a server sends it, outside any app context."""

    def run():
        start = time.perf_counter()
        response = app.test_client().get(path, headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200, response.status
        size, first = 0, None
        for chunk in response.response:
            first = first or time.perf_counter() - start
            size += len(chunk)
        response.close()
        return first or 0.0, time.perf_counter() - start, size

    return contextvars.Context().run(run)


def _measured(app, path: str, token: str) -> tuple[float, float, int, int]:
    """The download in a forked child, so each export has its own memory peak: the figures
    above plus how far the child's peak resident memory rose above where it started."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(read_end)
            before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            first, seconds, size = _download(app, path, token)
            growth = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) * 1024
            os.write(write_end, json.dumps([first, seconds, size, growth]).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        answer = pipe.read()
    os.waitpid(pid, 0)
    if not answer:
        raise RuntimeError(f"the export of {path} failed")
    return tuple(json.loads(answer))


def main() -> None:
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    sizes = [max(total // 4, 1), total]
    with tempfile.TemporaryDirectory() as folder:
        os.environ["LANG_NGHE_INSTANCE"] = folder
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db",
                          "SCHEDULER_ENABLED": False})
        with app.app_context():
            db.create_all()
            start = time.perf_counter()
            round_ids, token = _populate(sizes)
            print(f"inserted {sum(sizes):,} responses in {time.perf_counter() - start:.1f} s "
                  f"(SQLite, {folder}/bench.db)")
            db.session.remove()
        _download(app, f"/api/v1/rounds/{round_ids[0]}/export.csv", token)   # warm up
        with app.app_context():
            db.engine.dispose()     # no connection crosses the fork
        for extension in ("csv", "xlsx"):
            for size, round_id in zip(sizes, round_ids, strict=True):
                path = f"/api/v1/rounds/{round_id}/export.{extension}"
                first, seconds, length, growth = _measured(app, path, token)
                print(f"{extension.upper():4} {size:>8,} responses: first chunk {first:6.2f} s | "
                      f"total {seconds:6.2f} s ({size / seconds:,.0f} rows/s) | "
                      f"{length / 2**20:6.1f} MiB | peak memory +{growth / 2**20:5.1f} MiB")


if __name__ == "__main__":
    main()
