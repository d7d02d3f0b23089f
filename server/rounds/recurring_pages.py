"""Recurring plans in the console: make one from a round ("twice a year, 1–31 May and
1–30 November"), list the plans and the rounds each will make, change or pause one."""

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from server.admin.access import admin_required
from server.admin.i18n import tr
from server.auth.web import current_web_user
from server.db_types import utcnow
from server.extensions import db
from server.rounds import recurring
from server.rounds.form_input import WINDOW_FIELDS, WINDOW_ROWS, whole_number, windows_from_form
from server.rounds.models import RecurringPlan, Round
from server.rounds.pages import bp
from server.rounds.services import RoundRuleError
from server.rounds.windows import MONTH_DAYS, Window, display_zone, window_of

COMING_SHOWN = 4


def _plan_or_404(plan_id: int) -> RecurringPlan:
    plan = db.session.get(RecurringPlan, plan_id)
    if plan is None:
        abort(404)
    return plan


def _rows(windows: list[dict]) -> list[dict]:
    """The windows table: the given windows, then empty rows up to WINDOW_ROWS."""
    rows = [{name: str(window.get(name, "")) for name in WINDOW_FIELDS} for window in windows]
    return rows + [dict.fromkeys(WINDOW_FIELDS, "") for _ in range(WINDOW_ROWS - len(rows))]


def _submitted_rows() -> list[dict]:
    return [{name: request.form.get(f"{name}-{row}", "") for name in WINDOW_FIELDS}
            for row in range(WINDOW_ROWS)]


def _half_year_later(window: Window) -> Window:
    def shift(month: int) -> int:
        return (month + 5) % 12 + 1

    def day(month: int, wanted: int) -> int:
        return min(wanted, 28 if month == 2 else MONTH_DAYS[month - 1])

    opens, closes = shift(window.open_month), shift(window.close_month)
    return Window(opens, day(opens, window.open_day), closes, day(closes, window.close_day))


def _suggested_windows(round_: Round) -> list[dict]:
    """The round's own days, and the same days six months later: twice a year."""
    first = window_of(round_.opens_at, round_.closes_at, display_zone())
    return [w.as_dict() for w in sorted({first, _half_year_later(first)})]


def _read_plan_form() -> tuple[str, list[dict], int]:
    windows = windows_from_form(request.form)
    lead_days = whole_number(request.form.get("lead_days"), 0, recurring.LEAD_DAYS_MAX,
                             "Số ngày tạo trước", "Days ahead")
    return request.form.get("title", ""), windows, lead_days


@bp.get("/recurring")
@admin_required
def list_plans():
    now = utcnow()
    plans = db.session.scalars(select(RecurringPlan).order_by(RecurringPlan.id.desc())).all()
    entries = [{"plan": plan, "coming": recurring.coming_rounds(plan, now, limit=2),
                "made": len(recurring.plan_rounds(plan))} for plan in plans]
    return render_template("admin/rounds/recurring_list.html", entries=entries)


@bp.route("/<int:round_id>/recurring", methods=["GET", "POST"])
@admin_required
def new_plan(round_id: int):
    round_ = db.session.get(Round, round_id)
    if round_ is None:
        abort(404)
    if request.method == "POST":
        try:
            plan = recurring.create_plan(round_, *_read_plan_form(), current_web_user().id)
        except RoundRuleError as error:
            return render_template("admin/rounds/recurring_new.html", round=round_,
                                   error=tr(error.message_vi, error.message_en),
                                   title=request.form.get("title", ""), rows=_submitted_rows(),
                                   lead_days=request.form.get("lead_days", "")), 400
        flash(tr("Đã lập lịch định kỳ.", "Recurring plan created."), "success")
        return redirect(url_for(".plan_detail", plan_id=plan.id))
    return render_template("admin/rounds/recurring_new.html", round=round_, error=None,
                           title=round_.title, rows=_rows(_suggested_windows(round_)),
                           lead_days="30")


def _plan_page(plan: RecurringPlan, error: str | None = None, form: dict | None = None):
    form = form or {"title": plan.title, "rows": _rows(plan.windows),
                    "lead_days": str(plan.lead_days)}
    template = db.session.get(Round, plan.template_round_id) if plan.template_round_id else None
    return render_template("admin/rounds/recurring_detail.html", plan=plan, error=error,
                           template_round=template, made=recurring.plan_rounds(plan),
                           coming=recurring.coming_rounds(plan, utcnow(), COMING_SHOWN),
                           **form)


@bp.get("/recurring/<int:plan_id>")
@admin_required
def plan_detail(plan_id: int):
    return _plan_page(_plan_or_404(plan_id))


@bp.post("/recurring/<int:plan_id>")
@admin_required
def update_plan(plan_id: int):
    plan = _plan_or_404(plan_id)
    try:
        recurring.update_plan(plan, current_web_user().id, *_read_plan_form())
    except RoundRuleError as error:
        form = {"title": request.form.get("title", ""), "rows": _submitted_rows(),
                "lead_days": request.form.get("lead_days", "")}
        return _plan_page(plan, tr(error.message_vi, error.message_en), form), 400
    flash(tr("Đã lưu lịch định kỳ.", "Recurring plan saved."), "success")
    return redirect(url_for(".plan_detail", plan_id=plan.id))


@bp.post("/recurring/<int:plan_id>/active")
@admin_required
def set_plan_active(plan_id: int):
    plan = _plan_or_404(plan_id)
    active = request.form.get("active") == "1"
    recurring.set_active(plan, active, current_web_user().id)
    flash(tr("Lịch định kỳ đã chạy lại.", "The plan is running again.") if active
          else tr("Đã tạm dừng lịch định kỳ.", "The plan is paused."), "success")
    return redirect(url_for(".plan_detail", plan_id=plan.id))
