"""The sync API's request and response bodies (marshmallow; also the OpenAPI document)."""

import uuid
from datetime import UTC, datetime

import marshmallow as ma
from flask import current_app
from marshmallow.utils import is_aware

from server.api_fields import ID_MAX, ID_RANGE, BoundedInteger, Id
from server.errors import ApiError
from server.rounds.schemas import RoundBaseSchema


def _is_uuid(text: str) -> None:
    try:
        uuid.UUID(text)
    except ValueError:
        raise ma.ValidationError("Not a valid UUID.") from None


class ClientInfoSchema(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE  # a newer app may send more; it must not be refused for it

    app_version = ma.fields.String(load_default="", validate=ma.validate.Length(max=64))
    device = ma.fields.String(load_default="", validate=ma.validate.Length(max=200))


class SubmissionSchema(ma.Schema):
    """One response as the phone sends it. Times are the phone's, kept as given (in UTC);
    a time without a zone is read as UTC."""

    class Meta:
        unknown = ma.EXCLUDE

    # Kept as text: results echo the UUID as sent; it is stored in canonical form.
    uuid = ma.fields.String(required=True, validate=_is_uuid, metadata={
        "format": "uuid", "description": "Made on the phone; the identity of the response."})
    # Ids out of range are refused per item (server/sync/intake.py), not here: a schema error
    # would refuse the whole batch. The document still states the range.
    round_id = ma.fields.Integer(required=True, strict=True, metadata=ID_RANGE)
    form_version_id = ma.fields.Integer(required=True, strict=True, metadata=ID_RANGE)
    unit_id = ma.fields.Integer(required=True, strict=True, metadata=ID_RANGE)
    started_at = ma.fields.AwareDateTime(load_default=None, allow_none=True, default_timezone=UTC)
    completed_at = ma.fields.AwareDateTime(required=True, default_timezone=UTC)
    # No per-key field: JSON keys are strings already, and checking each costs ~30 calls a response.
    answers = ma.fields.Dict(required=True,
                             metadata={"description": "Question name -> answer (docs/CONTRACTS.md)."})
    client = ma.fields.Nested(ClientInfoSchema, load_default=dict)


CLIENT_TEXT_MAX = {"app_version": 64, "device": 200}  # ClientInfoSchema's Length limits
ID_NAMES = ("round_id", "form_version_id", "unit_id")


def _plain_time(value) -> datetime | None:
    """An AwareDateTime's load of a plain ISO text, or None (let marshmallow judge it)."""
    if type(value) is not str:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if is_aware(moment) else moment.replace(tzinfo=UTC)


def _plain_client(client) -> dict | None:
    """ClientInfoSchema's load of a dict of short texts, or None."""
    if type(client) is not dict:
        return None
    loaded = {}
    for name, limit in CLIENT_TEXT_MAX.items():
        value = client.get(name, "")
        if type(value) is not str or len(value) > limit:
            return None
        loaded[name] = value
    return loaded


def plain_submission(item) -> dict | None:
    """What SubmissionSchema().load(item) returns, for an item that passes it as every
    phone's item does (exact types, a valid UUID, ISO times); None for anything else,
    which the schema itself then loads or refuses. Nine checks instead of marshmallow's
    machinery: a fifth of an upload's CPU went into loading the batch."""
    if type(item) is not dict:
        return None
    sent_uuid, answers = item.get("uuid"), item.get("answers")
    if type(sent_uuid) is not str or type(answers) is not dict:
        return None
    try:
        uuid.UUID(sent_uuid)
    except ValueError:
        return None
    ids = [item.get(name) for name in ID_NAMES]
    if any(type(value) is not int for value in ids):
        return None
    started = item.get("started_at")
    if started is not None:
        started = _plain_time(started)
        if started is None:
            return None
    completed = _plain_time(item.get("completed_at"))
    client = _plain_client(item["client"]) if "client" in item else {}
    if completed is None or client is None:
        return None
    return {"uuid": sent_uuid, "round_id": ids[0], "form_version_id": ids[1], "unit_id": ids[2],
            "started_at": started, "completed_at": completed, "answers": dict(answers),
            "client": client}


class SubmissionList(ma.fields.List):
    """A list of SubmissionSchema items, loaded by plain_submission when every item is
    plain; otherwise by the schema, so its errors are exactly the schema's."""

    def __init__(self, **kwargs):
        super().__init__(ma.fields.Nested(SubmissionSchema), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if type(value) is list:
            loaded = [plain_submission(item) for item in value]
            if None not in loaded:
                return loaded
        return super()._deserialize(value, attr, data, **kwargs)


class SubmissionBatchSchema(ma.Schema):
    submissions = SubmissionList(required=True)

    @ma.pre_load
    def refuse_oversized_batch(self, data, **kwargs):
        # Counted before the items are checked: a huge batch is refused at once, with a 413.
        items = data.get("submissions") if isinstance(data, dict) else None
        limit = current_app.config["SUBMISSION_BATCH_MAX_ITEMS"]
        if isinstance(items, list) and len(items) > limit:
            raise ApiError(413, "too_many_submissions",
                           f"Gửi tối đa {limit} phiếu mỗi lần (đã gửi {len(items)}).",
                           {"message_en": f"At most {limit} submissions per batch ({len(items)} sent).",
                            "max_items": limit})
        return data


class ItemErrorSchema(ma.Schema):
    question = ma.fields.String(allow_none=True)
    code = ma.fields.String()
    message = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String(),
                             metadata={"description": "{vi, en}"})


class SubmissionResultSchema(ma.Schema):
    uuid = ma.fields.String()
    status = ma.fields.String(metadata={"enum": ["created", "duplicate", "conflict", "rejected"]})
    late = ma.fields.Boolean(metadata={"description": "Completed while open, received after closing."})
    errors = ma.fields.List(ma.fields.Nested(ItemErrorSchema), metadata={"description": "Only when rejected."})


class SubmissionResultsSchema(ma.Schema):
    results = ma.fields.List(ma.fields.Nested(SubmissionResultSchema))


class AssignedUnitSchema(ma.Schema):
    id = Id()
    name = ma.fields.String()
    kind = ma.fields.String()
    parent_name = ma.fields.String(allow_none=True)
    # The unit's own target in this round (the round's target_per_unit unless set).
    target = ma.fields.Integer()
    received = ma.fields.Integer(metadata={
        "description": "Responses the server holds for this unit in this round, from every "
                       "volunteer (counted: not rejected on review, not excluded)."})


class AssignedRoundSchema(RoundBaseSchema):
    form_version_id = Id()
    status = ma.fields.String(metadata={"enum": ["open", "planned"]})
    units = ma.fields.List(ma.fields.Nested(AssignedUnitSchema))


class AssignmentsSchema(ma.Schema):
    rounds = ma.fields.List(ma.fields.Nested(AssignedRoundSchema))


class PublishedFormVersionSchema(ma.Schema):
    id = Id()
    form_name = ma.fields.Function(lambda version: version.form.name)
    version = BoundedInteger(minimum=1, maximum=ID_MAX)
    content_hash = ma.fields.String()
    published_at = ma.fields.AwareDateTime(allow_none=True)
    definition = ma.fields.Dict(metadata={"description": "The form definition (docs/CONTRACTS.md)."})


class HeldSubmissionsQuerySchema(ma.Schema):
    round_id = Id(load_default=None)


class HeldSubmissionSchema(ma.Schema):
    uuid = ma.fields.String()
    round_id = Id()
    unit_id = Id()
    status = ma.fields.String(metadata={"description": "accepted, flagged or rejected (by review)"})
    is_late = ma.fields.Boolean()
    content_hash = ma.fields.String()
    completed_at = ma.fields.AwareDateTime()
    received_at = ma.fields.AwareDateTime()


class HeldSubmissionsSchema(ma.Schema):
    submissions = ma.fields.List(ma.fields.Nested(HeldSubmissionSchema))
