"""The server the browser tests talk to: the real app on a temporary SQLite file, seeded,
served by werkzeug in a thread, behind a switch that can cut the network."""

import gzip
import io
import json
import shutil
import socket
import threading
from datetime import timedelta
from pathlib import Path

from werkzeug.serving import make_server

from server import create_app
from server.extensions import db

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_FORM = ROOT / "forms" / "resident_survey.json"
VOLUNTEER = ("tnv.lan", "mat-khau-thu")


NEEDED_ROUTES = ("/api/v1/auth/token", "/api/v1/me/assignments", "/api/v1/submissions")


def missing_server_parts() -> str:
    """What the browser tests need from other parts of the project and is not there yet."""
    missing = [] if DEFAULT_FORM.exists() else [str(DEFAULT_FORM.relative_to(ROOT))]
    rules = {rule.rule for rule in create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://",
                                               "SECRET_KEY": "probe"}).url_map.iter_rules()}
    missing += [route for route in NEEDED_ROUTES if route not in rules]
    return ", ".join(missing)


class NetworkSwitch:
    """WSGI middleware: `down` drops every connection; `drop_submission_replies` lets the
    app store a batch of submissions and then drops the connection instead of answering;
    a batch holding one of `poison_uuids` gets a 500, as a server that breaks on an item."""

    def __init__(self, app):
        self.app = app
        self.down = False
        self.drop_submission_replies = 0
        self.submission_posts = 0
        self.poison_uuids: set[str] = set()
        self.poisoned_batches: list[list[str]] = []

    def __call__(self, environ, start_response):
        if self.down:
            return self._drop(environ)
        is_submission = environ["REQUEST_METHOD"] == "POST" and environ["PATH_INFO"] == "/api/v1/submissions"
        if is_submission:
            self.submission_posts += 1
        if is_submission and self.poison_uuids:
            uuids = self._batch_uuids(environ)
            if self.poison_uuids & set(uuids):
                self.poisoned_batches.append(uuids)
                return self._server_error(start_response)
        if is_submission and self.drop_submission_replies > 0:
            self.drop_submission_replies -= 1
            body = self.app(environ, lambda *args, **kwargs: None)
            b"".join(body)  # the request runs to the end: the batch is stored and committed
            if hasattr(body, "close"):
                body.close()
            return self._drop(environ)
        return self.app(environ, start_response)

    @staticmethod
    def _batch_uuids(environ) -> list[str]:
        """The UUIDs of a batch; the body is put back for the app to read."""
        length = int(environ.get("CONTENT_LENGTH") or 0)
        raw = environ["wsgi.input"].read(length)
        environ["wsgi.input"] = io.BytesIO(raw)
        try:
            text = gzip.decompress(raw) if environ.get("HTTP_CONTENT_ENCODING") == "gzip" else raw
            return [str(item.get("uuid")) for item in json.loads(text)["submissions"]]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return []

    @staticmethod
    def _server_error(start_response):
        body = json.dumps({"error": {"code": "internal_error", "message": "Lỗi máy chủ. Vui lòng thử lại sau.",
                                     "details": None}}).encode()
        start_response("500 INTERNAL SERVER ERROR", [("Content-Type", "application/json"),
                                                     ("Content-Length", str(len(body)))])
        return [body]

    @staticmethod
    def _drop(environ):
        sock = environ.get("werkzeug.socket")
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        raise ConnectionAbortedError("network cut by the test")


class LiveSite:
    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.pwa_root = tmp / "pwa"
        shutil.copytree(ROOT / "pwa", self.pwa_root)
        self.app = create_app({
            "SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(tmp / "site.db"),
            "SECRET_KEY": "browser-test",
            "ENVIRONMENT": "testing",
            "TESTING": True,
            "SCHEDULER_ENABLED": False,
            "PWA_ROOT": str(self.pwa_root),
        })
        self.app.instance_path = str(tmp / "instance")
        self.switch = NetworkSwitch(self.app.wsgi_app)
        self.app.wsgi_app = self.switch
        with self.app.app_context():
            db.create_all()
            self.ids = seed()
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

    def stored_responses(self) -> list[dict]:
        from server.sync.models import Response
        with self.app.app_context():
            rows = db.session.scalars(db.select(Response).order_by(Response.id)).all()
            result = [{"uuid": r.uuid, "answers": r.answers, "unit_id": r.unit_id,
                       "round_id": r.round_id, "status": r.status} for r in rows]
            db.session.remove()
            return result

    def clear_responses(self):
        from server.sync.models import Response, ResponseConflict
        with self.app.app_context():
            db.session.execute(db.delete(ResponseConflict))
            db.session.execute(db.delete(Response))
            db.session.commit()
            db.session.remove()

    def revoke_tokens(self):
        """An admin revokes every device token (a lost phone, a leaver)."""
        from server.db_types import utcnow
        from server.people.models import DeviceToken
        with self.app.app_context():
            db.session.execute(db.update(DeviceToken).values(revoked_at=utcnow()))
            db.session.commit()
            db.session.remove()

    def bump_version(self):
        """A new app version: change an asset of the served copy."""
        css = self.pwa_root / "app.css"
        css.write_text(css.read_text(encoding="utf-8") + "\n/* next version */\n", encoding="utf-8")


def publish(definition: dict):
    try:
        from server.forms.services import publish_definition
    except ImportError:  # the forms service may not exist yet: insert as it would
        import hashlib

        from server.db_types import utcnow
        from server.forms.models import Form, FormVersion
        form = Form(name=definition["name"], title=definition["title"])
        db.session.add(form)
        db.session.flush()
        body = json.dumps(definition, sort_keys=True, ensure_ascii=False).encode()
        version = FormVersion(form_id=form.id, version=1, definition=definition, status="published",
                              content_hash=hashlib.sha256(body).hexdigest(), published_at=utcnow())
        db.session.add(version)
        db.session.flush()
        return version
    return publish_definition(definition)


def seed() -> dict:
    from server.db_types import utcnow
    from server.people.services import create_user
    from server.rounds.services import create_round
    from server.units.services import create_unit

    province = create_unit("Tỉnh Thử Nghiệm", "province")
    commune = create_unit("Phường Hoà Bình", "ward", parent=province)
    group_1 = create_unit("Tổ dân phố 1", "residential_group", parent=commune)
    group_2 = create_unit("Tổ dân phố 2", "residential_group", parent=commune)
    create_user("quantri", "mat-khau-quan-tri", "admin", display_name="Quản trị")
    volunteer = create_user(VOLUNTEER[0], VOLUNTEER[1], "volunteer", display_name="Nguyễn Thị Lan",
                            units=[group_1, group_2])
    version = publish(json.loads(DEFAULT_FORM.read_text(encoding="utf-8")))
    now = utcnow()
    round_ = create_round("Khảo sát 6 tháng đầu năm", version, [group_1, group_2],
                          now - timedelta(days=1), now + timedelta(days=30), target_per_unit=20)
    db.session.commit()
    return {"round": round_.id, "form_version": version.id, "units": [group_1.id, group_2.id],
            "volunteer": volunteer.id}
