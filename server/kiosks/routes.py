"""/api/v1/kiosks: desks and pairing (admins and the unit's officials), the pairing a tablet
does with a one-time code, and what a paired tablet may do with its credential (read its desk,
submit ratings). A user's login never works as a tablet's credential, nor the reverse."""

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app, g, request
from flask.views import MethodView
from sqlalchemy import func, select

from server.api_blueprint import Blueprint
from server.auth.api_auth import api_login_required
from server.errors import ApiError, ErrorSchema
from server.extensions import db
from server.kiosks import desks, pairing, ratings
from server.kiosks.models import KioskDesk, KioskDevice
from server.kiosks.schemas import (
    DeskCreateSchema,
    DeskSchema,
    DeskUpdateSchema,
    DeviceDeskSchema,
    HourlyQuerySchema,
    HourlySchema,
    PairedSchema,
    PairingCodeSchema,
    PairSchema,
    RatingBatchSchema,
    RatingResultsSchema,
)
from server.units.models import Unit

blp = Blueprint("kiosks", __name__, url_prefix="/api/v1/kiosks",
                description="Bàn một cửa: đánh giá tại quầy / one-stop-desk rating kiosks")

STAFF = ("admin", "official")


def _desk(desk_id: int) -> KioskDesk:
    desk = db.session.get(KioskDesk, desk_id)
    if desk is None or not desks.may_manage(g.current_user, desk.unit):
        # Another unit's desk is as absent as one that does not exist.
        raise ApiError(404, "not_found", "Không tìm thấy bàn một cửa.",
                       {"message_en": "Desk not found."})
    return desk


def paired_counts(desk_ids: list[int]) -> dict[int, int]:
    if not desk_ids:
        return {}
    rows = db.session.execute(select(KioskDevice.desk_id, func.count()).where(
        KioskDevice.desk_id.in_(desk_ids), KioskDevice.revoked_at.is_(None))
        .group_by(KioskDevice.desk_id))
    return dict(rows.all())


def desk_out(desk: KioskDesk, devices: int | None = None) -> dict:
    return {"id": desk.id, "unit_id": desk.unit_id, "unit_name": desk.unit.name,
            "name": desk.name, "services": list(desk.services or []),
            "min_interval_seconds": desk.min_interval_seconds, "is_active": desk.is_active,
            "paired_devices": devices if devices is not None
            else paired_counts([desk.id]).get(desk.id, 0),
            "created_at": desk.created_at}


def device_desk_out(desk: KioskDesk) -> dict:
    return {"id": desk.id, "name": desk.name, "unit_name": desk.unit.name,
            "services": list(desk.services or []),
            "min_interval_seconds": desk.min_interval_seconds}


def _tablet() -> KioskDevice:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    device = pairing.device_for_token(token.strip()) if scheme.lower() == "bearer" else None
    if device is None:
        raise ApiError(401, "kiosk_not_paired",
                       "Máy này chưa được ghép với bàn một cửa, hoặc đã bị gỡ. "
                       "Xin quản trị viên tạo mã ghép nối mới.",
                       {"message_en": "This tablet is not paired to a desk, or was unpaired."},
                       headers={"WWW-Authenticate": "Bearer"})
    return device


@blp.route("")
class Desks(MethodView):
    @api_login_required(roles=STAFF)
    @blp.response(200, DeskSchema(many=True))
    def get(self):
        """The desks of the units the caller manages."""
        found = desks.visible_desks(g.current_user)
        counts = paired_counts([desk.id for desk in found])
        return [desk_out(desk, counts.get(desk.id, 0)) for desk in found]

    @api_login_required(roles=STAFF)
    @blp.arguments(DeskCreateSchema)
    @blp.response(201, DeskSchema)
    @blp.alt_response(400, schema=ErrorSchema)
    def post(self, body):
        """Set up a desk: a unit, a name, its services (thủ tục), the minimum interval."""
        unit = db.session.get(Unit, body["unit_id"])
        if unit is None:
            raise ApiError(400, "unknown_unit", "Không tìm thấy đơn vị.",
                           {"message_en": "The unit does not exist."})
        return desk_out(desks.create_desk(g.current_user, unit, body["name"], body["services"],
                                          body["min_interval_seconds"]), 0)


@blp.route("/<int:desk_id>")
class Desk(MethodView):
    @api_login_required(roles=STAFF)
    @blp.response(200, DeskSchema)
    def get(self, desk_id):
        """One desk."""
        return desk_out(_desk(desk_id))

    @api_login_required(roles=STAFF)
    @blp.arguments(DeskUpdateSchema)
    @blp.response(200, DeskSchema)
    def patch(self, body, desk_id):
        """Rename, change the services or the interval, close (is_active false) or reopen."""
        return desk_out(desks.update_desk(_desk(desk_id), g.current_user, **body))


@blp.route("/<int:desk_id>/pairing-codes")
class PairingCodes(MethodView):
    @api_login_required(roles=STAFF)
    @blp.response(201, PairingCodeSchema)
    def post(self, desk_id):
        """A one-time code to pair a tablet (8 characters, 15 minutes, single use)."""
        code, row = pairing.issue_code(_desk(desk_id), g.current_user.id)
        return {"code": pairing.format_code(code), "expires_at": row.expires_at}


@blp.route("/<int:desk_id>/devices/revoke")
class RevokeDevices(MethodView):
    @api_login_required(roles=STAFF)
    @blp.response(200, DeskSchema)
    def post(self, desk_id):
        """Unpair every tablet of the desk."""
        desk = _desk(desk_id)
        pairing.unpair_all(desk, g.current_user.id)
        return desk_out(desk)


@blp.route("/<int:desk_id>/hourly")
class Hourly(MethodView):
    @api_login_required(roles=STAFF)
    @blp.arguments(HourlyQuerySchema, location="query")
    @blp.response(200, HourlySchema)
    def get(self, query, desk_id):
        """The desk's ratings per hour of one day (Viet Nam time; today by default): only
        the hours that had any, in order."""
        desk = _desk(desk_id)
        zone = ZoneInfo(current_app.config["DISPLAY_TIMEZONE"])
        day = query["date"] or datetime.now(zone).date()
        hours = ratings.hourly_counts(desk.id, day, zone)
        return {"date": day, "hours": [hour for hour in hours if hour["total"]]}


@blp.route("/pair")
class Pair(MethodView):
    @blp.arguments(PairSchema)
    @blp.response(201, PairedSchema)
    @blp.alt_response(400, schema=ErrorSchema, description="Wrong, used or expired code")
    @blp.alt_response(429, schema=ErrorSchema, description="Too many wrong codes from here")
    def post(self, body):
        """The tablet trades a one-time code for its credential (no login); wrong codes are
        counted per address, and past the login's limit refused for a while (429)."""
        token, device = pairing.pair_from(request.remote_addr or "", body["code"])
        return {"token": token, "desk": device_desk_out(device.desk)}


@blp.route("/device")
class Device(MethodView):
    @blp.response(200, DeviceDeskSchema)
    @blp.alt_response(401, schema=ErrorSchema)
    def get(self):
        """The paired tablet's desk (its services and interval may have changed)."""
        return device_desk_out(_tablet().desk)


@blp.route("/device/ratings")
class DeviceRatings(MethodView):
    @blp.arguments(RatingBatchSchema)
    @blp.response(200, RatingResultsSchema)
    @blp.alt_response(401, schema=ErrorSchema)
    def post(self, body):
        """Ratings from the paired tablet, idempotent by client_uuid: one result per item
        (created, duplicate, rejected); too-early or implausible ratings are stored flagged."""
        device = _tablet()
        items = [ratings.RatingIn(client_uuid=str(item["client_uuid"]), score=item["score"],
                                  rated_at=item["rated_at"], service=item["service"],
                                  comment=item["comment"]) for item in body["ratings"]]
        return {"results": ratings.receive(device, items)}
