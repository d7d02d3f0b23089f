"""On SQLite a report view reads for seconds while uploads commit: storing its cached PDF
must not fail the view (a read transaction cannot start writing once another writer has
committed), and the PDF is still cached."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from server import create_app
from server.db_types import utcnow
from server.extensions import db as _db
from server.forms.services import publish_definition
from server.reporting.models import CachedReport
from server.reporting.services import report_pdf
from server.rounds.models import Round
from server.rounds.services import create_round
from server.units.models import Unit
from server.units.services import create_unit
from tests.conftest import DEFAULT_FORM


@pytest.fixture
def sqlite_app(tmp_path):
    import json
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'own.db'}",
                      "TESTING": True, "SECRET_KEY": "test", "SCHEDULER_ENABLED": False,
                      "SQLITE_BUSY_TIMEOUT_MS": 2000})
    with app.app_context():
        _db.create_all()
        commune = create_unit("Phường Hoa Lư", "ward")
        version = publish_definition(json.loads(DEFAULT_FORM.read_text(encoding="utf-8")))
        create_round("Đợt 1", version, [commune], utcnow() - timedelta(days=1),
                     utcnow() + timedelta(days=5))
        _db.session.commit()
    yield app
    with app.app_context():
        _db.session.remove()
        _db.engine.dispose()


def _another_writer_commits(app):
    with app.test_request_context("/api/v1/units", method="POST"):
        create_unit("Tổ mới", "residential_group")
        _db.session.commit()


def test_a_report_view_caches_its_pdf_after_others_committed(sqlite_app):
    with sqlite_app.test_request_context("/api/v1/rounds/1/units/1/report.pdf", method="GET"):
        round_ = _db.session.scalar(select(Round))  # the read transaction has begun
        unit = _db.session.scalar(select(Unit).where(Unit.kind == "ward"))
        writer = threading.Thread(target=_another_writer_commits, args=(sqlite_app,))
        writer.start()
        writer.join(timeout=10)
        pdf = report_pdf(round_, unit)
        _db.session.rollback()
    assert pdf.startswith(b"%PDF")
    with sqlite_app.app_context():
        assert _db.session.scalar(select(func.count(CachedReport.id))) == 1
