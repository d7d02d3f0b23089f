"""The console's suggestion-box pages (/admin/suggestions), for admins and the officials of
each unit: the boxes and the newest messages, a box with its poster and messages, one message
(assign, reply, close, publish or withhold), the figures panel, and the topic list (admins).
The rules are the services'; these views read forms and show results; a refusal re-renders
the form's page with its message (_refused)."""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)

from server.admin.access import admin_required, staff_required
from server.admin.i18n import tr
from server.admin.unit_lists import chosen_unit, page_number, search_text, unit_choices
from server.api_fields import ID_MAX
from server.auth.web import current_web_user
from server.db_types import utcnow
from server.errors import RuleError
from server.extensions import db
from server.people.models import User
from server.suggestions import boxes, handling, links, topics
from server.suggestions.codes import format_receipt
from server.suggestions.figures import suggestion_figures
from server.suggestions.models import (
    MESSAGE_STATUSES,
    SuggestionBox,
    SuggestionMessage,
    SuggestionTopic,
)
from server.suggestions.rules import SuggestionRuleError
from server.units.models import Unit

bp = Blueprint("suggestions_admin", __name__, url_prefix="/admin/suggestions")

STATUS_LABELS = {"new": ("Mới", "New"), "assigned": ("Đang xử lý", "Being handled"),
                 "answered": ("Đã trả lời", "Answered"), "closed": ("Đã đóng", "Closed")}
MODERATION_LABELS = {"pending": ("Chưa công bố", "Not published"),
                     "published": ("Đã công bố", "Published"),
                     "withheld": ("Không công bố", "Withheld")}
DEFAULT_PERIOD_DAYS = 90


@bp.context_processor
def _labels():
    return {"status_label": lambda s: tr(*STATUS_LABELS[s]),
            "moderation_label": lambda m: tr(*MODERATION_LABELS[m]),
            "statuses": MESSAGE_STATUSES, "format_receipt": format_receipt,
            "status_labels": [tr(*STATUS_LABELS[s]) for s in MESSAGE_STATUSES]}


def _id(text: str | None) -> int | None:
    text = (text or "").strip()
    return int(text) if text.isascii() and text.isdigit() and 0 < int(text) <= ID_MAX else None


def _user() -> User:
    return current_web_user()


def _box_or_404(box_id: int) -> SuggestionBox:
    box = db.session.get(SuggestionBox, box_id)
    if box is None or not boxes.may_handle(_user(), box.unit):
        abort(404)
    return box


def _message_or_404(message_id: int) -> SuggestionMessage:
    message = db.session.get(SuggestionMessage, message_id)
    if message is None or not boxes.may_handle(_user(), message.box.unit):
        abort(404)
    return message


def _status_filter() -> str | None:
    status = request.args.get("status") or None
    return status if status in MESSAGE_STATUSES else None


# --- boxes --------------------------------------------------------------------------------------

def _overview(error: str | None = None, status: int = 200):
    user = _user()
    listing = boxes.boxes_page(user, page_number(request.args.get("page")),
                               search_text(request.args.get("q")))
    selected = chosen_unit(user, request.args.get("unit") or request.form.get("unit_id"))
    unit_query = search_text(request.args.get("unit_q"))
    page = render_template("suggestions/boxes.html", listing=listing,
                           counts=boxes.message_counts([box.id for box in listing.items]),
                           units=unit_choices(user, selected, unit_query), selected=selected,
                           unit_query=unit_query, error=error, status_filter=_status_filter(),
                           inbox=handling.visible_messages(user, _status_filter(), limit=50))
    return page, status


@bp.get("/")
@staff_required
def overview():
    return _overview()


@bp.post("/boxes")
@staff_required
def create_box():
    unit = db.session.get(Unit, _id(request.form.get("unit_id")) or 0)
    if unit is None or not boxes.may_handle(_user(), unit):
        raise SuggestionRuleError("unit_not_managed", "Hãy chọn một đơn vị bạn quản lý.",
                                  "Choose a unit you manage.")
    box = boxes.create_box(_user(), unit, request.form.get("name", ""))
    flash(tr("Đã tạo hòm thư. Hãy in áp phích để dán tại nơi đặt hòm thư.",
             "The box is made. Print its poster for the wall where it stands."), "success")
    return redirect(url_for(".box_detail", box_id=box.id))


def _box_page(box: SuggestionBox, error: str | None = None, status: int = 200):
    page_number = max(1, min(_id(request.args.get("page")) or 1, 100_000))
    messages, total = handling.box_messages(box, _status_filter(), page_number)
    page = render_template("suggestions/box.html", box=box, messages=messages, total=total,
                           page=page_number, status_filter=_status_filter(),
                           public_url=links.box_url(box), error=error)
    return page, status


@bp.get("/boxes/<int:box_id>")
@staff_required
def box_detail(box_id: int):
    return _box_page(_box_or_404(box_id))


@bp.post("/boxes/<int:box_id>")
@staff_required
def update_box(box_id: int):
    box = _box_or_404(box_id)
    state = request.form.get("is_open")
    boxes.update_box(box, _user(), name=request.form.get("name"),
                     is_open=None if state is None else state == "1")
    flash(tr("Đã lưu.", "Saved."), "success")
    return redirect(url_for(".box_detail", box_id=box.id))


@bp.get("/boxes/<int:box_id>/poster.pdf")
@staff_required
def poster(box_id: int):
    box = _box_or_404(box_id)
    return Response(links.poster_pdf(box), mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{links.poster_filename(box)}"'})


# --- one message --------------------------------------------------------------------------------

def _message_page(message: SuggestionMessage, error: str | None = None, status: int = 200):
    user = _user()
    page = render_template("suggestions/message.html", message=message, error=error,
                           contact=handling.contact_for(user, message),
                           has_contact=handling.has_contact(message),
                           assignees=handling.possible_assignees(message))
    return page, status


@bp.get("/messages/<int:message_id>")
@staff_required
def message_detail(message_id: int):
    return _message_page(_message_or_404(message_id))


def _act(message_id: int, action, done_vi: str, done_en: str):
    action(_message_or_404(message_id))
    flash(tr(done_vi, done_en), "success")
    return redirect(url_for(".message_detail", message_id=message_id))


def _assignee() -> User:
    user = db.session.get(User, _id(request.form.get("user_id")) or 0)
    if user is None:
        raise SuggestionRuleError("assignee_not_allowed", "Hãy chọn người được giao.",
                                  "Choose the assignee.")
    return user


@bp.post("/messages/<int:message_id>/assign")
@staff_required
def assign(message_id: int):
    return _act(message_id, lambda m: handling.assign(m, _user(), _assignee()),
                "Đã giao xử lý.", "Assigned.")


@bp.post("/messages/<int:message_id>/reply")
@staff_required
def reply(message_id: int):
    return _act(message_id, lambda m: handling.reply(m, _user(), request.form.get("body", "")),
                "Đã gửi trả lời: người dân xem được bằng mã biên nhận.",
                "Reply sent: the resident reads it with the receipt code.")


@bp.post("/messages/<int:message_id>/close")
@staff_required
def close(message_id: int):
    return _act(message_id, lambda m: handling.close(m, _user()), "Đã đóng ý kiến.",
                "The message is closed.")


@bp.post("/messages/<int:message_id>/moderation")
@staff_required
def moderation(message_id: int):
    publish = request.form.get("action") == "publish"
    return _act(message_id, lambda m: handling.moderate(m, _user(), publish),
                "Đã công bố (đã che thông tin cá nhân)." if publish else "Đã không công bố.",
                "Published (personal details masked)." if publish else "Withheld.")


# --- figures ------------------------------------------------------------------------------------

def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def panel_figures(unit: Unit, start: date, end: date):
    """The panel's figures (the partial suggestions/_panel.html shows them as
    `suggestion_figures`), with the survey's threshold and the display zone."""
    config = current_app.config
    return suggestion_figures(unit, start, end, int(config["SUPPRESSION_THRESHOLD"]),
                              config["DISPLAY_TIMEZONE"])


@bp.get("/report")
@staff_required
def report():
    user = _user()
    unit = chosen_unit(user, request.args.get("unit"))
    unit_query = search_text(request.args.get("unit_q"))
    units = unit_choices(user, unit, unit_query)
    if unit is None and units:
        unit = db.session.get(Unit, units[0].id)
    today = utcnow().astimezone(ZoneInfo(current_app.config["DISPLAY_TIMEZONE"])).date()
    end = _day(request.args.get("to")) or today
    start = _day(request.args.get("from")) or end - timedelta(days=DEFAULT_PERIOD_DAYS)
    error = None
    if start > end:
        error = tr("Ngày bắt đầu sau ngày kết thúc.", "The start date is after the end date.")
        start, end = end - timedelta(days=DEFAULT_PERIOD_DAYS), end
    figures = panel_figures(unit, start, end) if unit is not None else None
    return render_template("suggestions/report.html", units=units, unit=unit, start=start,
                           end=end, suggestion_figures=figures, error=error,
                           unit_query=unit_query)


# --- topics (admins) ----------------------------------------------------------------------------

def _topics_page(error: str | None = None, status: int = 200):
    topics.ensure_default_topics()
    return render_template("suggestions/topics.html", topics=topics.all_topics(),
                           error=error), status


@bp.get("/topics")
@admin_required
def topic_list():
    return _topics_page()


@bp.post("/topics")
@admin_required
def add_topic():
    form = request.form
    topics.add_topic(_user().id, form.get("key", ""), form.get("label_vi", ""),
                     form.get("label_en"), form.get("label_km"))
    flash(tr("Đã thêm chủ đề.", "Topic added."), "success")
    return redirect(url_for(".topic_list"))


@bp.post("/topics/<int:topic_id>")
@admin_required
def update_topic(topic_id: int):
    topic = db.session.get(SuggestionTopic, topic_id)
    if topic is None:
        abort(404)
    form = request.form
    state = form.get("is_active")
    topics.update_topic(topic, _user().id, label_vi=form.get("label_vi"),
                        label_en=form.get("label_en"), label_km=form.get("label_km"),
                        is_active=None if state is None else state == "1")
    flash(tr("Đã lưu.", "Saved."), "success")
    return redirect(url_for(".topic_list"))


# --- refusals -----------------------------------------------------------------------------------

TOPIC_ENDPOINTS = ("suggestions_admin.add_topic", "suggestions_admin.update_topic")


@bp.errorhandler(RuleError)
def _refused(error: RuleError):
    """A refusal (the form's or a service's): the page the form was sent from, again, with
    the message and the refusal's status. The request's work is already rolled back."""
    message = tr(error.message_vi, error.message_en)
    args = request.view_args or {}
    if "message_id" in args:
        return _message_page(_message_or_404(args["message_id"]), message, error.status)
    if "box_id" in args:
        return _box_page(_box_or_404(args["box_id"]), message, error.status)
    if request.endpoint in TOPIC_ENDPOINTS:
        return _topics_page(message, error.status)
    return _overview(message, error.status)
