"""Suggestion box figures: how fast the public submission takes messages (in process, the
Flask test client, no network), how long the report figures take for a commune with many
messages, and how long a poster takes to draw. Prints figures; asserts nothing.

    .venv/bin/python bench/suggestions.py [--messages 300] [--stored 20000] [--database-url URL]
"""

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from anywhere

from sqlalchemy import insert  # noqa: E402

from server import create_app  # noqa: E402
from server.extensions import db  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=300, help="submissions to time")
    parser.add_argument("--stored", type=int, default=20_000, help="messages for the figures")
    parser.add_argument("--database-url", default=None, help="default: a temporary SQLite file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/bench.db"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench",
                          "SCHEDULER_ENABLED": False, "SUGGESTION_MAX_PER_ADDRESS": 10**9,
                          "SUGGESTION_MAX_PER_BOX": 10**9})
        app.instance_path = tmp
        with app.app_context():
            db.drop_all()
            db.create_all()
            box_id, code, unit_id = _seed()
        _submissions(app, code, args.messages)
        with app.app_context():
            _store_many(box_id, args.stored)
            _figures(unit_id)
            _poster(box_id, app)
            db.session.remove()
            db.drop_all()
            db.engine.dispose()


def _seed():
    from server.people.services import create_user
    from server.suggestions.boxes import create_box
    from server.units.services import create_unit

    ward = create_unit("Phường Hoa Lư", "ward")
    group = create_unit("Tổ dân phố Đông Thịnh", "residential_group", parent=ward)
    official = create_user("bench.official", "pw", "official", units=[ward])
    box = create_box(official, group, "Nhà văn hóa tổ dân phố Đông Thịnh")
    db.session.commit()
    return box.id, box.code, ward.id


def _submissions(app, code: str, count: int) -> None:
    client = app.test_client()
    url = f"/api/v1/suggestion-boxes/public/{code}/messages"
    times = []
    for n in range(count):
        body = {"client_uuid": str(uuid.uuid4()), "message": f"Ý kiến số {n}: đèn đường hỏng.",
                "topic": "moi_truong", "rating": 1 + n % 5}
        started = time.perf_counter()
        answer = client.post(url, json=body, environ_base={"REMOTE_ADDR": f"10.0.{n // 250}.{n % 250}"})
        times.append(time.perf_counter() - started)
        assert answer.status_code == 201, answer.get_json()
    print(f"public submission: {count} messages, {count / sum(times):.0f} messages/s, "
          f"median {statistics.median(times) * 1000:.1f} ms, "
          f"p95 {sorted(times)[int(0.95 * len(times))] * 1000:.1f} ms")


def _store_many(box_id: int, count: int) -> None:
    from server.suggestions.models import SuggestionMessage, SuggestionTopic

    topics = [t.id for t in db.session.query(SuggestionTopic)]
    start = datetime(2026, 1, 1, tzinfo=ZoneInfo("UTC"))
    rows = []
    for n in range(count):
        received = start + timedelta(minutes=13 * n % (180 * 24 * 60))
        replied = received + timedelta(hours=n % 300) if n % 3 else None
        rows.append({"box_id": box_id, "client_uuid": str(uuid.uuid4()),
                     "receipt_code": uuid.uuid4().hex[:12].upper(), "body": "Ý kiến",
                     "topic_id": topics[n % len(topics)] if n % 7 else None,
                     "received_at": received, "status": ("new", "assigned", "answered",
                                                         "closed")[n % 4],
                     "moderation": "pending", "first_reply_at": replied})
    db.session.execute(insert(SuggestionMessage), rows)
    db.session.commit()


def _figures(unit_id: int) -> None:
    from server.suggestions.figures import suggestion_figures
    from server.units.models import Unit

    unit = db.session.get(Unit, unit_id)
    runs = []
    for _ in range(5):
        started = time.perf_counter()
        figures = suggestion_figures(unit, date(2026, 1, 1), date(2026, 6, 30), 5,
                                     "Asia/Ho_Chi_Minh")
        runs.append(time.perf_counter() - started)
    print(f"report figures: {figures.total} messages in the period, "
          f"median {statistics.median(runs) * 1000:.0f} ms over {len(runs)} runs")


def _poster(box_id: int, app) -> None:
    from server.suggestions.links import poster_pdf
    from server.suggestions.models import SuggestionBox

    box = db.session.get(SuggestionBox, box_id)
    with app.test_request_context("/"):
        started = time.perf_counter()
        pdf = poster_pdf(box)
        elapsed = time.perf_counter() - started
    print(f"poster: {len(pdf) / 1024:.0f} KiB PDF in {elapsed * 1000:.0f} ms")


if __name__ == "__main__":
    main()
