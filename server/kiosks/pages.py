"""The console's desk pages (/admin/kiosks) for admins and the officials of each unit: the
desks, a new desk, one desk (its settings, pairing a tablet with a one-time code, its ratings
by hour of a day, its flagged ratings). The rules are the services'; these views read forms
(through a marshmallow schema) and show results; a refusal re-renders the form's page with
its message (_refused)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import marshmallow as ma
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for

from server.admin.access import staff_required
from server.admin.i18n import tr
from server.admin.unit_lists import chosen_unit, page_number, search_text, unit_choices
from server.api_fields import BoundedInteger, Id
from server.auth.web import current_web_user
from server.errors import RuleError
from server.extensions import db
from server.kiosks import desks, pairing, ratings
from server.kiosks.desks import MIN_INTERVAL_RANGE
from server.kiosks.models import DEFAULT_MIN_INTERVAL_SECONDS, KioskDesk
from server.kiosks.routes import paired_counts
from server.units.models import Unit

bp = Blueprint("kiosks_admin", __name__, url_prefix="/admin/kiosks")

FLAG_LABELS = {"too_soon": ("Quá sát lần trước", "Too soon after the last"),
               "burst": ("Dồn dập bất thường", "Implausible burst")}


class DeskFormSchema(ma.Schema):
    """The console's desk form: services one per line."""
    unit_id = Id(load_default=None)
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    services = ma.fields.String(load_default="", validate=ma.validate.Length(max=5000))
    min_interval_seconds = BoundedInteger(minimum=MIN_INTERVAL_RANGE[0],
                                          maximum=MIN_INTERVAL_RANGE[1],
                                          load_default=DEFAULT_MIN_INTERVAL_SECONDS)
    is_active = ma.fields.Boolean(load_default=None)

    class Meta:
        unknown = ma.EXCLUDE


class DayQuerySchema(ma.Schema):
    date = ma.fields.Date(load_default=None)

    class Meta:
        unknown = ma.EXCLUDE


def _form() -> dict:
    try:
        data = DeskFormSchema().load(request.form.to_dict())
    except ma.ValidationError as error:
        fields = ", ".join(sorted(error.messages))
        raise RuleError("invalid_form", f"Kiểm tra lại: {fields}.", f"Check: {fields}.") from None
    data["services"] = data["services"].splitlines()
    return data


def _zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["DISPLAY_TIMEZONE"])


def _desk_or_404(desk_id: int) -> KioskDesk:
    desk = db.session.get(KioskDesk, desk_id)
    if desk is None or not desks.may_manage(current_web_user(), desk.unit):
        abort(404)
    return desk


def _overview(error: str | None = None, status: int = 200):
    user = current_web_user()
    listing = desks.desks_page(user, page_number(request.args.get("page")),
                               search_text(request.args.get("q")))
    selected = chosen_unit(user, request.args.get("unit") or request.form.get("unit_id"))
    unit_query = search_text(request.args.get("unit_q"))
    return render_template("kiosks/desks.html", listing=listing, error=error,
                           units=unit_choices(user, selected, unit_query), selected=selected,
                           unit_query=unit_query,
                           devices=paired_counts([d.id for d in listing.items]),
                           default_interval=DEFAULT_MIN_INTERVAL_SECONDS), status


@bp.get("/")
@staff_required
def overview():
    return _overview()


@bp.post("/")
@staff_required
def create_desk():
    data = _form()
    unit = db.session.get(Unit, data["unit_id"] or 0)
    if unit is None or not desks.may_manage(current_web_user(), unit):
        raise RuleError("unit_not_managed", "Hãy chọn một đơn vị bạn quản lý.",
                        "Choose a unit you manage.")
    desk = desks.create_desk(current_web_user(), unit, data["name"], data["services"],
                             data["min_interval_seconds"])
    flash(tr("Đã tạo bàn. Hãy tạo mã ghép nối cho máy tính bảng.",
             "The desk is made. Make a pairing code for its tablet."), "success")
    return redirect(url_for(".desk_detail", desk_id=desk.id))


def _desk_page(desk: KioskDesk, error: str | None = None, status: int = 200,
               pairing_code: dict | None = None):
    try:
        day = DayQuerySchema().load(request.args.to_dict())["date"]
    except ma.ValidationError:
        day = None
    day = day or datetime.now(_zone()).date()
    return render_template(
        "kiosks/desk.html", desk=desk, error=error, pairing_code=pairing_code, day=day,
        hours=ratings.hourly_counts(desk.id, day, _zone()),
        flagged=ratings.flagged_ratings(desk.id), flag_label=lambda f: tr(*FLAG_LABELS[f]),
        devices=paired_counts([desk.id]).get(desk.id, 0), zone=_zone(),
        kiosk_url=url_for("kiosk_screen.screen", _external=True)), status


@bp.errorhandler(RuleError)
def _refused(error: RuleError):
    """A refusal (the form's or a service's): the page the form was sent from, again, with
    the message and the refusal's status. The request's work is already rolled back."""
    message = tr(error.message_vi, error.message_en)
    desk_id = (request.view_args or {}).get("desk_id")
    if desk_id is None:
        return _overview(message, error.status)
    return _desk_page(_desk_or_404(desk_id), message, error.status)


@bp.get("/<int:desk_id>")
@staff_required
def desk_detail(desk_id: int):
    return _desk_page(_desk_or_404(desk_id))


@bp.post("/<int:desk_id>")
@staff_required
def update_desk(desk_id: int):
    desk = _desk_or_404(desk_id)
    data = _form()
    desks.update_desk(desk, current_web_user(), name=data["name"], services=data["services"],
                      min_interval_seconds=data["min_interval_seconds"],
                      is_active=data["is_active"])
    flash(tr("Đã lưu.", "Saved."), "success")
    return redirect(url_for(".desk_detail", desk_id=desk.id))


@bp.post("/<int:desk_id>/pair")
@staff_required
def make_pairing_code(desk_id: int):
    desk = _desk_or_404(desk_id)
    code, row = pairing.issue_code(desk, current_web_user().id)
    # Shown on this page only (never stored in clear): no redirect.
    return _desk_page(desk, pairing_code={"code": pairing.format_code(code),
                                          "expires_at": row.expires_at.astimezone(_zone())})


@bp.post("/<int:desk_id>/unpair")
@staff_required
def unpair(desk_id: int):
    desk = _desk_or_404(desk_id)
    count = pairing.unpair_all(desk, current_web_user().id)
    flash(tr(f"Đã gỡ {count} máy.", f"{count} tablet(s) unpaired."), "success")
    return redirect(url_for(".desk_detail", desk_id=desk.id))
