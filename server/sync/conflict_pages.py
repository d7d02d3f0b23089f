"""The conflicts page (/admin/conflicts, admins): a second, different upload under a UUID
already stored, shown beside the stored response with the differences marked; keep the
stored one or replace it with the later upload, for a reason. The decision is the API's
(server/sync/conflicts.py resolve_conflict): audited, the same rules."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from server.admin.access import admin_required
from server.admin.i18n import current_lang, tr
from server.auth.web import current_web_user
from server.errors import ApiError
from server.extensions import db
from server.people.models import User
from server.sync.conflict_compare import side_by_side
from server.sync.conflicts import (
    REASON_MAX,
    RESOLUTIONS,
    conflict_list,
    replacement_refusal,
    resolution_reasons,
    resolve_conflict,
)
from server.sync.models import Response, ResponseConflict
from server.templating import local_time

bp = Blueprint("conflicts_admin", __name__, url_prefix="/admin/conflicts")

STATES = ("open", "resolved")
RESOLUTION_LABELS = {"kept_stored": ("Giữ phiếu đã lưu", "Keep the stored response"),
                     "used_submitted": ("Thay bằng bản gửi sau", "Replace it with the later upload")}
# Refusals about what the admin typed or picked: the page again, with what they typed.
FORM_PROBLEMS = ("reason_required", "reason_too_long", "reason_invalid", "resolution_invalid")


def _page_number() -> int:
    raw = request.args.get("page", "1")
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 9 else 1


def _state() -> str:
    state = request.args.get("state", "open")
    if state not in STATES:
        flash(tr("Trạng thái không hợp lệ; đang xem các xung đột chưa xử lý.",
                 "Unknown state; showing the open conflicts."), "error")
        return "open"
    return state


@bp.route("/", endpoint="list_conflicts")
@admin_required
def list_page():
    state = _state()
    page = conflict_list(state == "resolved", _page_number())
    return render_template("admin/conflicts/list.html", state=state, page=page,
                           resolution_labels=RESOLUTION_LABELS, local_time=local_time)


def _conflict_or_404(conflict_id: int) -> ResponseConflict:
    conflict = db.session.get(ResponseConflict, conflict_id)
    if conflict is None:
        abort(404)
    return conflict


def _next_open(after: ResponseConflict) -> int | None:
    """The oldest open conflict other than this one: where to go on from here."""
    return db.session.scalar(
        select(ResponseConflict.id)
        .where(ResponseConflict.resolved_at.is_(None), ResponseConflict.id != after.id)
        .order_by(ResponseConflict.received_at, ResponseConflict.id).limit(1))


def _problems(refusal: ApiError | None, lang: str) -> list[tuple[str | None, str]]:
    """(question, message) of each form check the later upload fails."""
    errors = (refusal.details.get("errors") or []) if refusal is not None else []
    return [(error.get("question"), error["message"].get(lang) or error["message"]["vi"])
            for error in errors]


def _detail(conflict: ResponseConflict, status: int = 200, reason: str = "",
            choice: str | None = None):
    lang = current_lang()
    response = db.session.scalar(select(Response).where(Response.uuid == conflict.uuid))
    decided = conflict.resolved_at is not None
    refusal = None if decided else replacement_refusal(conflict, response)
    return render_template(
        "admin/conflicts/detail.html", conflict=conflict, response=response,
        comparison=side_by_side(conflict, response, lang), refusal=refusal,
        refusal_message=tr(refusal.message, refusal.details["message_en"]) if refusal else "",
        refusal_errors=_problems(refusal, lang),
        resolver=db.session.get(User, conflict.resolved_by_id) if decided else None,
        recorded_reason=resolution_reasons([conflict.id]).get(conflict.id) if decided else None,
        next_open=_next_open(conflict), resolutions=RESOLUTIONS,
        resolution_labels=RESOLUTION_LABELS, reason=reason, reason_max=REASON_MAX,
        choice=choice or ("kept_stored" if refusal else None), lang=lang,
        local_time=local_time), status


@bp.route("/<int:conflict_id>")
@admin_required
def detail(conflict_id: int):
    return _detail(_conflict_or_404(conflict_id))


@bp.route("/<int:conflict_id>/resolve", methods=["POST"])
@admin_required
def resolve(conflict_id: int):
    conflict = _conflict_or_404(conflict_id)
    resolution = request.form.get("resolution", "")
    # Always a string: the page requires a reason (a blank one is refused by the service).
    reason = request.form.get("reason", "")
    try:
        resolve_conflict(conflict.id, resolution, current_web_user(), reason)
    except ApiError as error:
        flash(tr(error.message, error.details["message_en"]), "error")
        if error.code in FORM_PROBLEMS:
            return _detail(conflict, 400, reason[:REASON_MAX * 2],
                           resolution if resolution in RESOLUTIONS else None)
        # decided meanwhile, or the later upload may not replace the stored response
        return redirect(url_for("conflicts_admin.detail", conflict_id=conflict.id))
    if resolution == "used_submitted":
        flash(tr("Đã thay phiếu đã lưu bằng bản gửi sau.",
                 "The stored response is replaced with the later upload."), "info")
    else:
        flash(tr("Đã giữ phiếu đã lưu; bản gửi sau vẫn được lưu trong nhật ký xung đột.",
                 "The stored response is kept; the later upload stays on record."), "info")
    return redirect(url_for("conflicts_admin.detail", conflict_id=conflict.id))
