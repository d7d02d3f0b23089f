"""The responses browser (/admin/responses, admins): find responses, read one with its
question labels, exclude it from reports with a reason, or undo that."""

from __future__ import annotations

from dataclasses import dataclass
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
from sqlalchemy import func, select

from server.admin.access import admin_required
from server.admin.i18n import current_lang, tr
from server.auth.web import current_web_user
from server.errors import ApiError
from server.extensions import db
from server.forms.models import FormVersion
from server.people.models import User
from server.progress.scope import default_round, progress_rounds
from server.reporting.access import top_report_units
from server.rounds.models import Round, round_units
from server.sync.browse import (
    EXCLUSION_CHOICES,
    answer_lines,
    browse,
    parse_filter,
    reason_text,
    text_in,
)
from server.sync.exclusion import REASON_MAX, exclude_response, include_response
from server.sync.models import RESPONSE_STATUSES, Response
from server.templating import local_time
from server.units.models import UNIT_KIND_LABELS, Unit
from server.units.tree import natural_key

bp = Blueprint("responses_admin", __name__, url_prefix="/admin/responses")

STATUS_LABELS = {"accepted": ("Đã nhận", "Accepted"), "flagged": ("Cần xem lại", "Flagged"),
                 "rejected": ("Bị từ chối", "Rejected")}
EXCLUSION_LABELS = {"no": ("Chưa loại", "Not excluded"), "yes": ("Đã loại khỏi báo cáo", "Excluded")}


def _zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["DISPLAY_TIMEZONE"])


@dataclass(frozen=True, slots=True)
class UnitChoice:
    id: int
    name: str
    depth: int


def _children_in_round(round_id: int, unit) -> list[Unit]:
    """The unit's children with one of the round's units at or below them, in name order:
    found from the paths of the round's units below it (one read of short strings, faster
    than climbing the tree from a national round's 33,000 units)."""
    start = len(unit.path)
    paths = db.session.scalars(
        select(Unit.path).join(round_units, round_units.c.unit_id == Unit.id)
        .where(round_units.c.round_id == round_id,
               Unit.path.startswith(unit.path, autoescape=True)))
    ids = {int(path[start:].split("/", 1)[0]) for path in paths if len(path) > start}
    children = db.session.scalars(select(Unit).where(Unit.parent_id == unit.id,
                                                     Unit.id.in_(sorted(ids)))).all()
    return sorted(children, key=lambda child: (natural_key(child.name), child.id))


def unit_choices(round_: Round, selected_id: int | None, user: User) -> list[UnitChoice]:
    """The unit filter's choices a level at a time: the round's top units, the way down to
    the chosen unit and the units just below it (a national round's 36,000 units never go
    into one list; choosing a unit opens the level below it)."""
    tops = top_report_units(round_, user)
    selected = db.session.get(Unit, selected_id) if selected_id else None
    if selected is not None:
        opened = {*selected.ancestor_ids, selected.id}
    else:
        opened = {tops[0].id} if len(tops) == 1 else set()
    choices: list[UnitChoice] = []

    def add(units, depth: int) -> None:
        for unit in units:
            choices.append(UnitChoice(unit.id, unit.name, depth))
            if unit.id in opened:
                add(_children_in_round(round_.id, unit), depth + 1)

    add(tops, 0)
    if selected is not None and all(choice.id != selected.id for choice in choices):
        choices.append(UnitChoice(selected.id, selected.name, 0))   # keep the filter shown
    return choices


VOLUNTEER_CHOICES_MAX = 500
# Above this many round units, the volunteers of the whole round are not looked for (a
# national round: 33,000 groups, 660,000 responses): a unit is chosen first.
ROUND_UNITS_FOR_ALL_VOLUNTEERS = 2000


def volunteer_choices(round_id: int, unit: Unit | None) -> list[tuple[int, str, str]] | None:
    """(id, name, username) of those with a response in the round (below the chosen unit if
    one is): the volunteer filter's choices; None when there are too many for a list."""
    if unit is None:
        members = db.session.scalar(select(func.count()).select_from(round_units).where(
            round_units.c.round_id == round_id))
        if members > ROUND_UNITS_FOR_ALL_VOLUNTEERS:
            return None
    responses = select(Response.volunteer_id).where(Response.round_id == round_id)
    if unit is not None:
        responses = responses.where(Response.unit_id.in_(
            select(Unit.id).where(Unit.path.startswith(unit.path, autoescape=True))))
    rows = db.session.execute(
        select(User.id, User.display_name, User.username)
        .where(User.id.in_(responses.distinct()))
        .order_by(User.display_name, User.id).limit(VOLUNTEER_CHOICES_MAX + 1)).all()
    return None if len(rows) > VOLUNTEER_CHOICES_MAX else [tuple(row) for row in rows]


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
    user = current_web_user()
    return render_template(
        "admin/responses/browse.html", f=f, page=page, rounds=rounds,
        units=unit_choices(round_, f.unit_id, user) if round_ else [],
        volunteers=volunteer_choices(round_.id, db.session.get(Unit, f.unit_id)
                                     if f.unit_id else None) if round_ else [],
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
