import marshmallow as ma

from server.api_fields import BoundedInteger, Id
from server.suggestions.intake import CONTACT_MAX
from server.suggestions.models import MESSAGE_STATUSES

# The message's own length is checked by the service (a clear "too long" with the count);
# this bound only stops a body no message could be (the route's body limit is 16 KiB).
RAW_TEXT_MAX = 16 * 1024


class TopicSchema(ma.Schema):
    id = Id(dump_only=True)
    key = ma.fields.String()
    label_vi = ma.fields.String()
    label_en = ma.fields.String()
    label_km = ma.fields.String(allow_none=True)
    is_active = ma.fields.Boolean()


class TopicCreateSchema(ma.Schema):
    key = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=40))
    label_vi = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    label_en = ma.fields.String(load_default=None, allow_none=True,
                                validate=ma.validate.Length(max=200))
    label_km = ma.fields.String(load_default=None, allow_none=True,
                                validate=ma.validate.Length(max=200))


class TopicUpdateSchema(ma.Schema):
    label_vi = ma.fields.String(validate=ma.validate.Length(min=1, max=200))
    label_en = ma.fields.String(validate=ma.validate.Length(max=200))
    label_km = ma.fields.String(validate=ma.validate.Length(max=200))
    is_active = ma.fields.Boolean()


class BoxSchema(ma.Schema):
    id = Id(dump_only=True)
    code = ma.fields.String(dump_only=True)
    name = ma.fields.String()
    unit_id = Id()
    is_open = ma.fields.Boolean()
    created_at = ma.fields.DateTime(dump_only=True)
    closed_at = ma.fields.DateTime(dump_only=True, allow_none=True)
    public_url = ma.fields.String(dump_only=True)
    message_counts = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer(),
                                    dump_only=True)


class BoxCreateSchema(ma.Schema):
    unit_id = Id(required=True)
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=400))


class BoxUpdateSchema(ma.Schema):
    name = ma.fields.String(validate=ma.validate.Length(min=1, max=400))
    is_open = ma.fields.Boolean()


class BoxQuerySchema(ma.Schema):
    unit_id = Id(load_default=None)


class MessageQuerySchema(ma.Schema):
    status = ma.fields.String(load_default=None, validate=ma.validate.OneOf(MESSAGE_STATUSES))
    page = BoundedInteger(minimum=1, maximum=100_000, load_default=1)
    per_page = BoundedInteger(minimum=1, maximum=100, load_default=50)


class ReplySchema(ma.Schema):
    id = Id(dump_only=True)
    body = ma.fields.String()
    created_at = ma.fields.DateTime()
    author_id = Id(allow_none=True)


class MessageSchema(ma.Schema):
    id = Id(dump_only=True)
    box_id = Id()
    receipt_code = ma.fields.String()
    body = ma.fields.String()
    topic = ma.fields.String(attribute="topic.key", allow_none=True)
    rating = ma.fields.Integer(allow_none=True)
    received_at = ma.fields.DateTime()
    status = ma.fields.String()
    moderation = ma.fields.String()
    assigned_to_id = Id(allow_none=True)
    first_reply_at = ma.fields.DateTime(allow_none=True)
    closed_at = ma.fields.DateTime(allow_none=True)
    has_contact = ma.fields.Boolean()
    # Only for the official the message is assigned to; null for everyone else.
    contact = ma.fields.String(allow_none=True)
    replies = ma.fields.List(ma.fields.Nested(ReplySchema))


class MessagePageSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(MessageSchema))
    total = ma.fields.Integer()
    page = ma.fields.Integer()
    per_page = ma.fields.Integer()


class AssignSchema(ma.Schema):
    user_id = Id(required=True)


class ReplyCreateSchema(ma.Schema):
    body = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=RAW_TEXT_MAX))


class ModerationSchema(ma.Schema):
    action = ma.fields.String(required=True, validate=ma.validate.OneOf(("publish", "withhold")))


class PublicSubmissionSchema(ma.Schema):
    client_uuid = ma.fields.UUID(required=True)
    message = ma.fields.String(required=True, validate=ma.validate.Length(max=RAW_TEXT_MAX))
    topic = ma.fields.String(load_default=None, allow_none=True,
                             validate=ma.validate.Length(max=40))
    rating = BoundedInteger(minimum=1, maximum=5, load_default=None, allow_none=True)
    contact = ma.fields.String(load_default=None, allow_none=True,
                               validate=ma.validate.Length(max=CONTACT_MAX * 4))
    # The honeypot: a field people never see; robots fill it in.
    website = ma.fields.String(load_default="", validate=ma.validate.Length(max=500))


class PublicReceiptSchema(ma.Schema):
    receipt_code = ma.fields.String()
    receipt = ma.fields.String(metadata={"description": "The receipt as shown: XXXX-XXXX-XXXX"})
    result = ma.fields.String(metadata={"description": "created or duplicate"})
    received_at = ma.fields.DateTime()
    follow_up_url = ma.fields.String()
