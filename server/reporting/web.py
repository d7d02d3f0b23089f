"""The officials' reports pages: the rounds of their units (paged, newest first), a round's
units (paged, searched by name, filtered by level) with their headline figures, and a unit's
page with its figures, the units above it and below it, and the PDF downloads.

Every figure comes from the stored summaries (server/reporting/summaries.py): a view builds
only the summaries missing or out of date for the units on that page."""

import marshmallow as ma
from flask import Blueprint, abort, render_template, request, url_for

from reports.formatting import (
    format_change_pp,
    format_coverage,
    format_date,
    format_int,
    format_percent,
)
from server.analytics.build import VIETNAM, round_info
from server.auth.web import current_web_user, web_login_required
from server.extensions import db
from server.reporting.access import (
    child_rows,
    may_see_report,
    report_unit_page,
    top_report_units,
    unit_in_round,
    visible_rounds_page,
    visible_rounds_query,
)
from server.reporting.services import data_fingerprints, summary_options
from server.reporting.summaries import cached_summary, headlines
from server.rounds.models import Round
from server.units.models import UNIT_KIND_LABELS, UNIT_KINDS, Unit
from server.units.services import ancestors, fold

bp = Blueprint("reporting_web", __name__)

STATUS_LABELS = {"draft": "Nháp", "planned": "Chưa bắt đầu", "open": "Đang diễn ra",
                 "closed": "Đã kết thúc"}
ROUNDS_PER_PAGE = 4
UNITS_PER_PAGE = 20
FULL_CARDS = 2          # an official's own commune(s): the whole card, not only the headline
HEADLINE_CARDS = 6      # more top units (an admin without a country root): the first ones
# Above a commune a whole card lists a hundred child units per table: the headline only,
# the rest on the unit's page.
BROAD_KINDS = ("country", "province", "district")


class RoundsPageArgs(ma.Schema):
    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1, max=100_000))


class RoundUnitsArgs(ma.Schema):
    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1, max=100_000))
    q = ma.fields.String(load_default="", validate=ma.validate.Length(max=100))
    level = ma.fields.String(load_default=None, allow_none=True,
                             validate=ma.validate.OneOf(UNIT_KINDS))


def _args(schema: ma.Schema) -> dict:
    values = {key: value for key, value in request.args.items() if value != ""}
    try:
        return schema.load(values, unknown=ma.EXCLUDE)
    except ma.ValidationError:
        abort(400)


def _formatters() -> dict:
    return {
        "pct": lambda share: format_percent(share, "vi"),
        "num": lambda value: format_int(value, "vi") if value is not None else "–",
        # a change with its ▲/▼, as in the PDF; coverage over 100% flagged ("> 100%")
        "pp": lambda change: format_change_pp(change, "vi", marks=True),
        "cov": lambda share: format_coverage(share, "vi"),
        "day": lambda moment: format_date(moment, "vi"),
        "clock": lambda moment: moment.astimezone(VIETNAM).strftime("%H:%M %d/%m"),
        "kind_label": lambda kind: UNIT_KIND_LABELS.get(kind, {}).get("vi", kind),
        "status_label": lambda status: STATUS_LABELS.get(status, status),
        "has_suppressed": lambda table: any(row.n_suppressed or any(
            cell.suppressed for cell in row.cells) for row in table.rows),
    }


def _round_entry(round_: Round, user) -> dict:
    tops = top_report_units(round_, user)
    entry = {"round": round_, "info": round_info(round_), "tops": len(tops), "cards": [],
             "headlines": []}
    options = summary_options()
    if len(tops) <= FULL_CARDS and not any(unit.kind in BROAD_KINDS for unit in tops):
        fingerprints = data_fingerprints(round_, tops)
        for unit in tops:
            summary, headline = cached_summary(round_, unit, fingerprints[unit.id], options,
                                               recent_ok=True)
            entry["cards"].append({"unit": unit, "summary": summary, "headline": headline})
    else:
        shown = tops[:HEADLINE_CARDS]
        found = headlines(round_, shown, data_fingerprints(round_, shown), options)
        entry["headlines"] = [{"unit": unit, "headline": found[unit.id]} for unit in shown]
    return entry


@bp.route("/reports")
@web_login_required(roles=("admin", "official"))
def rounds_page():
    user = current_web_user()
    page = _args(RoundsPageArgs())["page"]
    rounds, total = visible_rounds_page(user, page, ROUNDS_PER_PAGE)
    entries = [_round_entry(round_, user) for round_ in rounds]
    pages = max(1, -(-total // ROUNDS_PER_PAGE))
    return render_template("reporting/rounds.html", entries=entries, user=user, page=page,
                           pages=pages, total=total, **_formatters())


def _visible_round(round_id: int, user) -> Round:
    round_ = db.session.scalar(visible_rounds_query(user).where(Round.id == round_id))
    if round_ is None:
        abort(404)
    return round_


@bp.route("/reports/rounds/<int:round_id>")
@web_login_required(roles=("admin", "official"))
def round_units_page(round_id: int):
    user = current_web_user()
    args = _args(RoundUnitsArgs())
    round_ = _visible_round(round_id, user)
    wanted = fold(args["q"])
    # accents and case ignored: folded here, the databases fold accents differently
    listed = report_unit_page(round_, user, args["level"], args["page"], UNITS_PER_PAGE,
                              name_filter=(lambda name: wanted in fold(name)) if wanted else None)
    levels = [kind for kind in UNIT_KINDS if kind in listed.kinds]
    pages = max(1, -(-listed.total // UNITS_PER_PAGE))
    shown = listed.rows
    found = headlines(round_, shown, data_fingerprints(round_, shown), summary_options())

    def page_url(number: int) -> str:
        return url_for("reporting_web.round_units_page", round_id=round_.id, page=number,
                       q=args["q"] or None, level=args["level"])

    return render_template("reporting/round_units.html", round=round_, info=round_info(round_),
                           rows=[{"unit": row, "headline": found[row.id]} for row in shown],
                           total=listed.total, page=args["page"], pages=pages,
                           page_url=page_url, levels=levels, level=args["level"], q=args["q"],
                           user=user, **_formatters())


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
    fingerprints = data_fingerprints(round_, [unit])
    summary, headline = cached_summary(round_, unit, fingerprints[unit.id], summary_options(),
                                       recent_ok=True)
    trail = [above for above in ancestors(unit) if may_see_report(user, above)]
    return render_template("reporting/unit.html", round=round_, info=round_info(round_),
                           unit=unit, summary=summary, headline=headline, trail=trail,
                           children=child_rows(round_, unit), user=user, **_formatters())
