"""What the whole-cycle browser test of the admin console (test_admin_cycle_browser.py) stands
on: the real app served on a live port, seeded as a new admin finds it (a province, their
account, the resident survey published, nothing else); the scheduler's jobs run at a chosen
time, as `flask run-jobs --now` does; responses made the way a volunteer's phone makes them;
the sign-in cards PDF read back; and small steps on the console's pages, by visible names.

On SQLite the site gets a temporary file; with TEST_DATABASE_URL (PostgreSQL) it gets a
database of its own, created next to the shared one and dropped afterwards, so that the test
never touches the tables the other tests share."""

import json
import os
import random
import re
import shutil
import subprocess
import threading
import uuid as uuid_lib
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

from pypdf import PdfReader
from sqlalchemy import create_engine, select, text
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
CARD_HEADER = "THẺ ĐĂNG NHẬP"
CARD_URL = re.compile(r"https?://\S+?/app/#signin=[A-Za-z0-9_-]{43}")


def missing_endpoints() -> list[str]:
    """The console pages the test drives that this build does not have (yet)."""
    probe = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "probe",
                        "SCHEDULER_ENABLED": False})
    return [name for name in NEEDED_ENDPOINTS if name not in probe.view_functions]


# --- the site ---------------------------------------------------------------------------------

class OwnPostgresDatabase:
    """A database of the test's own on the server of `base_url`: made empty, dropped at the end."""

    def __init__(self, base_url: str):
        base = make_url(base_url)
        self.name = re.sub(r"\W", "_", f"{base.database}_admin_cycle_{os.getpid()}")[:60]
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
        self.postgres = OwnPostgresDatabase(postgres_url) if postgres_url else None
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

    def read(self, question, *args):
        """question(session, *args) in an app context of its own; its result must be plain
        data (the session is gone afterwards)."""
        with self.app.app_context():
            try:
                return question(db.session, *args)
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


# --- reading the site's database (plain values only) -------------------------------------------

def next_round_of_plan(session, plan_id: int) -> dict:
    """When the plan's next round opens and closes, and when the scheduler should make it."""
    from server.db_types import utcnow
    from server.rounds.models import RecurringPlan
    from server.rounds.recurring import coming_rounds

    coming = coming_rounds(session.get(RecurringPlan, plan_id), utcnow(), limit=1)[0]
    return {"opens_at": coming.opens_at, "closes_at": coming.closes_at,
            "created_at": coming.created_at,
            "opens_local": coming.opens_at.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M")}


def round_units(session, round_id: int) -> dict:
    """{"form_version_id": ..., unit name: unit id, ...} of a round."""
    from server.rounds.models import Round

    round_ = session.get(Round, round_id)
    return {"form_version_id": round_.form_version_id,
            **{unit.name: unit.id for unit in round_.units}}


def round_state(session, round_id: int) -> dict:
    from server.rounds.models import Round

    round_ = session.get(Round, round_id)
    return {"status": round_.status, "reports_made": round_.reports_generated_at is not None}


def stored_answers(session, uuid: str) -> dict:
    from server.sync.models import Response

    return session.scalar(select(Response).where(Response.uuid == uuid)).answers


# --- the phone --------------------------------------------------------------------------------

def phone_submission(round_id: int, form_version_id: int, unit_id: int, seed: int,
                     uuid: str | None = None, comment: str | None = None) -> dict:
    """One response as the app uploads it: a UUID made on the phone, the phone's times, and
    a resident's plausible answers (the demo data's generator)."""
    from server.demo.synthetic import random_raw_answers

    definition = json.loads(DEFAULT_FORM.read_text(encoding="utf-8"))
    answers = random_raw_answers(definition, random.Random(seed), mood=0.7)
    if comment is not None:
        answers["other_comments"] = comment
    completed = datetime.now(UTC)
    return {"uuid": uuid or str(uuid_lib.uuid4()), "round_id": round_id,
            "form_version_id": form_version_id, "unit_id": unit_id,
            "started_at": completed.replace(microsecond=0).isoformat(),
            "completed_at": completed.isoformat(), "answers": answers,
            "client": {"app_version": "cycle-test", "device": "Android 12; Redmi 9A"}}


def upload(request, base_url: str, token: str, submissions: list[dict]) -> list[str]:
    """POST /api/v1/submissions with the phone's token, as the app does (Playwright's request
    context of the phone's browser); the status of each item."""
    reply = request.post(f"{base_url}/api/v1/submissions", data={"submissions": submissions},
                         headers={"Authorization": f"Bearer {token}",
                                  "X-App-Version": "cycle-test", "X-Queued-Count": "0"})
    assert reply.status == 200, reply.text()
    return [item["status"] for item in reply.json()["results"]]


def local_day_start(moment: datetime) -> str:
    """The datetime-local value (Vietnam time) of 00:00 on the day of `moment`."""
    return moment.astimezone(VIETNAM).strftime("%Y-%m-%dT00:00")


# --- the sign-in cards PDF ---------------------------------------------------------------------

def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)


def card_links(pdf: bytes, names) -> dict[str, str]:
    """{name: the link printed under that person's QR code}: the cards, one by one (each
    starts with its header), each holding one of the names and one link."""
    links = {}
    for card in pdf_text(pdf).split(CARD_HEADER)[1:]:
        [name] = [name for name in names if name in card]
        [link] = CARD_URL.findall("".join(card.split()))
        links[name] = link
    return links


def qr_links(pdf: bytes, tmp: Path) -> set[str] | None:
    """The links the cards' QR codes hold, as a phone's camera reads them; None without
    poppler's pdftoppm or zxing-cpp (then the printed links stand alone)."""
    try:
        import zxingcpp
        from PIL import Image
    except ImportError:
        return None
    if shutil.which("pdftoppm") is None:
        return None
    (tmp / "cards.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(tmp / "cards.pdf"), str(tmp / "card")],
                   check=True, timeout=60)
    found = set()
    for image in sorted(tmp.glob("card*.png")):
        with Image.open(image) as picture:
            found |= {code.text for code in zxingcpp.read_barcodes(picture)}
    return found


# --- the console's pages, by the names on the screen -------------------------------------------

def follow(link):
    """Click a link and wait for the page it names to load (so that what is read next is
    read from that page, not the one before)."""
    page = link.page
    href = link.get_attribute("href")
    link.click()
    page.wait_for_url(re.compile(re.escape(href) + r"([?#].*)?$"))


def nav(page, name: str):
    """A click on the console's navigation, by the item's name."""
    follow(page.get_by_role("navigation", name="Admin navigation").get_by_role(
        "link", name=name, exact=True))


def flash_message(page, text: str):
    """The flash message saying `text` (waited for)."""
    return page.locator("p.flash", has_text=text)


def import_file(page, path: Path):
    """On Units or People: Import → choose the file → Dry run."""
    follow(page.get_by_role("link", name="Import", exact=True))
    page.get_by_label("File").set_input_files(path)
    page.get_by_role("button", name="Dry run").click()
    page.wait_for_selector("table.import-plan")


def plan_outcomes(page, key_column: int) -> dict[str, str]:
    """The dry run's table: {the row's key (code, username): its outcome}."""
    rows = page.locator("table.import-plan tbody tr")
    return {rows.nth(i).locator("td").nth(key_column).inner_text().strip():
            rows.nth(i).locator("td").nth(1).inner_text().strip() for i in range(rows.count())}


def figure(page, label: str) -> str:
    """A headline figure of the Progress page, by its label."""
    box = page.locator(".progress-figures > div").filter(has=page.get_by_text(label, exact=True))
    return box.locator("dd").inner_text().strip()


def audit_rows(page, action: str, person: str = "") -> list[str]:
    """Audit log, filtered by action (and person): the full text of each row, details too."""
    nav(page, "Audit log")
    page.get_by_label("Person").fill(person)
    page.get_by_label("Action").select_option(action)   # the page filters at once
    page.wait_for_url(re.compile(r"[?&]action=" + re.escape(action) + r"(&|$)"))
    return page.locator("table.audit > tbody > tr").all_text_contents()
