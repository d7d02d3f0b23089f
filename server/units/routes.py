from flask import g
from flask.views import MethodView
from sqlalchemy import select

from server.api_blueprint import Blueprint
from server.auth.access import visible_unit_ids
from server.auth.api_auth import api_login_required
from server.errors import ApiError
from server.extensions import db
from server.units.models import Unit
from server.units.schemas import UnitCreateSchema, UnitQuerySchema, UnitSchema
from server.units.services import add_unit

blp = Blueprint("units", __name__, url_prefix="/api/v1/units", description="Đơn vị / units")


@blp.route("")
class Units(MethodView):
    @api_login_required()
    @blp.arguments(UnitQuerySchema, location="query")
    @blp.response(200, UnitSchema(many=True))
    def get(self, query):
        """The units the caller may see, in tree order."""
        statement = select(Unit).where(Unit.id.in_(visible_unit_ids(g.current_user)))
        if query["parent_id"] is not None:
            statement = statement.where(Unit.parent_id == query["parent_id"])
        if query["kind"]:
            statement = statement.where(Unit.kind == query["kind"])
        return db.session.scalars(statement.order_by(Unit.path)).all()

    @api_login_required(roles=("admin",))
    @blp.arguments(UnitCreateSchema)
    @blp.response(201, UnitSchema)
    def post(self, body):
        """Add a unit (admin)."""
        parent = None
        if body["parent_id"] is not None:
            parent = db.session.get(Unit, body["parent_id"])
            if parent is None:
                raise ApiError(400, "unknown_parent", "Không tìm thấy đơn vị cấp trên.",
                               {"message_en": "The parent unit does not exist."})
        return add_unit(g.current_user.id, body["name"], body["kind"], parent=parent,
                        code=body["code"])
