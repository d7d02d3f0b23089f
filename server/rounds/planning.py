"""Admins plan rounds: create one, change its window, target or late policy, close it early,
extend or reopen it. The same services run the console's Rounds pages."""

import marshmallow as ma
from flask import g
from flask.views import MethodView
from sqlalchemy import select

from server.api_blueprint import Blueprint
from server.api_fields import BoundedInteger, Id
from server.auth.api_auth import api_login_required
from server.errors import ApiError
from server.extensions import db
from server.rounds import lifecycle
from server.rounds.models import LATE_POLICIES, Round
from server.rounds.schemas import RoundBaseSchema
from server.rounds.services import (
    TARGET_MAX,
    TARGET_MIN,
    RoundRuleError,
    plan_new_round,
    targets_of,
)
from server.units.models import Unit
from server.units.schemas import UnitRefSchema

blp = Blueprint("round_planning", __name__, url_prefix="/api/v1/rounds",
                description="Lập kế hoạch đợt khảo sát / planning rounds (admin)")


class UnitTargetSchema(ma.Schema):
    unit_id = Id(required=True)
    target = BoundedInteger(minimum=TARGET_MIN, maximum=TARGET_MAX, required=True,
                            allow_none=True, metadata={"description": "null: the round's default"})


class PlannedRoundSchema(RoundBaseSchema):
    slug = ma.fields.String()
    form_version_id = Id()
    status = ma.fields.Method("_status")
    late_policy = ma.fields.String()
    recurring_plan_id = Id(allow_none=True)
    units = ma.fields.List(ma.fields.Nested(UnitRefSchema))
    unit_targets = ma.fields.Method("_targets")

    def _status(self, round_: Round) -> str:
        return round_.effective_status()

    def _targets(self, round_: Round) -> list[dict]:
        return [{"unit_id": unit_id, "target": target}
                for unit_id, target in sorted(targets_of(round_.id).items())]


def _late_policy(**kwargs):
    return ma.fields.String(validate=ma.validate.OneOf(LATE_POLICIES), metadata={
        "description": "Responses completed while open but received after closing: "
                       "accept (stored, marked late) or refuse."}, **kwargs)


class RoundCreateSchema(ma.Schema):
    title = ma.fields.String(required=True, validate=ma.validate.Length(min=3, max=200))
    form_version_id = Id(required=True)
    opens_at = ma.fields.AwareDateTime(required=True)
    closes_at = ma.fields.AwareDateTime(required=True)
    unit_ids = ma.fields.List(Id(), required=True, validate=ma.validate.Length(min=1, max=20000))
    target_per_unit = BoundedInteger(minimum=TARGET_MIN, maximum=TARGET_MAX, load_default=20)
    late_policy = _late_policy(load_default="accept")
    unit_targets = ma.fields.List(ma.fields.Nested(UnitTargetSchema), load_default=list)

    @ma.validates_schema
    def _window(self, data, **kwargs):
        if data["closes_at"] <= data["opens_at"]:
            raise ma.ValidationError("closes_at must be after opens_at", "closes_at")


class RoundUpdateSchema(ma.Schema):
    title = ma.fields.String(validate=ma.validate.Length(min=3, max=200))
    opens_at = ma.fields.AwareDateTime()
    closes_at = ma.fields.AwareDateTime()
    target_per_unit = BoundedInteger(minimum=TARGET_MIN, maximum=TARGET_MAX)
    late_policy = _late_policy()
    unit_targets = ma.fields.List(ma.fields.Nested(UnitTargetSchema))
    status = ma.fields.String(validate=ma.validate.OneOf(("draft", "scheduled", "open", "closed")),
                              metadata={"description": "closed: close early; scheduled or open "
                                        "on a closed round: reopen it until closes_at"})


def _not_found() -> ApiError:
    return ApiError(404, "not_found", "Không tìm thấy đợt khảo sát.",
                    {"message_en": "No such round."})


def _targets(items: list[dict]) -> dict[int, int | None]:
    return {item["unit_id"]: item["target"] for item in items}


@blp.route("")
class RoundPlans(MethodView):
    @api_login_required(roles=("admin",))
    @blp.arguments(RoundCreateSchema)
    @blp.response(201, PlannedRoundSchema)
    def post(self, body):
        """Plan a round: a published form version, a window, units, a target per unit (the
        round's default and any unit's own) and the late-submission policy."""
        units = db.session.scalars(select(Unit).where(Unit.id.in_(body["unit_ids"]))).all()
        missing = sorted(set(body["unit_ids"]) - {u.id for u in units})
        if missing:
            raise ApiError(400, "unknown_unit", "Không tìm thấy đơn vị.",
                           {"message_en": "Unknown unit ids.", "unit_ids": missing})
        return plan_new_round(
            g.current_user.id, title=body["title"], form_version_id=body["form_version_id"],
            units=list(units), opens_at=body["opens_at"], closes_at=body["closes_at"],
            target_per_unit=body["target_per_unit"], late_policy=body["late_policy"],
            unit_targets=_targets(body["unit_targets"]))


def _change_status(round_: Round, body: dict, actor_id: int) -> None:
    wanted = body.pop("status")
    if wanted == "closed":
        lifecycle.close_early(round_, actor_id)
    elif wanted == "draft" or round_.status == "draft":  # hide, or publish a draft
        lifecycle.set_draft(round_, wanted == "draft", actor_id)
    elif round_.effective_status() == "closed":
        if "closes_at" not in body:
            raise RoundRuleError("closes_at_required", "Cần thời gian đóng mới để mở lại đợt.",
                                 "Reopening a round needs a new closes_at.")
        lifecycle.reopen(round_, body.pop("closes_at"), actor_id)


def _change_window(round_: Round, body: dict, actor_id: int) -> None:
    opens_at = body.pop("opens_at", round_.opens_at)
    closes_at = body.pop("closes_at", round_.closes_at)
    if round_.effective_status() in ("planned", "draft"):
        lifecycle.reschedule(round_, opens_at, closes_at, actor_id)
    elif opens_at != round_.opens_at:
        raise RoundRuleError("round_started", "Đợt đã bắt đầu: không thể đổi thời gian mở.",
                             "The round has started: its opening cannot move.")
    elif closes_at != round_.closes_at:
        lifecycle.extend(round_, closes_at, actor_id)


@blp.route("/<int:round_id>")
class RoundPlan(MethodView):
    @api_login_required(roles=("admin",))
    @blp.arguments(RoundUpdateSchema)
    @blp.response(200, PlannedRoundSchema)
    def patch(self, body, round_id):
        """Change a round: title, default target, late policy, units' own targets; move a
        planned round; extend an open one (a later closes_at); close it early
        (status "closed"); reopen a closed one (status "open" with a new closes_at)."""
        round_ = db.session.get(Round, round_id)
        if round_ is None:
            raise _not_found()
        actor_id = g.current_user.id
        if "status" in body:
            _change_status(round_, body, actor_id)
        if "opens_at" in body or "closes_at" in body:
            _change_window(round_, body, actor_id)
        if "unit_targets" in body:
            lifecycle.change_targets(round_, _targets(body.pop("unit_targets")), actor_id)
        if body:
            lifecycle.update_settings(round_, actor_id, **body)
        return round_
