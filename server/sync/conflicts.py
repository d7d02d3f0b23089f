"""Conflicts, as services: listing them a page at a time, and deciding one.

Using the later upload replaces the stored response with it as a whole (unit, volunteer,
times, answers, content hash: all from the upload, validated again as on receipt, with the
phone's own "today"); both versions stay in the audit log and the round's data version goes
up, so its cached reports are made again. Services flush; the request commits.
"""

from datetime import datetime

from sqlalchemy import func, select

from server.audit.services import record
from server.db_types import utcnow
from server.errors import ApiError
from server.extensions import db
from server.forms.models import FormVersion
from server.forms.validation import validate_response
from server.people.models import User
from server.rounds.models import Round
from server.sync.content import content_hash
from server.sync.models import Response, ResponseConflict
from server.sync.round_data import mark_answers_changed
from server.sync.rules import phone_today

RESOLUTIONS = ("kept_stored", "used_submitted")


def conflict_page(resolved: bool, page: int, per_page: int) -> tuple[list[tuple], int]:
    """(conflict, stored answers or None) pairs of one page, oldest first, and the total."""
    matching = (ResponseConflict.resolved_at.is_not(None) if resolved
                else ResponseConflict.resolved_at.is_(None))
    total = db.session.scalar(select(func.count(ResponseConflict.id)).where(matching))
    rows = db.session.execute(
        select(ResponseConflict, Response.answers)
        .outerjoin(Response, Response.uuid == ResponseConflict.uuid)
        .where(matching)
        .order_by(ResponseConflict.received_at, ResponseConflict.id)
        .limit(per_page).offset((page - 1) * per_page)).all()
    return [tuple(row) for row in rows], total


def _refusal(status: int, code: str, message_vi: str, message_en: str, **details) -> ApiError:
    return ApiError(status, code, message_vi, {"message_en": message_en, **details})


def _check_replaceable(conflict: ResponseConflict, response: Response | None) -> None:
    if response is None:
        raise _refusal(409, "stored_response_missing",
                       "Phiếu đã lưu với mã này không còn nữa; không thể thay bằng bản gửi sau.",
                       "The stored response with this UUID no longer exists; it cannot be replaced.")
    # Conflicts kept before uploads were checked like new responses may lie elsewhere.
    if (conflict.round_id != response.round_id or conflict.unit_id is None
            or conflict.form_version_id != response.form_version_id):
        raise _refusal(409, "submitted_out_of_scope",
                       "Bản gửi sau thuộc đợt khảo sát, đơn vị hoặc mẫu phiếu khác với phiếu đã "
                       "lưu; chỉ có thể giữ bản đã lưu.",
                       "The later upload belongs to another round, unit or form version than "
                       "the stored response; only the stored one can be kept.")


def _moment(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _use_submitted(conflict: ResponseConflict, response: Response | None, actor: User) -> None:
    _check_replaceable(conflict, response)
    submitted = conflict.payload
    started_at, completed_at = _moment(submitted.get("started_at")), _moment(submitted["completed_at"])
    version = db.session.get(FormVersion, response.form_version_id)
    result = validate_response(version.definition, conflict.answers, phone_today(completed_at),
                               content_hash=version.content_hash)
    if result.errors:
        raise _refusal(400, "submitted_version_invalid",
                       "Bản gửi sau không hợp lệ với mẫu phiếu; giữ bản đã lưu.",
                       "The later upload does not pass the form's checks; keep the stored one.",
                       errors=result.errors)
    record(actor.id, "response.replaced", "response", response.uuid,
           {"previous_hash": response.content_hash, "previous_answers": response.answers,
            "previous_unit_id": response.unit_id, "previous_volunteer_id": response.volunteer_id,
            "previous_started_at": _iso(response.started_at),
            "previous_completed_at": _iso(response.completed_at), "conflict_id": conflict.id})
    round_ = db.session.get(Round, response.round_id)
    response.unit_id = conflict.unit_id
    response.volunteer_id = conflict.volunteer_id
    response.started_at, response.completed_at = started_at, completed_at
    response.received_at = conflict.received_at
    response.is_late = conflict.received_at >= round_.closes_at
    response.client = submitted.get("client") or {}
    response.answers = result.answers
    response.skipped = list(result.skipped)
    # Recomputed from what is now stored, so the hash always covers the stored unit and times.
    response.content_hash = content_hash(response.round_id, response.form_version_id,
                                         response.unit_id, started_at, completed_at,
                                         conflict.answers)
    mark_answers_changed(response.round_id)


def resolve_conflict(conflict_id: int, resolution: str, actor: User) -> tuple[ResponseConflict, Response | None]:
    """Decide a conflict (one of RESOLUTIONS); returns it and the response now stored under
    its UUID. Raises ApiError: 404 no such conflict, 409 decided already or the stored
    response cannot be replaced, 400 the upload fails the form's checks."""
    # Locked: two admins deciding the same conflict at once decide it once.
    conflict = db.session.get(ResponseConflict, conflict_id, with_for_update=True)
    if conflict is None:
        raise _refusal(404, "not_found", "Không tìm thấy phiếu trùng mã.", "No such conflict.")
    if conflict.resolved_at is not None:
        raise _refusal(409, "already_resolved", "Phiếu trùng mã này đã được xử lý.",
                       "This conflict was already resolved.")
    response = db.session.scalar(select(Response).where(Response.uuid == conflict.uuid))
    if resolution == "used_submitted":
        _use_submitted(conflict, response, actor)
    conflict.resolution = resolution
    conflict.resolved_at = utcnow()
    conflict.resolved_by_id = actor.id
    record(actor.id, "conflict.resolved", "response_conflict", conflict.id,
           {"resolution": resolution, "uuid": conflict.uuid})
    db.session.flush()
    return conflict, response
