"""Admins review conflicts: a second, different upload under a UUID already stored.

The first upload stands until an admin decides; choosing the second replaces the stored
answers (validated again against the form version) and both versions stay in the audit log.
"""

import marshmallow as ma
from flask import g
from flask.views import MethodView
from sqlalchemy import select

from server.api_blueprint import Blueprint
from server.audit.services import record
from server.auth.api_auth import api_login_required
from server.db_types import utcnow
from server.errors import ApiError
from server.extensions import db
from server.forms.models import FormVersion
from server.forms.validation import validate_response
from server.sync.models import Response, ResponseConflict

blp = Blueprint("conflict_review", __name__, url_prefix="/api/v1/conflicts",
                description="Xem xét phiếu trùng mã / reviewing conflicting uploads (admin)")

RESOLUTIONS = ("kept_stored", "used_submitted")


class ConflictQuerySchema(ma.Schema):
    resolved = ma.fields.Boolean(load_default=False)


class ConflictSchema(ma.Schema):
    id = ma.fields.Integer()
    uuid = ma.fields.String()
    round_id = ma.fields.Integer(allow_none=True)
    unit_id = ma.fields.Integer(allow_none=True)
    volunteer_id = ma.fields.Integer()
    received_at = ma.fields.AwareDateTime()
    resolved_at = ma.fields.AwareDateTime(allow_none=True)
    resolution = ma.fields.String(allow_none=True)
    submitted = ma.fields.Dict()
    stored_answers = ma.fields.Dict(allow_none=True)


class ResolveSchema(ma.Schema):
    resolution = ma.fields.String(required=True, validate=ma.validate.OneOf(RESOLUTIONS))


def _view(conflict: ResponseConflict, stored_answers: dict | None) -> dict:
    """The conflict beside the answers that stand for its UUID."""
    fields = ("id", "uuid", "round_id", "unit_id", "volunteer_id", "received_at", "resolved_at",
              "resolution")
    return {**{name: getattr(conflict, name) for name in fields},
            "submitted": conflict.payload, "stored_answers": stored_answers}


def _conflict_or_404(conflict_id: int) -> ResponseConflict:
    conflict = db.session.get(ResponseConflict, conflict_id)
    if conflict is None:
        raise ApiError(404, "not_found", "Không tìm thấy phiếu trùng mã.", {"message_en": "No such conflict."})
    return conflict


def _use_submitted(conflict: ResponseConflict, response: Response) -> None:
    version = db.session.get(FormVersion, response.form_version_id)
    result = validate_response(version.definition, conflict.answers, content_hash=version.content_hash)
    if result.errors:
        raise ApiError(400, "submitted_version_invalid",
                       "Bản gửi sau không hợp lệ với mẫu phiếu; giữ bản đã lưu.",
                       {"message_en": "The later upload does not pass the form's checks; keep the stored one.",
                        "errors": result.errors})
    record(g.current_user.id, "response.replaced", "response", response.uuid,
           {"previous_hash": response.content_hash, "previous_answers": response.answers,
            "conflict_id": conflict.id})
    response.answers = result.answers
    response.skipped = list(result.skipped)
    response.content_hash = conflict.content_hash


@blp.route("")
class Conflicts(MethodView):
    @api_login_required(roles=("admin",))
    @blp.arguments(ConflictQuerySchema, location="query")
    @blp.response(200, ConflictSchema(many=True))
    def get(self, query):
        """Conflicting uploads, open ones by default (`?resolved=true` for decided ones)."""
        statement = (select(ResponseConflict, Response.answers)
                     .outerjoin(Response, Response.uuid == ResponseConflict.uuid)
                     .order_by(ResponseConflict.received_at))
        if query["resolved"]:
            statement = statement.where(ResponseConflict.resolved_at.is_not(None))
        else:
            statement = statement.where(ResponseConflict.resolved_at.is_(None))
        return [_view(conflict, stored) for conflict, stored in db.session.execute(statement)]


@blp.route("/<int:conflict_id>/resolve")
class ResolveConflict(MethodView):
    @api_login_required(roles=("admin",))
    @blp.arguments(ResolveSchema)
    @blp.response(200, ConflictSchema)
    def post(self, body, conflict_id):
        """Decide a conflict: keep the stored response, or replace it with the later upload."""
        conflict = _conflict_or_404(conflict_id)
        if conflict.resolved_at is not None:
            raise ApiError(409, "already_resolved", "Phiếu trùng mã này đã được xử lý.",
                           {"message_en": "This conflict was already resolved."})
        response = db.session.scalar(select(Response).where(Response.uuid == conflict.uuid))
        if body["resolution"] == "used_submitted":
            _use_submitted(conflict, response)
        conflict.resolution = body["resolution"]
        conflict.resolved_at = utcnow()
        conflict.resolved_by_id = g.current_user.id
        record(g.current_user.id, "conflict.resolved", "response_conflict", conflict.id,
               {"resolution": body["resolution"], "uuid": conflict.uuid})
        db.session.commit()
        return _view(conflict, response.answers)
