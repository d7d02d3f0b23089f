"""The officials' reports pages: the rounds of their units (paged, newest first), a round's
units (paged, searched by name, filtered by level) with their headline figures, and a unit's
page with its figures, the units above it and below it, and the PDF downloads.

Every figure comes from the stored summaries (server/reporting/summaries.py): a view builds
only the summaries missing or out of date for the units on that page, and never the summary
of a broad unit of an open round (its last stored figures are shown with their time, or
"being computed"; server/reporting/warming.py keeps them fresh)."""

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
from server.reporting.summaries import BROAD_KINDS, headlines, view_summary, views_may_build
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
# Seconds a view spends building the out-of-date summaries of its page (a commune's takes
# 0.1-0.3 s at national scale): the rest show their stored figures or "being computed", and
# the page reloads itself soon to go on (reporting/refresh.js). A first view is the page's
# own 0.1-0.3 s, this budget and at most one summary past it: under 1 s on two cores.
VIEW_BUILD_BUDGET = 0.35
RELOAD_SOON, RELOAD_LATER = 3, 90     # seconds: the view goes on / a job makes them
# Above a commune (BROAD_KINDS) a whole card lists a hundred child units per table: the
# headline only, the rest on the unit's page.


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


def _fingerprints(round_: Round, units: list) -> dict[int, str]:
    """The data fingerprints of the units whose summary a view may build. The others (broad
    units of an open round, big ones of a closed round without stored aggregates) show their
    stored figures with their time whatever the data: their fingerprint alone reads the
    whole open round (~0.4 s at national scale)."""
    allowed = views_may_build(round_, units)
    wanted = [unit for unit in units if unit.id in allowed]
    return data_fingerprints(round_, wanted) if wanted else {}


def _round_entry(round_: Round, user) -> dict:
    tops = top_report_units(round_, user)
    entry = {"round": round_, "info": round_info(round_), "tops": len(tops), "cards": [],
             "headlines": [], "reload": None}
    options = summary_options()
    if len(tops) <= FULL_CARDS and not any(unit.kind in BROAD_KINDS for unit in tops):
        fingerprints = _fingerprints(round_, tops)
        for unit in tops:
            summary, headline = view_summary(round_, unit, fingerprints.get(unit.id), options)
            entry["cards"].append({"unit": unit, "summary": summary, "headline": headline})
    else:
        shown = tops[:HEADLINE_CARDS]
        fingerprints = _fingerprints(round_, shown)
        found = headlines(round_, shown, fingerprints, options, VIEW_BUILD_BUDGET)
        entry["headlines"] = [{"unit": unit, "headline": found[unit.id]} for unit in shown]
        entry["reload"] = _reload_after(shown, fingerprints, found)
    return entry


def _reload_after(units: list, fingerprints: dict, found: dict) -> int | None:
    """Seconds after which a page with figures still missing reloads itself: soon when the
    next view can make them (past this view's budget), later when a job makes them."""
    missing = [unit for unit in units if found.get(unit.id) is None]
    if not missing:
        return None
    return RELOAD_SOON if any(unit.id in fingerprints for unit in missing) else RELOAD_LATER


@bp.route("/reports")
@web_login_required(roles=("admin", "official"))
def rounds_page():
    user = current_web_user()
    page = _args(RoundsPageArgs())["page"]
    rounds, total = visible_rounds_page(user, page, ROUNDS_PER_PAGE)
    entries = [_round_entry(round_, user) for round_ in rounds]
    pages = max(1, -(-total // ROUNDS_PER_PAGE))
    waits = [entry["reload"] for entry in entries if entry["reload"]]
    return render_template("reporting/rounds.html", entries=entries, user=user, page=page,
                           pages=pages, total=total, reload=min(waits) if waits else None,
                           **_formatters())


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
    # accents and case ignored: matched against the stored folded names
    listed = report_unit_page(round_, user, args["level"], args["page"], UNITS_PER_PAGE,
                              name_contains=fold(args["q"]) or None)
    levels = [kind for kind in UNIT_KINDS if kind in listed.kinds]
    pages = max(1, -(-listed.total // UNITS_PER_PAGE))
    shown = listed.rows
    fingerprints = _fingerprints(round_, shown)
    found = headlines(round_, shown, fingerprints, summary_options(), VIEW_BUILD_BUDGET)

    def page_url(number: int) -> str:
        return url_for("reporting_web.round_units_page", round_id=round_.id, page=number,
                       q=args["q"] or None, level=args["level"])

    return render_template("reporting/round_units.html", round=round_, info=round_info(round_),
                           rows=[{"unit": row, "headline": found[row.id]} for row in shown],
                           total=listed.total, page=args["page"], pages=pages,
                           page_url=page_url, levels=levels, level=args["level"], q=args["q"],
                           reload=_reload_after(shown, fingerprints, found), user=user,
                           **_formatters())


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
    summary, headline = view_summary(round_, unit, _fingerprints(round_, [unit]).get(unit.id),
                                     summary_options())
    trail = [above for above in ancestors(unit) if may_see_report(user, above)]
    return render_template("reporting/unit.html", round=round_, info=round_info(round_),
                           unit=unit, summary=summary, headline=headline, trail=trail,
                           children=child_rows(round_, unit), user=user, **_formatters())
