"""What the form designer's browser test and bench/designer.py share: a live server (the real
app on a temporary SQLite file, served by werkzeug in a thread) with an admin, drafts made
through the designer's own services, logging in through the login page, and waiting for the
designer to save."""

import json
import os
import shutil
import threading
from pathlib import Path

from werkzeug.serving import make_server

from server import create_app
from server.extensions import db

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_FORM = ROOT / "forms" / "resident_survey.json"
ADMIN = ("quantri", "mat-khau-quan-tri")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update"]
DESKTOP = {"width": 1440, "height": 900}


def chromium_path() -> str | None:
    candidates = [os.environ.get("CHROMIUM_PATH"), shutil.which("chromium"), "/usr/bin/chromium",
                  shutil.which("chromium-browser")]
    return next((c for c in candidates if c and Path(c).exists()), None)


class DesignerSite:
    def __init__(self, tmp: Path):
        self.app = create_app({
            "SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(tmp / "designer.db"),
            "SECRET_KEY": "designer-test",
            "ENVIRONMENT": "testing",
            "TESTING": True,
            "SCHEDULER_ENABLED": False,
        })
        self.app.instance_path = str(tmp / "instance")
        with self.app.app_context():
            db.create_all()
            from server.people.services import create_user
            admin = create_user(ADMIN[0], ADMIN[1], "admin", display_name="Quản trị viên")
            create_user("quantri2", ADMIN[1], "admin", display_name="Trần Văn Hai")
            db.session.commit()
            self.admin_id = admin.id
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

    def create_draft(self, name: str, definition: dict | None = None) -> int:
        """A new form family whose draft holds `definition` (saved as the designer saves)."""
        from server.forms import drafts
        with self.app.app_context():
            draft = drafts.create_form(name, f"Phiếu {name}", self.admin_id)
            if definition is not None:
                drafts.save_draft(draft.id, draft.revision, {**definition, "name": name},
                                  self.admin_id)
            db.session.commit()
            draft_id = draft.id
            db.session.remove()
            return draft_id

    def stored_draft(self, draft_id: int) -> dict:
        from server.forms.models import FormVersion
        with self.app.app_context():
            draft = db.session.get(FormVersion, draft_id)
            result = {"revision": draft.revision, "definition": draft.definition,
                      "status": draft.status}
            db.session.remove()
            return result

    def save_as_someone_else(self, draft_id: int, change) -> int:
        """Another admin saves the draft (another browser): returns the new revision."""
        from server.forms import drafts
        from server.people.models import User
        with self.app.app_context():
            other = db.session.scalar(db.select(User).where(User.username == "quantri2"))
            draft = drafts.get_draft(draft_id)
            saved = drafts.save_draft(draft_id, draft.revision, change(json.loads(json.dumps(
                draft.definition))), other.id)
            db.session.commit()
            revision = saved.revision
            db.session.remove()
            return revision

    def versions(self, name: str) -> list[dict]:
        from server.forms.models import Form, FormVersion
        with self.app.app_context():
            form = db.session.scalar(db.select(Form).where(Form.name == name))
            rows = db.session.scalars(db.select(FormVersion).where(
                FormVersion.form_id == form.id).order_by(FormVersion.id)).all()
            result = [{"id": v.id, "version": v.version, "status": v.status,
                       "definition": v.definition} for v in rows]
            db.session.remove()
            return result


def big_definition(count: int = 1000) -> dict:
    """A form of `count` questions: groups of 20 likert / select / number / text items, with
    relevance between them, labels in Vietnamese and English."""
    satisfaction = json.loads(DEFAULT_FORM.read_text("utf-8"))["choice_lists"]["satisfaction"]
    groups = []
    number = 0
    per_group = 19
    while number < count:
        items = []
        group_index = len(groups) + 1
        number += 1  # the group counts as a question of the list
        for _ in range(min(per_group, count - number)):
            number += 1
            name = f"q{number}"
            kind = ("likert", "select_one", "integer", "text")[number % 4]
            item = {"type": kind, "name": name,
                    "label": {"vi": f"Câu hỏi số {number}: mức độ hài lòng với dịch vụ",
                              "en": f"Question {number}: satisfaction with the service"}}
            if kind in ("likert", "select_one"):
                item["choices"] = "satisfaction"
            if kind == "likert":
                item["allow_na"] = True
            if kind == "integer":
                item["min"], item["max"] = 0, 120
            if items and number % 5 == 0:
                item["relevant"] = f"${{{items[-1]['name']}}} != ''"
            items.append(item)
        if not items:
            break
        groups.append({"type": "group", "name": f"g{group_index}",
                       "label": {"vi": f"Nhóm {group_index}", "en": f"Group {group_index}"},
                       "questions": items})
    return {"schema_version": 1, "name": "big", "title": {"vi": "Phiếu lớn", "en": "Big form"},
            "languages": ["vi", "en"], "default_language": "vi",
            "choice_lists": {"satisfaction": satisfaction}, "questions": groups}


def log_in(page, site, username: str = ADMIN[0], password: str = ADMIN[1]):
    page.goto(site.url + "/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("form button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)


def open_designer(page, site, draft_id: int):
    page.goto(f"{site.url}/admin/forms/drafts/{draft_id}")
    page.wait_for_selector("#designer.designer-ready")


def wait_saved(page, timeout: float = 15_000):
    """Until the designer says everything is saved."""
    page.wait_for_function(
        "() => { const d = window.formDesigner; return d && !d.store.dirty && d.store.state === 'saved'"
        " && !d.store.inFlight; }", timeout=timeout)
