"""The live site the suggestion-box browser test drives: the real app on 127.0.0.1:<free
port>, served by werkzeug in a thread, seeded with a ward, its official and one box. On
PostgreSQL (TEST_DATABASE_URL) it gets a database of its own (tests/admin/cycle_support)."""

import threading
from pathlib import Path

from werkzeug.serving import make_server

from server import create_app
from server.extensions import db
from tests.admin.cycle_support import OwnPostgresDatabase

OFFICIAL = ("canbo.hoalu", "mat-khau-can-bo-2026", "Nguyễn Thị Hoa")
BOX_NAME = "Nhà văn hóa tổ dân phố Đông Thịnh"


class SuggestionSite:
    def __init__(self, tmp: Path, postgres_url: str | None = None):
        self.postgres = OwnPostgresDatabase(postgres_url) if postgres_url else None
        database_url = self.postgres.url if self.postgres else "sqlite:///" + str(tmp / "sb.db")
        self.app = create_app({"SQLALCHEMY_DATABASE_URI": database_url,
                               "SECRET_KEY": "suggestion-box-test", "ENVIRONMENT": "testing",
                               "TESTING": True, "SCHEDULER_ENABLED": False})
        self.app.instance_path = str(tmp / "instance")
        with self.app.app_context():
            db.create_all()
            self.box_code = _seed()
            db.session.remove()
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stored_messages(self) -> list[dict]:
        from server.suggestions.models import SuggestionMessage

        with self.app.app_context():
            try:
                rows = db.session.scalars(db.select(SuggestionMessage)
                                          .order_by(SuggestionMessage.id)).all()
                return [{"body": m.body, "receipt": m.receipt_code, "status": m.status,
                         "uuid": m.client_uuid, "topic": m.topic.key if m.topic else None}
                        for m in rows]
            finally:
                db.session.remove()

    def stop(self):
        self.server.shutdown()
        self.thread.join(timeout=5)
        with self.app.app_context():
            db.session.remove()
            db.engine.dispose()
        if self.postgres:
            self.postgres.close()


def _seed() -> str:
    from server.people.services import create_user
    from server.suggestions.boxes import create_box
    from server.units.services import create_unit

    province = create_unit("Tỉnh Ninh Bình", "province")
    ward = create_unit("Phường Hoa Lư", "ward", parent=province)
    group = create_unit("Tổ dân phố Đông Thịnh", "residential_group", parent=ward)
    official = create_user(OFFICIAL[0], OFFICIAL[1], "official", display_name=OFFICIAL[2],
                           units=[ward])
    box = create_box(official, group, BOX_NAME)
    db.session.commit()
    return box.code
