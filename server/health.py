import marshmallow as ma
from flask.views import MethodView
from sqlalchemy import select, text

from server.api_blueprint import Blueprint
from server.extensions import db
from server.scheduling.models import JobRun

blp = Blueprint("health", __name__, url_prefix="/api/v1", description="Tình trạng hệ thống")


class SchedulerRunSchema(ma.Schema):
    job = ma.fields.String(metadata={"description": "The job that finished last"})
    finished_at = ma.fields.DateTime(metadata={"description": "When it finished (UTC)"})
    outcome = ma.fields.String(allow_none=True)


class HealthSchema(ma.Schema):
    status = ma.fields.String()
    database = ma.fields.String()
    scheduler_last_run = ma.fields.Nested(
        SchedulerRunSchema, allow_none=True,
        metadata={"description": "The scheduler's latest finished job; null when none has run "
                                 "(a scheduler that is not running shows as an old time)"})


def _last_scheduler_run() -> dict | None:
    latest = db.session.execute(
        select(JobRun.job_name, JobRun.finished_at, JobRun.outcome)
        .where(JobRun.finished_at.is_not(None))
        .order_by(JobRun.finished_at.desc()).limit(1)).first()
    if latest is None:
        return None
    return {"job": latest.job_name, "finished_at": latest.finished_at, "outcome": latest.outcome}


@blp.route("/health")
class Health(MethodView):
    @blp.response(200, HealthSchema)
    @blp.alt_response(503, schema=HealthSchema, description="The database cannot be reached")
    def get(self):
        """Is the service up and its database reachable? When did the scheduler last run?"""
        try:
            db.session.execute(text("SELECT 1"))
            last_run = _last_scheduler_run()
        except Exception:  # any driver error means the database is unreachable
            db.session.rollback()
            return {"status": "degraded", "database": "unavailable",
                    "scheduler_last_run": None}, 503
        return {"status": "ok", "database": "ok", "scheduler_last_run": last_run}
