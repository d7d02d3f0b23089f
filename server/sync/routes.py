"""The API the PWA syncs with: assignments, form versions, submissions (issue 4)."""

from functools import wraps

from flask import g, jsonify, request
from flask.views import MethodView

from server.api_blueprint import Blueprint
from server.auth.api_auth import api_login_required
from server.errors import ApiError, ErrorSchema
from server.extensions import db
from server.forms.models import FormVersion
from server.request_log import log_upload_outcome
from server.sync.assignments import assignments_for
from server.sync.client_report import CLIENT_REPORT_PARAMETERS, note_sync, read_client_report
from server.sync.conditional import IF_NONE_MATCH, etag_of, not_modified
from server.sync.request_body import limited_body
from server.sync.schemas import (
    AssignmentsSchema,
    HeldSubmissionsQuerySchema,
    HeldSubmissionsSchema,
    PublishedFormVersionSchema,
    SubmissionBatchSchema,
    SubmissionResultsSchema,
)
from server.sync.services import held_submissions, ingest_batch
from server.sync.write_lock import release_write_lock

blp = Blueprint("sync", __name__, url_prefix="/api/v1", description="Đồng bộ phiếu / sync")

ASSIGNMENTS_CACHE = "private, no-cache"
FORM_VERSION_CACHE = "private, max-age=31536000, immutable"


def volunteer_only(view):
    """Only a volunteer's token submits: the response is stored as that volunteer's."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if g.current_user.role != "volunteer":
            raise ApiError(403, "not_a_volunteer",
                           "Chỉ tài khoản tình nguyện viên mới gửi được phiếu khảo sát.",
                           {"message_en": "Only a volunteer account can submit responses."})
        return view(*args, **kwargs)

    return wrapper


@blp.route("/me/assignments")
class Assignments(MethodView):
    @api_login_required()
    @blp.doc(parameters=[IF_NONE_MATCH, *CLIENT_REPORT_PARAMETERS])
    @blp.response(200, AssignmentsSchema, headers={"ETag": {"schema": {"type": "string"}}})
    @blp.alt_response(304, description="Unchanged since the ETag sent in If-None-Match")
    @blp.alt_response(401, schema=ErrorSchema, description="No, expired or revoked token")
    def get(self):
        """The open and upcoming rounds the volunteer may collect in, each with only their
        units. Send the last ETag in If-None-Match: 304 when nothing changed. Either way
        the call counts as a sync: its time, and the app version and queued count in the
        X-App-Version and X-Queued-Count headers, are recorded for the admins."""
        rounds = assignments_for(g.current_user)
        etag = etag_of(rounds)
        answer = not_modified(etag, ASSIGNMENTS_CACHE)
        if answer is None:
            answer = {"rounds": rounds}, {"ETag": f'"{etag}"', "Cache-Control": ASSIGNMENTS_CACHE}
        # Bookkeeping last: this GET reads nothing after it (server/sync/client_report.py).
        note_sync(g.current_user, read_client_report(request.headers))
        return answer


@blp.route("/form-versions/<int:version_id>")
class FormVersionResource(MethodView):
    @api_login_required()
    @blp.doc(parameters=[IF_NONE_MATCH])
    @blp.response(200, PublishedFormVersionSchema, headers={"ETag": {"schema": {"type": "string"}}})
    @blp.alt_response(304, description="The client holds this version already")
    @blp.alt_response(401, schema=ErrorSchema, description="No, expired or revoked token")
    @blp.alt_response(404, schema=ErrorSchema, description="No published version with this id")
    def get(self, version_id: int):
        """A published form version: immutable, so cached for long and 304 on a match."""
        version = db.session.get(FormVersion, version_id)
        if version is None or version.status == "draft":
            raise ApiError(404, "not_found", "Không tìm thấy mẫu phiếu.",
                           {"message_en": "Form version not found."})
        unchanged = not_modified(version.content_hash, FORM_VERSION_CACHE)
        if unchanged is not None:
            return unchanged
        return version, {"ETag": f'"{version.content_hash}"', "Cache-Control": FORM_VERSION_CACHE}


@blp.route("/submissions")
class Submissions(MethodView):
    @api_login_required()
    @volunteer_only
    @release_write_lock
    @limited_body
    @blp.doc(parameters=CLIENT_REPORT_PARAMETERS)
    @blp.arguments(SubmissionBatchSchema)
    @blp.response(200, SubmissionResultsSchema)
    @blp.alt_response(400, schema=ErrorSchema, description="Not JSON, or fields missing or of the wrong type")
    @blp.alt_response(401, schema=ErrorSchema, description="No, expired or revoked token")
    @blp.alt_response(403, schema=ErrorSchema, description="Not a volunteer's token")
    @blp.alt_response(413, schema=ErrorSchema, description="Over 200 submissions or 2 MB (after gunzip)")
    @blp.alt_response(415, schema=ErrorSchema, description="A Content-Encoding other than gzip")
    @blp.alt_response(503, schema=ErrorSchema, description="Database busy: nothing stored, send again")
    def post(self, batch: dict):
        """Upload a batch of responses (gzip accepted). One result per submission, in order:
        created, duplicate (already stored, same content), conflict (stored with different
        content: the first stands, this one is kept for review) or rejected (not stored,
        with errors). Sending the same batch again is safe. No item can fail the batch:
        one that cannot be stored is rejected on its own, with its reasons. The batch counts
        as a sync (see GET /me/assignments for the X-App-Version and X-Queued-Count headers)."""
        # A lock error propagates: the request rolls back (nothing stored) and answers 503.
        results = ingest_batch(g.current_user, batch["submissions"])
        log_upload_outcome(results)
        note_sync(g.current_user, read_client_report(request.headers))
        # The results are built in SubmissionResultsSchema's shape already; dumping them
        # through it again cost as much as storing the audit rows.
        return jsonify({"results": results})


@blp.route("/me/submissions")
class HeldSubmissions(MethodView):
    @api_login_required()
    @blp.arguments(HeldSubmissionsQuerySchema, location="query")
    @blp.response(200, HeldSubmissionsSchema)
    @blp.alt_response(401, schema=ErrorSchema, description="No, expired or revoked token")
    def get(self, query: dict):
        """What the server holds from this volunteer (UUIDs and status), optionally for one
        round, so a phone that lost its queue state can reconcile."""
        return {"submissions": held_submissions(g.current_user, query["round_id"])}
