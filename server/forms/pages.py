"""The console's Forms pages (/admin/forms): the families with their versions and the rounds
that use them; a new form, an XLSForm upload, a duplicate; the designer's page shell with its
no-JS fallback; publishing, retiring and XLSForm download. The rules are
server/forms/drafts.py's (the same services as the designer's JSON API)."""

import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from server.admin.access import admin_required
from server.admin.i18n import current_lang, tr
from server.auth.csrf import csrf_token
from server.auth.web import current_web_user
from server.db_types import utcnow
from server.extensions import db
from server.forms import drafts
from server.forms.models import Form, FormVersion
from server.forms.xlsform import XLSFormError, export_xlsform, format_row_problem, import_xlsform
from server.json_provider import JSONTooDeep
from server.json_provider import loads as bounded_loads
from server.rounds.models import Round

bp = Blueprint("forms_admin", __name__, url_prefix="/admin/forms")

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DESIGNER_LANGUAGES = ("vi", "en", "km")
STATUS_LABELS = {"draft": ("Nháp", "Draft"), "published": ("Đang dùng", "Published"),
                 "archived": ("Ngừng dùng", "Retired")}
STATUS_BADGES = {"draft": "warn", "published": "ok", "archived": ""}
ROUND_STATUS_LABELS = {"draft": ("Nháp", "Draft"), "planned": ("Sắp diễn ra", "Planned"),
                       "open": ("Đang diễn ra", "Open"), "closed": ("Đã kết thúc", "Closed")}
WARNINGS_SHOWN = 20


@bp.context_processor
def _labels():
    return {"version_status_label": lambda status: tr(*STATUS_LABELS[status]),
            "version_status_badge": STATUS_BADGES.get,
            "round_state_label": lambda state: tr(*ROUND_STATUS_LABELS[state]),
            "form_title": _title, "problem_text": _problem_text}


def _title(title) -> str:
    title = title if isinstance(title, dict) else {}
    return title.get(current_lang()) or title.get("vi") or ""


def _problem_text(problem: dict) -> str:
    """A flat problem (drafts.flat_problem) in the page's language."""
    where = problem["path"] or tr("phiếu", "form")
    if problem.get("question"):
        where += f" ({problem['question']})"
    return f"{where}: {tr(problem['message'], problem['message_en'])}"


def _actor_id() -> int:
    return current_web_user().id


def _message(error: drafts.DraftError) -> str:
    return tr(error.message_vi, error.message_en)


def _draft_or_404(draft_id: int) -> FormVersion:
    try:
        return drafts.get_draft(draft_id)
    except drafts.DraftNotFound:
        abort(404)


def _version_or_404(version_id: int) -> FormVersion:
    version = db.session.get(FormVersion, version_id)
    if version is None:
        abort(404)
    return version


# --- the list --------------------------------------------------------------------------

@dataclass
class Family:
    form: Form
    versions: list  # published and retired, newest first
    drafts: list    # newest save first
    rounds: dict = field(default_factory=dict)  # version id -> [(round, state)]


def _families() -> list[Family]:
    forms = db.session.scalars(select(Form).options(selectinload(Form.versions))
                               .order_by(Form.name)).all()
    rounds_by_version: dict[int, list] = {}
    now = utcnow()
    for round_ in db.session.scalars(select(Round).order_by(Round.opens_at.desc())):
        rounds_by_version.setdefault(round_.form_version_id, []).append(
            (round_, round_.effective_status(now)))
    families = []
    for form in forms:
        versions = sorted((v for v in form.versions if v.status != "draft"),
                          key=lambda v: v.version, reverse=True)
        pending = sorted((v for v in form.versions if v.status == "draft"),
                         key=lambda v: v.updated_at or v.created_at, reverse=True)
        families.append(Family(form, versions, pending,
                               {v.id: rounds_by_version.get(v.id, []) for v in versions}))
    return families


@bp.get("/")
@admin_required
def list_forms():
    families = _families()
    editors = {d.id: drafts.editor_name(d) for family in families for d in family.drafts}
    return render_template("admin/forms/list.html", families=families, editors=editors)


# --- new form, duplicate, upload -----------------------------------------------------------

def _family_fields() -> dict:
    return {key: request.form.get(key, "") for key in ("name", "title_vi", "title_en")}


@bp.route("/new", methods=["GET", "POST"])
@admin_required
def new_form():
    if request.method == "GET":
        return render_template("admin/forms/new.html", fields={}, error=None)
    fields = _family_fields()
    try:
        draft = drafts.create_form(fields["name"], fields["title_vi"], _actor_id(),
                                   fields["title_en"])
    except drafts.DraftError as error:
        return render_template("admin/forms/new.html", fields=fields, error=_message(error)), 400
    flash(tr(f"Đã tạo mẫu phiếu “{fields['name'].strip()}”. Hãy thêm câu hỏi.",
             f"Form “{fields['name'].strip()}” created. Add its questions."), "success")
    return redirect(url_for(".edit_draft", draft_id=draft.id))


@bp.route("/<int:form_id>/duplicate", methods=["GET", "POST"])
@admin_required
def duplicate_form(form_id: int):
    source = db.session.get(Form, form_id)
    if source is None:
        abort(404)
    version = drafts.duplicate_source(source)
    if request.method == "GET":
        fields = {"name": f"{source.name}_copy"[:drafts.NAME_MAX],
                  "title_vi": source.title.get("vi", ""), "title_en": source.title.get("en", "")}
        return render_template("admin/forms/duplicate.html", source=source, version=version,
                               fields=fields, error=None)
    fields = _family_fields()
    try:
        draft = drafts.duplicate_form(form_id, fields["name"], fields["title_vi"], _actor_id(),
                                      fields["title_en"])
    except drafts.DraftError as error:
        page = render_template("admin/forms/duplicate.html", source=source, version=version,
                               fields=fields, error=_message(error))
        return page, 400
    flash(tr(f"Đã nhân bản thành “{draft.form.name}” (bản nháp).",
             f"Duplicated as “{draft.form.name}” (a draft)."), "success")
    return redirect(url_for(".edit_draft", draft_id=draft.id))


def _upload_page(problems=(), warnings=(), error=None, status=200):
    language = current_lang()
    page = render_template("admin/forms/upload.html", error=error,
                           problems=[format_row_problem(p, language) for p in problems],
                           warnings=[format_row_problem(w, language) for w in warnings])
    return page, status


@bp.route("/upload", methods=["GET", "POST"])
@admin_required
def upload_xlsform():
    if request.method == "GET":
        return _upload_page()
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _upload_page(error=tr("Hãy chọn một tệp XLSForm (.xlsx).",
                                     "Choose an XLSForm file (.xlsx)."), status=400)
    try:
        definition, warnings = import_xlsform(io.BytesIO(upload.read()),
                                              fallback_name=Path(upload.filename).stem)
    except XLSFormError as error:
        return _upload_page(error.problems, error.warnings, tr(
            "Không nhập được tệp: sửa các dòng dưới đây rồi tải lên lại.",
            "The file cannot be imported: fix the rows below and upload it again."), 400)
    existed = db.session.scalar(select(Form.id).where(Form.name == definition["name"]))
    draft = drafts.import_as_draft(definition, _actor_id())
    if existed:
        flash(tr(f"Đã nhập thành bản nháp mới của “{draft.form.name}”.",
                 f"Imported as a new draft of “{draft.form.name}”."), "success")
    else:
        flash(tr(f"Đã nhập thành mẫu phiếu mới “{draft.form.name}” (bản nháp).",
                 f"Imported as a new form “{draft.form.name}” (a draft)."), "success")
    language = current_lang()
    for warning in warnings[:WARNINGS_SHOWN]:
        flash(tr("Cảnh báo: ", "Warning: ") + format_row_problem(warning, language), "info")
    return redirect(url_for(".edit_draft", draft_id=draft.id))


# --- versions: new draft, download, retire ---------------------------------------------------

@bp.post("/versions/<int:version_id>/draft")
@admin_required
def start_draft(version_id: int):
    version = _version_or_404(version_id)
    if version.status == "draft":
        abort(404)
    draft = drafts.start_draft(version.id, _actor_id())
    flash(tr(f"Đã tạo bản nháp từ phiên bản {version.version}.",
             f"Draft started from version {version.version}."), "success")
    return redirect(url_for(".edit_draft", draft_id=draft.id))


def _xlsx_name(version: FormVersion) -> str:
    suffix = f"draft{version.id}" if version.status == "draft" else f"v{version.version}"
    return f"{version.form.name}-{suffix}.xlsx"


@bp.get("/versions/<int:version_id>/xlsform")
@admin_required
def download_xlsform(version_id: int):
    version = _version_or_404(version_id)
    if version.status == "draft" and drafts.draft_problems(version):
        flash(tr("Bản nháp còn lỗi nên chưa xuất được XLSForm: xem trang xuất bản.",
                 "The draft has problems, so it cannot be written as XLSForm yet: see the "
                 "publish page."), "error")
        return redirect(url_for(".publish_draft", draft_id=version.id))
    buffer = io.BytesIO()
    number = version.version if version.status != "draft" else None
    export_xlsform(version.definition, version=number).save(buffer)
    response = Response(buffer.getvalue(), mimetype=XLSX_TYPE)
    response.headers["Content-Disposition"] = f'attachment; filename="{_xlsx_name(version)}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _retire_page(version: FormVersion, error: str | None = None, status: int = 200):
    now = utcnow()
    rounds = [(r, r.effective_status(now)) for r in db.session.scalars(
        select(Round).where(Round.form_version_id == version.id).order_by(Round.opens_at.desc()))]
    page = render_template("admin/forms/retire.html", version=version, rounds=rounds, error=error)
    return page, status


@bp.route("/versions/<int:version_id>/retire", methods=["GET", "POST"])
@admin_required
def retire_version(version_id: int):
    version = _version_or_404(version_id)
    if version.status == "draft":
        abort(404)
    if request.method == "GET":
        return _retire_page(version)
    try:
        drafts.retire_version(version.id, _actor_id())
    except drafts.DraftError as error:
        return _retire_page(version, _message(error), 400)
    flash(tr(f"Đã ngừng dùng {version.form.name} phiên bản {version.version}.",
             f"{version.form.name} version {version.version} is retired."), "success")
    return redirect(url_for(".list_forms"))


# --- a draft: the editor, publishing, discarding ----------------------------------------------

def _languages(draft: FormVersion) -> str:
    own = draft.definition.get("languages") if isinstance(draft.definition, dict) else None
    own = [code for code in own if isinstance(code, str)] if isinstance(own, list) else []
    return ",".join(dict.fromkeys([*DESIGNER_LANGUAGES, *own]))


def _editor_page(draft: FormVersion, text: str | None = None, error: str | None = None,
                 status: int = 200, revision: int | None = None, conflict: bool = False):
    based_on = db.session.get(FormVersion, draft.based_on_version_id) \
        if draft.based_on_version_id is not None else None
    if text is None:
        text = json.dumps(draft.definition, ensure_ascii=False, indent=2)
    page = render_template(
        "admin/forms/editor.html", draft=draft, based_on=based_on, text=text, error=error,
        csrf_token=csrf_token(), languages=_languages(draft), editor=drafts.editor_name(draft),
        revision=draft.revision if revision is None else revision, conflict=conflict,
        stored=json.dumps(draft.definition, ensure_ascii=False, indent=2) if conflict else None,
        api=url_for("form_drafts.DraftResource", draft_id=draft.id))
    return page, status


def _form_revision() -> int | None:
    text = request.form.get("revision", "")
    return int(text) if text.isdigit() and len(text) < 10 else None


@bp.route("/drafts/<int:draft_id>", methods=["GET", "POST"])
@admin_required
def edit_draft(draft_id: int):
    draft = _draft_or_404(draft_id)
    if request.method == "GET":
        return _editor_page(draft)
    # The no-JS fallback: the definition as JSON text in a textarea.
    text = request.form.get("definition", "")
    revision = _form_revision()
    try:
        definition = bounded_loads(text)
    except JSONTooDeep:
        too_deep = tr("JSON lồng nhau quá sâu.", "The JSON nests too deeply.")
        return _editor_page(draft, text, too_deep, 400, revision)
    except ValueError as error:
        where = f" (dòng {error.lineno}, cột {error.colno})" if getattr(error, "lineno", 0) else ""
        where_en = f" (line {error.lineno}, column {error.colno})" \
            if getattr(error, "lineno", 0) else ""
        return _editor_page(draft, text, tr(f"Không phải JSON hợp lệ{where}.",
                                            f"Not valid JSON{where_en}."), 400, revision)
    try:
        saved = drafts.save_draft(draft.id, revision, definition, _actor_id())
    except drafts.DraftChanged as error:
        # Keep what the admin typed on the page beside the stored text: nothing is lost, and
        # saving again (now against the current revision) is a choice made knowingly.
        return _editor_page(draft, text, _message(error), 409, conflict=True)
    except drafts.DraftError as error:
        return _editor_page(draft, text, _message(error), error.status, revision)
    flash(tr(f"Đã lưu (lần sửa {saved.revision}).", f"Saved (revision {saved.revision})."),
          "success")
    return redirect(url_for(".edit_draft", draft_id=draft.id))


def _publish_page(draft: FormVersion, error: str | None = None, status: int = 200):
    problems = [drafts.flat_problem(p) for p in drafts.draft_problems(draft)]
    changes = drafts.changes_of(draft)
    previous = db.session.get(FormVersion, changes["previous_version_id"]) \
        if changes["previous_version_id"] else None
    page = render_template("admin/forms/publish.html", draft=draft, problems=problems,
                           changes=changes, previous=previous, error=error)
    return page, status


@bp.route("/drafts/<int:draft_id>/publish", methods=["GET", "POST"])
@admin_required
def publish_draft(draft_id: int):
    draft = _draft_or_404(draft_id)
    if request.method == "GET":
        return _publish_page(draft)
    revision = _form_revision()
    if revision == draft.revision and drafts.changes_of(draft)["warnings"] \
            and request.form.get("acknowledge") != "yes":
        return _publish_page(draft, tr(
            "Hãy đánh dấu ô xác nhận rằng bạn đã đọc các cảnh báo về so sánh.",
            "Tick the box to confirm you have read the comparison warnings."), 400)
    try:
        version, created = drafts.publish_draft(draft.id, revision, _actor_id())
    except drafts.DraftChanged as error:
        return _publish_page(draft, _message(error), 409)
    except drafts.DraftError as error:
        return _publish_page(draft, _message(error), error.status)
    if created:
        flash(tr(f"Đã xuất bản {version.form.name} phiên bản {version.version}.",
                 f"Published {version.form.name} version {version.version}."), "success")
    else:
        flash(tr(f"Bản nháp giống hệt phiên bản {version.version}: không tạo phiên bản mới.",
                 f"The draft is identical to version {version.version}: no new version made."),
              "info")
    return redirect(url_for(".list_forms", _anchor=f"form-{version.form_id}"))


@bp.route("/drafts/<int:draft_id>/delete", methods=["GET", "POST"])
@admin_required
def delete_draft(draft_id: int):
    draft = _draft_or_404(draft_id)
    if request.method == "GET":
        return render_template("admin/forms/delete_draft.html", draft=draft,
                               editor=drafts.editor_name(draft))
    form_id = drafts.delete_draft(draft.id, _actor_id())
    flash(tr("Đã bỏ bản nháp.", "Draft discarded."), "success")
    anchor = f"form-{form_id}" if form_id is not None else None
    return redirect(url_for(".list_forms", _anchor=anchor))
