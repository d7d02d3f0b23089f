import marshmallow as ma

from server.api_fields import BoundedInteger, Id
from server.kiosks.desks import MAX_SERVICES, MIN_INTERVAL_RANGE
from server.kiosks.models import DEFAULT_MIN_INTERVAL_SECONDS

MAX_BATCH = 100
ServiceName = ma.fields.String(validate=ma.validate.Length(min=1, max=120))


class DeskSchema(ma.Schema):
    id = Id(dump_only=True)
    unit_id = Id()
    unit_name = ma.fields.String(dump_only=True)
    name = ma.fields.String()
    services = ma.fields.List(ma.fields.String())
    min_interval_seconds = ma.fields.Integer()
    is_active = ma.fields.Boolean()
    paired_devices = ma.fields.Integer(dump_only=True)
    created_at = ma.fields.DateTime(dump_only=True)


class DeskCreateSchema(ma.Schema):
    unit_id = Id(required=True)
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    services = ma.fields.List(ServiceName, load_default=list,
                              validate=ma.validate.Length(max=MAX_SERVICES * 2))
    min_interval_seconds = BoundedInteger(minimum=MIN_INTERVAL_RANGE[0],
                                          maximum=MIN_INTERVAL_RANGE[1],
                                          load_default=DEFAULT_MIN_INTERVAL_SECONDS)


class DeskUpdateSchema(ma.Schema):
    name = ma.fields.String(validate=ma.validate.Length(min=1, max=200))
    services = ma.fields.List(ServiceName, validate=ma.validate.Length(max=MAX_SERVICES * 2))
    min_interval_seconds = BoundedInteger(minimum=MIN_INTERVAL_RANGE[0],
                                          maximum=MIN_INTERVAL_RANGE[1])
    is_active = ma.fields.Boolean()


class PairingCodeSchema(ma.Schema):
    code = ma.fields.String(metadata={"description": "Shown once; typed on the tablet"})
    expires_at = ma.fields.DateTime()


class PairSchema(ma.Schema):
    code = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=40))


class DeviceDeskSchema(ma.Schema):
    id = Id()
    name = ma.fields.String()
    unit_name = ma.fields.String()
    services = ma.fields.List(ma.fields.String())
    min_interval_seconds = ma.fields.Integer()


class PairedSchema(ma.Schema):
    token = ma.fields.String(metadata={"description": "The tablet's credential, shown once"})
    desk = ma.fields.Nested(DeviceDeskSchema)


class RatingSchema(ma.Schema):
    client_uuid = ma.fields.UUID(required=True)
    score = BoundedInteger(minimum=1, maximum=5, required=True)
    rated_at = ma.fields.AwareDateTime(required=True, default_timezone=None)
    service = ma.fields.String(load_default=None, allow_none=True,
                               validate=ma.validate.Length(max=120))
    comment = ma.fields.String(load_default=None, allow_none=True,
                               validate=ma.validate.Length(max=200))


class RatingBatchSchema(ma.Schema):
    ratings = ma.fields.List(ma.fields.Nested(RatingSchema), required=True,
                             validate=ma.validate.Length(min=1, max=MAX_BATCH))


class RatingErrorSchema(ma.Schema):
    code = ma.fields.String()
    message = ma.fields.String()
    message_en = ma.fields.String()


class RatingResultSchema(ma.Schema):
    client_uuid = ma.fields.String()
    result = ma.fields.String(metadata={"enum": ["created", "duplicate", "rejected"]})
    flag = ma.fields.String(allow_none=True, metadata={"enum": ["too_soon", "burst", None]})
    error = ma.fields.Nested(RatingErrorSchema, allow_none=True)


class RatingResultsSchema(ma.Schema):
    results = ma.fields.List(ma.fields.Nested(RatingResultSchema))


class HourlyQuerySchema(ma.Schema):
    date = ma.fields.Date(load_default=None)


class HourSchema(ma.Schema):
    hour = ma.fields.Integer()
    total = ma.fields.Integer()
    flagged = ma.fields.Integer()
    satisfied = ma.fields.Integer()


class HourlySchema(ma.Schema):
    date = ma.fields.Date()
    hours = ma.fields.List(ma.fields.Nested(HourSchema))
