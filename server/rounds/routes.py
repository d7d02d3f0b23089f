"""GET /api/v1/rounds: the rounds the caller may see, with the units they may see in each."""

import marshmallow as ma
from flask import g
from flask.views import MethodView

from server.api_blueprint import Blueprint
from server.auth.api_auth import api_login_required
from server.reporting.access import round_report_units, visible_rounds
from server.rounds.schemas import RoundBaseSchema
from server.units.schemas import UnitRefSchema

blp = Blueprint("rounds", __name__, url_prefix="/api/v1/rounds", description="Đợt khảo sát / rounds")


class FormVersionRefSchema(ma.Schema):
    id = ma.fields.Integer()
    form_name = ma.fields.Function(lambda version: version.form.name)
    version = ma.fields.Integer()
    title = ma.fields.Dict()


class RoundListItemSchema(RoundBaseSchema):
    slug = ma.fields.String()
    form_version = ma.fields.Nested(FormVersionRefSchema)
    status = ma.fields.Function(lambda round_: round_.effective_status())
    units = ma.fields.Function(
        lambda round_: UnitRefSchema(many=True).dump(round_report_units(round_, g.current_user)))


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
