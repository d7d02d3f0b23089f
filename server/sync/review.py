"""Admins review conflicts over the API: a second, different upload under a UUID already
stored (the decisions themselves are in server/sync/conflicts.py)."""

import marshmallow as ma
from flask import g
from flask.views import MethodView

from server.api_blueprint import Blueprint
from server.api_fields import BoundedInteger
from server.auth.api_auth import api_login_required
from server.errors import ErrorSchema
from server.sync.conflicts import (
    REASON_MAX,
    RESOLUTIONS,
    conflict_page,
    resolution_reasons,
    resolve_conflict,
)
from server.sync.models import ResponseConflict

blp = Blueprint("conflict_review", __name__, url_prefix="/api/v1/conflicts",
                description="Xem xét phiếu trùng mã / reviewing conflicting uploads (admin)")

PER_PAGE_DEFAULT = 20
PER_PAGE_MAX = 100
PAGE_MAX = 1_000_000  # far beyond any list; keeps the offset a small number


class ConflictQuerySchema(ma.Schema):
    resolved = ma.fields.Boolean(load_default=False)
    page = BoundedInteger(minimum=1, maximum=PAGE_MAX, load_default=1,
                          metadata={"description": "Page number, from 1."})
    per_page = BoundedInteger(minimum=1, maximum=PER_PAGE_MAX, load_default=PER_PAGE_DEFAULT,
                              metadata={"description": "Conflicts per page."})


class ConflictSchema(ma.Schema):
    id = ma.fields.Integer()
    uuid = ma.fields.String()
    round_id = ma.fields.Integer(allow_none=True)
    unit_id = ma.fields.Integer(allow_none=True)
    volunteer_id = ma.fields.Integer()
    received_at = ma.fields.AwareDateTime()
    resolved_at = ma.fields.AwareDateTime(allow_none=True)
    resolution = ma.fields.String(allow_none=True)
    reason = ma.fields.String(allow_none=True,
                              metadata={"description": "The reason given with the decision."})
    submitted = ma.fields.Dict()
    stored_answers = ma.fields.Dict(allow_none=True)


class ConflictPageSchema(ma.Schema):
    conflicts = ma.fields.List(ma.fields.Nested(ConflictSchema))
    total = ma.fields.Integer(metadata={"description": "Conflicts matching, on every page."})
    page = ma.fields.Integer()
    per_page = ma.fields.Integer()


class ResolveSchema(ma.Schema):
    resolution = ma.fields.String(required=True, validate=ma.validate.OneOf(RESOLUTIONS))
    # Optional so that clients written before it keep working; when sent it must say
    # something (server/sync/conflicts.py clean_reason: the one rule, the console's too).
    reason = ma.fields.String(load_default=None, allow_none=True, metadata={
        "maxLength": REASON_MAX,
        "description": "Why (kept in the audit log). Optional; when given, not blank and at "
                       f"most {REASON_MAX} characters once trimmed."})


def _view(conflict: ResponseConflict, stored_answers: dict | None, reason: str | None) -> dict:
    """The conflict beside the answers that stand for its UUID."""
    fields = ("id", "uuid", "round_id", "unit_id", "volunteer_id", "received_at", "resolved_at",
              "resolution")
    return {**{name: getattr(conflict, name) for name in fields}, "reason": reason,
            "submitted": conflict.payload, "stored_answers": stored_answers}


@blp.route("")
class Conflicts(MethodView):
    @api_login_required(roles=("admin",))
    @blp.arguments(ConflictQuerySchema, location="query")
    @blp.response(200, ConflictPageSchema)
    @blp.alt_response(400, schema=ErrorSchema, description="A page or page size out of range")
    def get(self, query):
        """Conflicting uploads, oldest first, a page at a time: open ones by default
        (`?resolved=true` for decided ones), with the total count."""
        rows, total = conflict_page(query["resolved"], query["page"], query["per_page"])
        reasons = resolution_reasons([conflict.id for conflict, _ in rows if conflict.resolved_at])
        return {"conflicts": [_view(conflict, stored, reasons.get(conflict.id))
                              for conflict, stored in rows],
                "total": total, "page": query["page"], "per_page": query["per_page"]}


@blp.route("/<int:conflict_id>/resolve")
class ResolveConflict(MethodView):
    @api_login_required(roles=("admin",))
    @blp.arguments(ResolveSchema)
    @blp.response(200, ConflictSchema)
    @blp.alt_response(400, schema=ErrorSchema,
                      description="A blank or too long reason, or the later upload fails the "
                                  "form's checks")
    @blp.alt_response(404, schema=ErrorSchema, description="No such conflict")
    @blp.alt_response(409, schema=ErrorSchema,
                      description="Already resolved, or the stored response cannot be replaced")
    def post(self, body, conflict_id):
        """Decide a conflict: keep the stored response, or replace it with the later upload
        as a whole (unit, times, answers), validated again as on receipt. A reason is kept
        with the decision in the audit log."""
        conflict, response = resolve_conflict(conflict_id, body["resolution"], g.current_user,
                                              body["reason"])
        return _view(conflict, response.answers if response is not None else None,
                     resolution_reasons([conflict.id]).get(conflict.id))
