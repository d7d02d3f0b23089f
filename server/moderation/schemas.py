"""The moderation API's request and answer shapes."""

import marshmallow as ma

from server.api_fields import BoundedInteger, Id
from server.moderation.comments import STATES
from server.moderation.services import MODERATION_REASONS, NOTE_MAX

PER_PAGE_DEFAULT = 100
PER_PAGE_MAX = 500
PAGE_MAX = 1_000_000
SELECTION_MAX = 1000


class CommentListQuerySchema(ma.Schema):
    unit_id = Id(required=True, metadata={"description": "The unit whose report the comments "
                                                         "are in (its own and those below)."})
    state = ma.fields.String(load_default="all", validate=ma.validate.OneOf(STATES),
                             metadata={"description": "all, hidden (groups with a hidden "
                                                      "comment) or shown."})
    page = BoundedInteger(minimum=1, maximum=PAGE_MAX, load_default=1)
    per_page = BoundedInteger(minimum=1, maximum=PER_PAGE_MAX, load_default=PER_PAGE_DEFAULT,
                              metadata={"description": "Groups of identical comments per page."})


class CommentRefSchema(ma.Schema):
    response_id = Id(required=True)
    question = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=100))


class _SelectionSchema(ma.Schema):
    unit_id = Id(required=True)
    comments = ma.fields.List(ma.fields.Nested(CommentRefSchema), required=True,
                              validate=ma.validate.Length(min=1, max=SELECTION_MAX))
    identical = ma.fields.Boolean(load_default=False, metadata={
        "description": "Also every comment identical to the ones given (below the unit)."})


class HideSchema(_SelectionSchema):
    reason = ma.fields.String(required=True, validate=ma.validate.OneOf(tuple(MODERATION_REASONS)),
                              metadata={"description": "Why the comment leaves the report: "
                                                       + "; ".join(f"`{code}` {vi} ({en})"
                                                                   for code, (vi, en)
                                                                   in MODERATION_REASONS.items())})
    note = ma.fields.String(load_default=None, allow_none=True, metadata={
        "maxLength": NOTE_MAX,
        "description": "Free text beside the reason; required with `other`."})


class UnhideSchema(_SelectionSchema):
    pass


class CommentOccurrenceSchema(ma.Schema):
    response_id = ma.fields.Integer()
    question = ma.fields.String()
    hidden = ma.fields.Boolean()
    reason = ma.fields.String(allow_none=True)
    note = ma.fields.String(allow_none=True)
    hidden_at = ma.fields.AwareDateTime(allow_none=True)


class CommentGroupSchema(ma.Schema):
    text = ma.fields.String(metadata={"description": "Masked as in the report."})
    question = ma.fields.String()
    count = ma.fields.Integer()
    hidden_count = ma.fields.Integer()
    comments = ma.fields.List(ma.fields.Nested(CommentOccurrenceSchema))


class CommentListSchema(ma.Schema):
    round_id = ma.fields.Integer()
    unit_id = ma.fields.Integer()
    moderation_open = ma.fields.Boolean()
    reports_final_at = ma.fields.AwareDateTime(allow_none=True)
    total_comments = ma.fields.Integer()
    hidden_comments = ma.fields.Integer()
    total_groups = ma.fields.Integer()
    page = ma.fields.Integer()
    pages = ma.fields.Integer()
    groups = ma.fields.List(ma.fields.Nested(CommentGroupSchema))


class ModerationResultSchema(ma.Schema):
    changed = ma.fields.Integer(metadata={"description": "Comments whose state changed."})
    unchanged = ma.fields.Integer(metadata={"description": "Already in that state."})


class ReportsFinalSchema(ma.Schema):
    final = ma.fields.Boolean(required=True)


class ReportsFinalStateSchema(ma.Schema):
    round_id = ma.fields.Integer()
    reports_final_at = ma.fields.AwareDateTime(allow_none=True)


class CommentRefField(ma.fields.String):
    """A comment as a page's form names it: "<response id>:<question>"."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        number, _, question = text.partition(":")
        if not (number.isascii() and number.isdigit() and len(number) <= 10
                and 1 <= int(number) <= 2**31 - 1 and 0 < len(question) <= 100):
            raise ma.ValidationError("Not a comment reference.")
        return int(number), question


PAGE_ACTIONS = ("hide", "hide_identical", "unhide", "unhide_identical")


class ModerationFormSchema(ma.Schema):
    """The moderation page's form post (CSRF is checked app-wide before it is read)."""
    action = ma.fields.String(required=True, validate=ma.validate.OneOf(PAGE_ACTIONS))
    comment = ma.fields.List(CommentRefField(), load_default=list,
                             validate=ma.validate.Length(max=SELECTION_MAX))
    group = CommentRefField(load_default=None)
    reason = ma.fields.String(load_default=None)
    note = ma.fields.String(load_default=None)

    class Meta:
        unknown = ma.EXCLUDE


class FinalFormSchema(ma.Schema):
    action = ma.fields.String(required=True, validate=ma.validate.OneOf(("final", "reopen")))
    unit_id = Id(load_default=None)

    class Meta:
        unknown = ma.EXCLUDE
