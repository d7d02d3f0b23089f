"""GET /api/v1/rounds: the rounds the caller may see, with the units they may see in each."""

import marshmallow as ma
from flask import g
from flask.views import MethodView

from server.api_blueprint import Blueprint
from server.auth.api_auth import api_login_required
from server.errors import ApiError
from server.extensions import db
from server.reporting.access import report_unit_rows, visible_rounds
from server.rounds.document import document_values, update_document
from server.rounds.models import Round
from server.rounds.schemas import RoundBaseSchema, RoundDocumentSchema

blp = Blueprint("rounds", __name__, url_prefix="/api/v1/rounds", description="Đợt khảo sát / rounds")


class FormVersionRefSchema(ma.Schema):
    id = ma.fields.Integer()
    form_name = ma.fields.Function(lambda version: version.form.name)
    version = ma.fields.Integer()
    title = ma.fields.Dict()


def _unit_refs(round_: Round) -> list[dict]:
    """The round's report units the caller sees, as UnitRefSchema gives them: plain rows
    made into dicts here (a national round's 36,000 units through a schema take seconds)."""
    return [{"id": row.id, "name": row.name, "kind": row.kind, "parent_id": row.parent_id}
            for row in report_unit_rows(round_, g.current_user)]


class RoundListItemSchema(RoundBaseSchema):
    slug = ma.fields.String()
    form_version = ma.fields.Nested(FormVersionRefSchema)
    status = ma.fields.Function(lambda round_: round_.effective_status())
    units = ma.fields.Function(_unit_refs)


class RoundListSchema(ma.Schema):
    rounds = ma.fields.List(ma.fields.Nested(RoundListItemSchema))


@blp.route("")
class Rounds(MethodView):
    @api_login_required(allow_session=True)
    @blp.response(200, RoundListSchema)
    def get(self):
        """The rounds the caller may see (newest first), each with its form version, dates,
        status and the units (its own and those above them) the caller may see in it."""
        return {"rounds": visible_rounds(g.current_user)}


def _round_or_404(round_id: int) -> Round:
    round_ = db.session.get(Round, round_id)
    if round_ is None:
        raise ApiError(404, "not_found", "Không tìm thấy đợt khảo sát.",
                       {"message_en": "No such round."})
    return round_


@blp.route("/<int:round_id>/document")
class RoundDocument(MethodView):
    @api_login_required(roles=("admin",))
    @blp.response(200, RoundDocumentSchema)
    def get(self, round_id):
        """The round's report document settings (null: the report's default)."""
        return document_values(_round_or_404(round_id))

    @api_login_required(roles=("admin",))
    @blp.arguments(RoundDocumentSchema)
    @blp.response(200, RoundDocumentSchema)
    def patch(self, body, round_id):
        """Change the report document settings: issuing body and the one above it, number,
        place, signer title and name, recipients. Only the fields sent change; null or
        blank puts a field back to the report's default. Audited."""
        round_ = _round_or_404(round_id)
        update_document(round_, g.current_user.id, body)
        return document_values(round_)
