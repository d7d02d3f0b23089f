import marshmallow as ma

from server.api_fields import Id
from server.units.models import UNIT_KINDS
from server.units.services import CODE_PATTERN


class UnitSchema(ma.Schema):
    id = Id(dump_only=True)
    code = ma.fields.String()
    name = ma.fields.String()
    kind = ma.fields.String()
    parent_id = Id(allow_none=True)
    path = ma.fields.String(dump_only=True)


class UnitCreateSchema(ma.Schema):
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(UNIT_KINDS))
    parent_id = Id(load_default=None, allow_none=True)
    code = ma.fields.String(load_default=None, allow_none=True,
                            validate=ma.validate.Regexp(CODE_PATTERN))


class UnitQuerySchema(ma.Schema):
    parent_id = Id(load_default=None)
    kind = ma.fields.String(load_default=None, validate=ma.validate.OneOf(UNIT_KINDS))


class UnitRefSchema(ma.Schema):
    """A unit as other resources mention it."""

    id = Id()
    name = ma.fields.String()
    kind = ma.fields.String()
    parent_id = Id(allow_none=True)
