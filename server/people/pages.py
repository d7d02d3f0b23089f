"""The console's People pages (/admin/people): the list with its filters, adding a person,
a person's page (edit, units, deactivate, reset the password, sign their phones out), and
Import of volunteers (upload → dry run → apply).

A generated password is shown once, in the response to the POST that made it: never put in
a flash message (the cookie), never stored in clear, never cached by the browser."""

import base64
import csv
import io
import math
import re
from dataclasses import dataclass

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
from sqlalchemy import exists, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from server.admin.access import admin_required
from server.admin.i18n import current_lang, tr
from server.admin.import_flow import receive_upload, staged_or_404, template_download
from server.auth.web import current_web_user
from server.extensions import db
from server.people import importer
from server.people.models import ROLES, User, user_units
from server.people.services import (
    PersonRuleError,
    activate_person,
    add_person,
    has_password,
    live_devices,
    reset_password,
    resolve_units,
    revoke_devices,
    update_person,
)
from server.reporting.export import FORMULA_STARTS
from server.sync.text_hygiene import clean_text
from server.units.models import UNIT_KIND_LABELS, Unit
from server.units.pages import form_id
from server.units.services import UnitRuleError, normalise_code
from server.units.tree import unit_options
from server.upload_staging import discard

bp = Blueprint("people_admin", __name__, url_prefix="/admin/people")

ROLE_LABELS = {"admin": ("Quản trị viên", "Admin"), "official": ("Cán bộ", "Official"),
               "volunteer": ("Tình nguyện viên", "Volunteer")}
OUTCOME_LABELS = {"create": ("Tạo mới", "Create"), "update": ("Cập nhật", "Update"),
                  "unchanged": ("Không đổi", "Unchanged"), "error": ("Lỗi", "Error")}
PER_PAGE = 100
SIGNIN_CARDS = "people_admin.signin_cards"   # added by the sign-in cards work


@bp.context_processor
def _people_labels():
    return {"roles": ROLES, "role_label": lambda role: tr(*ROLE_LABELS.get(role, (role, role))),
            "outcome_label": lambda outcome: tr(*OUTCOME_LABELS[outcome]),
            "unit_kind_label": lambda kind: UNIT_KIND_LABELS.get(kind, {}).get(current_lang(), kind),
            "signin_cards_url": url_for(SIGNIN_CARDS)
            if SIGNIN_CARDS in current_app.view_functions else None}


def _actor_id() -> int:
    return current_web_user().id


def _person_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


def _message(error: PersonRuleError | UnitRuleError) -> str:
    return tr(error.message_vi, error.message_en)


def _secret_page(html: str, status: int = 200):
    """A page that shows a password: the browser must not keep it."""
    return html, status, {"Cache-Control": "no-store", "Pragma": "no-cache"}


# --- the list --------------------------------------------------------------------------------

@dataclass(frozen=True)
class PeopleFilter:
    role: str = ""
    unit: Unit | None = None
    active: str = "1"        # "1" active, "0" inactive, "" everyone
    text: str = ""

    def args(self) -> dict:
        """The query string that gives this filter again (for the pager's links)."""
        return {"role": self.role, "unit": self.unit.id if self.unit else "",
                "active": self.active, "q": self.text}


def _read_filter(args) -> PeopleFilter:
    role = args.get("role", "")
    unit_id = form_id(args.get("unit"))
    unit = db.session.get(Unit, unit_id) if unit_id else None
    active = args.get("active", "1")
    return PeopleFilter(role=role if role in ROLES else "", unit=unit,
                        active=active if active in ("1", "0", "") else "1",
                        text=" ".join(clean_text(args.get("q", "")).split())[:100])


def _people_query(f: PeopleFilter):
    query = select(User)
    if f.role:
        query = query.where(User.role == f.role)
    if f.active:
        query = query.where(User.is_active.is_(f.active == "1"))
    if f.unit is not None:
        query = query.where(exists().where(
            user_units.c.user_id == User.id, user_units.c.unit_id == Unit.id,
            Unit.path.startswith(f.unit.path, autoescape=True)))
    if f.text:
        query = query.where(or_(User.username.icontains(f.text, autoescape=True),
                                User.display_name.icontains(f.text, autoescape=True),
                                User.phone.contains(f.text, autoescape=True)))
    return query


@bp.get("/")
@admin_required
def list_people():
    f = _read_filter(request.args)
    query = _people_query(f)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    pages = max(1, math.ceil(total / PER_PAGE))
    page = min(form_id(request.args.get("page")) or 1, pages)
    people = db.session.scalars(query.options(selectinload(User.units))
                                .order_by(User.display_name, User.username)
                                .limit(PER_PAGE).offset((page - 1) * PER_PAGE)).all()
    return render_template("admin/people/list.html", people=people, filter=f, total=total,
                           page=page, pages=pages, unit_choices=unit_options(active_only=False))


# --- adding a person ---------------------------------------------------------------------------

def _chosen_units(form) -> list[Unit]:
    """The units picked from the list (unit_ids) and typed as codes (unit_codes)."""
    ids = [form_id(value) for value in form.getlist("unit_ids")]
    if None in ids:
        raise PersonRuleError("unknown_unit", "Không tìm thấy đơn vị được phân công.",
                              "Unknown unit.")
    units = resolve_units(ids)
    codes = [code for code in re.split(r"[;,\s]+", form.get("unit_codes", "")) if code]
    for raw in codes:
        unit = db.session.scalar(select(Unit).where(Unit.code == normalise_code(raw)))
        if unit is None:
            raise PersonRuleError("unknown_unit", f"Không tìm thấy mã đơn vị “{raw}”.",
                                  f"No unit with the code “{raw}”.")
        if unit not in units:
            units.append(unit)
    inactive = [unit.name for unit in units if not unit.is_active]
    if inactive:
        raise PersonRuleError("inactive_unit", "Đơn vị đã ngừng hoạt động: " + ", ".join(inactive),
                              "Inactive units: " + ", ".join(inactive))
    return units


@bp.route("/new", methods=["GET", "POST"])
@admin_required
def new_person():
    form = request.form if request.method == "POST" else request.args
    context = {"form": form, "unit_choices": unit_options(),
               "chosen_ids": set(form.getlist("unit_ids"))}
    if request.method == "GET":
        return render_template("admin/people/new.html", error=None, **context)
    try:
        user, password = add_person(_actor_id(), form.get("username", ""),
                                    form.get("display_name", ""), form.get("role", ""),
                                    units=_chosen_units(form), phone=form.get("phone"))
    except (PersonRuleError, UnitRuleError) as error:
        status = getattr(error, "status", 400)
        return render_template("admin/people/new.html", error=_message(error), **context), status
    return _secret_page(render_template("admin/people/password.html", person=user,
                                        password=password, created=True))


# --- one person ------------------------------------------------------------------------------

def _detail_page(user: User, error: str | None = None, status: int = 200):
    page = render_template("admin/people/detail.html", person=user, error=error,
                           devices=live_devices(user), has_password=has_password(user),
                           unit_choices=unit_options(),
                           chosen_ids={str(unit.id) for unit in user.units},
                           is_me=user.id == _actor_id())
    return page, status


@bp.get("/<int:user_id>")
@admin_required
def person_detail(user_id: int):
    return _detail_page(_person_or_404(user_id))


def _act(user_id: int, change, done_vi: str, done_en: str):
    """Run one change; a refusal shows the person's page again with the reason (4xx, so
    nothing of the attempt is kept), else back to the page with a message."""
    user = _person_or_404(user_id)
    try:
        change(user)
    except (PersonRuleError, UnitRuleError) as error:
        return _detail_page(user, _message(error), getattr(error, "status", 400))
    flash(tr(done_vi, done_en), "success")
    return redirect(url_for(".person_detail", user_id=user_id))


@bp.post("/<int:user_id>/edit")
@admin_required
def edit_person(user_id: int):
    form = request.form
    return _act(user_id, lambda user: update_person(
        user, _actor_id(), display_name=form.get("display_name", ""), phone=form.get("phone"),
        role=form.get("role", "")), "Đã lưu.", "Saved.")


@bp.post("/<int:user_id>/units")
@admin_required
def assign_units(user_id: int):
    return _act(user_id, lambda user: update_person(user, _actor_id(),
                                                    units=_chosen_units(request.form)),
                "Đã lưu đơn vị được phân công.", "Assigned units saved.")


@bp.post("/<int:user_id>/deactivate")
@admin_required
def deactivate(user_id: int):
    return _act(user_id, lambda user: activate_person(user, False, _actor_id()),
                "Đã ngừng tài khoản; mọi phiên đăng nhập đã kết thúc.",
                "The account is deactivated; every login has ended.")


@bp.post("/<int:user_id>/reactivate")
@admin_required
def reactivate(user_id: int):
    return _act(user_id, lambda user: activate_person(user, True, _actor_id()),
                "Đã kích hoạt lại tài khoản.", "The account is active again.")


@bp.post("/<int:user_id>/devices/revoke")
@admin_required
def revoke(user_id: int):
    token_id = form_id(request.form.get("token_id"))
    if request.form.get("token_id") and token_id is None:
        abort(404)

    def change(user):
        if not revoke_devices(user, _actor_id(), token_id):
            raise PersonRuleError("no_devices", "Không có thiết bị nào để đăng xuất.",
                                  "No device to sign out.", status=409)

    return _act(user_id, change, "Đã đăng xuất thiết bị: lần đồng bộ tới sẽ phải đăng nhập lại.",
                "Devices signed out: the next sync asks for a login.")


@bp.post("/<int:user_id>/password")
@admin_required
def new_password(user_id: int):
    user = _person_or_404(user_id)
    password = reset_password(user, _actor_id())
    return _secret_page(render_template("admin/people/password.html", person=user,
                                        password=password, created=False))


# --- Import of volunteers: upload → dry run → apply ---------------------------------------

TEMPLATE_CSV = ("họ tên,tên đăng nhập,điện thoại,mã đơn vị\n"
                "Nguyễn Văn An,an.nguyen,0912 345 678,hoa-lu-tdp-1\n"
                "Trần Thị Bình,binh.tran,,hoa-lu-tdp-1;hoa-lu-tdp-2\n")


@bp.route("/import", methods=["GET", "POST"])
@admin_required
def import_people():
    if request.method == "GET":
        return render_template("admin/people/import.html", error=None)
    return receive_upload("people", _actor_id(), "admin/people/import.html")


@bp.get("/import/template.csv")
@admin_required
def import_template():
    return template_download(TEMPLATE_CSV, "volunteers-template.csv")


def _staged_or_404(token: str):
    return staged_or_404("people", token, _actor_id())


def _plan_page(staged, plan, error: str | None = None, status: int = 200):
    page = render_template("admin/people/import_plan.html", staged=staged, plan=plan, error=error,
                           max_passwords=importer.MAX_GENERATED_PASSWORDS)
    return page, status


@bp.get("/import/<token>")
@admin_required
def import_plan(token: str):
    staged = _staged_or_404(token)
    return _plan_page(staged, importer.plan_import(staged.table))


@bp.post("/import/<token>/apply")
@admin_required
def import_apply(token: str):
    staged = _staged_or_404(token)
    plan = importer.plan_import(staged.table)  # again: the data may have changed meanwhile
    if plan.fingerprint != request.form.get("fingerprint"):
        return _plan_page(staged, plan, tr(
            "Dữ liệu đã thay đổi từ lúc kiểm tra: hãy xem lại kế hoạch mới rồi áp dụng.",
            "The data changed since the dry run: check the new plan, then apply it."), 409)
    if plan.problems or not plan.writes:
        return _plan_page(staged, plan, tr("Không có gì để ghi.", "Nothing to write."), 400)
    passwords = request.form.get("passwords") == "generate"
    try:
        result = importer.apply_plan(plan, _actor_id(), staged.filename, passwords)
    except PersonRuleError as error:
        return _plan_page(staged, plan, _message(error), error.status)
    except IntegrityError:  # another import made the same usernames at the same moment
        db.session.rollback()
        return _plan_page(staged, plan, tr(
            "Dữ liệu vừa bị thay đổi cùng lúc: hãy tải lại trang và thử lại.",
            "The data changed at the same moment: reload the page and try again."), 409)
    discard(token)
    return _secret_page(render_template("admin/people/import_done.html", result=result,
                                        credentials_csv=_credentials_csv(result)
                                        if passwords else None))


def _csv_text(value: str) -> str:
    """A cell a spreadsheet shows as typed: never a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _credentials_csv(result: importer.ImportResult) -> str:
    """A data: URL of the new usernames and passwords, made in this response only."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["họ tên / name", "tên đăng nhập / username", "mật khẩu / password"])
    for person in result.new_people:
        writer.writerow([_csv_text(person.display_name), person.username, person.password])
    payload = ("\ufeff" + buffer.getvalue()).encode("utf-8")
    return "data:text/csv;charset=utf-8;base64," + base64.b64encode(payload).decode("ascii")
