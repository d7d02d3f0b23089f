"""/api/v1/suggestion-boxes: boxes (for admins and the unit's officials), their messages and
the handling of them, the topic list, and the public submission a box's page makes."""

from flask import Response, current_app, g, request
from flask.views import MethodView

from server.api_blueprint import Blueprint
from server.auth.api_auth import api_login_required
from server.errors import ApiError, ErrorSchema
from server.extensions import db
from server.people.models import User
from server.suggestions import boxes, handling, intake, links, settings, topics
from server.suggestions.codes import format_receipt, normalise_box_code
from server.suggestions.models import SuggestionBox, SuggestionMessage, SuggestionTopic
from server.suggestions.schemas import (
    AssignSchema,
    BoxCreateSchema,
    BoxQuerySchema,
    BoxSchema,
    BoxUpdateSchema,
    MessagePageSchema,
    MessageQuerySchema,
    MessageSchema,
    ModerationSchema,
    PublicReceiptSchema,
    PublicSubmissionSchema,
    ReplyCreateSchema,
    TopicCreateSchema,
    TopicSchema,
    TopicUpdateSchema,
)
from server.units.models import Unit

blp = Blueprint("suggestion_boxes", __name__, url_prefix="/api/v1/suggestion-boxes",
                description="Hòm thư góp ý / suggestion boxes")

STAFF = ("admin", "official")


@blp.record_once
def _configure(state) -> None:
    settings.configure(state.app)


def _not_found(what_vi: str, what_en: str, code: str = "not_found") -> ApiError:
    return ApiError(404, code, f"Không tìm thấy {what_vi}.", {"message_en": f"{what_en} not found."})


def _box(box_id: int) -> SuggestionBox:
    box = db.session.get(SuggestionBox, box_id)
    if box is None or not boxes.may_handle(g.current_user, box.unit):
        # Another unit's box is as absent as a box that does not exist.
        raise _not_found("hòm thư", "Suggestion box")
    return box


def _message(message_id: int) -> SuggestionMessage:
    message = db.session.get(SuggestionMessage, message_id)
    if message is None or not boxes.may_handle(g.current_user, message.box.unit):
        raise _not_found("ý kiến", "Message")
    return message


def _box_out(box: SuggestionBox, counts: dict | None = None) -> dict:
    return {"id": box.id, "code": box.code, "name": box.name, "unit_id": box.unit_id,
            "is_open": box.is_open, "created_at": box.created_at, "closed_at": box.closed_at,
            "public_url": links.box_url(box),
            "message_counts": counts if counts is not None
            else boxes.message_counts([box.id]).get(box.id, {})}


def _message_out(message: SuggestionMessage) -> dict:
    return {"id": message.id, "box_id": message.box_id, "receipt_code": message.receipt_code,
            "body": message.body, "topic": message.topic, "rating": message.rating,
            "received_at": message.received_at, "status": message.status,
            "moderation": message.moderation, "assigned_to_id": message.assigned_to_id,
            "first_reply_at": message.first_reply_at, "closed_at": message.closed_at,
            "has_contact": handling.has_contact(message),
            "contact": handling.contact_for(g.current_user, message),
            "replies": message.replies}


# --- boxes --------------------------------------------------------------------------------------

@blp.route("")
class Boxes(MethodView):
    @api_login_required(roles=STAFF)
    @blp.arguments(BoxQuerySchema, location="query")
    @blp.response(200, BoxSchema(many=True))
    def get(self, query):
        """The boxes of the units the caller handles."""
        found = boxes.visible_boxes(g.current_user, query["unit_id"])
        counts = boxes.message_counts([box.id for box in found])
        return [_box_out(box, counts.get(box.id, {})) for box in found]

    @api_login_required(roles=STAFF)
    @blp.arguments(BoxCreateSchema)
    @blp.response(201, BoxSchema)
    @blp.alt_response(400, schema=ErrorSchema)
    def post(self, body):
        """Put up a box for a unit and a place (admins, and the unit's officials)."""
        unit = db.session.get(Unit, body["unit_id"])
        if unit is None:
            raise ApiError(400, "unknown_unit", "Không tìm thấy đơn vị.",
                           {"message_en": "The unit does not exist."})
        return _box_out(boxes.create_box(g.current_user, unit, body["name"]), {})


@blp.route("/<int:box_id>")
class Box(MethodView):
    @api_login_required(roles=STAFF)
    @blp.response(200, BoxSchema)
    def get(self, box_id):
        """One box."""
        return _box_out(_box(box_id))

    @api_login_required(roles=STAFF)
    @blp.arguments(BoxUpdateSchema)
    @blp.response(200, BoxSchema)
    def patch(self, body, box_id):
        """Rename a box, close it (its page then answers 404) or reopen it."""
        return _box_out(boxes.update_box(_box(box_id), g.current_user, name=body.get("name"),
                                         is_open=body.get("is_open")))

    @api_login_required(roles=STAFF)
    @blp.response(204)
    def delete(self, box_id):
        """Delete a box no one has written to (409 otherwise: close it instead)."""
        boxes.delete_box(_box(box_id), g.current_user)


@blp.route("/<int:box_id>/poster.pdf")
class Poster(MethodView):
    @api_login_required(roles=STAFF, allow_session=True)
    @blp.response(200, description="Áp phích PDF / the box's poster as PDF",
                  content_type="application/pdf")
    def get(self, box_id):
        """The box's A4 poster: its name, a QR code of its page, a text on anonymity."""
        box = _box(box_id)
        return Response(links.poster_pdf(box), mimetype="application/pdf", headers={
            "Content-Disposition": f'attachment; filename="{links.poster_filename(box)}"'})


# --- messages -----------------------------------------------------------------------------------

@blp.route("/<int:box_id>/messages")
class BoxMessages(MethodView):
    @api_login_required(roles=STAFF)
    @blp.arguments(MessageQuerySchema, location="query")
    @blp.response(200, MessagePageSchema)
    def get(self, query, box_id):
        """The box's messages, newest first (contact details only for their assignee)."""
        items, total = handling.box_messages(_box(box_id), query["status"], query["page"],
                                             query["per_page"])
        return {"items": [_message_out(m) for m in items], "total": total,
                "page": query["page"], "per_page": query["per_page"]}


@blp.route("/messages/<int:message_id>")
class Message(MethodView):
    @api_login_required(roles=STAFF)
    @blp.response(200, MessageSchema)
    def get(self, message_id):
        """One message with its replies."""
        return _message_out(_message(message_id))


@blp.route("/messages/<int:message_id>/assign")
class Assign(MethodView):
    @api_login_required(roles=STAFF)
    @blp.arguments(AssignSchema)
    @blp.response(200, MessageSchema)
    def post(self, body, message_id):
        """Give the message to an official of the box's unit."""
        message = _message(message_id)
        assignee = db.session.get(User, body["user_id"])
        if assignee is None:
            raise ApiError(400, "unknown_user", "Không tìm thấy người được giao.",
                           {"message_en": "The assignee does not exist."})
        handling.assign(message, g.current_user, assignee)
        return _message_out(message)


@blp.route("/messages/<int:message_id>/replies")
class Replies(MethodView):
    @api_login_required(roles=STAFF)
    @blp.arguments(ReplyCreateSchema)
    @blp.response(201, MessageSchema)
    def post(self, body, message_id):
        """Reply: the resident reads it on the follow-up page with their receipt code."""
        message = _message(message_id)
        handling.reply(message, g.current_user, body["body"])
        return _message_out(message)


@blp.route("/messages/<int:message_id>/close")
class Close(MethodView):
    @api_login_required(roles=STAFF)
    @blp.response(200, MessageSchema)
    def post(self, message_id):
        """Close the message (no more replies)."""
        message = _message(message_id)
        handling.close(message, g.current_user)
        return _message_out(message)


@blp.route("/messages/<int:message_id>/moderation")
class Moderation(MethodView):
    @api_login_required(roles=STAFF)
    @blp.arguments(ModerationSchema)
    @blp.response(200, MessageSchema)
    def post(self, body, message_id):
        """Publish the message (masked, with its replies) on the box's page, or withhold it."""
        message = _message(message_id)
        handling.moderate(message, g.current_user, body["action"] == "publish")
        return _message_out(message)


# --- topics -------------------------------------------------------------------------------------

@blp.route("/topics")
class Topics(MethodView):
    @api_login_required(roles=STAFF)
    @blp.response(200, TopicSchema(many=True))
    def get(self):
        """The topic list residents pick from (retired topics too)."""
        return topics.all_topics()

    @api_login_required(roles=("admin",))
    @blp.arguments(TopicCreateSchema)
    @blp.response(201, TopicSchema)
    def post(self, body):
        """Add a topic (admin)."""
        return topics.add_topic(g.current_user.id, body["key"], body["label_vi"],
                                body["label_en"], body["label_km"])


@blp.route("/topics/<int:topic_id>")
class Topic(MethodView):
    @api_login_required(roles=("admin",))
    @blp.arguments(TopicUpdateSchema)
    @blp.response(200, TopicSchema)
    def patch(self, body, topic_id):
        """Rename a topic, retire it (is_active false) or bring it back (admin)."""
        topic = db.session.get(SuggestionTopic, topic_id)
        if topic is None:
            raise _not_found("chủ đề", "Topic")
        return topics.update_topic(topic, g.current_user.id, **body)


# --- the public submission ----------------------------------------------------------------------

@blp.route("/public/<code>/messages")
class PublicSubmission(MethodView):
    @blp.arguments(PublicSubmissionSchema)
    @blp.response(201, PublicReceiptSchema)
    @blp.alt_response(200, schema=PublicReceiptSchema, description="A resend: already stored")
    @blp.alt_response(404, schema=ErrorSchema, description="Unknown or closed box")
    @blp.alt_response(413, schema=ErrorSchema, description="Body over 16 KiB")
    @blp.alt_response(429, schema=ErrorSchema, description="Too many messages")
    def post(self, body, code):
        """A resident's message (no login). Idempotent by client_uuid; throttled per address
        and per box; nothing is published before an official acts on it."""
        box_code = normalise_box_code(code) or "-"
        address = request.remote_addr or ""
        retry_after = intake.reserve(address, box_code)
        if retry_after is not None:
            raise ApiError(429, "too_many_messages",
                           "Hòm thư đang nhận quá nhiều ý kiến từ nơi này. "
                           f"Vui lòng thử lại sau {max(1, retry_after // 60)} phút.",
                           {"message_en": "Too many messages from here. Please try again "
                                          f"in {max(1, retry_after // 60)} minutes.",
                            "retry_after": retry_after},
                           headers={"Retry-After": str(retry_after)})
        box = boxes.box_by_code(box_code)
        if box is None or not box.is_open:
            raise ApiError(404, "box_not_found",
                           "Không tìm thấy hòm thư này, hoặc hòm thư đã đóng.",
                           {"message_en": "This suggestion box does not exist or is closed."})
        submission = intake.Submission(
            client_uuid=str(body["client_uuid"]), message=body["message"], topic=body["topic"],
            rating=body["rating"], contact=body["contact"], honeypot=body["website"])
        message, created = intake.receive(box, submission)
        if not created:
            intake.give_back(address, box_code)
        current_app.logger.info("suggestion %s box %s: %s", message.id, box.id,
                                "created" if created else "duplicate")
        receipt = {"receipt_code": message.receipt_code,
                   "receipt": format_receipt(message.receipt_code),
                   "result": "created" if created else "duplicate",
                   "received_at": message.received_at,
                   "follow_up_url": links.receipt_url(message.receipt_code)}
        return receipt, 201 if created else 200
