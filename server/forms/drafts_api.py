"""The form designer's JSON API (/api/v1/form-drafts), admins only.

The designer page calls it with fetch() and the login cookie: a session may read and, with
the page's CSRF token in the X-CSRF-Token header, write. A bearer token works as everywhere
in the API (it is never sent by a browser on its own, so it needs no CSRF token).
The rules are server/forms/drafts.py's; the request commits.
"""

import hmac
from functools import wraps

from flask import current_app, g, request, session
from flask.views import MethodView

from server.api_blueprint import Blueprint
from server.auth import csrf
from server.auth.api_auth import authenticate_request, forbidden
from server.auth.tokens import note_token_use
from server.auth.web import current_web_session
from server.auth.web_sessions import note_session_use
from server.errors import ApiError, ErrorSchema
from server.forms import drafts
from server.forms.drafts_schemas import (
    ChangesSchema,
    DraftSavedSchema,
    DraftSaveSchema,
    DraftSchema,
    PublishedSchema,
    PublishSchema,
    ValidationResultSchema,
)

blp = Blueprint("form_drafts", __name__, url_prefix="/api/v1/form-drafts",
                description="Bản nháp mẫu phiếu / form drafts (the form designer)")

READS = ("GET", "HEAD")
NO_STORE = {"Cache-Control": "private, no-store"}


def _csrf_refused() -> ApiError:
    return ApiError(403, "csrf_failed",
                    "Thiếu mã bảo vệ CSRF hoặc mã không đúng. Hãy tải lại trang.",
                    {"message_en": "The CSRF token is missing or wrong. Reload the page."})


def _csrf_ok() -> bool:
    sent = request.headers.get("X-CSRF-Token", "")
    expected = session.get(csrf.SESSION_KEY, "")
    return bool(expected) and hmac.compare_digest(sent, expected)


def designer_access(view):
    """An admin, by bearer token or by web session; a session's write needs the CSRF header."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        web_session = None if request.headers.get("Authorization") else current_web_session()
        token = None if web_session is not None else authenticate_request()  # else 401
        if web_session is not None:
            g.current_user = web_session.user
        if g.current_user.role != "admin":
            raise forbidden()
        if web_session is not None and request.method not in READS and not _csrf_ok():
            raise _csrf_refused()
        response = current_app.ensure_sync(view)(*args, **kwargs)
        # Bookkeeping last (a GET reads without the write lock on SQLite).
        if web_session is not None:
            note_session_use(web_session)
        else:
            note_token_use(token)
        return response

    return wrapper


def _draft(draft_id: int):
    return drafts.get_draft(draft_id)


def _actor_id() -> int:
    return g.current_user.id


COMMON_ERRORS = (
    (401, "No, expired or revoked token, and no web session"),
    (403, "Not an admin, or a session's write without its X-CSRF-Token"),
    (404, "No draft with this id (a published version is not a draft)"),
)


def _documented(view):
    for status, description in COMMON_ERRORS:
        view = blp.alt_response(status, schema=ErrorSchema, description=description)(view)
    return view


@blp.route("/<int:draft_id>")
class DraftResource(MethodView):
    @designer_access
    @blp.response(200, DraftSchema)
    @_documented
    def get(self, draft_id: int):
        """The draft as the designer edits it, with its revision (send it back when saving)."""
        return _draft(draft_id), NO_STORE

    @designer_access
    @blp.arguments(DraftSaveSchema)
    @blp.response(200, DraftSavedSchema)
    @_documented
    @blp.alt_response(400, schema=ErrorSchema, description="Not a JSON object")
    @blp.alt_response(409, schema=ErrorSchema,
                      description="draft_changed: saved by someone else since `revision`; "
                                  "details: current_revision, updated_by, updated_at")
    @blp.alt_response(413, schema=ErrorSchema, description="The definition is over the size limit")
    def put(self, body: dict, draft_id: int):
        """Save the whole definition (never checked against the form rules: a draft may be
        invalid while it is edited) and raise the revision."""
        draft = drafts.save_draft(draft_id, body["revision"], body["definition"], _actor_id())
        return {"revision": draft.revision, "updated_at": draft.updated_at}


@blp.route("/<int:draft_id>/validate")
class DraftValidation(MethodView):
    @designer_access
    @blp.response(200, ValidationResultSchema)
    @_documented
    def post(self, draft_id: int):
        """Check the stored draft with the publishing rules; every error names its path and
        question."""
        problems = drafts.draft_problems(_draft(draft_id))
        return {"ok": not problems, "errors": [drafts.flat_problem(p) for p in problems]}


@blp.route("/<int:draft_id>/changes")
class DraftChanges(MethodView):
    @designer_access
    @blp.response(200, ChangesSchema)
    @_documented
    def get(self, draft_id: int):
        """What the draft changes against the family's newest published version, and the
        changes that break comparison with earlier rounds (warnings)."""
        return drafts.changes_of(_draft(draft_id)), NO_STORE


@blp.route("/<int:draft_id>/publish")
class DraftPublication(MethodView):
    @designer_access
    @blp.arguments(PublishSchema)
    @blp.response(201, PublishedSchema)
    @_documented
    @blp.alt_response(400, schema=ErrorSchema,
                      description="invalid_definition: details.errors as /validate lists them")
    @blp.alt_response(409, schema=ErrorSchema, description="draft_changed, as for PUT")
    def post(self, body: dict, draft_id: int):
        """Publish the draft as the next immutable version of its form; the draft is gone
        afterwards. Content identical to the newest version returns that version."""
        version, created = drafts.publish_draft(draft_id, body["revision"], _actor_id())
        return {"version_id": version.id, "version": version.version, "unchanged": not created}
