"""What the whole-cycle browser test of the admin console (test_admin_cycle_browser.py) stands
on: the real app served on a live port, seeded as a new admin finds it (a province, their
account, the resident survey published, nothing else); the scheduler's jobs run at a chosen
time, as `flask run-jobs --now` does; and responses made the way a volunteer's phone makes
them.

On SQLite the site gets a temporary file; with TEST_DATABASE_URL (PostgreSQL) it gets a
database of its own, created next to the shared one and dropped afterwards, so that the test
never touches the tables the other tests share."""

import json
import random
import re
import threading
import uuid as uuid_lib
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from werkzeug.serving import make_server

from server import create_app
from server.extensions import db

ROOT = Path(__file__).resolve().parents[2]
FILES = Path(__file__).resolve().parent / "cycle_files"
DEFAULT_FORM = ROOT / "forms" / "resident_survey.json"
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")

ADMIN = ("quantri.ninhbinh", "mat-khau-quan-tri-2026", "Vũ Thị Thu")
PROVINCE = ("ninh-binh", "Tỉnh Ninh Bình")
NEEDED_ENDPOINTS = (
    "units_admin.import_units", "people_admin.import_people", "people_admin.signin_cards",
    "rounds_admin.plan_round", "rounds_admin.new_plan", "progress_admin.overview",
    "responses_admin.exclude", "conflicts_admin.resolve", "audit_admin.log",
    "signin_code.SigninCodeResource")


def missing_endpoints() -> list[str]:
    """The console pages the test drives that this build does not have (yet)."""
    probe = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "probe",
                        "SCHEDULER_ENABLED": False})
    return [name for name in NEEDED_ENDPOINTS if name not in probe.view_functions]


class OwnPostgresDatabase:
    """A database of the test's own on the server of `base_url`: made empty, dropped at the end."""

    def __init__(self, base_url: str, suffix: str):
        base = make_url(base_url)
        self.name = re.sub(r"\W", "_", f"{base.database}_{suffix}")[:60]
        self.url = base.set(database=self.name).render_as_string(hide_password=False)
        self._server = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
        self.drop()
        with self._server.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{self.name}"'))

    def drop(self):
        with self._server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))

    def close(self):
        self.drop()
        self._server.dispose()


class CycleSite:
    """The real app (every blueprint, the PWA) on 127.0.0.1:<free port>, served by werkzeug
    in a thread; its scheduler is off: the test runs the jobs itself, at the times it picks."""

    def __init__(self, tmp: Path, postgres_url: str | None = None):
        self.postgres = OwnPostgresDatabase(postgres_url, "admin_cycle") if postgres_url else None
        database_url = self.postgres.url if self.postgres else "sqlite:///" + str(tmp / "cycle.db")
        self.app = create_app({
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": "admin-cycle-test",
            "ENVIRONMENT": "testing",
            "TESTING": True,
            "SCHEDULER_ENABLED": False,
        })
        self.app.instance_path = str(tmp / "instance")
        with self.app.app_context():
            db.create_all()
            seed()
            db.session.remove()
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.thread.join(timeout=5)
        with self.app.app_context():
            db.session.remove()
            db.engine.dispose()
        if self.postgres:
            self.postgres.close()

    def read(self, question):
        """question(session) run in an app context of its own; its result (plain data only:
        the session is gone afterwards)."""
        with self.app.app_context():
            try:
                return question(db.session)
            finally:
                db.session.remove()

    def run_jobs(self, now: datetime) -> dict:
        """Every scheduled job once, as at `now`: what `flask run-jobs --now <now>` does."""
        from server.scheduling.jobs import run_job
        from server.scheduling.schedule import JOBS

        with self.app.app_context():
            try:
                return {name: run_job(job, now) for name, job in JOBS.items()}
            finally:
                db.session.remove()


def seed() -> None:
    """What a new admin finds: their account, their province, the resident survey published."""
    from server.forms.services import publish_definition
    from server.people.services import create_user
    from server.units.services import create_unit

    create_unit(PROVINCE[1], "province", code=PROVINCE[0])
    create_user(ADMIN[0], ADMIN[1], "admin", display_name=ADMIN[2])
    publish_definition(json.loads(DEFAULT_FORM.read_text(encoding="utf-8")))
    db.session.commit()


def survey_definition() -> dict:
    return json.loads(DEFAULT_FORM.read_text(encoding="utf-8"))


def phone_submission(round_id: int, form_version_id: int, unit_id: int, seed: int,
                     uuid: str | None = None, comment: str | None = None) -> dict:
    """One response as the app uploads it: a UUID made on the phone, the phone's times, and
    a resident's plausible answers (the same generator as the demo data)."""
    from server.demo.synthetic import random_raw_answers

    answers = random_raw_answers(survey_definition(), random.Random(seed), mood=0.7)
    if comment is not None:
        answers["other_comments"] = comment
    completed = datetime.now(UTC)
    return {"uuid": uuid or str(uuid_lib.uuid4()), "round_id": round_id,
            "form_version_id": form_version_id, "unit_id": unit_id,
            "started_at": completed.replace(microsecond=0).isoformat(),
            "completed_at": completed.isoformat(), "answers": answers,
            "client": {"app_version": "cycle-test", "device": "Android 12; Redmi 9A"}}


def local_day_start(moment: datetime) -> str:
    """The datetime-local value (Vietnam time) of 00:00 on the day of `moment`."""
    return moment.astimezone(VIETNAM).strftime("%Y-%m-%dT00:00")
