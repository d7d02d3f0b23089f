"""Admins plan rounds: create one, change its window or target, close it early."""

import marshmallow as ma
from flask import g
from flask.views import MethodView
from sqlalchemy import select

from server.api_blueprint import Blueprint
from server.audit.services import record
from server.auth.api_auth import api_login_required
from server.errors import ApiError
from server.extensions import db
from server.forms.models import FormVersion
from server.rounds.models import Round
from server.rounds.schemas import RoundBaseSchema
from server.rounds.services import create_round
from server.units.models import Unit
from server.units.schemas import UnitRefSchema

blp = Blueprint("round_planning", __name__, url_prefix="/api/v1/rounds",
                description="Lập kế hoạch đợt khảo sát / planning rounds (admin)")


class PlannedRoundSchema(RoundBaseSchema):
    slug = ma.fields.String()
    form_version_id = ma.fields.Integer()
    status = ma.fields.Method("_status")
    units = ma.fields.List(ma.fields.Nested(UnitRefSchema))

    def _status(self, round_: Round) -> str:
        return round_.effective_status()


class RoundCreateSchema(ma.Schema):
    title = ma.fields.String(required=True, validate=ma.validate.Length(min=3, max=200))
    form_version_id = ma.fields.Integer(required=True)
    opens_at = ma.fields.AwareDateTime(required=True)
    closes_at = ma.fields.AwareDateTime(required=True)
    unit_ids = ma.fields.List(ma.fields.Integer(), required=True, validate=ma.validate.Length(min=1))
    target_per_unit = ma.fields.Integer(load_default=20, validate=ma.validate.Range(min=1, max=100000))

    @ma.validates_schema
    def _window(self, data, **kwargs):
        if data["closes_at"] <= data["opens_at"]:
            raise ma.ValidationError("closes_at must be after opens_at", "closes_at")


class RoundUpdateSchema(ma.Schema):
    title = ma.fields.String(validate=ma.validate.Length(min=3, max=200))
    opens_at = ma.fields.AwareDateTime()
    closes_at = ma.fields.AwareDateTime()
    target_per_unit = ma.fields.Integer(validate=ma.validate.Range(min=1, max=100000))
    status = ma.fields.String(validate=ma.validate.OneOf(("draft", "scheduled", "closed")))


def _not_found() -> ApiError:
    return ApiError(404, "not_found", "Không tìm thấy đợt khảo sát.", {"message_en": "No such round."})


@blp.route("")
class RoundPlans(MethodView):
    @api_login_required(roles=("admin",))
    @blp.arguments(RoundCreateSchema)
    @blp.response(201, PlannedRoundSchema)
    def post(self, body):
        """Plan a round: a published form version, a window, units and a target per unit."""
        version = db.session.get(FormVersion, body["form_version_id"])
        if version is None or version.status != "published":
            raise ApiError(400, "form_version_not_published",
                           "Phiên bản biểu mẫu không tồn tại hoặc chưa được công bố.",
                           {"message_en": "The form version does not exist or is not published."})
        units = db.session.scalars(select(Unit).where(Unit.id.in_(body["unit_ids"]))).all()
        missing = sorted(set(body["unit_ids"]) - {u.id for u in units})
        if missing:
            raise ApiError(400, "unknown_unit", "Không tìm thấy đơn vị.",
                           {"message_en": "Unknown unit ids.", "unit_ids": missing})
        round_ = create_round(body["title"], version, list(units), body["opens_at"],
                              body["closes_at"], body["target_per_unit"])
        record(g.current_user.id, "round.created", "round", round_.id, {"title": round_.title})
        db.session.commit()
        return round_


@blp.route("/<int:round_id>")
class RoundPlan(MethodView):
    @api_login_required(roles=("admin",))
    @blp.arguments(RoundUpdateSchema)
    @blp.response(200, PlannedRoundSchema)
    def patch(self, body, round_id):
        """Change a round's title, window or target, or close it early."""
        round_ = db.session.get(Round, round_id)
        if round_ is None:
            raise _not_found()
        for name, value in body.items():
            setattr(round_, name, value)
        if round_.closes_at <= round_.opens_at:
            raise ApiError(400, "validation_error", "Thời gian đóng phải sau thời gian mở.",
                           {"message_en": "closes_at must be after opens_at."})
        record(g.current_user.id, "round.updated", "round", round_.id,
               {"fields": sorted(body)})
        db.session.commit()
        return round_
