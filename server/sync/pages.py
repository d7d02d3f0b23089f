"""The responses browser (/admin/responses, admins): find responses, read one with its
question labels, exclude it from reports with a reason, or undo that."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)

from server.admin.access import admin_required
from server.admin.i18n import current_lang, tr
from server.auth.web import current_web_user
from server.errors import ApiError
from server.extensions import db
from server.forms.models import FormVersion
from server.people.models import User
from server.progress.services import default_round, progress_rounds
from server.reporting.access import round_report_units
from server.rounds.models import Round
from server.sync.browse import (
    EXCLUSION_CHOICES,
    answer_lines,
    browse,
    parse_filter,
    reason_text,
    text_in,
    volunteers_of_round,
)
from server.sync.exclusion import REASON_MAX, exclude_response, include_response
from server.sync.models import RESPONSE_STATUSES, Response
from server.templating import local_time
from server.units.models import UNIT_KIND_LABELS

bp = Blueprint("responses_admin", __name__, url_prefix="/admin/responses")

STATUS_LABELS = {"accepted": ("Đã nhận", "Accepted"), "flagged": ("Cần xem lại", "Flagged"),
                 "rejected": ("Bị từ chối", "Rejected")}
EXCLUSION_LABELS = {"no": ("Chưa loại", "Not excluded"), "yes": ("Đã loại khỏi báo cáo", "Excluded")}


def _zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["DISPLAY_TIMEZONE"])


def _page_number() -> int:
    raw = request.args.get("page", "1")
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 9 else 1


@bp.route("/", endpoint="browse")
@admin_required
def browse_page():
    rounds = progress_rounds(current_web_user())
    default = default_round(rounds)
    parsed = parse_filter(request.args, default.id if default else None)
    for vi, en in parsed.problems:
        flash(tr(vi, en), "error")
    f = parsed.filter
    page = browse(f, _page_number(), _zone())
    round_ = db.session.get(Round, f.round_id) if f.round_id else None
    return render_template(
        "admin/responses/browse.html", f=f, page=page, rounds=rounds,
        units=round_report_units(round_) if round_ else [],
        volunteers=volunteers_of_round(round_.id) if round_ else [],
        statuses=RESPONSE_STATUSES, status_labels=STATUS_LABELS,
        exclusion_choices=EXCLUSION_CHOICES, exclusion_labels=EXCLUSION_LABELS,
        kind_labels=UNIT_KIND_LABELS, lang=current_lang(), local_time=local_time,
        back=request.full_path)


def _response_or_404(response_id: int) -> Response:
    response = db.session.get(Response, response_id)
    if response is None:
        abort(404)
    return response


def _back_link() -> str:
    """Where "back to the list" goes: the list the admin came from, or the response's round."""
    back = request.values.get("back", "")
    prefix = url_for("responses_admin.browse")
    return back if back.startswith(prefix) and "//" not in back else prefix


def _detail(response: Response, status: int = 200, reason: str = ""):
    lang = current_lang()
    version = db.session.get(FormVersion, response.form_version_id)   # the one it answered
    excluder = db.session.get(User, response.excluded_by_id) if response.excluded_by_id else None
    return render_template(
        "admin/responses/detail.html", response=response, version=version,
        lines=answer_lines(version.definition, response.answers, response.skipped, lang),
        excluder=excluder, status_labels=STATUS_LABELS, local_time=local_time,
        reason=reason, reason_max=REASON_MAX, back=_back_link(), lang=lang,
        text_in=text_in, reason_text=reason_text), status


@bp.route("/<int:response_id>")
@admin_required
def detail(response_id: int):
    return _detail(_response_or_404(response_id))


def _after_change(response: Response):
    return redirect(url_for("responses_admin.detail", response_id=response.id, back=_back_link()))


@bp.route("/<int:response_id>/exclude", methods=["POST"])
@admin_required
def exclude(response_id: int):
    response = _response_or_404(response_id)
    try:
        exclude_response(response, current_web_user(), request.form.get("reason"))
    except ApiError as error:
        if error.status == 409:
            flash(tr(error.message, error.details["message_en"]), "error")
            return _after_change(response)
        flash(tr(error.message, error.details["message_en"]), "error")
        return _detail(response, 400, request.form.get("reason", "")[:REASON_MAX * 2])
    flash(tr("Đã loại phiếu khỏi báo cáo.", "The response is excluded from reports."), "info")
    return _after_change(response)


@bp.route("/<int:response_id>/include", methods=["POST"])
@admin_required
def include(response_id: int):
    response = _response_or_404(response_id)
    try:
        include_response(response, current_web_user())
    except ApiError as error:
        flash(tr(error.message, error.details["message_en"]), "error")
        return _after_change(response)
    flash(tr("Phiếu được tính lại trong báo cáo.", "The response counts in reports again."), "info")
    return _after_change(response)
