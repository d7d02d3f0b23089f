import marshmallow as ma
from flask.views import MethodView
from sqlalchemy import text

from server.api_blueprint import Blueprint
from server.extensions import db

blp = Blueprint("health", __name__, url_prefix="/api/v1", description="Tình trạng hệ thống")


class HealthSchema(ma.Schema):
    status = ma.fields.String()
    database = ma.fields.String()


@blp.route("/health")
class Health(MethodView):
    @blp.response(200, HealthSchema)
    @blp.alt_response(503, schema=HealthSchema, description="The database cannot be reached")
    def get(self):
        """Is the service up and its database reachable?"""
        try:
            db.session.execute(text("SELECT 1"))
        except Exception:  # any driver error means the database is unreachable
            db.session.rollback()
            return {"status": "degraded", "database": "unavailable"}, 503
        return {"status": "ok", "database": "ok"}
