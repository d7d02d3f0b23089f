"""The live site the kiosk browser test drives: the real app on 127.0.0.1:<free port>, served
by werkzeug in a thread, seeded with a ward, its admin and one desk. On PostgreSQL
(TEST_DATABASE_URL) it gets a database of its own (tests/admin/cycle_support)."""

import threading
from pathlib import Path

from werkzeug.serving import make_server

from server import create_app
from server.extensions import db
from tests.admin.cycle_support import OwnPostgresDatabase

ADMIN = ("quantri", "mat-khau-quan-tri-2026")
DESK_NAME = "Bộ phận tiếp nhận và trả kết quả"
SERVICES = ["Chứng thực", "Hộ tịch", "Đất đai"]


class KioskSite:
    def __init__(self, tmp: Path, postgres_url: str | None = None):
        self.postgres = OwnPostgresDatabase(postgres_url) if postgres_url else None
        database_url = self.postgres.url if self.postgres else "sqlite:///" + str(tmp / "kiosk.db")
        self.app = create_app({"SQLALCHEMY_DATABASE_URI": database_url,
                               "SECRET_KEY": "kiosk-test", "ENVIRONMENT": "testing",
                               "TESTING": True, "SCHEDULER_ENABLED": False})
        self.app.instance_path = str(tmp / "instance")
        with self.app.app_context():
            db.create_all()
            self.desk_id = _seed()
            db.session.remove()
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stored_ratings(self) -> list[dict]:
        from server.kiosks.models import KioskRating

        with self.app.app_context():
            try:
                rows = db.session.scalars(db.select(KioskRating).order_by(KioskRating.rated_at))
                return [{"uuid": r.client_uuid, "score": r.score, "service": r.service,
                         "comment": r.comment, "flag": r.flag, "desk_id": r.desk_id}
                        for r in rows]
            finally:
                db.session.remove()

    def set_min_interval(self, seconds: int):
        from server.kiosks.models import KioskDesk

        with self.app.app_context():
            db.session.get(KioskDesk, self.desk_id).min_interval_seconds = seconds
            db.session.commit()
            db.session.remove()

    def stop(self):
        self.server.shutdown()
        self.thread.join(timeout=5)
        with self.app.app_context():
            db.session.remove()
            db.engine.dispose()
        if self.postgres:
            self.postgres.close()


def _seed() -> int:
    from server.kiosks.desks import create_desk
    from server.people.services import create_user
    from server.units.services import create_unit

    province = create_unit("Tỉnh Ninh Bình", "province")
    ward = create_unit("Phường Hoa Lư", "ward", parent=province)
    admin = create_user(ADMIN[0], ADMIN[1], "admin", display_name="Quản trị")
    # No minimum interval here: the test taps twice within seconds (tests/kiosks/test_kiosk_api
    # covers the interval on the server).
    desk = create_desk(admin, ward, DESK_NAME, SERVICES, 0)
    db.session.commit()
    return desk.id
