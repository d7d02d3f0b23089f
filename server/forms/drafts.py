"""Drafts of the form designer: FormVersion rows with status "draft" that admins edit until
they publish them as a new immutable version.

A draft may be invalid while it is being edited; the publishing rules (the loader in
server/forms/definition.py) run on validate and publish, and publishing goes through
services.publish_definition, so a designer-published version is exactly a JSON-published one.
Drafts are numbered below zero (-1, -2, ...): they never take a published version number.
Every change is audited. Services flush; the request commits.
"""

import copy
import json
import re
from datetime import datetime

from flask import current_app
from sqlalchemy import func, select

from server.audit.services import record
from server.db_types import utcnow
from server.errors import RuleError
from server.extensions import db
from server.forms.changes import draft_changes
from server.forms.compiled import definition_hash
from server.forms.definition import definition_problems, normalize_all_text
from server.forms.definition_schema import NAME_PATTERN
from server.forms.models import Form, FormVersion
from server.forms.services import next_version_number, publish_definition
from server.people.models import User

# A draft is saved whole on every autosave; 2 MB holds a form of several thousand questions.
DRAFT_MAX_BYTES = 2 * 1024 * 1024
NAME_MAX = 64
TITLE_MAX = 200
DEFAULT_LANGUAGES = ["vi", "en"]


class DraftError(RuleError):
    """A request the draft rules refuse; carries its message in both languages (pages flash
    it, the API answers it in the error shape). A subclass's `status` is its answer."""

    status = 400

    def __init__(self, code: str, message_vi: str, message_en: str, details: dict | None = None):
        super().__init__(code, message_vi, message_en, self.status, details=details)


class DraftNotFound(DraftError):
    status = 404

    def __init__(self):
        super().__init__("not_found", "Không tìm thấy bản nháp.", "Draft not found.")


class DraftChanged(DraftError):
    """The draft was saved by someone else (or another tab) since the revision the caller had."""

    status = 409

    def __init__(self, draft: FormVersion):
        who = editor_name(draft)
        super().__init__(
            "draft_changed",
            f"Bản nháp đã được {who or 'người khác'} lưu sau khi bạn mở. Hãy tải lại bản mới nhất.",
            f"The draft was saved by {who or 'someone else'} after you opened it. "
            "Load the latest revision.",
            {"current_revision": draft.revision, "updated_by": who,
             "updated_at": draft.updated_at.isoformat() if draft.updated_at else None})


class DraftInvalid(DraftError):
    """Publishing refused: the definition breaks the publishing rules."""

    def __init__(self, problems: list[dict]):
        super().__init__("invalid_definition", f"Bản nháp có {len(problems)} lỗi.",
                         f"The draft has {len(problems)} problem(s).",
                         {"errors": [flat_problem(p) for p in problems]})
        self.problems = problems


class DraftTooLarge(DraftError):
    status = 413

    def __init__(self, limit: int):
        megabytes = f"{limit / (1024 * 1024):g}"
        super().__init__("draft_too_large", f"Bản nháp quá lớn (tối đa {megabytes} MB).",
                         f"The draft is too large (at most {megabytes} MB).", {"max_bytes": limit})


def flat_problem(problem: dict) -> dict:
    """A loader problem as the designer shows it: {path, question, message, message_en}."""
    return {"path": problem["path"], "question": problem.get("question"),
            "message": problem["message"]["vi"], "message_en": problem["message"]["en"]}


def editor_name(draft: FormVersion) -> str | None:
    if draft.updated_by_id is None:
        return None
    user = db.session.get(User, draft.updated_by_id)
    return user.display_name if user is not None else None


# --- finding -------------------------------------------------------------------------

def get_draft(draft_id: int, lock: bool = False) -> FormVersion:
    """The draft, or DraftNotFound (a published version is not a draft). With `lock`, the row
    is locked (PostgreSQL) and re-read: two saves of one draft never both pass the revision
    check; on SQLite writes are serialised by the write lock already."""
    query = select(FormVersion).where(FormVersion.id == draft_id)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    draft = db.session.scalar(query)
    if draft is None or draft.status != "draft":
        raise DraftNotFound()
    return draft


def _locked_form(form_id: int) -> Form:
    """The form row, locked on PostgreSQL: numbering drafts and versions of one family is
    done one request at a time."""
    return db.session.scalar(select(Form).where(Form.id == form_id).with_for_update())


def previous_version(form_id: int) -> FormVersion | None:
    """What a new version of the family follows: the newest published version, else the
    newest retired one (earlier rounds used it all the same)."""
    versions = db.session.scalars(
        select(FormVersion).where(FormVersion.form_id == form_id,
                                  FormVersion.status.in_(("published", "archived")))
        .order_by(FormVersion.version.desc())).all()
    published = [v for v in versions if v.status == "published"]
    return (published or versions or [None])[0]


# --- creating drafts ------------------------------------------------------------------

def _next_draft_number(form_id: int) -> int:
    lowest = db.session.scalar(select(func.min(FormVersion.version))
                               .where(FormVersion.form_id == form_id, FormVersion.version < 0))
    return (lowest or 0) - 1


def _add_draft(form: Form, definition: dict, actor_id: int | None,
               based_on: FormVersion | None) -> FormVersion:
    now = utcnow()
    draft = FormVersion(form=form, version=_next_draft_number(form.id), definition=definition,
                        status="draft", content_hash=definition_hash(definition), revision=1,
                        created_at=now, updated_at=now, updated_by_id=actor_id,
                        based_on_version_id=based_on.id if based_on is not None else None)
    db.session.add(draft)
    db.session.flush()
    record(actor_id, "form_draft.create", "form_version", draft.id,
           {"form": form.name, "based_on_version_id": draft.based_on_version_id,
            "based_on_version": based_on.version if based_on is not None else None})
    return draft


def minimal_definition(name: str, title: dict) -> dict:
    """The definition a new form starts from: its name and title, no questions yet."""
    return {"schema_version": 1, "name": name, "title": title,
            "languages": list(DEFAULT_LANGUAGES), "default_language": "vi",
            "choice_lists": {}, "questions": []}


def _checked_family(name: str, title_vi: str, title_en: str = "") -> tuple[str, dict]:
    name = (name or "").strip()
    title_vi, title_en = normalize_all_text((title_vi or "").strip()), \
        normalize_all_text((title_en or "").strip())
    if not re.fullmatch(NAME_PATTERN, name) or len(name) > NAME_MAX:
        raise DraftError("bad_name",
                         "Tên phiếu chỉ gồm chữ cái không dấu, chữ số và dấu gạch dưới, bắt đầu "
                         f"bằng chữ cái, tối đa {NAME_MAX} ký tự.",
                         "The form name may hold only unaccented letters, digits and underscores, "
                         f"start with a letter, and be at most {NAME_MAX} characters.")
    if _UNSTORABLE.search(title_vi + title_en):
        raise DraftError("unstorable_text", "Tên phiếu có ký tự không lưu được.",
                         "The title holds a character that cannot be stored.")
    if not title_vi or len(title_vi) > TITLE_MAX or len(title_en) > TITLE_MAX:
        raise DraftError("bad_title", f"Cần tên tiếng Việt của phiếu (tối đa {TITLE_MAX} ký tự).",
                         f"A Vietnamese title is required (at most {TITLE_MAX} characters).")
    if db.session.scalar(select(Form.id).where(Form.name == name)) is not None:
        raise DraftError("name_taken", f"Đã có mẫu phiếu tên '{name}'.",
                         f"A form named '{name}' exists already.")
    title = {"vi": title_vi}
    if title_en:
        title["en"] = title_en
    return name, title


def _new_family(name: str, title: dict, actor_id: int | None, details: dict) -> Form:
    form = Form(name=name, title=title)
    db.session.add(form)
    db.session.flush()
    record(actor_id, "form.create", "form", form.id, {"name": name, "title": title, **details})
    return form


def create_form(name: str, title_vi: str, actor_id: int | None, title_en: str = "") -> FormVersion:
    """A new form family with a minimal draft (no questions yet); returns the draft."""
    name, title = _checked_family(name, title_vi, title_en)
    form = _new_family(name, title, actor_id, {})
    return _add_draft(form, minimal_definition(name, title), actor_id, None)


def start_draft(version_id: int, actor_id: int | None) -> FormVersion:
    """A new draft of the family, a copy of one of its published (or retired) versions."""
    version = db.session.get(FormVersion, version_id)
    if version is None or version.status == "draft":
        raise DraftError("not_found", "Không tìm thấy phiên bản đã xuất bản.",
                         "No published version with this id.")
    form = _locked_form(version.form_id)
    return _add_draft(form, copy.deepcopy(version.definition), actor_id, version)


def duplicate_source(form: Form) -> FormVersion | None:
    """What duplicating a family copies: its newest published version, else the newest
    retired one, else its newest draft."""
    return previous_version(form.id) or db.session.scalar(
        select(FormVersion).where(FormVersion.form_id == form.id)
        .order_by(FormVersion.updated_at.desc(), FormVersion.id.desc()).limit(1))


def duplicate_form(form_id: int, name: str, title_vi: str, actor_id: int | None,
                   title_en: str = "") -> FormVersion:
    """A new family under a new name, starting as a draft copied from `form_id`'s newest
    version. Its rounds are not compared with the source family's."""
    source_form = db.session.get(Form, form_id)
    if source_form is None:
        raise DraftError("not_found", "Không tìm thấy mẫu phiếu.", "Form not found.")
    source = duplicate_source(source_form)
    name, title = _checked_family(name, title_vi, title_en)
    definition = copy.deepcopy(source.definition) if source is not None else \
        minimal_definition(name, title)
    if isinstance(definition, dict):
        definition["name"], definition["title"] = name, title
    form = _new_family(name, title, actor_id, {"duplicated_from_form": source_form.name,
                                                "duplicated_from_version_id":
                                                    source.id if source is not None else None})
    return _add_draft(form, definition, actor_id, source)


def import_as_draft(definition: dict, actor_id: int | None) -> FormVersion:
    """A definition read from an XLSForm becomes a draft: of its family when one has its name
    (based on the family's newest version), else of a new family."""
    form = db.session.scalar(select(Form).where(Form.name == definition["name"]))
    if form is None:
        form = _new_family(definition["name"], definition["title"], actor_id,
                           {"imported": "xlsform"})
        based_on = None
    else:
        form = _locked_form(form.id)
        based_on = previous_version(form.id)
    draft = _add_draft(form, definition, actor_id, based_on)
    record(actor_id, "form_draft.import", "form_version", draft.id,
           {"form": form.name, "format": "xlsform"})
    return draft


# --- editing ----------------------------------------------------------------------------

def _check_revision(draft: FormVersion, revision) -> None:
    if type(revision) is not int or revision != draft.revision:
        raise DraftChanged(draft)


# NUL cannot be stored in PostgreSQL's jsonb; a lone surrogate is not a character at all.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def unstorable_text_path(value, path: str = "") -> str | None:
    """The path of the first key or text holding a character no database can store, or None.
    Refused, not cleaned: what the admin typed is saved exactly or not at all."""
    if isinstance(value, str):
        return path or "definition" if _UNSTORABLE.search(value) else None
    items = value.items() if isinstance(value, dict) else \
        enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        here = f"{path}[{key}]" if isinstance(key, int) else (f"{path}.{key}" if path else key)
        if isinstance(key, str) and _UNSTORABLE.search(key):
            return path or "definition"
        found = unstorable_text_path(item, here)
        if found:
            return found
    return None


def _refuse_unstorable(definition) -> None:
    path = unstorable_text_path(definition)
    if path is not None:
        shown = path.encode("utf-8", "replace").decode("utf-8").replace("\x00", "?")
        raise DraftError("unstorable_text",
                         f"{shown}: có ký tự không lưu được (NUL hoặc ký tự hỏng).",
                         f"{shown}: holds a character that cannot be stored (NUL or a broken "
                         "character).", {"path": shown})


def draft_size(definition) -> int:
    return len(json.dumps(definition, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def save_draft(draft_id: int, revision: int, definition, actor_id: int | None,
               now: datetime | None = None) -> FormVersion:
    """Store the designer's definition as it is (never rewritten: a hand-typed expression comes
    back unchanged) and raise the revision. Saving never checks the form rules; the definition
    must be a JSON object under the size limit, its text storable. DraftChanged when
    `revision` is not the stored one."""
    draft = get_draft(draft_id, lock=True)
    _check_revision(draft, revision)
    if not isinstance(definition, dict):
        raise DraftError("not_an_object", "Định nghĩa phải là một đối tượng JSON.",
                         "The definition must be a JSON object.")
    _refuse_unstorable(definition)
    limit = current_app.config.get("FORM_DRAFT_MAX_BYTES", DRAFT_MAX_BYTES)
    if draft_size(definition) > limit:
        raise DraftTooLarge(limit)
    before = {"revision": draft.revision, "content_hash": draft.content_hash}
    draft.definition = definition
    draft.content_hash = definition_hash(definition)
    draft.revision += 1
    draft.updated_at = now or utcnow()
    draft.updated_by_id = actor_id
    db.session.flush()
    record(actor_id, "form_draft.save", "form_version", draft.id,
           {"form": draft.form.name, "before": before,
            "after": {"revision": draft.revision, "content_hash": draft.content_hash}})
    return draft


def draft_problems(draft: FormVersion) -> list[dict]:
    """Every problem that would stop publishing, as the loader reports them (the same rules
    as publishing), plus: the definition's name must stay the family's name."""
    definition = draft.definition
    checked = normalize_all_text(copy.deepcopy(definition)) if isinstance(definition, dict) \
        else definition
    problems = definition_problems(checked)
    if isinstance(definition, dict) and definition.get("name") != draft.form.name:
        problems.insert(0, {"path": "name", "question": None, "message": {
            "vi": f"Tên phiếu phải là '{draft.form.name}' (tên của mẫu phiếu này). "
                  "Muốn đổi tên, hãy nhân bản mẫu phiếu.",
            "en": f"The form name must be '{draft.form.name}' (this form's name). "
                  "To rename it, duplicate the form."}})
    return problems


def delete_draft(draft_id: int, actor_id: int | None) -> int | None:
    """Discard a draft (its definition is kept in the audit log). A family left with no
    version at all (a new form never published) goes too. Returns the family's id, or None
    when it went."""
    draft = get_draft(draft_id, lock=True)
    form = draft.form
    record(actor_id, "form_draft.delete", "form_version", draft.id,
           {"form": form.name, "revision": draft.revision, "content_hash": draft.content_hash,
            "definition": draft.definition})
    db.session.delete(draft)
    db.session.flush()
    remaining = db.session.scalar(select(func.count(FormVersion.id))
                                  .where(FormVersion.form_id == form.id))
    if remaining:
        return form.id
    record(actor_id, "form.delete", "form", form.id, {"name": form.name, "title": form.title,
                                                      "reason": "its only draft was discarded"})
    db.session.delete(form)
    db.session.flush()
    return None


# --- publishing and retiring -------------------------------------------------------------

def publish_draft(draft_id: int, revision: int, actor_id: int | None) -> tuple[FormVersion, bool]:
    """Publish the draft as its family's next immutable version (services.publish_definition:
    the same checks, numbering and hash as a JSON-published one) and remove the draft.
    Returns (version, created); created is False when the content is that of the newest
    version already, which is returned. DraftChanged, DraftInvalid."""
    draft = get_draft(draft_id, lock=True)
    _check_revision(draft, revision)
    problems = draft_problems(draft)
    if problems:
        raise DraftInvalid(problems)
    form = _locked_form(draft.form_id)
    number = next_version_number(form.id)
    actor = db.session.get(User, actor_id) if actor_id is not None else None
    # Published first, the draft removed after: the new version never takes the draft's id.
    version = publish_definition(draft.definition, actor=actor)
    created = version.version == number
    if created:
        version.based_on_version_id = draft.based_on_version_id
    details = {"form": form.name, "draft_revision": draft.revision,
               "based_on_version_id": draft.based_on_version_id}
    draft_key = draft.id
    db.session.delete(draft)
    db.session.flush()
    record(actor_id, "form_draft.publish", "form_version", draft_key,
           {**details, "version_id": version.id, "version": version.version, "created": created})
    return version, created


def retire_version(version_id: int, actor_id: int | None) -> FormVersion:
    """Retire a published version (status "archived"): it is no longer offered for new rounds;
    rounds that use it go on, and phones still get it and submit against it."""
    version = db.session.get(FormVersion, version_id)
    if version is None or version.status == "draft":
        raise DraftError("not_found", "Không tìm thấy phiên bản đã xuất bản.",
                         "No published version with this id.")
    if version.status != "published":
        raise DraftError("not_published", "Phiên bản này đã ngừng dùng.",
                         "This version is retired already.")
    version.status = "archived"
    db.session.flush()
    record(actor_id, "form.retire", "form_version", version.id,
           {"form": version.form.name, "version": version.version,
            "before": {"status": "published"}, "after": {"status": "archived"}})
    return version


def changes_of(draft: FormVersion) -> dict:
    """The draft against the version it would follow (changes.draft_changes)."""
    based_on = db.session.get(FormVersion, draft.based_on_version_id) \
        if draft.based_on_version_id is not None else None
    return draft_changes(draft.definition, previous_version(draft.form_id), based_on)
