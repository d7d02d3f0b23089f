import unicodedata

from flask import g
from flask.views import MethodView
from sqlalchemy import select, update

from server.api_blueprint import Blueprint
from server.audit.services import record
from server.auth.api_auth import api_login_required
from server.db_types import utcnow
from server.errors import ApiError
from server.extensions import db
from server.people.models import DeviceToken, User
from server.people.schemas import UserCreateSchema, UserSchema, UserUpdateSchema
from server.people.services import create_user, hash_password
from server.units.models import Unit

blp = Blueprint("people", __name__, url_prefix="/api/v1/users", description="Người dùng / users")


def _units(unit_ids: list[int]) -> list[Unit]:
    units = db.session.scalars(select(Unit).where(Unit.id.in_(unit_ids))).all()
    missing = sorted(set(unit_ids) - {u.id for u in units})
    if missing:
        raise ApiError(400, "unknown_unit", "Không tìm thấy đơn vị được phân công.",
                       {"message_en": "Unknown unit ids.", "unit_ids": missing})
    return list(units)


@blp.route("")
class Users(MethodView):
    @api_login_required(roles=("admin",))
    @blp.response(200, UserSchema(many=True))
    def get(self):
        """Every user (admin)."""
        return db.session.scalars(select(User).order_by(User.username)).all()

    @api_login_required(roles=("admin",))
    @blp.arguments(UserCreateSchema)
    @blp.response(201, UserSchema)
    def post(self, body):
        """Create a user and assign units (admin)."""
        try:
            user = create_user(body["username"], body["password"], body["role"],
                               body["display_name"], units=_units(body["unit_ids"]))
        except ValueError as problem:
            raise ApiError(409, "user_exists", "Tên đăng nhập đã tồn tại.",
                           {"message_en": str(problem)}) from None
        record(g.current_user.id, "user.created", "user", user.id, {"role": user.role})
        db.session.commit()
        return user


@blp.route("/<int:user_id>")
class UserResource(MethodView):
    @api_login_required(roles=("admin",))
    @blp.arguments(UserUpdateSchema)
    @blp.response(200, UserSchema)
    def patch(self, body, user_id):
        """Change a user's name, assignments, password or active flag (admin).
        Deactivating or changing the password revokes the user's device tokens."""
        user = db.session.get(User, user_id)
        if user is None:
            raise ApiError(404, "not_found", "Không tìm thấy người dùng.", {"message_en": "No such user."})
        if "display_name" in body:
            user.display_name = unicodedata.normalize("NFC", body["display_name"].strip())
        if "unit_ids" in body:
            user.units = _units(body["unit_ids"])
        revoke = False
        if "password" in body:
            user.password_hash = hash_password(body["password"])
            revoke = True
        if "is_active" in body:
            user.is_active = body["is_active"]
            revoke = revoke or not body["is_active"]
        if revoke:
            db.session.execute(update(DeviceToken).where(
                DeviceToken.user_id == user.id, DeviceToken.revoked_at.is_(None)).values(revoked_at=utcnow()))
        # Only the names of the changed fields: never the password itself.
        record(g.current_user.id, "user.updated", "user", user.id, {"fields": sorted(body)})
        db.session.commit()
        return user
