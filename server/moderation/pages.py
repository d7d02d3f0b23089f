"""The moderation page of the officials' reports (/reports/rounds/<r>/units/<u>/comments),
also reached from the admin console's round page: the same services as the API."""

from __future__ import annotations

import marshmallow as ma
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from reports.formatting import format_int
from server.analytics.spec import form_spec
from server.auth.web import current_web_user, web_login_required
from server.errors import ApiError
from server.extensions import db
from server.moderation.comments import STATES, comment_groups, group_page
from server.moderation.schemas import FinalFormSchema, ModerationFormSchema
from server.moderation.scope import moderation_scope
from server.moderation.services import (
    MODERATION_REASONS,
    NOTE_MAX,
    hide_comments,
    moderation_open,
    reason_label,
    set_reports_final,
    unhide_comments,
)
from server.reporting.access import top_report_units
from server.rounds.models import Round
from server.templating import local_time

bp = Blueprint("moderation_web", __name__)

STAFF = ("admin", "official")
PER_PAGE = 50
# A comment repeated thousands of times (a national round) lists its first occurrences one by
# one; the group's "all" buttons act on the rest.
OCCURRENCES_SHOWN = 50
DONE = {"hide": "Đã ẩn {n} ý kiến khỏi báo cáo.", "hide_identical": "Đã ẩn {n} ý kiến khỏi báo cáo.",
        "unhide": "Đã hiện lại {n} ý kiến trong báo cáo.",
        "unhide_identical": "Đã hiện lại {n} ý kiến trong báo cáo."}


def _scope(round_id: int, unit_id: int):
    try:
        return moderation_scope(round_id, unit_id, current_web_user())
    except ApiError as error:
        abort(error.status)


def _view_args() -> tuple[str, int]:
    state = request.args.get("state", "all")
    raw = request.args.get("page", "1")
    page = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 9 else 1
    return (state if state in STATES else "all"), page


def _page(round_, unit, status: int = 200, error: str | None = None):
    state, page_number = _view_args()
    page = group_page(comment_groups(round_, unit), state, page_number, PER_PAGE)
    spec = form_spec(round_.form_version.definition)
    labels = {name: spec.question(name).label.vi for name in spec.comments}
    user = current_web_user()
    html = render_template(
        "moderation/comments.html", round=round_, unit=unit, page=page, state=state,
        user=user, error=error, open=moderation_open(round_),
        closed=round_.effective_status() == "closed", question_labels=labels,
        reasons=MODERATION_REASONS, reason_label=reason_label, note_max=NOTE_MAX,
        occurrences_shown=OCCURRENCES_SHOWN,
        num=lambda value: format_int(value, "vi"), local_time=local_time)
    return html, status


@bp.get("/reports/rounds/<int:round_id>/comments")
@web_login_required(roles=STAFF)
def round_comments(round_id: int):
    """The moderation page of the user's top unit in the round, or a choice of them."""
    round_ = db.session.get(Round, round_id)
    if round_ is None:
        abort(404)
    units = top_report_units(round_, current_web_user())
    if not units:
        abort(403)
    if len(units) == 1:
        return redirect(url_for(".unit_comments", round_id=round_.id, unit_id=units[0].id))
    return render_template("moderation/choose.html", round=round_, units=units)


@bp.get("/reports/rounds/<int:round_id>/units/<int:unit_id>/comments")
@web_login_required(roles=STAFF)
def unit_comments(round_id: int, unit_id: int):
    round_, unit = _scope(round_id, unit_id)
    return _page(round_, unit)


@bp.post("/reports/rounds/<int:round_id>/units/<int:unit_id>/comments")
@web_login_required(roles=STAFF)
def moderate(round_id: int, unit_id: int):
    round_, unit = _scope(round_id, unit_id)
    raw = {key: request.form.get(key) for key in ("action", "group", "reason", "note")
           if request.form.get(key) not in (None, "")}
    raw["comment"] = request.form.getlist("comment")
    try:
        form = ModerationFormSchema().load(raw)
    except ma.ValidationError:
        return _page(round_, unit, 400, "Yêu cầu không hợp lệ: hãy chọn ý kiến và thao tác.")
    identical = form["action"].endswith("_identical")
    refs = [form["group"]] if identical and form["group"] else form["comment"]
    user = current_web_user()
    try:
        if form["action"].startswith("hide"):
            result = hide_comments(round_, unit, user, refs, form["reason"], form["note"],
                                   identical)
        else:
            result = unhide_comments(round_, unit, user, refs, identical)
    except ApiError as error:
        return _page(round_, unit, error.status, error.message)
    flash(DONE[form["action"]].format(n=result.changed), "info")
    state, page = _view_args()
    return redirect(url_for(".unit_comments", round_id=round_.id, unit_id=unit.id,
                            state=state, page=page), 303)


@bp.post("/reports/rounds/<int:round_id>/final")
@web_login_required(roles=("admin",))
def reports_final(round_id: int):
    round_ = db.session.get(Round, round_id)
    if round_ is None:
        abort(404)
    try:
        form = FinalFormSchema().load({key: request.form.get(key) for key in ("action", "unit_id")
                                       if request.form.get(key)})
    except ma.ValidationError:
        abort(400)
    try:
        set_reports_final(round_, current_web_user(), form["action"] == "final")
        flash("Đã chốt báo cáo của đợt." if form["action"] == "final"
              else "Đã mở lại việc kiểm duyệt ý kiến.", "info")
    except ApiError as error:
        flash(error.message, "error")
    if form["unit_id"]:
        return redirect(url_for(".unit_comments", round_id=round_.id, unit_id=form["unit_id"]),
                        303)
    return redirect(url_for(".round_comments", round_id=round_.id), 303)
