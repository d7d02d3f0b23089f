"""The console's Units pages (/admin/units): the tree, search, a unit's page with its actions
(rename, move, deactivate, reactivate, delete), adding a unit, and Import (upload → dry run
→ apply). The rules are the services'; these views read forms and show results."""

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
from sqlalchemy.exc import IntegrityError

from server.admin.access import admin_required
from server.admin.i18n import current_lang, tr
from server.admin.import_flow import receive_upload, staged_or_404, template_download
from server.api_fields import ID_MAX
from server.auth.web import current_web_user
from server.extensions import db
from server.units import importer
from server.units.models import UNIT_KIND_LABELS, UNIT_KINDS, Unit
from server.units.services import (
    UnitRuleError,
    add_unit,
    ancestors,
    delete_unit,
    move_unit,
    normalise_code,
    set_unit_active,
    unit_by_code,
    unit_usage,
    update_unit,
)
from server.units.tree import build_tree, natural_key, parent_choices, search_units
from server.upload_staging import discard

bp = Blueprint("units_admin", __name__, url_prefix="/admin/units")

OUTCOME_LABELS = {"create": ("Tạo mới", "Create"), "update": ("Cập nhật", "Update"),
                  "unchanged": ("Không đổi", "Unchanged"), "error": ("Lỗi", "Error")}


@bp.context_processor
def _unit_labels():
    return {"unit_kinds": UNIT_KINDS, "outcome_label": lambda outcome: tr(*OUTCOME_LABELS[outcome]),
            "has_endpoint": lambda endpoint: endpoint in current_app.view_functions,
            "unit_kind_label": lambda kind: UNIT_KIND_LABELS.get(kind, {}).get(current_lang(), kind)}


def form_id(text: str | None) -> int | None:
    """An id from a form or query string, or None when it is not one a row could have."""
    text = (text or "").strip()
    return int(text) if text.isascii() and text.isdigit() and 0 < int(text) <= ID_MAX else None


def _actor_id() -> int:
    return current_web_user().id


def _unit_or_404(unit_id: int) -> Unit:
    unit = db.session.get(Unit, unit_id)
    if unit is None:
        abort(404)
    return unit


def _message(error: UnitRuleError) -> str:
    return tr(error.message_vi, error.message_en)


# --- the tree and search ---------------------------------------------------------------------

@bp.get("/")
@admin_required
def tree():
    query = (request.args.get("q") or "").strip()[:200]
    root_id = form_id(request.args.get("root"))
    root = db.session.get(Unit, root_id) if root_id else None
    if query:
        return render_template("admin/units/tree.html", query=query, found=search_units(query),
                               tree=None, root=None, trail=[])
    return render_template("admin/units/tree.html", query="", found=None, tree=build_tree(root),
                           root=root, trail=ancestors(root) if root else [])


# --- one unit ----------------------------------------------------------------------------------

def _detail_page(unit: Unit, error: str | None = None, status: int = 200):
    page = render_template("admin/units/detail.html", unit=unit, error=error,
                           trail=ancestors(unit), usage=unit_usage(unit),
                           children=sorted(unit.children, key=lambda child: natural_key(child.name)),
                           choices=parent_choices(unit))
    return page, status


@bp.get("/<int:unit_id>")
@admin_required
def unit_detail(unit_id: int):
    return _detail_page(_unit_or_404(unit_id))


def _act(unit_id: int, change, done_vi: str, done_en: str, back_to_tree: bool = False):
    """Run one change; a refusal shows the unit's page again with the reason (4xx, so nothing
    of the attempt is kept), else back to the page with a message."""
    unit = _unit_or_404(unit_id)
    try:
        change(unit)
    except UnitRuleError as error:
        return _detail_page(unit, _message(error), error.status)
    flash(tr(done_vi, done_en), "success")
    if back_to_tree:
        return redirect(url_for(".tree"))
    return redirect(url_for(".unit_detail", unit_id=unit_id))


@bp.post("/<int:unit_id>/rename")
@admin_required
def rename_unit(unit_id: int):
    return _act(unit_id, lambda unit: update_unit(
        unit, _actor_id(), name=request.form.get("name", ""), kind=request.form.get("kind", "")),
        "Đã lưu.", "Saved.")


def _chosen_parent(form) -> Unit | None:
    """The parent picked from the list (parent_id) or typed as a code (parent_code); empty
    means the top level."""
    if form.get("parent_id"):
        parent_id = form_id(form["parent_id"])
        parent = db.session.get(Unit, parent_id) if parent_id else None
    elif form.get("parent_code", "").strip():
        parent = unit_by_code(normalise_code(form["parent_code"]))
    else:
        return None
    if parent is None:
        raise UnitRuleError("unknown_parent", "Không tìm thấy đơn vị cấp trên.",
                            "The parent unit does not exist.")
    return parent


@bp.post("/<int:unit_id>/move")
@admin_required
def move(unit_id: int):
    return _act(unit_id, lambda unit: move_unit(unit, _chosen_parent(request.form), _actor_id()),
                "Đã chuyển đơn vị.", "The unit is moved.")


@bp.post("/<int:unit_id>/deactivate")
@admin_required
def deactivate(unit_id: int):
    return _act(unit_id, lambda unit: set_unit_active(unit, False, _actor_id()),
                "Đã ngừng hoạt động đơn vị (và các đơn vị bên trong).",
                "The unit (and the units inside it) is deactivated.")


@bp.post("/<int:unit_id>/reactivate")
@admin_required
def reactivate(unit_id: int):
    inside = request.form.get("include_inside") == "1"
    return _act(unit_id, lambda unit: set_unit_active(unit, True, _actor_id(), inside),
                "Đã kích hoạt lại đơn vị.", "The unit is active again.")


@bp.post("/<int:unit_id>/delete")
@admin_required
def delete(unit_id: int):
    return _act(unit_id, lambda unit: delete_unit(unit, _actor_id()),
                "Đã xóa đơn vị.", "The unit is deleted.", back_to_tree=True)


# --- adding a unit -----------------------------------------------------------------------------

@bp.route("/new", methods=["GET", "POST"])
@admin_required
def new_unit():
    form = request.form if request.method == "POST" else request.args
    parent_id = form.get("parent_id", "")
    if request.method == "POST":
        try:
            unit = add_unit(_actor_id(), form.get("name", ""), form.get("kind", ""),
                            parent=_chosen_parent(form), code=form.get("code", "").strip() or None)
        except UnitRuleError as error:
            page = render_template("admin/units/new.html", form=form, error=_message(error),
                                   choices=parent_choices(), parent_id=parent_id)
            return page, error.status
        flash(tr(f"Đã thêm “{unit.name}”.", f"“{unit.name}” added."), "success")
        return redirect(url_for(".unit_detail", unit_id=unit.id))
    return render_template("admin/units/new.html", form=form, error=None,
                           choices=parent_choices(), parent_id=parent_id)


# --- Import: upload → dry run → apply -----------------------------------------------------

TEMPLATE_CSV = ("code,name,kind,parent code\n"
                "ninh-binh,Tỉnh Ninh Bình,province,\n"
                "hoa-lu,Phường Hoa Lư,ward,ninh-binh\n"
                "hoa-lu-tdp-1,Tổ dân phố 1,residential_group,hoa-lu\n")


@bp.route("/import", methods=["GET", "POST"])
@admin_required
def import_units():
    if request.method == "GET":
        return render_template("admin/units/import.html", error=None)
    return receive_upload("units", _actor_id(), "admin/units/import.html")


@bp.get("/import/template.csv")
@admin_required
def import_template():
    return template_download(TEMPLATE_CSV, "units-template.csv")


def _staged_or_404(token: str):
    return staged_or_404("units", token, _actor_id())


def _plan_page(staged, plan, error: str | None = None, status: int = 200):
    page = render_template("admin/units/import_plan.html", staged=staged, plan=plan, error=error)
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
    try:
        counts = importer.apply_plan(plan, _actor_id(), staged.filename)
    except UnitRuleError as error:
        return _plan_page(staged, plan, _message(error), error.status)
    except IntegrityError:  # another import wrote the same codes at the same moment
        db.session.rollback()
        return _plan_page(staged, plan, tr(
            "Dữ liệu vừa bị thay đổi cùng lúc: hãy tải lại trang và thử lại.",
            "The data changed at the same moment: reload the page and try again."), 409)
    discard(token)
    flash(tr(f"Đã nhập: {counts['create']} tạo mới, {counts['update']} cập nhật.",
             f"Imported: {counts['create']} created, {counts['update']} updated."), "success")
    return redirect(url_for(".tree"))
