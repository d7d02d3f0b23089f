"""The demo responses: valid, varied, commented, and better in the later round."""

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from server.analytics.build import build_round_summary
from server.db_types import utcnow
from server.demo.responses import generate_demo_responses
from server.forms.validation import validate_response
from server.sync.models import Response

ROOT = Path(__file__).resolve().parents[2]


def _two_rounds(factory, form_version):
    commune = factory.unit("Phường Hoa Lư", "ward")
    groups = [factory.unit(f"Tổ dân phố {n}", "residential_group", parent=commune)
              for n in ("Đông Thịnh", "Bắc Sơn", "Phúc Chỉnh", "Kỳ Lân")]
    now = utcnow()
    previous = factory.round(form_version, groups, opens_at=now - timedelta(days=200),
                             closes_at=now - timedelta(days=170), target_per_unit=30)
    current = factory.round(form_version, groups, opens_at=now - timedelta(days=10),
                            closes_at=now + timedelta(days=20), target_per_unit=40)
    return commune, groups, previous, current


def _check(db, factory, form_version):
    commune, groups, previous, current = _two_rounds(factory, form_version)
    volunteer = factory.user("tnv", "volunteer", units=[commune])
    made_before = generate_demo_responses(previous, groups, volunteer, seed=1, per_unit=(18, 30))
    made_now = generate_demo_responses(current, groups, volunteer, seed=2, per_unit=(20, 36))
    assert 18 * 4 <= made_before <= 30 * 4 and 20 * 4 <= made_now <= 36 * 4
    stored = db.session.scalars(select(Response).where(Response.round_id == current.id)).all()
    assert len(stored) == made_now
    definition = form_version.definition
    for response in stored[:40]:
        result = validate_response(definition, response.answers)
        assert result.ok and result.answers == response.answers
        assert sorted(result.skipped) == sorted(response.skipped)
        assert current.opens_at <= response.completed_at <= utcnow()
    before = build_round_summary(db.session, previous, commune)
    now = build_round_summary(db.session, current, commune)
    assert now.overall_index > before.overall_index
    shares = [item.share for item in now.items]
    assert min(shares) < 0.8 and max(shares) > min(shares)   # some dissatisfaction, varied
    assert now.comments and any("*" in comment.text for comment in now.comments)


def test_demo_responses_on_the_test_form(db, factory):
    from survey_data import FORM_PATH, publish_test_form
    _check(db, factory, publish_test_form(db, json.loads(FORM_PATH.read_text(encoding="utf-8"))))


@pytest.mark.skipif(not (ROOT / "forms" / "resident_survey.json").exists(),
                    reason="the default form is not there yet")
def test_demo_responses_on_the_default_form(db, factory):
    from survey_data import publish_test_form
    definition = json.loads((ROOT / "forms" / "resident_survey.json").read_text(encoding="utf-8"))
    _check(db, factory, publish_test_form(db, definition))
