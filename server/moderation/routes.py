"""Comment moderation over the API: list a unit's comments with their state, hide or show
them again, and (admins) mark a round's reports final."""

from flask import g
from flask.views import MethodView

from server.api_blueprint import Blueprint
from server.auth.api_auth import api_login_required
from server.errors import ApiError, ErrorSchema
from server.extensions import db
from server.moderation.comments import CommentGroup, comment_groups, group_page
from server.moderation.schemas import (
    CommentListQuerySchema,
    CommentListSchema,
    HideSchema,
    ModerationResultSchema,
    ReportsFinalSchema,
    ReportsFinalStateSchema,
    UnhideSchema,
)
from server.moderation.scope import moderation_scope
from server.moderation.services import (
    hide_comments,
    moderation_open,
    set_reports_final,
    unhide_comments,
)
from server.rounds.models import Round

blp = Blueprint("moderation", __name__, url_prefix="/api/v1/rounds",
                description="Kiểm duyệt ý kiến / comment moderation")

STAFF = ("admin", "official")


def _group_view(group: CommentGroup) -> dict:
    return {"text": group.text, "question": group.question, "count": group.count,
            "hidden_count": group.hidden_count,
            "comments": [{"response_id": o.response_id, "question": o.question,
                          "hidden": o.hidden is not None,
                          "reason": o.hidden.reason if o.hidden else None,
                          "note": o.hidden.note if o.hidden else None,
                          "hidden_at": o.hidden.hidden_at if o.hidden else None}
                         for o in group.occurrences]}


def _refs(body: dict) -> list[tuple[int, str]]:
    return [(ref["response_id"], ref["question"]) for ref in body["comments"]]


@blp.route("/<int:round_id>/comments")
class RoundComments(MethodView):
    @api_login_required(roles=STAFF, allow_session=True)
    @blp.arguments(CommentListQuerySchema, location="query")
    @blp.response(200, CommentListSchema)
    @blp.alt_response(403, schema=ErrorSchema, description="Not the caller's unit")
    @blp.alt_response(404, schema=ErrorSchema, description="No such round, or unit not in it")
    def get(self, query, round_id):
        """The comments of a unit's report (its own and those below it), masked as the report
        prints them, identical ones grouped (most repeated first), each with its hidden
        state and reason."""
        round_, unit = moderation_scope(round_id, query["unit_id"], g.current_user)
        page = group_page(comment_groups(round_, unit), query["state"], query["page"],
                          query["per_page"])
        return {"round_id": round_.id, "unit_id": unit.id,
                "moderation_open": moderation_open(round_),
                "reports_final_at": round_.reports_final_at,
                "total_comments": page.total_comments, "hidden_comments": page.hidden_comments,
                "total_groups": page.total_groups, "page": page.page, "pages": page.pages,
                "groups": [_group_view(group) for group in page.groups]}


@blp.route("/<int:round_id>/comments/hide")
class HideComments(MethodView):
    @api_login_required(roles=STAFF)
    @blp.arguments(HideSchema)
    @blp.response(200, ModerationResultSchema)
    @blp.alt_response(400, schema=ErrorSchema, description="No reason, or a bad note")
    @blp.alt_response(403, schema=ErrorSchema, description="Not the caller's unit")
    @blp.alt_response(404, schema=ErrorSchema, description="A comment not in the unit's report")
    @blp.alt_response(409, schema=ErrorSchema, description="The round's reports are final")
    def post(self, body, round_id):
        """Hide comments from every report of the round, with a reason (audited, one entry
        per comment). `identical: true` hides every comment identical to those given."""
        round_, unit = moderation_scope(round_id, body["unit_id"], g.current_user)
        result = hide_comments(round_, unit, g.current_user, _refs(body), body["reason"],
                               body["note"], body["identical"])
        return {"changed": result.changed, "unchanged": result.unchanged}


@blp.route("/<int:round_id>/comments/unhide")
class UnhideComments(MethodView):
    @api_login_required(roles=STAFF)
    @blp.arguments(UnhideSchema)
    @blp.response(200, ModerationResultSchema)
    @blp.alt_response(403, schema=ErrorSchema, description="Not the caller's unit")
    @blp.alt_response(404, schema=ErrorSchema, description="A comment not in the unit's report")
    @blp.alt_response(409, schema=ErrorSchema, description="The round's reports are final")
    def post(self, body, round_id):
        """Show hidden comments in the reports again (audited, one entry per comment)."""
        round_, unit = moderation_scope(round_id, body["unit_id"], g.current_user)
        result = unhide_comments(round_, unit, g.current_user, _refs(body), body["identical"])
        return {"changed": result.changed, "unchanged": result.unchanged}


@blp.route("/<int:round_id>/reports-final")
class ReportsFinal(MethodView):
    @api_login_required(roles=("admin",))
    @blp.arguments(ReportsFinalSchema)
    @blp.response(200, ReportsFinalStateSchema)
    @blp.alt_response(404, schema=ErrorSchema, description="No such round")
    @blp.alt_response(409, schema=ErrorSchema,
                      description="The round has not closed, or is already in that state")
    def post(self, body, round_id):
        """Mark the round's reports final (`final: true`, once it has closed): comments can
        no longer be hidden or shown again. `final: false` reopens moderation (admins)."""
        round_ = db.session.get(Round, round_id)
        if round_ is None:
            raise ApiError(404, "not_found", "Không tìm thấy đợt khảo sát.",
                           {"message_en": "No such round."})
        set_reports_final(round_, g.current_user, body["final"])
        return {"round_id": round_.id, "reports_final_at": round_.reports_final_at}
