"""The console's Rounds pages (/admin/rounds): the list, planning a round, and a round's own
page with its actions (close early, extend, reopen, move, settings, per-unit targets).
The rules are the services'; these views read forms and show results."""

import marshmallow as ma
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from server.admin.access import admin_required
from server.admin.i18n import current_lang, tr
from server.admin.unit_lists import page_number, search_text
from server.auth.web import current_web_user
from server.db_types import utcnow
from server.extensions import db
from server.rounds import lifecycle
from server.rounds.document import document_values, update_document
from server.rounds.form_input import local_datetime, local_input, optional_number, whole_number
from server.rounds.models import LATE_POLICIES, RecurringPlan, Round
from server.rounds.overview import round_lines
from server.rounds.planning_form import (
    DOCUMENT_LABELS,
    PlanForm,
    create_from_form,
    document_form_values,
    plan_page_context,
)
from server.rounds.schemas import RoundDocumentSchema
from server.rounds.services import TARGET_MAX, TARGET_MIN, RoundRuleError
from server.rounds.unit_page import round_totals, round_unit_names, round_unit_page
from server.units.models import UNIT_KIND_LABELS

bp = Blueprint("rounds_admin", __name__, url_prefix="/admin/rounds")

STATUS_LABELS = {"draft": ("Nháp", "Draft"), "planned": ("Sắp diễn ra", "Planned"),
                 "open": ("Đang diễn ra", "Open"), "closed": ("Đã kết thúc", "Closed")}
STATUS_BADGES = {"draft": "", "planned": "warn", "open": "ok", "closed": ""}
LATE_LABELS = {"accept": ("Nhận, đánh dấu nộp muộn", "Accept, marked late"),
               "refuse": ("Từ chối sau khi đóng", "Refuse after closing")}


@bp.context_processor
def _round_labels():
    return {"round_status_label": lambda status: tr(*STATUS_LABELS[status]),
            "round_status_badge": STATUS_BADGES.get,
            "late_label": lambda policy: tr(*LATE_LABELS[policy]),
            "late_policies": LATE_POLICIES, "local_input": local_input,
            "unit_kind_label": _kind_label}


def _kind_label(kind: str) -> str:
    return UNIT_KIND_LABELS.get(kind, {}).get(current_lang(), kind)


def _message(error: RoundRuleError) -> str:
    return tr(error.message_vi, error.message_en)


def _actor_id() -> int:
    return current_web_user().id


def _round_or_404(round_id: int) -> Round:
    round_ = db.session.get(Round, round_id)
    if round_ is None:
        abort(404)
    return round_


@bp.get("/")
@admin_required
def list_rounds():
    return render_template("admin/rounds/list.html", lines=round_lines(utcnow()))


@bp.route("/new", methods=["GET", "POST"])
@admin_required
def plan_round():
    form = PlanForm.read(request.form if request.method == "POST" else request.args)
    if request.method == "POST" and request.form.get("action") == "create":
        try:
            round_ = create_from_form(form, _actor_id(), utcnow())
        except RoundRuleError as error:
            page = render_template("admin/rounds/plan.html", error=_message(error),
                                   **plan_page_context(form))
            return page, 400
        flash(tr(f"Đã lập đợt “{round_.title}”.", f"Round “{round_.title}” planned."), "success")
        return redirect(url_for(".round_detail", round_id=round_.id))
    return render_template("admin/rounds/plan.html", error=None, **plan_page_context(form))


def _listing_args() -> dict:
    """The page and search of the round's unit list, from the address or (after saving
    targets) the form that carried them, as url_for arguments."""
    args = {"page": page_number(request.values.get("page")),
            "q": search_text(request.values.get("q"))}
    return {key: value for key, value in args.items() if value and value != 1}


def _detail_page(round_: Round, error: str | None = None, status: int = 200):
    plan = db.session.get(RecurringPlan, round_.recurring_plan_id) \
        if round_.recurring_plan_id else None
    args = _listing_args()
    totals = round_totals(round_)
    listing = round_unit_page(round_, args.get("page", 1), args.get("q", ""), totals.units)
    page = render_template("admin/rounds/detail.html", round=round_, plan=plan, error=error,
                           state=round_.effective_status(utcnow()), totals=totals,
                           listing=listing, document=document_values(round_),
                           document_labels=DOCUMENT_LABELS)
    return page, status


@bp.get("/<int:round_id>")
@admin_required
def round_detail(round_id: int):
    return _detail_page(_round_or_404(round_id))


def _act(round_id: int, change, done_vi: str, done_en: str, **back):
    """Run one change on the round; on a refusal show the page again with the reason (400,
    so nothing of the attempt is kept), else back to the page (`back`: its address
    arguments) with a message."""
    round_ = _round_or_404(round_id)
    try:
        change(round_)
    except RoundRuleError as error:
        return _detail_page(round_, _message(error), 400)
    flash(tr(done_vi, done_en), "success")
    return redirect(url_for(".round_detail", round_id=round_id, **back))


def _when(field: str, vi: str, en: str):
    return local_datetime(request.form.get(field), vi, en)


@bp.post("/<int:round_id>/close")
@admin_required
def close_round(round_id: int):
    return _act(round_id, lambda r: lifecycle.close_early(r, _actor_id()),
                "Đã đóng đợt khảo sát.", "The round is closed.")


@bp.post("/<int:round_id>/extend")
@admin_required
def extend_round(round_id: int):
    return _act(round_id, lambda r: lifecycle.extend(
        r, _when("closes_at", "Đóng lúc", "Closes at"), _actor_id()),
        "Đã gia hạn đợt khảo sát.", "The round is extended.")


@bp.post("/<int:round_id>/reopen")
@admin_required
def reopen_round(round_id: int):
    return _act(round_id, lambda r: lifecycle.reopen(
        r, _when("closes_at", "Đóng lúc", "Closes at"), _actor_id()),
        "Đã mở lại đợt khảo sát.", "The round is reopened.")


@bp.post("/<int:round_id>/window")
@admin_required
def reschedule_round(round_id: int):
    return _act(round_id, lambda r: lifecycle.reschedule(
        r, _when("opens_at", "Mở lúc", "Opens at"), _when("closes_at", "Đóng lúc", "Closes at"),
        _actor_id()), "Đã đổi thời gian đợt khảo sát.", "The round's dates are changed.")


def _settings(round_: Round) -> None:
    form = request.form
    lifecycle.update_settings(
        round_, _actor_id(), title=form.get("title", ""),
        target_per_unit=whole_number(form.get("target_per_unit"), TARGET_MIN, TARGET_MAX,
                                     "Chỉ tiêu mặc định", "Default target"),
        late_policy=form.get("late_policy", ""))


@bp.post("/<int:round_id>/settings")
@admin_required
def save_settings(round_id: int):
    return _act(round_id, _settings, "Đã lưu.", "Saved.")


def _posted_targets() -> dict[int, str]:
    """The target fields of the form ("target-<unit id>": the page of units it showed)."""
    fields = {}
    for field, value in request.form.items():
        prefix, _, unit_id = field.partition("-")
        if prefix == "target" and unit_id.isascii() and unit_id.isdigit() and len(unit_id) < 10:
            fields[int(unit_id)] = value
    return fields


def _targets(round_: Round) -> None:
    fields = _posted_targets()
    names = round_unit_names(round_.id, set(fields))
    targets = {unit_id: optional_number(value, TARGET_MIN, TARGET_MAX, names[unit_id],
                                        names[unit_id])
               for unit_id, value in fields.items() if unit_id in names}
    lifecycle.change_targets(round_, targets, _actor_id())


@bp.post("/<int:round_id>/targets")
@admin_required
def save_targets(round_id: int):
    return _act(round_id, _targets, "Đã lưu chỉ tiêu.", "Targets saved.", **_listing_args())


def _document(round_: Round) -> None:
    try:
        values = RoundDocumentSchema().load(document_form_values(request.form))
    except ma.ValidationError as error:
        vi, en = DOCUMENT_LABELS.get(next(iter(error.messages)), ("", ""))
        raise RoundRuleError("bad_document", f"Văn bản báo cáo: “{vi}” quá dài hoặc có quá "
                             "nhiều dòng.", f"Report document: “{en}” is too long or has too "
                             "many lines.") from None
    update_document(round_, _actor_id(), values)


@bp.post("/<int:round_id>/document")
@admin_required
def save_document(round_id: int):
    return _act(round_id, _document, "Đã lưu thông tin văn bản báo cáo.",
                "Report document settings saved.")


from server.rounds import recurring_pages  # noqa: E402,F401  (its routes join this blueprint)
