"""Conflicts, as services: listing them a page at a time, and deciding one. The API
(server/sync/review.py) and the console (server/sync/conflict_pages.py) both call these.

Using the later upload replaces the stored response with it as a whole (unit, volunteer,
times, answers, content hash: all from the upload, validated again as on receipt, with the
phone's own "today"); both versions stay in the audit log and the round's data version goes
up, so its cached reports are made again. Services flush; the request commits.

The reason for a decision is one rule, here (clean_reason): when given it must say
something (NFC, trimmed, 1 to REASON_MAX characters) and it is kept in the audit log with
the decision. Only omitting it altogether (None) is allowed, for API clients written before
reasons existed; the console always sends the field, so a blank one is refused there.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from server.audit.models import AuditEntry
from server.audit.services import record
from server.db_types import utcnow
from server.errors import ApiError
from server.extensions import db
from server.forms.models import FormVersion
from server.forms.validation import ValidationResult, validate_response
from server.people.models import User
from server.rounds.models import Round
from server.sync.content import content_hash
from server.sync.models import Response, ResponseConflict
from server.sync.round_data import mark_answers_changed
from server.sync.rules import phone_today
from server.sync.text_hygiene import BrokenText, clean_text
from server.units.models import Unit

RESOLUTIONS = ("kept_stored", "used_submitted")
REASON_MAX = 500


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


@dataclass(frozen=True, slots=True)
class ConflictList:
    rows: list
    total: int
    page: int
    pages: int


def conflict_list(resolved: bool, page: int, per_page: int = 25) -> ConflictList:
    """One page of conflicts with the names the console shows: open ones oldest first (the
    queue to work through), decided ones latest decided first."""
    matching = (ResponseConflict.resolved_at.is_not(None) if resolved
                else ResponseConflict.resolved_at.is_(None))
    total = db.session.scalar(select(func.count(ResponseConflict.id)).where(matching))
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    volunteer, resolver = aliased(User), aliased(User)
    order = ((ResponseConflict.resolved_at.desc(), ResponseConflict.id.desc()) if resolved
             else (ResponseConflict.received_at, ResponseConflict.id))
    rows = db.session.execute(
        select(ResponseConflict.id, ResponseConflict.uuid, ResponseConflict.received_at,
               ResponseConflict.resolved_at, ResponseConflict.resolution,
               Round.title.label("round_title"), Unit.name.label("unit_name"),
               volunteer.display_name.label("volunteer_name"),
               volunteer.username.label("volunteer_username"),
               resolver.display_name.label("resolved_by"),
               Response.id.label("stored_id"))
        .outerjoin(Round, Round.id == ResponseConflict.round_id)
        .outerjoin(Unit, Unit.id == ResponseConflict.unit_id)
        .join(volunteer, volunteer.id == ResponseConflict.volunteer_id)
        .outerjoin(resolver, resolver.id == ResponseConflict.resolved_by_id)
        .outerjoin(Response, Response.uuid == ResponseConflict.uuid)
        .where(matching).order_by(*order)
        .limit(per_page).offset((page - 1) * per_page)).all()
    return ConflictList(rows, total, page, pages)


def _refusal(status: int, code: str, message_vi: str, message_en: str, **details) -> ApiError:
    return ApiError(status, code, message_vi, {"message_en": message_en, **details})


def clean_reason(raw: str | None) -> str | None:
    """The reason as kept: NFC, trimmed, no invisible controls. None when not given at all
    (allowed: see the module's note); ApiError 400 when blank, too long or broken."""
    if raw is None:
        return None
    try:
        reason = clean_text(unicodedata.normalize("NFC", raw)).strip()
    except BrokenText:
        raise _refusal(400, "reason_invalid", "Lý do chứa ký tự bị lỗi.",
                       "The reason contains a broken character.") from None
    if not reason:
        raise _refusal(400, "reason_required", "Hãy ghi lý do của quyết định.",
                       "Give a reason for the decision.")
    if len(reason) > REASON_MAX:
        raise _refusal(400, "reason_too_long", f"Lý do dài quá {REASON_MAX} ký tự.",
                       f"The reason is longer than {REASON_MAX} characters.",
                       max_length=REASON_MAX)
    return reason


def _check_resolution(resolution: str) -> None:
    if resolution not in RESOLUTIONS:
        raise _refusal(400, "resolution_invalid",
                       "Hãy chọn giữ phiếu đã lưu hoặc thay bằng bản gửi sau.",
                       "Choose to keep the stored response or to replace it with the later "
                       "upload.", choices=list(RESOLUTIONS))


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


def submitted_validation(conflict: ResponseConflict) -> ValidationResult | None:
    """The later upload's answers checked as on receipt (the phone's "today"), against the
    form version it names; None when that version is gone."""
    version = (db.session.get(FormVersion, conflict.form_version_id)
               if conflict.form_version_id is not None else None)
    if version is None:
        return None
    completed_at = _moment(conflict.payload["completed_at"])
    return validate_response(version.definition, conflict.answers, phone_today(completed_at),
                             content_hash=version.content_hash)


def _replacement(conflict: ResponseConflict, response: Response | None) -> ValidationResult:
    """The answers that would replace the stored ones; ApiError when the later upload may
    not replace the stored response."""
    _check_replaceable(conflict, response)
    result = submitted_validation(conflict)
    if result.errors:
        raise _refusal(400, "submitted_version_invalid",
                       "Bản gửi sau không hợp lệ với mẫu phiếu; giữ bản đã lưu.",
                       "The later upload does not pass the form's checks; keep the stored one.",
                       errors=result.errors)
    return result


def replacement_refusal(conflict: ResponseConflict, response: Response | None) -> ApiError | None:
    """Why the later upload cannot replace the stored response, or None when it can (the
    console offers only "keep" then, and says why)."""
    try:
        _replacement(conflict, response)
    except ApiError as refusal:
        return refusal
    return None


def _facts(response: Response) -> dict:
    """What a replacement changes besides the answers (the audit's before and after)."""
    return {"unit_id": response.unit_id, "volunteer_id": response.volunteer_id,
            "started_at": _iso(response.started_at), "completed_at": _iso(response.completed_at),
            "received_at": _iso(response.received_at), "is_late": response.is_late,
            "content_hash": response.content_hash}


def _use_submitted(conflict: ResponseConflict, response: Response | None, actor: User,
                   reason: str | None) -> None:
    result = _replacement(conflict, response)
    submitted = conflict.payload
    started_at, completed_at = _moment(submitted.get("started_at")), _moment(submitted["completed_at"])
    # The previous_* keys as before reasons existed; before/after for the audit page's diff.
    details = {"previous_hash": response.content_hash, "previous_answers": response.answers,
               "previous_unit_id": response.unit_id, "previous_volunteer_id": response.volunteer_id,
               "previous_started_at": _iso(response.started_at),
               "previous_completed_at": _iso(response.completed_at), "conflict_id": conflict.id,
               "reason": reason, "before": _facts(response)}
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
    record(actor.id, "response.replaced", "response", response.uuid,
           {**details, "after": _facts(response)})
    mark_answers_changed(response.round_id)


def _decision(conflict: ResponseConflict) -> dict:
    return {"resolution": conflict.resolution, "resolved_at": _iso(conflict.resolved_at),
            "resolved_by_id": conflict.resolved_by_id}


def resolve_conflict(conflict_id: int, resolution: str, actor: User,
                     reason: str | None = None) -> tuple[ResponseConflict, Response | None]:
    """Decide a conflict (one of RESOLUTIONS), for a reason (see clean_reason); returns it
    and the response now stored under its UUID. Raises ApiError: 400 a bad resolution or
    reason, or the upload fails the form's checks; 404 no such conflict; 409 decided
    already or the stored response cannot be replaced."""
    _check_resolution(resolution)
    reason = clean_reason(reason)
    # Locked and read afresh (a caller may hold it loaded already): two admins deciding the
    # same conflict at once decide it once.
    conflict = db.session.get(ResponseConflict, conflict_id, with_for_update=True,
                              populate_existing=True)
    if conflict is None:
        raise _refusal(404, "not_found", "Không tìm thấy phiếu trùng mã.", "No such conflict.")
    if conflict.resolved_at is not None:
        raise _refusal(409, "already_resolved", "Phiếu trùng mã này đã được xử lý.",
                       "This conflict was already resolved.")
    response = db.session.scalar(select(Response).where(Response.uuid == conflict.uuid))
    if resolution == "used_submitted":
        _use_submitted(conflict, response, actor, reason)
    before = _decision(conflict)
    conflict.resolution = resolution
    conflict.resolved_at = utcnow()
    conflict.resolved_by_id = actor.id
    record(actor.id, "conflict.resolved", "response_conflict", conflict.id,
           {"resolution": resolution, "uuid": conflict.uuid, "reason": reason,
            "before": before, "after": _decision(conflict)})
    db.session.flush()
    return conflict, response


def resolution_reasons(conflict_ids: list[int]) -> dict[int, str | None]:
    """The reason recorded with each decided conflict's decision (in the audit log)."""
    if not conflict_ids:
        return {}
    rows = db.session.execute(
        select(AuditEntry.object_id, AuditEntry.details)
        .where(AuditEntry.action == "conflict.resolved",
               AuditEntry.object_type == "response_conflict",
               AuditEntry.object_id.in_([str(i) for i in conflict_ids]))
        .order_by(AuditEntry.id))
    return {int(object_id): (details or {}).get("reason") for object_id, details in rows}
