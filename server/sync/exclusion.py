"""Excluding a response from reports (a test, a fake) with a reason, and undoing it.

An excluded response stays stored: reports and the progress screen do not count it
(`not_excluded`, `counted`), the admin export keeps it with an `excluded` column
(`excluded_flag`). Each change raises the round's data version, so cached reports are made
again, and is audited with the state before and after.
"""

from __future__ import annotations

import unicodedata

from sqlalchemy import ColumnElement, and_, update

from server.analytics.queries import COUNTED_STATUSES
from server.audit.services import record
from server.db_types import utcnow
from server.errors import ApiError
from server.extensions import db
from server.people.models import User
from server.sync.models import Response
from server.sync.round_data import mark_answers_changed
from server.sync.text_hygiene import BrokenText, clean_text

REASON_MAX = 500


def not_excluded() -> ColumnElement[bool]:
    """The condition on `Response` of a response no admin has excluded."""
    return Response.excluded_at.is_(None)


def excluded_flag() -> ColumnElement[bool]:
    """True for an excluded response: the export's `excluded` column."""
    return Response.excluded_at.is_not(None)


def counted() -> ColumnElement[bool]:
    """A response that counts in reports and progress: not rejected, not excluded."""
    return and_(Response.status.in_(COUNTED_STATUSES), not_excluded())


def _state(response: Response) -> dict:
    return {"excluded": response.excluded_at is not None,
            "excluded_at": response.excluded_at.isoformat() if response.excluded_at else None,
            "reason": response.excluded_reason, "excluded_by_id": response.excluded_by_id}


def clean_reason(raw: str | None) -> str:
    """The reason as stored: NFC, trimmed, no invisible controls; ApiError 400 when it is
    missing, too long or broken."""
    try:
        reason = clean_text(unicodedata.normalize("NFC", raw or "")).strip()
    except BrokenText:
        raise ApiError(400, "reason_invalid", "Lý do chứa ký tự bị lỗi.",
                       {"message_en": "The reason contains a broken character."}) from None
    if not reason:
        raise ApiError(400, "reason_required", "Hãy ghi lý do loại phiếu khỏi báo cáo.",
                       {"message_en": "Give a reason for excluding the response."})
    if len(reason) > REASON_MAX:
        raise ApiError(400, "reason_too_long",
                       f"Lý do dài quá {REASON_MAX} ký tự.",
                       {"message_en": f"The reason is longer than {REASON_MAX} characters."})
    return reason


def _changed(response: Response, condition, values: dict) -> bool:
    """One conditional UPDATE: of two admins acting at once, only one changes the row."""
    result = db.session.execute(
        update(Response).where(Response.id == response.id, condition).values(**values)
        .execution_options(synchronize_session=False))
    db.session.refresh(response)
    return result.rowcount == 1


def exclude_response(response: Response, actor: User, raw_reason: str | None) -> Response:
    """Exclude the response from reports and progress; the caller's request commits."""
    reason = clean_reason(raw_reason)
    before = _state(response)
    values = {"excluded_at": utcnow(), "excluded_reason": reason, "excluded_by_id": actor.id}
    if not _changed(response, not_excluded(), values):
        raise ApiError(409, "already_excluded", "Phiếu này đã bị loại khỏi báo cáo.",
                       {"message_en": "This response is already excluded from reports."})
    mark_answers_changed(response.round_id)
    record(actor.id, "response.excluded", "response", response.uuid,
           {"response_id": response.id, "round_id": response.round_id,
            "unit_id": response.unit_id, "before": before, "after": _state(response)})
    return response


def include_response(response: Response, actor: User) -> Response:
    """Undo an exclusion: the response counts again."""
    before = _state(response)
    values = {"excluded_at": None, "excluded_reason": None, "excluded_by_id": None}
    if not _changed(response, excluded_flag(), values):
        raise ApiError(409, "not_excluded", "Phiếu này không bị loại khỏi báo cáo.",
                       {"message_en": "This response is not excluded from reports."})
    mark_answers_changed(response.round_id)
    record(actor.id, "response.included", "response", response.uuid,
           {"response_id": response.id, "round_id": response.round_id,
            "unit_id": response.unit_id, "before": before, "after": _state(response)})
    return response
