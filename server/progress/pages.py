"""The progress pages (/admin/progress): admins see every round, officials their units'."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Response, abort, render_template, request, url_for

from reports.formatting import format_int, format_percent, percent_value
from server.admin.access import staff_required
from server.admin.i18n import current_lang, tr
from server.admin.unit_lists import page_number
from server.auth.access import can_see_unit
from server.auth.web import current_web_user
from server.extensions import db
from server.progress.chart import daily_chart
from server.progress.scope import default_round, progress_rounds
from server.progress.services import VIEWS, round_progress
from server.progress.sorting import UNIT_SORTS, VOLUNTEER_SORTS, sorted_rows
from server.progress.volunteers import attach_units
from server.reporting.access import unit_in_round
from server.reporting.export import csv_chunks
from server.rounds.models import Round
from server.templating import local_time
from server.units.models import UNIT_KIND_LABELS, Unit
from server.units.services import ancestors, slugify

bp = Blueprint("progress_admin", __name__, url_prefix="/admin/progress")

VOLUNTEERS_PER_PAGE = 100
# "Every unit of the round" lists 33,000 residential groups for the country: a page at a
# time (the CSV has them all).
UNITS_PER_PAGE = 200
TABLES = ("units", "volunteers")
STATUS_LABELS = {"draft": ("Nháp", "Draft"), "planned": ("Chưa bắt đầu", "Not started"),
                 "open": ("Đang diễn ra", "Open"), "closed": ("Đã kết thúc", "Closed")}


def _int_arg(name: str) -> int | None:
    """An id from the query string; a value that is not one is a 404."""
    raw = request.args.get(name)
    if raw in (None, ""):
        return None
    if not raw.isascii() or not raw.isdigit() or len(raw) > 12:
        abort(404)
    return int(raw)


@dataclass(frozen=True)
class Choice:
    """The round, unit and view asked for, checked against what the user may see."""
    rounds: list[Round]
    round: Round | None
    unit: Unit | None
    view: str


def _choice() -> Choice:
    user = current_web_user()
    rounds = progress_rounds(user)
    round_id = _int_arg("round")
    if round_id is None:
        round_ = default_round(rounds)
    else:
        round_ = next((r for r in rounds if r.id == round_id), None)
        if round_ is None:
            abort(404)
    unit = None
    unit_id = _int_arg("unit")
    if unit_id is not None:
        unit = db.session.get(Unit, unit_id)
        if unit is None or round_ is None or not unit_in_round(round_, unit):
            abort(404)
        if not can_see_unit(user, unit):
            abort(403)
    view = request.args.get("view", "children")
    return Choice(rounds, round_, unit, view if view in VIEWS else "children")


def _direction(name: str) -> bool:
    return request.args.get(name) == "desc"


def _sort_links(prefix: str, sorts: dict, current: str, descending: bool) -> dict:
    """For each column: the URL that sorts by it and its aria-sort. A second click on the
    sorted column reverses it; numbers sort largest first, names A to Z."""
    links = {}
    for key in sorts:
        args = request.args.to_dict()
        args[f"{prefix}sort"] = key
        if key == current:
            args[f"{prefix}dir"] = "asc" if descending else "desc"
        else:
            args[f"{prefix}dir"] = "asc" if key == "name" else "desc"
        args.pop(f"{prefix}page", None)         # a new order starts on its first page
        state = ("descending" if descending else "ascending") if key == current else "none"
        links[key] = (url_for("progress_admin.overview", **args), state)
    return links


@dataclass(frozen=True)
class Table:
    """One of the page's tables as asked for: its rows sorted, the page shown, the links."""
    rows: list
    count: int
    page: int
    pages: int
    sort_links: dict


def _table(rows: list, sorts: dict, prefix: str, per_page: int) -> Table:
    """The rows sorted as `{prefix}sort` and `{prefix}dir` ask (by name otherwise), and the
    page `{prefix}page` of them (the last one past the end)."""
    sort = request.args.get(f"{prefix}sort", "name")
    sort = sort if sort in sorts else "name"
    descending = _direction(f"{prefix}dir")
    ordered = sorted_rows(rows, sorts, sort, descending)
    pages = max(1, -(-len(ordered) // per_page))
    page = min(page_number(request.args.get(f"{prefix}page")), pages)
    return Table(ordered[(page - 1) * per_page:page * per_page], len(ordered), page, pages,
                 _sort_links(prefix, sorts, sort, descending))


def _breadcrumbs(unit: Unit | None, round_: Round) -> list[Unit]:
    """The scope's ancestors the user may open (within the round)."""
    if unit is None:
        return []
    user = current_web_user()
    return [a for a in ancestors(unit) if can_see_unit(user, a) and unit_in_round(round_, a)]


def _formatters(lang: str) -> dict:
    return {
        "num": lambda value: format_int(value, lang) if value is not None else "–",
        "pct": lambda share: format_percent(share, lang),
        "kind_label": lambda kind: UNIT_KIND_LABELS.get(kind, {}).get(lang, kind),
        "status_label": lambda status: tr(*STATUS_LABELS.get(status, (status, status))),
    }


@bp.route("/")
@staff_required
def overview():
    choice = _choice()
    lang = current_lang()
    context = {"choice": choice, "progress": None, **_formatters(lang)}
    if choice.round is None:
        return render_template("admin/progress/overview.html", **context)
    progress = round_progress(choice.round, current_web_user(), choice.unit, choice.view)
    volunteers = _table(progress.volunteers, VOLUNTEER_SORTS, "v", VOLUNTEERS_PER_PAGE)
    attach_units(volunteers.rows)
    units = _table(progress.rows, UNIT_SORTS, "", UNITS_PER_PAGE)
    context.update(
        progress=progress,
        rows=units.rows, unit_count=units.count, upage=units.page, upages=units.pages,
        volunteers=volunteers.rows, volunteer_count=volunteers.count, vpage=volunteers.page,
        vpages=volunteers.pages, unit_sorts=units.sort_links,
        volunteer_sorts=volunteers.sort_links,
        chart=daily_chart(progress.days, progress.total.target),
        breadcrumbs=_breadcrumbs(choice.unit, choice.round),
        args=request.args.to_dict(), local_time=local_time)
    return render_template("admin/progress/overview.html", **context)


def _unit_csv_rows(progress, lang: str):
    yield ["unit_id", "unit", "kind", "responses", "target", "coverage_percent",
           "expected_by_now", "shortfall", "late", "rejected", "excluded"]
    for row in sorted_rows(progress.rows, UNIT_SORTS, "name", False):
        coverage = percent_value(row.coverage)   # one rounding rule (reports.formatting)
        name = row.name + (tr(" (tại chính đơn vị)", " (at the unit itself)") if row.own else "")
        yield [row.id, name, UNIT_KIND_LABELS.get(row.kind, {}).get(lang, row.kind),
               row.responses, row.target, coverage, row.expected, row.shortfall,
               row.counts.late, row.counts.rejected, row.counts.excluded]
    total = progress.total
    yield ["", tr("Tổng", "Total"), "", total.responses, total.target,
           percent_value(total.coverage),
           total.expected, total.shortfall, total.counts.late, total.counts.rejected,
           total.counts.excluded]


def _volunteer_csv_rows(progress):
    yield ["volunteer_id", "name", "username", "units", "responses", "late", "rejected",
           "excluded", "last_response_at", "last_sync_at", "app_version", "queued"]
    rows = sorted_rows(progress.volunteers, VOLUNTEER_SORTS, "name", False)
    attach_units(rows)
    for row in rows:
        yield [row.id, row.display_name, row.username, "; ".join(row.units), row.responses,
               row.counts.late, row.counts.rejected, row.counts.excluded,
               local_time(row.last_response_at, "%Y-%m-%d %H:%M"),
               local_time(row.last_sync_at, "%Y-%m-%d %H:%M"), row.app_version, row.queued]


@bp.route("/export.csv")
@staff_required
def export_csv():
    """The units table (or ?table=volunteers) of the page, as CSV (UTF-8 with a BOM)."""
    choice = _choice()
    if choice.round is None:
        abort(404)
    table = request.args.get("table", "units")
    if table not in TABLES:
        abort(404)
    progress = round_progress(choice.round, current_web_user(), choice.unit, choice.view)
    rows = (_unit_csv_rows(progress, current_lang()) if table == "units"
            else _volunteer_csv_rows(progress))
    # Small (one row per unit or volunteer) and already counted: written out at once.
    body = b"".join(csv_chunks(rows))
    scope = slugify(choice.unit.name) if choice.unit else "all"
    name = f"tien-do-{choice.round.slug or choice.round.id}-{scope}-{table}.csv"
    response = Response(body, mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    response.charset = "utf-8"
    return response

