from flask import g
from flask.views import MethodView
from sqlalchemy import select

from server.api_blueprint import Blueprint
from server.auth.api_auth import api_login_required
from server.errors import ApiError
from server.extensions import db
from server.people.models import User
from server.people.schemas import UserCreateSchema, UserSchema, UserUpdateSchema
from server.people.services import (
    activate_person,
    add_person,
    change_password,
    resolve_units,
    update_person,
)

blp = Blueprint("people", __name__, url_prefix="/api/v1/users", description="Người dùng / users")


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
        user, _ = add_person(g.current_user.id, body["username"], body["display_name"],
                             body["role"], units=resolve_units(body["unit_ids"]),
                             password=body["password"])
        return user


@blp.route("/<int:user_id>")
class UserResource(MethodView):
    @api_login_required(roles=("admin",))
    @blp.arguments(UserUpdateSchema)
    @blp.response(200, UserSchema)
    def patch(self, body, user_id):
        """Change a user's name, assignments, password or active flag (admin).
        Deactivating or changing the password ends the user's logins (device tokens and
        web sessions)."""
        user = db.session.get(User, user_id)
        if user is None:
            raise ApiError(404, "not_found", "Không tìm thấy người dùng.", {"message_en": "No such user."})
        actor_id = g.current_user.id
        if "display_name" in body:
            update_person(user, actor_id, display_name=body["display_name"])
        if "unit_ids" in body:
            update_person(user, actor_id, units=resolve_units(body["unit_ids"]))
        if "password" in body:
            change_password(user, body["password"], actor_id)
        if "is_active" in body:
            activate_person(user, body["is_active"], actor_id)
        return user
