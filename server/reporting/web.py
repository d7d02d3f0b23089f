"""The officials' reports pages: the rounds of their units, progress and headline figures,
and the PDF downloads."""

from flask import Blueprint, abort, render_template

from reports.formatting import format_change_pp, format_date, format_int, format_percent
from server.analytics.build import build_round_summary, round_info
from server.auth.web import current_web_user, web_login_required
from server.extensions import db
from server.reporting.access import (
    may_see_report,
    round_report_units,
    top_units,
    unit_in_round,
    visible_rounds,
)
from server.reporting.services import summary_options
from server.rounds.models import Round
from server.units.models import UNIT_KIND_LABELS, Unit

bp = Blueprint("reporting_web", __name__)

STATUS_LABELS = {"draft": "Nháp", "planned": "Chưa bắt đầu", "open": "Đang diễn ra",
                 "closed": "Đã kết thúc"}


def _formatters() -> dict:
    return {
        "pct": lambda share: format_percent(share, "vi"),
        "num": lambda value: format_int(value, "vi") if value is not None else "–",
        "pp": lambda change: format_change_pp(change, "vi"),
        "day": lambda moment: format_date(moment, "vi"),
        "kind_label": lambda kind: UNIT_KIND_LABELS.get(kind, {}).get("vi", kind),
        "status_label": lambda status: STATUS_LABELS.get(status, status),
        "has_suppressed": lambda table: any(row.n_suppressed or any(
            cell.suppressed for cell in row.cells) for row in table.rows),
    }


def _summary(round_: Round, unit: Unit):
    return build_round_summary(db.session, round_, unit, summary_options())


@bp.route("/reports")
@web_login_required(roles=("admin", "official"))
def rounds_page():
    user = current_web_user()
    entries = []
    for round_ in visible_rounds(user):
        units = round_report_units(round_, user)
        entries.append({
            "round": round_, "info": round_info(round_),
            "cards": [{"unit": unit, "summary": _summary(round_, unit)} for unit in top_units(units)],
            "units": units,
        })
    return render_template("reporting/rounds.html", entries=entries, user=user, **_formatters())


@bp.route("/reports/rounds/<int:round_id>/units/<int:unit_id>")
@web_login_required(roles=("admin", "official"))
def unit_page(round_id: int, unit_id: int):
    user = current_web_user()
    round_ = db.session.get(Round, round_id)
    unit = db.session.get(Unit, unit_id)
    if round_ is None or unit is None or not unit_in_round(round_, unit):
        abort(404)
    if not may_see_report(user, unit):
        abort(403)
    children = [child for child in round_report_units(round_, user) if child.parent_id == unit.id]
    return render_template("reporting/unit.html", round=round_, info=round_info(round_),
                           unit=unit, summary=_summary(round_, unit), children=children,
                           user=user, **_formatters())
